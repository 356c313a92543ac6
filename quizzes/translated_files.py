"""A quiz file's translations: <lang>/quizzes/<the English file's name>.yaml.

The translation repeats the English file's shape with its texts only:

    slug: escape-algorithm-quiz            # the English one's
    title: …
    description: …
    feedback_bands: [{text: …}, …]         # as many as in English, in its order
    questions:                             # as many as in English, in its order
      - text: …
        explanation: …
        hints: [… as many as in English …]
        unit: …                            # numerical: the word after the number
        options: [{text: …, feedback: …}]  # single, multiple: as many as in English
        reviewed_on: 2026-12-03            # required for a must-pass question to be shown
      - items: [… ]                        # ordering
      - pairs: [{item: …, answer: …}]      # matching, with distractors: [ … ]
      - feedback_true: …                   # true/false
      - answers: [… or {text, feedback}]   # short answer; numerical: [{feedback}]

A key that is not a text (type, points, correct, lesson, weight, value, …) may be left out;
if written it must equal the English. Anything missing, extra or different is refused with
the file and the question.
"""

import datetime

from quizzes.models import QuestionType

TEXT_KEYS = {"text", "feedback", "item", "answer"}
QUIZ_TEXT_KEYS = {"title", "description"}
# A numerical question's unit is a word the reader sees next to the answer box ("minutes").
QUESTION_TEXT_KEYS = {
    "text", "explanation", "correct_feedback", "partly_correct_feedback",
    "incorrect_feedback", "feedback_true", "feedback_false", "unit",
}  # fmt: skip
QUESTION_EXPORT_KEYS = (
    "text", "explanation", "correct_feedback", "partly_correct_feedback", "incorrect_feedback",
    "unit",
)  # fmt: skip
# A question's keys that are not texts: a translation may repeat them, equal to the English.
NON_TEXT_KEYS = {
    "type", "name", "points", "must_pass", "lesson", "correct", "answer", "tolerance",
    "text_format", "category",
}  # fmt: skip
LIST_KEYS = ("options", "items", "pairs", "distractors", "answers", "hints")
# Lists whose every entry is a text a reader sees: a translation must give them.
REQUIRED_LISTS = {
    QuestionType.SINGLE: ("options",),
    QuestionType.MULTIPLE: ("options",),
    QuestionType.ORDERING: ("items",),
    QuestionType.MATCHING: ("pairs", "distractors"),
    QuestionType.SHORT_ANSWER: ("answers",),
}


class TranslationFileError(ValueError):
    pass


def _same(value, english, where, key):
    if value != english:
        raise TranslationFileError(
            f"{where}: {key} is {value!r} here but {english!r} in English; "
            "leave it out of the translation"
        )


def _entry(entry, english, where):
    """One list entry: its texts, checked against the English entry's shape."""
    if isinstance(english, str) or english is None or isinstance(english, int | float):
        if not isinstance(entry, str | int | float) or isinstance(entry, bool):
            raise TranslationFileError(f"{where}: expected a text")
        return {"text": str(entry)}
    if isinstance(entry, str):  # a short answer written as its text alone
        entry = {"text": entry}
    if not isinstance(entry, dict):
        raise TranslationFileError(f"{where}: expected a mapping like the English one")
    texts = {}
    for key, value in entry.items():
        if key in TEXT_KEYS:
            if key not in english:
                raise TranslationFileError(f"{where}: {key} is not in the English one")
            texts[key] = str(value)
        elif key in english:
            _same(value, english[key], where, key)
        else:
            raise TranslationFileError(f"{where}: unknown key {key!r}")
    return texts


def _question(entry, english, where):
    if entry is None:
        entry = {}
    if not isinstance(entry, dict):
        raise TranslationFileError(f"{where}: expected a mapping")
    texts, lists = {}, {}
    for key, value in entry.items():
        if key in QUESTION_TEXT_KEYS:
            if key not in english:
                raise TranslationFileError(f"{where}: {key} is not in the English question")
            texts[key] = str(value)
        elif key == "reviewed_on":
            if not isinstance(value, datetime.date):
                raise TranslationFileError(f"{where}: reviewed_on must be a date: 2026-12-03")
            texts["reviewed_on"] = value.isoformat()
        elif key in LIST_KEYS:
            english_list = english.get(key)
            if not isinstance(english_list, list):
                raise TranslationFileError(f"{where}: {key} is not in the English question")
            if not isinstance(value, list):
                raise TranslationFileError(f"{where}: {key} must be a list")
            if len(value) != len(english_list):
                raise TranslationFileError(
                    f"{where}: {key} has {len(value)} entries, the English "
                    f"{len(english_list)}; translate each one, in the same order"
                )
            lists[key] = [
                _entry(item, english_item, f"{where}: {key[:-1]} {number}")
                for number, (item, english_item) in enumerate(
                    zip(value, english_list, strict=True), start=1
                )
            ]
        elif key in english or key in NON_TEXT_KEYS:
            _same(value, english.get(key), where, key)
        else:
            raise TranslationFileError(f"{where}: unknown key {key!r}")
    if entry:
        for key in REQUIRED_LISTS.get(english["type"], ()):
            if english.get(key) and key not in lists:
                raise TranslationFileError(f"{where}: {key} missing (the English has them)")
    if "hints" in lists:
        texts["hints"] = [hint["text"] for hint in lists.pop("hints")]
    return texts, option_texts(english, texts, lists)


