"""Quizzes as YAML files in the course folder (quizzes/*.yaml), loaded with the lessons.

Each quiz remembers two fingerprints: source_hash, of the file it was last loaded from, and
loaded_hash, of its content right after that load. A file that changed replaces the quiz's
questions, unless the quiz was edited in the admin since (its content no longer matches
loaded_hash): then it is kept and reported, unless forced. Finished attempts never change,
as they score from frozen question versions.
"""

from collections import Counter
from decimal import Decimal
from pathlib import Path

import yaml
from django.conf import settings
from django.db import transaction
from django.db.models import Max

from lessons.course_files import (
    check_fields,
    check_no_stray_translations,
    translation_path,
    write_yaml,
)
from lessons.models import Lesson, content_hash
from lessons.translation import course_languages
from quizzes.models import (
    FeedbackBand,
    Option,
    Question,
    QuestionType,
    Quiz,
    QuizSlot,
    ReviewWhen,
    TextFormat,
)
from quizzes.slots import SlotSpec, slot_problems
from quizzes.translated_files import (
    TranslationFileError,
    quiz_translation_to_dict,
    read_quiz_translation,
)
from quizzes.validation import question_problems

QUIZ_KEYS = {
    "slug", "title", "lesson", "order", "description", "published", "pass_mark",
    "attempts_allowed", "grading_method", "time_limit_minutes", "shuffle_questions",
    "shuffle_options", "draw_count", "questions_per_page", "review", "feedback_bands", "questions",
    "slots",
}  # fmt: skip
QUESTION_KEYS = {
    "type", "name", "text", "points", "must_pass", "lesson", "explanation", "options",
    "correct", "items", "pairs", "distractors", "answer", "tolerance", "unit", "answers",
    "feedback_true", "feedback_false", "text_format", "correct_feedback",
    "partly_correct_feedback", "incorrect_feedback", "hints", "category",
    "feedback_true_images", "feedback_false_images",
}  # fmt: skip
# Moodle's fields a question keeps only when set, so files without them stay as they were.
MOODLE_TEXT_KEYS = ["correct_feedback", "partly_correct_feedback", "incorrect_feedback"]
REVIEW_KEYS = ["answers", "marks", "correct_answers", "explanations", "overall_feedback"]
SLOT_KEYS = {"question", "category", "draw", "points", "must_pass"}


class QuizFileError(ValueError):
    pass


def _number(value):
    """Decimals as plain YAML numbers: 2 rather than 2.00."""
    if value is None:
        return None
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


IMAGE_KEYS = ("images", "feedback_images")


def _images(entry):
    """An option's images as the file gives them (only when it gives some): the images shown
    with the option and with its feedback, each {"file": "<sha256>.png", "alt": "..."}."""
    if not isinstance(entry, dict):
        return {}
    return {key: entry[key] for key in IMAGE_KEYS if entry.get(key)}


def _feedback_images(spec, key):
    """A true/false answer's feedback images, which the question holds as feedback_true_images
    and feedback_false_images."""
    return {"feedback_images": spec[key]} if spec.get(key) else {}


def _images_of(option):
    """The inverse of _images, for quiz_to_dict: only the lists that hold something."""
    return {key: list(getattr(option, key)) for key in IMAGE_KEYS if getattr(option, key)}


