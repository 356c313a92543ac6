"""Importing and exporting a quiz's questions in Moodle's formats (GIFT and Moodle XML).

An import is all or nothing: it reads and checks every question first, with the same rules as
the admin and the quiz-file loader (quizzes/validation.py) plus the database fields' own limits,
and writes only when all of them can be imported. With skip_unsupported the questions that
cannot be imported are left out and listed instead. Imported questions come after the quiz's
own; a quiz that does not exist yet is created, unpublished. The images the questions embed are
stored in the same transaction (quizzes/media.py).
"""

import re
import zipfile
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from io import BytesIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext, gettext_lazy, ngettext

from crampcourse.validators import describe, first_unsafe_text
from lessons.regions import fill_all
from lessons.translation import course_languages, shown_value
from quizzes.course_files import add_questions, options_from_spec, quiz_to_dict
from quizzes.grades import moodle_grade, nearest_grade
from quizzes.media import images_in, save_images
from quizzes.models import Option, Question, QuestionType, Quiz, TextFormat
from quizzes.moodle import QuestionFileError
from quizzes.moodle.gift import decode_gift, parse_gift, to_gift
from quizzes.moodle.xml import parse_moodle_xml, to_moodle_xml
from quizzes.translated_files import (
    TranslationFileError,
    check_question_texts,
    merged_into_english,
    quiz_translation_to_dict,
    texts_of_spec,
)
from quizzes.validation import question_problems

FORMATS = {"gift": "GIFT", "moodlexml": "Moodle XML"}
MAX_IMPORT_BYTES = 2 * 1024 * 1024  # settings.QUESTION_IMPORT_MAX_BYTES overrides it
FILE_NAMES = {"gift": "{slug}-gift.txt", "moodlexml": "{slug}-moodle.xml"}
CONTENT_TYPES = {
    "gift": "text/plain; charset=utf-8",
    "moodlexml": "application/xml; charset=utf-8",
}
# A bare <question> is XML too, so its reader can say what is wrong with it.
_XML_START = re.compile(r"\s*<(\?xml|!--|!doctype|quiz\b|question\b)", re.IGNORECASE)
CENT = Decimal("0.01")
TEN_THOUSANDTH = Decimal("0.0001")


ROUNDED = {
    "value": gettext_lazy("value %(number)s is rounded to %(rounded)s"),
    "tolerance": gettext_lazy("tolerance %(number)s is rounded to %(rounded)s"),
}


def max_import_bytes():
    return getattr(settings, "QUESTION_IMPORT_MAX_BYTES", MAX_IMPORT_BYTES)


@dataclass
class ImportReport:
    quiz: Quiz
    quiz_created: bool
    imported: list = field(default_factory=list)
    skipped: list = field(default_factory=list)
    warnings: list = field(default_factory=list)

    def summary(self):
        count = len(self.imported)
        if self.quiz_created and self.skipped:
            text = ngettext(
                "Imported %(count)s question into “%(quiz)s” (a new quiz, not published yet); "
                "skipped %(skipped)s.",
                "Imported %(count)s questions into “%(quiz)s” (a new quiz, not published yet); "
                "skipped %(skipped)s.",
                count,
            )
        elif self.quiz_created:
            text = ngettext(
                "Imported %(count)s question into “%(quiz)s” (a new quiz, not published yet).",
                "Imported %(count)s questions into “%(quiz)s” (a new quiz, not published yet).",
                count,
            )
        elif self.skipped:
            text = ngettext(
                "Imported %(count)s question into “%(quiz)s”; skipped %(skipped)s.",
                "Imported %(count)s questions into “%(quiz)s”; skipped %(skipped)s.",
                count,
            )
        else:
            text = ngettext(
                "Imported %(count)s question into “%(quiz)s”.",
                "Imported %(count)s questions into “%(quiz)s”.",
                count,
            )
        return text % {"count": count, "quiz": self.quiz, "skipped": len(self.skipped)}