def option_texts(english, texts, lists):
    """Each English option's translated texts, by position (as options_from_spec orders)."""
    kind = english["type"]
    count = len(english.get("options") or english.get("answers") or english.get("items") or [])
    if kind in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        return lists.get("options") or [{} for _ in range(count)]
    if kind == QuestionType.TRUE_FALSE:
        return [
            {"feedback": texts.pop(key)} if key in texts else {}
            for key in ("feedback_true", "feedback_false")
        ]
    if kind == QuestionType.ORDERING:
        return lists.get("items") or [{} for _ in range(count)]
    if kind == QuestionType.MATCHING:
        pairs = [
            {
                **({"text": pair["item"]} if "item" in pair else {}),
                **({"match_text": pair["answer"]} if "answer" in pair else {}),
            }
            for pair in lists.get("pairs") or [{} for _ in english.get("pairs", [])]
        ]
        distractors = [
            {"match_text": entry["text"]} if "text" in entry else {}
            for entry in lists.get("distractors") or [{} for _ in english.get("distractors", [])]
        ]
        return pairs + distractors
    if kind == QuestionType.NUMERICAL:
        count = len(english.get("answers") or [None])
        return lists.get("answers") or [{} for _ in range(count)]
    return lists.get("answers") or [{} for _ in range(count)]


def read_quiz_translation(spec, english, path):
    """(quiz texts, [band texts], [(question texts, [option texts])]) of a translation file
    whose English is `english` (a checked quiz spec). Raises TranslationFileError."""
    if not isinstance(spec, dict):
        raise TranslationFileError(f"{path}: expected a mapping")
    if spec.get("slug") != english["slug"]:
        raise TranslationFileError(
            f"{path}: slug {spec.get('slug')!r} is not the English file's ({english['slug']!r})"
        )
    quiz = {}
    for key, value in spec.items():
        if key in QUIZ_TEXT_KEYS:
            quiz[key] = str(value)
        elif key in ("slug", "feedback_bands", "questions"):
            continue
        elif key in english:
            _same(value, english[key], path, key)
        else:
            raise TranslationFileError(f"{path}: unknown key {key!r}")
    english_bands = english.get("feedback_bands") or []
    bands = spec.get("feedback_bands")
    if bands is None:
        bands = [{} for _ in english_bands]
    if not isinstance(bands, list) or len(bands) != len(english_bands):
        raise TranslationFileError(
            f"{path}: feedback_bands: the English has {len(english_bands)}; translate each one, "
            "in the same order"
        )
    band_texts = [
        _entry(band, {"text": "", "min": english_band.get("min")}, f"{path}: feedback band {n}")
        if band
        else {}
        for n, (band, english_band) in enumerate(zip(bands, english_bands, strict=True), start=1)
    ]
    questions = spec.get("questions") or []
    if not isinstance(questions, list):
        raise TranslationFileError(f"{path}: questions must be a list")
    english_questions = english["questions"]
    if len(questions) < len(english_questions):
        raise TranslationFileError(
            f"{path}: question {len(questions) + 1}: missing (the English file has "
            f"{len(english_questions)} questions; translate each one, in the same order)"
        )
    if len(questions) > len(english_questions):
        raise TranslationFileError(
            f"{path}: question {len(english_questions) + 1}: not in the English file "
            f"(it has {len(english_questions)} questions)"
        )
    return (
        quiz,
        band_texts,
        [
            _question(entry, english_entry, f"{path}: question {number}")
            for number, (entry, english_entry) in enumerate(
                zip(questions, english_questions, strict=True), start=1
            )
        ],
    )


def _texts(row, language):
    return (row.translations or {}).get(language, {})