def options_from_spec(kind, spec, where):
    """The Option rows (as dicts) that a question of the file describes.

    A single-choice option may give a weight instead of correct (partial credit, as Moodle's
    multiple choice allows); a true/false question may give feedback_true and feedback_false.
    Options may carry images (Moodle's answer and feedback files): images and feedback_images;
    true/false ones as feedback_true_images and feedback_false_images, and ordering items
    written as {text: ..., images: [...]}.
    """
    if kind == QuestionType.SINGLE:
        return [
            {
                "text": o["text"],
                "weight": o["weight"] if "weight" in o else (100 if o.get("correct") else 0),
                "feedback": o.get("feedback", ""),
                **_images(o),
            }
            for o in spec.get("options", [])
        ]
    if kind == QuestionType.MULTIPLE:
        return [
            {
                "text": o["text"],
                "weight": o.get("weight", 0),
                "feedback": o.get("feedback", ""),
                **_images(o),
            }
            for o in spec.get("options", [])
        ]
    if kind == QuestionType.TRUE_FALSE:
        if not isinstance(spec.get("correct"), bool):
            raise QuizFileError(f"{where}: a true/false question needs correct: true or false")
        return [
            {
                "text": "True",
                "weight": 100 if spec["correct"] else 0,
                "feedback": spec.get("feedback_true", ""),
                **_feedback_images(spec, "feedback_true_images"),
            },
            {
                "text": "False",
                "weight": 0 if spec["correct"] else 100,
                "feedback": spec.get("feedback_false", ""),
                **_feedback_images(spec, "feedback_false_images"),
            },
        ]
    if kind == QuestionType.ORDERING:
        return [
            {"text": str(item["text"]), **_images(item)}
            if isinstance(item, dict)
            else {"text": str(item)}
            for item in spec.get("items", [])
        ]
    if kind == QuestionType.MATCHING:
        pairs = [
            {"text": p["item"], "match_text": p["answer"], **_images(p)}
            for p in spec.get("pairs", [])
        ]
        return pairs + [{"text": "", "match_text": str(d)} for d in spec.get("distractors", [])]
    if kind == QuestionType.NUMERICAL:
        answers = spec.get("answers") or [
            {"value": spec.get("answer"), "tolerance": spec.get("tolerance", 0), "weight": 100}
        ]
        return [
            {
                "value": a.get("value"),
                "tolerance": a.get("tolerance", 0),
                "weight": a.get("weight", 100),
                "feedback": a.get("feedback", ""),
                **_images(a),
            }
            for a in answers
        ]
    if kind == QuestionType.SHORT_ANSWER:
        return [
            {"text": a, "weight": 100} if isinstance(a, str) else
            {"text": a["text"], "weight": a.get("weight", 100), "feedback": a.get("feedback", ""),
             **_images(a)}
            for a in spec.get("answers", [])
        ]  # fmt: skip
    raise QuizFileError(f"{where}: unknown question type {kind!r}")


def _check_keys(mapping, allowed, where):
    if not isinstance(mapping, dict):
        raise QuizFileError(f"{where}: expected a mapping")
    unknown = set(mapping) - allowed
    if unknown:
        raise QuizFileError(f"{where}: unknown keys {sorted(unknown)}")


def read_quiz_file(path):
    """Parse and check one quiz file; returns the spec. Raises QuizFileError."""
    try:
        spec = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise QuizFileError(f"{path}: not valid YAML ({error})") from error
    _check_keys(spec, QUIZ_KEYS, path)
    for key in ("slug", "title", "questions"):
        if not spec.get(key):
            raise QuizFileError(f"{path}: missing {key}")
    _check_keys(spec.get("review") or {}, set(REVIEW_KEYS), f"{path}: review")
    for key, value in (spec.get("review") or {}).items():
        review_when(value, f"{path}: review: {key}")
    for number, question in enumerate(spec["questions"], start=1):
        where = f"{path}: question {number}"
        _check_keys(question, QUESTION_KEYS, where)
        if question.get("type") not in QuestionType.values:
            raise QuizFileError(f"{where}: type must be one of {QuestionType.values}")
        if not question.get("text"):
            raise QuizFileError(f"{where}: missing text")
        if question.get("text_format", "markdown") not in TextFormat.values:
            raise QuizFileError(f"{where}: text_format must be one of {TextFormat.values}")
        hints = question.get("hints", [])
        if not isinstance(hints, list) or not all(isinstance(hint, str) for hint in hints):
            raise QuizFileError(f"{where}: hints must be a list of texts")
        try:
            options = options_from_spec(question["type"], question, where)
        except (KeyError, TypeError) as error:
            raise QuizFileError(f"{where}: malformed options ({error})") from error
        problems = question_problems(question["type"], options)
        if problems:
            raise QuizFileError(f"{where}: {' '.join(problems)}")
    check_slots(spec, path)
    return spec


