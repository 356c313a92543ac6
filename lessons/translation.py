"""Course content in other languages: which languages there are, and showing a row in one.

Why a `translations` JSON field on each content row (Course, Lesson, Quiz, FeedbackBand,
Question, Option, Certification, PracticalItem), {"ru": {"title": …, "body": …}}, and not
django-modeltranslation or a translation table:
- A row's texts in every language come with the row: no join, no extra query, so every page
  keeps its pinned query count whatever the reader's language (a table would need a prefetch
  per model on every page, modeltranslation a column per field and language).
- One question in two languages stays one row, one id, one set of options: attempts, scores,
  item statistics and must-pass never see the language.
- A question's translations are frozen into its QuestionVersion.data with the English text,
  so a finished attempt shows the texts it was given, in any language, for good
  (modeltranslation's per-language columns would have to be copied field by field).
- A language is a folder of files (course/<lang>/) and a key here: adding one needs no
  migration.

Every text is shown through show_in(), which falls back to English field by field and fills
the regional facts ({emergency}, {advice}) of the reader's language (lessons/regions.py).
"""

from django.conf import settings
from django.db.models import F, TextField, Value
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.db.models.functions import Coalesce, NullIf
from django.utils import translation

from lessons import regions


def is_english(code):
    return (code or "").lower().split("-")[0] == "en"


def course_languages():
    """The languages the course may be translated into: settings.LANGUAGES but English."""
    return [code for code, _name in settings.LANGUAGES if not is_english(code)]


def content_language(code=None):
    """The translation key for a reader's language ("ru"), or None for the English original."""
    code = (code or translation.get_language() or settings.LANGUAGE_CODE).lower()
    if is_english(code):
        return None
    languages = course_languages()
    if code in languages:
        return code
    primary = code.split("-")[0]
    return primary if primary in languages else None


def texts_in(row, language):
    """The row's stored texts in a language ({} for English or none)."""
    return (row.translations or {}).get(language, {}) if language else {}


def shown_value(row, field, language=None):
    """One field of a row as a reader of `language` sees it, without changing the row."""
    language = content_language(language)
    value = texts_in(row, language).get(field) or getattr(row, field)
    html = field in getattr(row, "translated_html", ())
    return regions.fill(value, language, html=html)


def show_in(rows, language=None):
    """Set each row's texts to the reader's language for this request, English where a text
    is not translated, with the regional facts filled in. The rows are then for showing only:
    saving one raises (it would write the translation over the English)."""
    language = content_language(language)
    regional = regions.facts_for(language)
    for row in rows:
        if getattr(row, "shown_in", None) is not None:
            continue
        texts = texts_in(row, language)
        # A field the query left out (a lesson list defers the bodies) stays out: reading it
        # would cost a query per row.
        deferred = row.get_deferred_fields()
        for field in row.translated_fields:
            if field not in deferred:
                value = texts.get(field) or getattr(row, field)
                setattr(row, field, regions.fill_with(regional, value))
        for field in getattr(row, "translated_html", ()):
            if field not in deferred:
                value = texts.get(field) or getattr(row, field)
                setattr(row, field, regions.fill_with(regional, value, html=True))
        row.shown_in = language or ""
    return rows


def show_one_in(row, language=None):
    show_in([row], language)
    return row


def is_unreviewed_translation(row, language=None):
    """The reader sees this row in a translation nobody has reviewed yet."""
    texts = texts_in(row, content_language(language))
    return bool(texts) and not texts.get("reviewed_on")


def shown_text(field, *, through="", language=None):
    """An expression for a text field as a reader of `language` sees it, read by the database
    out of the row's translations (never their whole JSON): `through` is the path to the row
    ("lesson__"). English, or a text not translated, is the field itself. For lists where a
    query per row, or every row's translations in Python, would cost too much."""
    language = content_language(language)
    if language is None:
        return F(f"{through}{field}")
    translated = KeyTextTransform(field, KeyTransform(language, f"{through}translations"))
    return Coalesce(NullIf(translated, Value("")), F(f"{through}{field}"), output_field=TextField())