def quiz_translation_to_dict(quiz, language):
    """The quiz's texts in a language, in the translation file's format; None if it has none."""
    questions = list(quiz.questions.prefetch_related("options"))
    bands = list(quiz.feedback_bands.all())
    rows = [quiz, *bands, *questions, *(o for q in questions for o in q.options.all())]
    if not any(_texts(row, language) for row in rows):
        return None
    texts = _texts(quiz, language)
    data = {"slug": quiz.slug, **{k: texts[k] for k in ("title", "description") if k in texts}}
    if any(_texts(band, language) for band in bands):
        data["feedback_bands"] = [
            {"text": _texts(band, language)["text"]} if _texts(band, language) else {}
            for band in bands
        ]
    data["questions"] = [_question_to_dict(question, language) for question in questions]
    return data


def _question_to_dict(question, language):
    texts = _texts(question, language)
    options = [_texts(option, language) for option in question.options.all()]
    entry = {key: texts[key] for key in QUESTION_EXPORT_KEYS if key in texts}
    if "hints" in texts:
        entry["hints"] = list(texts["hints"])
    kind = question.type
    english = list(question.options.all())
    if kind in (QuestionType.SINGLE, QuestionType.MULTIPLE) and any(options):
        entry["options"] = [dict(texts) for texts in options]
    elif kind == QuestionType.TRUE_FALSE:
        for name, texts_of in zip(("true", "false"), options, strict=False):
            if texts_of.get("feedback"):
                entry[f"feedback_{name}"] = texts_of["feedback"]
    elif kind == QuestionType.ORDERING and any(options):
        entry["items"] = [texts.get("text", "") for texts in options]
    elif kind == QuestionType.MATCHING and any(options):
        entry["pairs"] = [
            {
                **({"item": t["text"]} if "text" in t else {}),
                **({"answer": t["match_text"]} if "match_text" in t else {}),
            }
            for option, t in zip(english, options, strict=True)
            if option.text
        ]
        distractors = [
            t.get("match_text", "")
            for option, t in zip(english, options, strict=True)
            if not option.text
        ]
        if distractors:
            entry["distractors"] = distractors
    elif kind == QuestionType.NUMERICAL and any(options):
        entry["answers"] = [dict(texts) for texts in options]
    elif kind == QuestionType.SHORT_ANSWER and any(options):
        entry["answers"] = [
            texts["text"] if set(texts) == {"text"} else dict(texts) for texts in options
        ]
    if texts.get("reviewed_on"):
        entry["reviewed_on"] = datetime.date.fromisoformat(texts["reviewed_on"])
    return entry


def merged_into_english(english, translated, *, must_pass_reviewed_only=True):
    """A quiz file's question with a translation's texts put in place of the English ones (by
    position); (question, shown in English). A must-pass question without reviewed_on stays
    English, as on the pages."""
    if not translated or (
        must_pass_reviewed_only and english.get("must_pass") and not translated.get("reviewed_on")
    ):
        return english, bool(english.get("must_pass"))
    merged = dict(english)
    for key, value in translated.items():
        if key == "reviewed_on":
            continue
        if key in ("items", "distractors"):
            merged[key] = list(value)
        elif key in ("options", "pairs", "answers"):
            merged[key] = [
                {**base, **entry}
                if isinstance(base, dict) and isinstance(entry, dict)
                else (entry["text"] if isinstance(entry, dict) and "text" in entry else entry)
                for base, entry in zip(english[key], value, strict=True)
            ]
        else:
            merged[key] = value
    return merged, False


def texts_of_spec(spec):
    """Only the texts of a quiz-file question (as a Moodle import reads one), in the
    translation format, for read_quiz_translation's question checks."""
    texts = {key: spec[key] for key in (*QUESTION_TEXT_KEYS, "hints") if spec.get(key)}
    kind = spec["type"]
    if kind in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        texts["options"] = [_only(o, ("text", "feedback")) for o in spec.get("options", [])]
    elif kind == QuestionType.ORDERING:
        texts["items"] = [str(item) for item in spec.get("items", [])]
    elif kind == QuestionType.MATCHING:
        texts["pairs"] = [_only(p, ("item", "answer")) for p in spec.get("pairs", [])]
        if spec.get("distractors"):
            texts["distractors"] = [str(d) for d in spec["distractors"]]
    elif kind == QuestionType.SHORT_ANSWER:
        texts["answers"] = [
            a if isinstance(a, str) else _only(a, ("text", "feedback"))
            for a in spec.get("answers", [])
        ]
    elif kind == QuestionType.NUMERICAL and spec.get("answers"):
        texts["answers"] = [_only(a, ("feedback",)) for a in spec["answers"]]
    return texts


def _only(mapping, keys):
    return {key: mapping[key] for key in keys if mapping.get(key)}


def check_question_texts(entry, english, where):
    """(question texts, option texts) of a translation entry; TranslationFileError if its
    shape is not the English question's."""
    return _question(entry, english, where)