def review_when(value, where):
    """A review option as written: true (after every attempt), false (never) or a time."""
    if value is True:
        return ReviewWhen.ALWAYS
    if value is False:
        return ReviewWhen.NEVER
    if value not in ReviewWhen.values:
        raise QuizFileError(f"{where}: write true, false or one of {ReviewWhen.values}")
    return value


def _review_written(value):
    """The file's way of writing a review option: true and false where they say it all."""
    return {ReviewWhen.ALWAYS: True, ReviewWhen.NEVER: False}.get(value, value)


def check_slots(spec, path):
    """The slots of a quiz file, refused with the file, the slot and the reason."""
    slots = spec.get("slots")
    if slots is None:
        return
    if not isinstance(slots, list) or not slots:
        raise QuizFileError(f"{path}: slots: write a list of slots, or leave slots out")
    if spec.get("draw_count"):
        raise QuizFileError(f"{path}: draw_count and slots don't go together: slots say it all")
    names = Counter(q.get("name", "") for q in spec["questions"])
    specs = []
    for number, slot in enumerate(slots, start=1):
        where = f"{path}: slot {number}"
        _check_keys(slot, SLOT_KEYS, where)
        if ("question" in slot) == ("category" in slot):
            raise QuizFileError(f"{where}: give either question (a name) or category")
        if "question" in slot:
            if names[slot["question"]] != 1:
                raise QuizFileError(
                    f"{where}: no single question named {slot['question']!r} in this quiz"
                )
            if "draw" in slot:
                raise QuizFileError(f"{where}: draw goes with category, not with question")
        draw = slot.get("draw", 1)
        if not isinstance(draw, int) or isinstance(draw, bool):
            raise QuizFileError(f"{where}: draw must be a whole number")
        if not isinstance(slot.get("must_pass", False), bool):
            raise QuizFileError(f"{where}: must_pass must be true or false")
        specs.append(
            SlotSpec(
                number=number,
                question=slot.get("question"),
                category=str(slot.get("category", "")),
                draw=draw,
                must_pass=slot.get("must_pass", False),
            )
        )
    by_name = {q.get("name", ""): q for q in spec["questions"]}
    fixed_categories = Counter(
        by_name[s.question].get("category", "") for s in specs if s.question is not None
    )
    problems = slot_problems(
        specs,
        Counter(q.get("category", "") for q in spec["questions"]),
        attempts_allowed=spec.get("attempts_allowed"),
        fixed_categories=fixed_categories,
    )
    if problems:
        raise QuizFileError(f"{path}: {' '.join(problems)}")