def guess_format(data):
    """moodlexml for a file that starts like XML, else gift."""
    head = data[:1024]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", errors="ignore")
    else:
        text = head.decode("utf-8", errors="ignore")
    return "moodlexml" if _XML_START.match(text.lstrip("\ufeff")) else "gift"


# Fitting and checking a parsed question --------------------------------------------------------


def _rounded(value, places):
    try:
        return Decimal(value).quantize(places, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return Decimal(value)  # too big to round; the field check reports it


def _option_lists(spec):
    return [spec[key] for key in ("options", "answers") if isinstance(spec.get(key), list)]


def _fit(spec, warnings):
    """Numbers as our fields hold them: a weight Moodle takes for one of its grades is that
    grade (a file's 33.333 is Moodle's 33.33333); the others stay, for the checks to refuse."""
    if "points" in spec:
        spec["points"] = _rounded(spec["points"], CENT)
    if len(spec.get("name", "")) > Question._meta.get_field("name").max_length:
        spec["name"] = spec["name"][:199] + "…"
        warnings.append(gettext("the name is shortened to 200 characters"))
    for options in _option_lists(spec):
        for option in options:
            if isinstance(option, dict) and "weight" in option:
                option["weight"] = moodle_grade(option["weight"]) or option["weight"]
            for key in ("value", "tolerance"):
                if isinstance(option, dict) and option.get(key) is not None:
                    rounded = _rounded(option[key], TEN_THOUSANDTH)
                    if rounded != option[key]:
                        warnings.append(ROUNDED[key] % {"number": option[key], "rounded": rounded})
                    option[key] = rounded


def _field_problems(spec, options):
    rows = [
        Question(
            type=spec["type"],
            name=spec.get("name", ""),
            text=spec["text"],
            points=spec.get("points", 1),
            explanation=spec.get("explanation", ""),
            unit=spec.get("unit", ""),
            text_format=spec.get("text_format", TextFormat.MARKDOWN),
            category=spec.get("category", ""),
            hints=spec.get("hints", []),
        )
    ]
    rows += [Option(**fields) for fields in options]
    problems = []
    for row in rows:
        try:
            row.clean_fields(exclude=["quiz", "question", "lesson", "order"])
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                label = row._meta.get_field(name).verbose_name
                problems += [f"{label}: {message}" for message in messages]
    return list(dict.fromkeys(problems))


def _problems(spec):
    if not spec["text"].strip():
        return [gettext("the question has no text")]
    if spec.get("points", 1) < 0:
        return [gettext("the points cannot be negative")]
    options = options_from_spec(spec["type"], spec, "import")
    return question_problems(spec["type"], options) or _field_problems(spec, options)


def read_questions(data, format=None):
    """Parse and check a file; returns its ParsedQuestion entries. Raises QuestionFileError."""
    limit = max_import_bytes()
    if len(data) > limit:
        raise QuestionFileError(
            gettext("The file is larger than the %(limit)s an import may be.")
            % {"limit": filesizeformat(limit)}
        )
    if not data.strip():
        raise QuestionFileError(gettext("The file is empty."))
    format = format or guess_format(data)
    if format not in FORMATS:
        raise QuestionFileError(
            gettext("Unknown format %(format)r: use one of %(formats)s.")
            % {"format": format, "formats": ", ".join(FORMATS)}
        )
    parsed = parse_gift(decode_gift(data)) if format == "gift" else parse_moodle_xml(data)
    if not parsed:
        raise QuestionFileError(
            gettext("No questions found in the file (read as %(format)s).")
            % {"format": FORMATS[format]}
        )
    for question in parsed:
        if question.spec is None:
            continue
        _fit(question.spec, question.warnings)
        problems = _problems(question.spec)
        if problems:
            question.spec, question.problem = None, " ".join(problems)
    return parsed


def _quiz_for(slug):
    quiz = Quiz.objects.filter(slug=slug).first()
    if quiz is not None:
        return quiz, False
    try:
        slug = Quiz._meta.get_field("slug").clean(slug, None)
    except ValidationError as error:
        raise QuestionFileError(
            gettext("%(slug)r cannot be a quiz slug: %(problems)s")
            % {"slug": slug, "problems": " ".join(error)}
        ) from error
    title = slug.replace("-", " ").replace("_", " ").capitalize()
    return Quiz.objects.create(slug=slug, title=title, is_published=False), True


def import_questions(quiz_slug, data, *, format=None, skip_unsupported=False):
    """Add the questions of a GIFT or Moodle XML file (bytes) to a quiz; an ImportReport.

    Raises QuestionFileError, having changed nothing, when the file cannot be read or a
    question cannot be imported (unless skip_unsupported, which leaves those out).
    """
    parsed = read_questions(data, format)
    for question in parsed:
        # Names, texts, answers and feedback alike: no control character is stored.
        found = question.spec is not None and first_unsafe_text(question.spec)
        if found:
            field, character = found
            question.problem = gettext("%(field)s holds %(character)s, a control character") % {
                "field": field,
                "character": describe(character),
            }
            question.spec = None
    bad = [f"{q.where}: {q.problem}" for q in parsed if q.spec is None]
    good = [q for q in parsed if q.spec is not None]
    if bad and not skip_unsupported:
        raise QuestionFileError(bad)
    if not good:
        raise QuestionFileError([gettext("No question in the file can be imported."), *bad])
    with transaction.atomic():
        quiz, created = _quiz_for(quiz_slug)
        room = settings.QUIZ_MAX_QUESTIONS - quiz.questions.count()
        if len(good) > room:
            # A 12,000-question bank once made its quiz's admin page take 44 s and 32 MB.
            raise QuestionFileError(
                [
                    ngettext(
                        "The file has %(count)s question and the quiz has room for %(room)s "
                        "(at most %(most)s a quiz): split the bank over several quizzes.",
                        "The file has %(count)s questions and the quiz has room for %(room)s "
                        "(at most %(most)s a quiz): split the bank over several quizzes.",
                        len(good),
                    )
                    % {
                        "count": len(good),
                        "room": max(room, 0),
                        "most": settings.QUIZ_MAX_QUESTIONS,
                    }
                ]
            )
        save_images([image for q in good for image in q.images])
        add_questions(quiz, [q.spec for q in good], where=quiz_slug)
    return ImportReport(
        quiz=quiz,
        quiz_created=created,
        imported=[q.where for q in good],
        skipped=bad,
        warnings=[f"{q.where}: {warning}" for q in good for warning in q.warnings],
    )


def import_translation(quiz, data, language, *, format=None):
    """Read a GIFT or Moodle XML file as the `language` texts of a quiz's questions, matched
    by position (the first question of the file translates the quiz's first, and so on);
    returns how many were translated. Raises QuestionFileError, having changed nothing, when
    the file's questions are not the quiz's in number, type or number of options."""
    if language not in course_languages():
        raise QuestionFileError([f"{language!r} is not one of {', '.join(course_languages())}."])
    parsed = read_questions(data, format)
    bad = [f"{q.where}: {q.problem}" for q in parsed if q.spec is None]
    if bad:
        raise QuestionFileError(bad)
    questions = list(quiz.questions.select_related("lesson").prefetch_related("options"))
    english = quiz_to_dict(quiz)["questions"]
    if len(parsed) != len(questions):
        raise QuestionFileError(
            [f"The file has {len(parsed)} questions and the quiz {len(questions)}: a "
             "translation gives each of the quiz's questions, in the same order."]
        )  # fmt: skip
    found = []
    for number, (item, spec) in enumerate(zip(parsed, english, strict=True), start=1):
        where = f"{item.where} (question {number} of the quiz)"
        if item.spec["type"] != spec["type"]:
            raise QuestionFileError(
                [f"{where}: a {item.spec['type']} question, the quiz's is {spec['type']}"]
            )
        try:
            found.append(check_question_texts(texts_of_spec(item.spec), spec, where))
        except TranslationFileError as error:
            raise QuestionFileError([str(error)]) from error
    with transaction.atomic():
        for question, (texts, option_texts) in zip(questions, found, strict=True):
            # A reviewed translation stays reviewed only if someone says so again.
            question.translations = {**(question.translations or {}), language: texts}
            question.save(update_fields=["translations"])
            options = list(question.options.all())
            for option, translated in zip(options, option_texts, strict=True):
                option.translations = {**(option.translations or {}), language: translated}
            Option.objects.bulk_update(options, ["translations"])
    return len(found)


# Export -----------------------------------------------------------------------------------------


def questions_in(quiz, language=None):
    """(questions as in a quiz file, warnings) in a language (None: English), with the
    regional facts ({emergency}) of that language filled in, as Moodle has no such tokens.

    A question not translated, or a must-pass one whose translation is not reviewed, is
    written in English, with a warning."""
    questions = quiz_to_dict(quiz)["questions"]
    warnings = []
    if language:
        translated = (quiz_translation_to_dict(quiz, language) or {}).get("questions")
        translated = translated or [{} for _ in questions]
        merged = []
        for number, (english, entry) in enumerate(zip(questions, translated, strict=True), 1):
            question, in_english = merged_into_english(english, entry)
            if in_english or not entry:
                warnings.append(
                    f"Question {number} ({english.get('name') or english['text'][:60]}) is "
                    f"written in English: its {language} translation is "
                    + ("not reviewed yet." if entry else "missing.")
                )
            merged.append(question)
        questions = merged
    return fill_all(questions, language or settings.LANGUAGE_CODE), warnings


def export_questions(quiz, format, language=None):
    """(text, warnings): the quiz's questions in GIFT or Moodle XML, in one language.

    Lesson links stay behind (they name this site's lessons). GIFT cannot hold ordering
    questions: they are left out, each with a warning, and named in a comment in the file.
    """
    questions, language_warnings = questions_in(quiz, language)
    snapped = language_warnings + _on_moodles_list(questions)
    title = shown_value(quiz, "title", language or settings.LANGUAGE_CODE)
    heading = f"Questions of the CrampCourse quiz “{title}” ({quiz.slug})."
    category = f"$course$/top/{quiz.slug}"
    if format == "gift":
        text, warnings = to_gift(questions, heading=heading, category=category)
    else:
        texts = [text for q in questions for text in _rich_texts(q)]
        images = images_in(texts, [image for q in questions for image in _option_images(q)])
        text, warnings = to_moodle_xml(questions, heading=heading, category=category, images=images)
    return text, snapped + warnings


def _on_moodles_list(questions):
    """Weights kept from before Moodle's list was enforced are written as the nearest grade,
    since Moodle stops a whole import at one grade off its list; a warning for each."""
    warnings = []
    for number, question in enumerate(questions, start=1):
        if question["type"] in (QuestionType.ORDERING, QuestionType.MATCHING):
            continue
        options = [o for group in _option_lists(question) for o in group if isinstance(o, dict)]
        for option in options:
            if "weight" not in option:
                continue
            if moodle_grade(option["weight"]) is None:
                nearest = nearest_grade(option["weight"])
                warnings.append(
                    gettext(
                        "Question %(number)s (%(name)s): the weight %(weight)s is written as "
                        "%(nearest)s, the nearest of Moodle's grades."
                    )
                    % {
                        "number": number,
                        "name": question.get("name") or question["text"][:60],
                        "weight": option["weight"],
                        "nearest": f"{nearest.normalize():f}",
                    }
                )
                option["weight"] = nearest
    return warnings


def _rich_texts(question):
    """The texts of a question that may show images."""
    keys = ("text", "explanation", "correct_feedback", "partly_correct_feedback")
    return [question.get(key) or "" for key in (*keys, "incorrect_feedback")] + list(
        question.get("hints", [])
    )


def _option_images(question):
    """The images a question's options show with themselves and with their feedback."""
    return [
        image
        for option in options_from_spec(question["type"], question, "export")
        for key in ("images", "feedback_images")
        for image in option.get(key, [])
    ]


def export_filename(quiz, format):
    return FILE_NAMES[format].format(slug=quiz.slug)


def export_zip(files):
    """A zip archive (bytes) of (name, text) files, for several quizzes at once."""
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files:
            archive.writestr(name, text)
    return buffer.getvalue()
