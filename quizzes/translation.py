"""Questions in the reader's language: frozen with their translations, shown in one.

A question's translations are frozen into its version beside the English (freeze_question
calls frozen_translations), so the version's content hash covers them: a changed translation
is a new version for the attempts started after it, and a finished attempt keeps showing the
texts it was given. Versions of questions without translations hash as they did before.

shown_data() is the one place a version's data becomes what a reader sees: the reader's
language where translated (English field by field where not), never an unreviewed translation
of a must-pass question (English, with a note), and the regional facts filled in. Options keep
their keys and order, so answers, scoring and statistics never see the language.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lessons import regions
from lessons.translation import content_language
from quizzes.text_formats import render_parts, render_text

ENGLISH_NOTE = gettext_lazy(
    "This question is shown in English: its translation is not reviewed yet."
)
QUESTION_TEXTS = (
    "text", "explanation", "correct_feedback", "partly_correct_feedback", "incorrect_feedback",
)  # fmt: skip
OPTION_TEXTS = ("text", "match_text", "feedback")
# What a version's data holds as shown text (plain or HTML) and may be translated.
SHOWN_TEXTS = ("text", "explanation", "unit")
SHOWN_HTML = (
    "text_html", "explanation_html", "correct_feedback_html", "partly_correct_feedback_html",
    "incorrect_feedback_html",
)  # fmt: skip


def frozen_translations(question, options):
    """{language: texts} of a question and its options, rendered as freeze_question renders
    the English; {} when nothing of it is translated."""
    languages = set(question.translations or {})
    for option in options:
        languages |= set(option.translations or {})
    lesson = question.lesson
    frozen = {}
    for language in sorted(languages):
        texts = (question.translations or {}).get(language, {})
        entry = {}
        for field in QUESTION_TEXTS:
            if texts.get(field):
                entry[field] = texts[field]
                entry[f"{field}_html"] = str(render_text(texts[field], question.text_format))
        if texts.get("text"):
            parts = render_parts(texts["text"], question.text_format)
            if parts:
                entry["text_parts"] = list(parts)
        if texts.get("hints"):
            entry["hints_html"] = [
                str(render_text(hint, question.text_format)) for hint in texts["hints"]
            ]
        if texts.get("unit"):
            entry["unit"] = texts["unit"]
        if texts.get("reviewed_on"):
            entry["reviewed_on"] = texts["reviewed_on"]
        if lesson is not None and (lesson.translations or {}).get(language, {}).get("title"):
            entry["lesson_title"] = lesson.translations[language]["title"]
        entry["options"] = [
            {
                key: value
                for key, value in (option.translations or {}).get(language, {}).items()
                if key in OPTION_TEXTS and value
            }
            for option in options
        ]
        frozen[language] = entry
    return frozen


def is_shown_in_english(data, language):
    """A must-pass question whose translation in this language is not reviewed (or missing)
    is shown in English: a wrong word in it could fail a trainee."""
    if not language or not data.get("must_pass"):
        return False
    translated = (data.get("translations") or {}).get(language) or {}
    return not translated.get("reviewed_on")


def shown_data(data, language=None):
    """A version's data as the reader sees it: a copy, with .english_note set when a must-pass
    question falls back to English, and answer_labels: {English matching answer: shown}."""
    language = content_language(language)
    facts = regions.facts_for(language)
    note = is_shown_in_english(data, language)
    translated = {} if note or not language else (data.get("translations") or {}).get(language)
    translated = translated or {}
    shown = dict(data)
    for field in (*SHOWN_TEXTS, *SHOWN_HTML, "text_parts", "hints_html"):
        if translated.get(field):
            shown[field] = translated[field]
    if translated.get("text") and not translated.get("text_parts"):
        shown.pop("text_parts", None)
    if translated.get("lesson_title") and data.get("lesson"):
        shown["lesson"] = {**data["lesson"], "title": translated["lesson_title"]}
    options = translated.get("options") or []
    shown["options"] = []
    labels = {}
    for position, option in enumerate(data["options"]):
        texts = options[position] if position < len(options) else {}
        option = {**option, **{k: v for k, v in texts.items() if k in ("text", "feedback")}}
        if data["type"] == "truefalse" and language and not note:
            option["text"] = {"True": _("True"), "False": _("False")}.get(
                option["text"], option["text"]
            )
        option["text"] = regions.fill_with(facts, option["text"])
        option["feedback"] = regions.fill_with(facts, option.get("feedback", ""))
        if option.get("match_text"):
            labels[option["match_text"]] = regions.fill_with(
                facts, texts.get("match_text") or option["match_text"]
            )
        shown["options"].append(option)
    for field in (*SHOWN_TEXTS, *SHOWN_HTML):
        if field in shown:
            shown[field] = regions.fill_with(facts, shown[field], html=field.endswith("_html"))
    for field in ("text_parts", "hints_html"):
        if field in shown:
            shown[field] = [regions.fill_with(facts, part, html=True) for part in shown[field]]
    shown["answer_labels"] = labels
    shown["english_note"] = str(ENGLISH_NOTE) if note else ""
    # The question reads in English (lang="en"), its note in the reader's language.
    shown["note_language"] = language or ""
    return shown


def show_slots_in(slots, language=None):
    """Set each slot's version data to what the reader sees; returns the slots.

    For pages only: the slots are scored again from the database, never from these."""
    for slot in slots:
        slot.version.data = shown_data(slot.version.data, language)
    return slots