def quiz_to_dict(quiz):
    """The quiz in the file format (used for export and for the edit fingerprint)."""
    questions = []
    for question in quiz.questions.select_related("lesson").prefetch_related("options"):
        options = list(question.options.all())
        entry = {"type": question.type}
        if question.name:
            entry["name"] = question.name
        entry.update({"text": question.text, "points": _number(question.points)})
        if question.must_pass:
            entry["must_pass"] = True
        if question.lesson:
            entry["lesson"] = question.lesson.slug
        entry["explanation"] = question.explanation
        if question.text_format != TextFormat.MARKDOWN:
            entry["text_format"] = question.text_format
        entry.update(
            {key: getattr(question, key) for key in MOODLE_TEXT_KEYS if getattr(question, key)}
        )
        if question.hints:
            entry["hints"] = list(question.hints)
        if question.category:
            entry["category"] = question.category
        kind = question.type
        if kind == QuestionType.SINGLE:
            entry["options"] = [
                {
                    "text": o.text,
                    "correct": o.weight == 100,
                    **({"weight": _number(o.weight)} if o.weight not in (0, 100) else {}),
                    **({"feedback": o.feedback} if o.feedback else {}),
                    **_images_of(o),
                }
                for o in options
            ]
        elif kind == QuestionType.MULTIPLE:
            entry["options"] = [
                {
                    "text": o.text,
                    "weight": _number(o.weight),
                    **({"feedback": o.feedback} if o.feedback else {}),
                    **_images_of(o),
                }
                for o in options
            ]
        elif kind == QuestionType.TRUE_FALSE:
            entry["correct"] = any(o.text == "True" and o.weight == 100 for o in options)
            for o in options:
                if o.feedback and o.text in ("True", "False"):
                    entry[f"feedback_{o.text.lower()}"] = o.feedback
                if o.text in ("True", "False") and o.feedback_images:
                    entry[f"feedback_{o.text.lower()}_images"] = list(o.feedback_images)
        elif kind == QuestionType.ORDERING:
            entry["items"] = [
                {"text": o.text, **_images_of(o)} if o.images else o.text for o in options
            ]
        elif kind == QuestionType.MATCHING:
            entry["pairs"] = [
                {"item": o.text, "answer": o.match_text, **_images_of(o)} for o in options if o.text
            ]
            distractors = [o.match_text for o in options if not o.text]
            if distractors:
                entry["distractors"] = distractors
        elif kind == QuestionType.NUMERICAL:
            entry["answers"] = [
                {
                    "value": _number(o.value),
                    "tolerance": _number(o.tolerance or 0),
                    "weight": _number(o.weight),
                    **({"feedback": o.feedback} if o.feedback else {}),
                    **_images_of(o),
                }
                for o in options
            ]
        elif kind == QuestionType.SHORT_ANSWER:
            entry["answers"] = [
                {
                    "text": o.text,
                    "weight": _number(o.weight),
                    **({"feedback": o.feedback} if o.feedback else {}),
                    **_images_of(o),
                }
                for o in options
            ]
        if question.unit:
            entry["unit"] = question.unit
        questions.append(entry)
    data = {
        "slug": quiz.slug,
        "title": quiz.title,
        **({"lesson": quiz.lesson.slug} if quiz.lesson else {}),
        "order": quiz.order,
        "description": quiz.description,
        "published": quiz.is_published,
        "pass_mark": quiz.pass_mark,
        "attempts_allowed": quiz.attempts_allowed,
        "grading_method": quiz.grading_method,
        "time_limit_minutes": quiz.time_limit_minutes,
        "shuffle_questions": quiz.shuffle_questions,
        "shuffle_options": quiz.shuffle_options,
        "draw_count": quiz.draw_count,
        "questions_per_page": quiz.questions_per_page,
        "review": {
            # marks and overall feedback came later: left out while at their default, so a
            # quiz loaded before them keeps its fingerprint (and is not taken for edited).
            key: _review_written(getattr(quiz, f"review_{key}"))
            for key in REVIEW_KEYS
            if key in ("answers", "correct_answers", "explanations")
            or getattr(quiz, f"review_{key}") != ReviewWhen.ALWAYS
        },
        "feedback_bands": [
            {"min": b.min_percent, "text": b.text} for b in quiz.feedback_bands.all()
        ],
        "questions": questions,
    }
    slots = list(quiz.slots.select_related("question"))
    if slots:
        data["slots"] = [_slot_to_dict(slot) for slot in slots]
    return data


def _slot_to_dict(slot):
    entry = (
        {"question": slot.question.name}
        if slot.question_id
        else {"category": slot.category, "draw": slot.draw}
    )
    if slot.points is not None:
        entry["points"] = _number(slot.points)
    if slot.must_pass:
        entry["must_pass"] = True
    return entry


def _lesson(slug, where):
    if not slug:
        return None
    lesson = Lesson.objects.filter(slug=slug).first()
    if lesson is None:
        raise QuizFileError(f"{where}: no lesson with slug {slug!r}")
    return lesson


def write_quiz(spec, quiz=None, *, where="quiz", translations=None):
    """Create or replace a quiz and its questions from a checked spec; translations:
    {language: read_quiz_translation's (quiz texts, band texts, question texts)}."""
    translations = translations or {}
    review = spec.get("review") or {}
    quiz = quiz or Quiz(slug=spec["slug"])
    quiz.title = spec["title"]
    quiz.lesson = _lesson(spec.get("lesson"), where)
    quiz.order = spec.get("order", 0)
    quiz.description = spec.get("description", "")
    quiz.is_published = spec.get("published", True)
    quiz.pass_mark = spec.get("pass_mark", 70)
    quiz.attempts_allowed = spec.get("attempts_allowed")
    quiz.grading_method = spec.get("grading_method", "highest")
    quiz.time_limit_minutes = spec.get("time_limit_minutes")
    quiz.shuffle_questions = spec.get("shuffle_questions", False)
    quiz.shuffle_options = spec.get("shuffle_options", True)
    quiz.draw_count = spec.get("draw_count")
    quiz.questions_per_page = spec.get("questions_per_page", 5)
    quiz.translations = _by_language(translations, lambda t: t[0])
    for key in REVIEW_KEYS:
        setattr(quiz, f"review_{key}", review_when(review.get(key, True), f"{where}: review"))
    check_fields(quiz, where, error=QuizFileError)
    quiz.save()
    quiz.feedback_bands.all().delete()
    bands = [
        FeedbackBand(
            quiz=quiz,
            min_percent=band["min"],
            text=band["text"],
            translations=_by_language(translations, lambda t, n=number: t[1][n]),
        )
        for number, band in enumerate(spec.get("feedback_bands", []))
    ]
    for number, band in enumerate(bands, start=1):
        check_fields(band, f"{where}: feedback band {number}", error=QuizFileError)
    FeedbackBand.objects.bulk_create(bands)
    # Attempts keep frozen versions, so old questions can go; their versions stay.
    quiz.slots.all().delete()
    quiz.questions.all().delete()
    questions = add_questions(
        quiz,
        spec["questions"],
        where=where,
        translations=[
            {language: parsed[2][number] for language, parsed in translations.items()}
            for number in range(len(spec["questions"]))
        ],
    )
    write_slots(quiz, spec.get("slots") or [], questions, where=where)
    return quiz


def write_slots(quiz, entries, questions, *, where="quiz"):
    by_name = {question.name: question for question in questions}
    slots = [
        QuizSlot(
            quiz=quiz,
            order=order,
            question=by_name[entry["question"]] if "question" in entry else None,
            category=str(entry.get("category", "")),
            draw=entry.get("draw", 1),
            points=entry.get("points"),
            must_pass=entry.get("must_pass", False),
        )
        for order, entry in enumerate(entries, start=1)
    ]
    for number, slot in enumerate(slots, start=1):
        check_fields(slot, f"{where}: slot {number}", error=QuizFileError, exclude=["quiz"])
    QuizSlot.objects.bulk_create(slots)


def _by_language(translations, pick):
    """{language: texts} of one row, leaving out the languages that give it none."""
    found = {language: pick(parsed) for language, parsed in translations.items()}
    return {language: texts for language, texts in found.items() if texts}


def add_questions(quiz, entries, *, where="quiz", translations=None):
    """Create questions described as in a quiz file after the quiz's own; returns them.

    translations: per entry, {language: (question texts, [option texts])}."""
    translations = translations or [{} for _ in entries]
    last = quiz.questions.aggregate(last=Max("order"))["last"] or 0
    if quiz.questions.count() + len(entries) > settings.QUIZ_MAX_QUESTIONS:
        raise QuizFileError(
            f"{where}: more than {settings.QUIZ_MAX_QUESTIONS} questions in one quiz; "
            "split them over several quizzes"
        )
    created = []
    for order, (entry, translated) in enumerate(
        zip(entries, translations, strict=True), start=last + 1
    ):
        at = f"{where}: question {order - last}"
        question = Question(
            quiz=quiz,
            order=order,
            type=entry["type"],
            name=entry.get("name", ""),
            text=entry["text"],
            points=entry.get("points", 1),
            must_pass=entry.get("must_pass", False),
            explanation=entry.get("explanation", ""),
            lesson=_lesson(entry.get("lesson"), at),
            unit=entry.get("unit", ""),
            text_format=entry.get("text_format", TextFormat.MARKDOWN),
            hints=list(entry.get("hints", [])),
            category=entry.get("category", ""),
            **{key: entry.get(key, "") for key in MOODLE_TEXT_KEYS},
            translations=_by_language(translated, lambda t: t[0]),
        )
        # The quiz and lesson were just read from the database: no need to look them up again.
        check_fields(question, at, error=QuizFileError, exclude=["quiz", "lesson"])
        question.save()
        options = [
            Option(
                question=question,
                order=index,
                translations=_by_language(translated, lambda t, i=index: t[1][i]),
                **fields,
            )
            for index, fields in enumerate(options_from_spec(entry["type"], entry, where))
        ]
        for number, option in enumerate(options, start=1):
            check_fields(
                option, f"{at}: option {number}", error=QuizFileError, exclude=["question"]
            )
        Option.objects.bulk_create(options)
        created.append(question)
    return created


def quiz_fingerprint(quiz):
    """What an admin's edit changes: the quiz as a file, with its translations when it has
    some (left out otherwise, so quizzes loaded before translations keep their hash)."""
    data = quiz_to_dict(quiz)
    translated = {
        language: found
        for language in course_languages()
        if (found := quiz_translation_to_dict(quiz, language)) is not None
    }
    return {**data, "translations": translated} if translated else data


def read_translations(directory, path, spec):
    """({language: raw spec}, {language: parsed}) of an English quiz file's translations."""
    raw, parsed = {}, {}
    for language in course_languages():
        translated = translation_path(directory, language, path)
        if not translated.is_file():
            continue
        try:
            raw[language] = yaml.safe_load(translated.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError) as error:
            raise QuizFileError(f"{translated}: not valid YAML ({error})") from error
        try:
            parsed[language] = read_quiz_translation(raw[language], spec, translated)
        except TranslationFileError as error:
            raise QuizFileError(str(error)) from error
    return raw, parsed


def load_quizzes(directory, *, force=False, report):
    """Load every quizzes/*.yaml of a course folder, with the same guard as the lessons, and
    their translations (<lang>/quizzes/ beside, same file names)."""
    paths = sorted((Path(directory) / "quizzes").glob("*.yaml"))
    check_no_stray_translations(directory, "quizzes", "*.yaml", {p.name for p in paths})
    for path in paths:
        spec = read_quiz_file(path)
        raw, translations = read_translations(directory, path, spec)
        label = f"quiz {spec['slug']}"
        source_hash = content_hash({"quiz": spec, "translations": raw} if raw else spec)
        quiz = Quiz.objects.filter(slug=spec["slug"]).first()
        if quiz is not None:
            if quiz.source_hash == source_hash:
                report.unchanged.append(label)
                continue
            edited = content_hash(quiz_fingerprint(quiz)) != quiz.loaded_hash
            if edited and not force:
                report.kept_edits.append(label)
                continue
        with transaction.atomic():
            created = quiz is None
            quiz = write_quiz(spec, quiz, where=str(path), translations=translations)
            quiz.source_hash = source_hash
            quiz.loaded_hash = content_hash(quiz_fingerprint(quiz))
            quiz.save(update_fields=["source_hash", "loaded_hash"])
        (report.created if created else report.updated).append(label)


def export_quizzes(directory, course):
    """Write the course's quizzes as YAML files beside its lessons."""
    folder = Path(directory) / "quizzes"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    quizzes = Quiz.objects.filter(lesson__course=course) | Quiz.objects.filter(lesson__isnull=True)
    for quiz in quizzes.distinct().order_by("order", "slug"):
        path = write_yaml(folder / f"{quiz.order:02d}-{quiz.slug}.yaml", quiz_to_dict(quiz))
        written.append(path)
        for language in course_languages():
            translated = quiz_translation_to_dict(quiz, language)
            if translated is None:
                continue
            written.append(write_yaml(translation_path(directory, language, path), translated))
    return written
