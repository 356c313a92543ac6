"""Moodle XML question banks: parse_moodle_xml reads them, to_moodle_xml writes them.

The layout follows Moodle's qformat_xml and the ordering plugin (qtype_ordering):

    <quiz>
      <question type="category"><category><text>$course$/top/Pool</text></category></question>
      <question type="multichoice|truefalse|matching|numerical|shortanswer|ordering">
        <name><text>...</text></name>
        <questiontext format="html|markdown|plain_text|moodle_auto_format"><text>...</text>
          <file name="flag.png" path="/" encoding="base64">...</file></questiontext>
        <generalfeedback format="..."><text>...</text></generalfeedback>   (our explanation)
        <defaultgrade>1</defaultgrade>                                      (our points)
        <correctfeedback>, <partiallycorrectfeedback>, <incorrectfeedback>  (combined feedback)
        <answer fraction="100" format="..."><text>...</text>
          <feedback format="..."><text>...</text></feedback></answer>
        <hint format="..."><text>...</text></hint>
        <tags><tag><text>must-pass</text></tag></tags>
      </question>
    </quiz>

multichoice has <single>true|false</single> (single choice or multiple response); matching has
<subquestion><text>item</text><answer><text>answer</text></answer></subquestion>, an empty item
being a distractor; numerical answers carry <tolerance> and the question <units>; ordering
lists its <answer> items in the right order. Texts link to their embedded files as
@@PLUGINFILE@@/name; images among them are stored (quizzes/media.py) and written back the same
way. Files are parsed with defusedxml, with no DTD (so no entities, internal or external) and
a bounded depth.
"""

import base64
import binascii
import html
import io
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from urllib.parse import quote

from defusedxml import DefusedXmlException, DTDForbidden
from defusedxml.ElementTree import iterparse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from quizzes.course_files import options_from_spec
from quizzes.media import IMAGE_URL
from quizzes.models import QuestionType
from quizzes.moodle import (
    ANSWER,
    CATCH_ALL,
    CATCH_ALL_STAR,
    MUST_PASS_TAG,
    NOT_SUPPORTED,
    TOLERANCE,
    WILDCARD,
    ImagesRefused,
    ParsedQuestion,
    QuestionFileError,
    default_name,
    embed_files,
    file_number,
    in_one_format,
    question_spec,
    short_answer_from_moodle,
    short_answer_to_moodle,
    text_and_images,
)

# <quiz><question><subquestion><answer><text> is as deep as Moodle XML goes; leave headroom.
MAX_DEPTH = 16
TEXT_FORMATS = {
    "html": "html",
    "markdown": "markdown",
    "plain_text": "plain",
    "moodle_auto_format": "moodle",
    "wiki_like": "moodle",
}
FORMAT_NAMES = {
    "html": "html",
    "markdown": "markdown",
    "plain": "plain_text",
    "moodle": "moodle_auto_format",
}
# Our fields for Moodle's combined feedback, and the elements that hold it.
COMBINED_FEEDBACK = {
    "correct_feedback": "correctfeedback",
    "partly_correct_feedback": "partiallycorrectfeedback",
    "incorrect_feedback": "incorrectfeedback",
}
# The types Moodle gives combined feedback (the others have none to write it to).
WITH_COMBINED_FEEDBACK = {
    QuestionType.SINGLE,
    QuestionType.MULTIPLE,
    QuestionType.MATCHING,
    QuestionType.ORDERING,
}
UNSUPPORTED = {
    "essay": _("essay questions need a person to mark them"),
    "description": _("description items are not questions"),
    "calculated": _("calculated questions draw random values for a formula"),
    "calculatedsimple": _("calculated questions draw random values for a formula"),
    "calculatedmulti": _("calculated questions draw random values for a formula"),
    "multianswer": _("embedded answers (cloze) are not supported"),
    "cloze": _("embedded answers (cloze) are not supported"),
    "ddwtos": _("drag-and-drop questions are not supported"),
    "ddimageortext": _("drag-and-drop questions are not supported"),
    "ddmarker": _("drag-and-drop questions are not supported"),
    "gapselect": _("select-missing-words questions are not supported"),
    "randomsamatch": _("random short-answer matching draws from a question bank"),
}
_NOT_XML_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class _Unsupported(Exception):
    pass


class _Invalid(Exception):
    pass


# Reading -------------------------------------------------------------------------------------


def _read_tree(data):
    root, depth = None, 0
    try:
        for event, element in iterparse(io.BytesIO(data), ("start", "end"), forbid_dtd=True):
            if event == "end":
                depth -= 1
                continue
            depth += 1
            if depth > MAX_DEPTH:
                raise QuestionFileError(
                    gettext(
                        "The XML is nested more than %(depth)s levels deep; "
                        "a Moodle XML file never is."
                    )
                    % {"depth": MAX_DEPTH}
                )
            root = element if root is None else root
    except QuestionFileError:
        raise
    except DTDForbidden as error:
        raise QuestionFileError(
            gettext(
                "The file declares a DTD (<!DOCTYPE ...>). Moodle XML never needs one and it can "
                "define entities that blow up or read other files, so the file is refused."
            )
        ) from error
    except DefusedXmlException as error:
        raise QuestionFileError(
            gettext("The file uses XML entities, which are refused: %(error)s.") % {"error": error}
        ) from error
    except ET.ParseError as error:
        if "invalid token" in str(error):
            message = gettext(
                "The file is not well-formed XML: %(error)s. Text saved in another encoding "
                "than the file declares (UTF-8 unless it says otherwise) gives this error too."
            )
        else:
            message = gettext("The file is not well-formed XML: %(error)s.")
        raise QuestionFileError(message % {"error": error}) from error
    except (LookupError, ValueError) as error:  # an encoding expat cannot decode
        raise QuestionFileError(
            gettext("The file's encoding cannot be read (%(error)s). Save it as UTF-8.")
            % {"error": error}
        ) from error
    if root is not None and root.tag == "question":
        raise QuestionFileError(
            gettext(
                "This is Moodle XML, but its outer element is <question>: Moodle reads only "
                "questions inside <quiz> ... </quiz>. Wrap them in <quiz> and import it again."
            )
        )
    if root is None or root.tag != "quiz":
        raise QuestionFileError(
            gettext("This is not a Moodle XML question file: its outer element must be <quiz>.")
        )
    return root


def _text(element, path="."):
    node = element.find(path)
    text_node = None if node is None else node.find("text")
    return "" if text_node is None else "".join(text_node.itertext()).strip()


def _formatted(node, default):
    """(text, format) of an element holding <text>, with Moodle's format attribute."""
    if node is None:
        return "", default
    name = node.get("format")
    # As Moodle, an unknown format is taken for HTML.
    return _text(node), TEXT_FORMATS.get(name.strip(), "html") if name else default


def _value(element, path, default=""):
    node = element.find(path)
    return default if node is None or node.text is None else node.text.strip()


def _decimal(text, what):
    try:
        return file_number(text, what)
    except ValueError as error:
        raise _Invalid(str(error)) from error


def _fraction(answer):
    return _decimal(answer.get("fraction", "0"), gettext("the answer fraction"))


def _with_images(node, text_format, parsed, what, key="images"):
    """(plain text, {key: images}) of an answer, item or feedback element, its images
    checked and stored (quizzes/moodle.text_and_images); a refused image refuses the question."""
    text, piece_format = _formatted(node, text_format)
    try:
        plain, images = text_and_images(text, piece_format, _files(node), parsed, what)
    except ImagesRefused as refusal:
        raise _Invalid(str(refusal)) from None
    return plain, ({key: images} if images else {})


def _feedback(answer, text_format, parsed, number):
    """(feedback text, {"feedback_images": ...}) of the answer numbered number."""
    return _with_images(
        answer.find("feedback"),
        text_format,
        parsed,
        gettext("the feedback of answer %(number)s") % {"number": number},
        "feedback_images",
    )


def _words_of(images):
    return " ".join(image["alt"] for image in images.get("images", []))


def _answers(question):
    return enumerate(question.findall("answer"), start=1)


def _no_images_in_typed_answer(answer, number, parsed):
    """A typed answer (numerical, short answer) is never shown, and true and false are words:
    pictures of theirs have nowhere to show."""
    if answer.find("file") is not None:
        parsed.warnings.append(
            gettext(
                "the files of answer %(number)s are left out: only its feedback can show pictures"
            )
            % {"number": number}
        )


def _choice(question, text_format, parsed):
    single = _value(question, "single", "true").lower() not in ("false", "0", "")
    options = []
    for number, answer in _answers(question):
        what = gettext("answer %(number)s") % {"number": number}
        text, images = _with_images(answer, text_format, parsed, what)
        feedback, feedback_images = _feedback(answer, text_format, parsed, number)
        options.append(
            {
                "text": text,
                "weight": _fraction(answer),
                "feedback": feedback,
                **images,
                **feedback_images,
            }
        )
    return {"type": QuestionType.SINGLE if single else QuestionType.MULTIPLE, "options": options}


def _true_false(question, text_format, parsed):
    spec = {"type": QuestionType.TRUE_FALSE}
    for number, answer in _answers(question):
        said = _text(answer).lower()
        if said not in ("true", "false"):  # as Moodle: old files list true, then false
            said = "true" if number == 1 else "false"
        right = _fraction(answer) == 100
        spec["correct"] = right if said == "true" else not right
        _no_images_in_typed_answer(answer, number, parsed)
        feedback, images = _feedback(answer, text_format, parsed, number)
        if feedback:
            spec[f"feedback_{said}"] = feedback
        if images:
            spec[f"feedback_{said}_images"] = images["feedback_images"]
    if "correct" not in spec:
        raise _Invalid(gettext("a true/false question needs its true and false answers"))
    return spec


def _matching(question, text_format, parsed):
    pairs, distractors = [], []
    for number, sub in enumerate(question.findall("subquestion"), start=1):
        what = gettext("item %(number)s") % {"number": number}
        item, images = _with_images(sub, text_format, parsed, what)
        item = item or _words_of(images)  # a picture alone is an item, not a distractor
        answer = _text(sub, "answer")
        if item or images:
            pairs.append({"item": item, "answer": answer, **images})
        else:
            distractors.append(answer)
    spec = {"type": QuestionType.MATCHING, "pairs": pairs}
    if distractors:
        spec["distractors"] = distractors
    return spec


def _numerical(question, text_format, parsed):
    warnings = parsed.warnings
    answers = []
    for number, answer in _answers(question):
        said = _text(answer)
        if said in ("*", ""):
            warnings.append(str(CATCH_ALL_STAR))
            continue
        _no_images_in_typed_answer(answer, number, parsed)
        feedback, feedback_images = _feedback(answer, text_format, parsed, number)
        answers.append(
            {
                "value": _decimal(said, ANSWER),
                "tolerance": _decimal(_value(answer, "tolerance", "0") or "0", TOLERANCE),
                "weight": _fraction(answer),
                "feedback": feedback,
                **feedback_images,
            }
        )
    spec = {"type": QuestionType.NUMERICAL, "answers": answers}
    units = [
        (_value(unit, "unit_name"), _value(unit, "multiplier", "1"))
        for unit in question.findall("units/unit")
    ]
    base = [
        name for name, multiplier in units if _decimal(multiplier, gettext("the multiplier")) == 1
    ]
    if base and base[0]:
        spec["unit"] = base[0]
    if len(units) > 1:
        kept = base[0] if base else ""
        warnings.append(
            gettext("only the unit %(unit)r is kept; it is shown, not marked") % {"unit": kept}
        )
    return spec


def _short_answer(question, text_format, parsed):
    warnings = parsed.warnings
    if _value(question, "usecase", "0") == "1":
        warnings.append(gettext("answers are compared ignoring case, as all our short answers are"))
    answers = []
    for number, answer in _answers(question):
        text, wildcard = short_answer_from_moodle(_text(answer))
        weight = _fraction(answer)
        if wildcard:
            if weight > 0:
                raise _Unsupported(WILDCARD % {"answer": text})
            warnings.append(CATCH_ALL % {"answer": text})
            continue
        _no_images_in_typed_answer(answer, number, parsed)
        feedback, feedback_images = _feedback(answer, text_format, parsed, number)
        answers.append({"text": text, "weight": weight, "feedback": feedback, **feedback_images})
    return {"type": QuestionType.SHORT_ANSWER, "answers": answers}


def _ordering(question, text_format, parsed):
    warnings = parsed.warnings
    grading = _value(question, "gradingtype").upper()
    if grading not in ("", "LONGEST_ORDERED_SUBSET"):
        warnings.append(
            gettext("it is marked by the longest run of items in the right order, not by %(way)s")
            % {"way": grading}
        )
    select, count = _value(question, "selecttype").upper(), _value(question, "selectcount")
    items = []
    for number, answer in _answers(question):
        what = gettext("step %(number)s") % {"number": number}
        text, images = _with_images(answer, text_format, parsed, what)
        text = text or _words_of(images)  # every step needs words; a picture's are its alt
        items.append({"text": text, **images} if images else text)
    if select not in ("", "ALL") and count.isdecimal() and 0 < int(count) < len(items):
        warnings.append(
            gettext("all %(count)s items are shown, not a selection of %(selection)s")
            % {"count": len(items), "selection": count}
        )
    return {"type": QuestionType.ORDERING, "items": items}


READERS = {
    "multichoice": _choice,
    "truefalse": _true_false,
    "matching": _matching,
    "numerical": _numerical,
    "shortanswer": _short_answer,
    "ordering": _ordering,
}


def _files(node):
    """The files embedded in an element ({path in the file area: (name, bytes)})."""
    files = {}
    for file in [] if node is None else node.findall("file"):
        name = file.get("name", "")
        path = f"{file.get('path', '/').strip('/')}/{name}".lstrip("/")
        files[path] = (name, _base64(file.text or ""))
    return files


def _base64(text):
    try:
        return base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        return None  # reported as a damaged image where it is linked


def _rich_texts(question, parsed):
    """(format, texts): the question text, explanation, combined feedback and hints, with
    their embedded images stored and linked, in the question's one format."""
    nodes = {
        "text": question.find("questiontext"),
        "explanation": question.find("generalfeedback"),
        **{key: question.find(tag) for key, tag in COMBINED_FEEDBACK.items()},
        **{f"hint {i}": hint for i, hint in enumerate(question.findall("hint"))},
    }
    text_format = _formatted(nodes["text"], "html")[1]
    pieces = {}
    for key, node in nodes.items():
        text, piece_format = _formatted(node, text_format)
        files = _files(node)
        if key == "text" and _value(question, "image") and _value(question, "image_base64"):
            # Moodle 1.x's one image per question, which Moodle still reads: shown after the text.
            name = _value(question, "image").replace("/", "_")
            files[name] = (name, _base64(_value(question, "image_base64")))
            text += f' <img src="@@PLUGINFILE@@/{quote(name)}" alt="">'
        pieces[key] = (embed_files(text, files, parsed), piece_format)
    return in_one_format(pieces, text_format)


def _warn_about_the_rest(question, kind, parsed):
    """Warnings for what a question holds that we do not keep."""
    warnings = parsed.warnings
    tags = [_text(tag) for tag in question.findall("tags/tag")]
    other_tags = [tag for tag in tags if tag and tag != MUST_PASS_TAG]
    if other_tags:
        warnings.append(gettext("the tags %(tags)s are not kept") % {"tags": ", ".join(other_tags)})
    if _value(question, "idnumber"):
        warnings.append(
            gettext("the ID number %(id)r is not kept") % {"id": _value(question, "idnumber")}
        )
    if kind in ("multichoice", "matching") and _value(question, "shuffleanswers") in ("0", "false"):
        warnings.append(
            gettext("its answers are shuffled or not as the quiz says, not kept in order")
        )
    if kind == "ordering" and _value(question, "layouttype").upper() == "HORIZONTAL":
        warnings.append(gettext("its items are shown one under another, not side by side"))
    if kind == "ordering" and any(_text(a, "feedback") for a in question.findall("answer")):
        warnings.append(gettext("the feedback on its items is left out"))
    if _value(question, "hidden") == "1":
        warnings.append(
            gettext("it was hidden in Moodle's question bank; here it is part of the quiz")
        )


def _question(question, where, category=""):
    kind = question.get("type", "")
    name = _text(question, "name")
    where = f"{where} ({name})" if name else where
    if kind in UNSUPPORTED:
        return ParsedQuestion(where, problem=NOT_SUPPORTED % {"reason": UNSUPPORTED[kind]})
    if kind not in READERS:
        reason = gettext("the question type %(type)r") % {"type": kind}
        return ParsedQuestion(where, problem=NOT_SUPPORTED % {"reason": reason})
    parsed = ParsedQuestion(where)
    text_format, texts = _rich_texts(question, parsed)
    spec = question_spec(name, text_format, texts, category)
    spec.update({key: texts[key] for key in COMBINED_FEEDBACK if texts[key]})
    hints = [texts[key] for key in texts if key.startswith("hint ") and texts[key]]
    if hints:
        spec["hints"] = hints
    try:
        spec["points"] = _decimal(
            _value(question, "defaultgrade", "1") or "1", gettext("the default mark")
        )
        spec.update(READERS[kind](question, text_format, parsed))
    except _Unsupported as error:
        return ParsedQuestion(where, problem=NOT_SUPPORTED % {"reason": error})
    except _Invalid as error:
        return ParsedQuestion(where, problem=str(error))
    if MUST_PASS_TAG in [_text(tag) for tag in question.findall("tags/tag")]:
        spec["must_pass"] = True
    _warn_about_the_rest(question, kind, parsed)
    parsed.spec = spec
    return parsed


def parse_moodle_xml(data):
    """Every question of a Moodle XML file (bytes), as ParsedQuestion entries in file order."""
    root = _read_tree(data)
    parsed, category, described = [], "", False
    for element in root.findall("question"):
        if element.get("type") == "category":
            category = _text(element, "category")  # Moodle's switch to another category
            described = bool(_text(element, "info") or _value(element, "idnumber"))
            continue
        where = gettext("question %(number)s") % {"number": len(parsed) + 1}
        parsed.append(_question(element, where, category))
        if described and parsed[-1].spec is not None:
            parsed[-1].warnings.append(
                gettext("the description and ID number of its category %(category)r are not kept")
                % {"category": category}
            )
            described = False
    return parsed


# Writing -------------------------------------------------------------------------------------


def _number(value):
    text = format(Decimal(str(value)).normalize(), "f")
    return "0" if text == "-0" else text


def _add(parent, tag, text=None, **attributes):
    element = ET.SubElement(parent, tag, attributes)
    if text is not None:
        element.text = _NOT_XML_CHARS.sub("", str(text))
    return element


def _add_text(parent, tag, text, text_format=None):
    element = _add(parent, tag, **({"format": text_format} if text_format else {}))
    _add(element, "text", text or "")
    return element


def _add_rich(parent, tag, text, text_format, images):
    """A text element in Moodle's format, its stored images embedded as Moodle embeds them:
    <file> elements beside the text, which links to them as @@PLUGINFILE@@/name."""
    embedded = {}

    def file_link(match):
        image = images.get(match["sha256"])
        if image is None:
            return match.group(0)
        name = image.name
        if embedded.get(name, image).sha256 != image.sha256:
            name = f"{image.sha256[:8]}-{name}"  # another image of this text has its name
        embedded[name] = image
        return f"@@PLUGINFILE@@/{quote(name)}"

    text = IMAGE_URL.sub(file_link, text or "")
    element = _add_text(parent, tag, text, FORMAT_NAMES[text_format])
    for name, image in embedded.items():
        file = _add(element, "file", name=name, path="/", encoding="base64")
        file.text = base64.b64encode(bytes(image.data)).decode("ascii")
    return element


def _add_pictured(parent, tag, text, pictures, images, text_format="plain_text", **attributes):
    """A plain-text answer, item or feedback; with pictures (an option's images list), as
    Moodle holds them: HTML (the text escaped), <img> links to @@PLUGINFILE@@/name and the
    <file> elements beside it."""
    pictures = [p for p in pictures or [] if p["file"].split(".")[0] in images]
    if not pictures:
        element = _add(parent, tag, **attributes, format=text_format)
        _add(element, "text", text or "")
        return element
    element = _add(parent, tag, **attributes, format="html")
    names, tags = {}, []
    for picture in pictures:
        image = images[picture["file"].split(".")[0]]
        name = image.name
        if names.get(name, image).sha256 != image.sha256:
            name = f"{image.sha256[:8]}-{name}"  # another picture here has its name
        names[name] = image
        source = f"@@PLUGINFILE@@/{quote(name)}"
        tags.append(f'<img src="{html.escape(source)}" alt="{html.escape(picture["alt"])}">')
    _add(element, "text", " ".join([html.escape(text or ""), *tags]).strip())
    for name, image in names.items():
        file = _add(element, "file", name=name, path="/", encoding="base64")
        file.text = base64.b64encode(bytes(image.data)).decode("ascii")
    return element


def _add_answer(parent, fraction, text, feedback="", text_format="plain_text", *, option, images):
    answer = _add_pictured(
        parent, "answer", text, option.get("images"), images, text_format,
        fraction=_number(fraction),
    )  # fmt: skip
    if feedback or option.get("feedback_images"):
        _add_pictured(answer, "feedback", feedback, option.get("feedback_images"), images)
    return answer


def _write_answers(element, kind, options, images):
    if kind in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        _add(element, "single", "true" if kind == QuestionType.SINGLE else "false")
        _add(element, "shuffleanswers", "true")
        _add(element, "answernumbering", "abc")
        for o in options:
            _add_answer(element, o["weight"], o["text"], o.get("feedback"), option=o, images=images)
    elif kind == QuestionType.TRUE_FALSE:
        for o in options:
            text = o["text"].lower()
            _add_answer(
                element, o["weight"], text, o.get("feedback"), "moodle_auto_format",
                option={"feedback_images": o.get("feedback_images")}, images=images,
            )  # fmt: skip
    elif kind == QuestionType.MATCHING:
        _add(element, "shuffleanswers", "true")
        for o in options:
            sub = _add_pictured(element, "subquestion", o["text"], o.get("images"), images)
            _add_text(sub, "answer", o["match_text"])
    elif kind == QuestionType.NUMERICAL:
        for o in options:
            answer = _add_answer(
                element, o["weight"], _number(o["value"]), o.get("feedback"),
                option={"feedback_images": o.get("feedback_images")}, images=images,
            )  # fmt: skip
            _add(answer, "tolerance", _number(o.get("tolerance") or 0))
    elif kind == QuestionType.SHORT_ANSWER:
        _add(element, "usecase", "0")
        for o in options:
            _add_answer(
                element, o["weight"], short_answer_to_moodle(o["text"]), o.get("feedback"),
                option={"feedback_images": o.get("feedback_images")}, images=images,
            )  # fmt: skip
    elif kind == QuestionType.ORDERING:
        for tag, value in [
            ("layouttype", "VERTICAL"),
            ("selecttype", "ALL"),
            ("selectcount", "0"),
            ("gradingtype", "LONGEST_ORDERED_SUBSET"),
            ("showgrading", "SHOW"),
            ("numberingstyle", "none"),
        ]:
            _add(element, tag, value)
        for position, o in enumerate(options, start=1):
            _add_answer(
                element, position, o["text"], option={"images": o.get("images")}, images=images
            )


MOODLE_TYPES = {
    QuestionType.SINGLE: "multichoice",
    QuestionType.MULTIPLE: "multichoice",
    QuestionType.TRUE_FALSE: "truefalse",
    QuestionType.MATCHING: "matching",
    QuestionType.NUMERICAL: "numerical",
    QuestionType.SHORT_ANSWER: "shortanswer",
    QuestionType.ORDERING: "ordering",
}


def _write_question(root, question, number, images, warnings):
    kind = question["type"]
    text_format = question.get("text_format") or "markdown"
    element = _add(root, "question", type=MOODLE_TYPES[kind])
    # Moodle refuses a question without a name; it makes one from the text, and so do we.
    _add_text(element, "name", question.get("name") or default_name(question["text"], text_format))
    _add_rich(element, "questiontext", question["text"], text_format, images)
    _add_rich(element, "generalfeedback", question.get("explanation"), text_format, images)
    _add(element, "defaultgrade", _number(question.get("points", 1)))
    _add(element, "penalty", "0.3333333")
    _add(element, "hidden", "0")
    _write_answers(element, kind, options_from_spec(kind, question, f"question {number}"), images)
    if kind in WITH_COMBINED_FEEDBACK:
        for key, tag in COMBINED_FEEDBACK.items():
            _add_rich(element, tag, question.get(key), text_format, images)
    elif any(question.get(key) for key in COMBINED_FEEDBACK):
        label = question.get("name") or question["text"][:60]
        warnings.append(
            gettext(
                "Question %(number)s (%(name)s): Moodle has no combined feedback for "
                "%(type)s questions, so it is left out."
            )
            % {"number": number, "name": label, "type": MOODLE_TYPES[kind]}
        )
    for hint in question.get("hints") or []:
        _add_rich(element, "hint", hint, text_format, images)
    if kind == QuestionType.NUMERICAL and question.get("unit"):
        unit = _add(_add(element, "units"), "unit")
        _add(unit, "multiplier", "1")
        _add(unit, "unit_name", question["unit"])
    if question.get("must_pass"):
        _add_text(_add(element, "tags"), "tag", MUST_PASS_TAG)


def to_moodle_xml(questions, *, heading="", category="", images=None):
    """Moodle XML for questions in the quiz-file shape, and warnings for what Moodle cannot
    hold. images maps the SHA-256 of each stored image the texts link to to its QuestionImage,
    for embedding; links to images not given are left as they are."""
    root = ET.Element("quiz")
    if heading:
        root.append(ET.Comment(f" {heading.replace('--', '- -')} "))
    warnings, current = [], None
    for number, question in enumerate(questions, start=1):
        wanted = question.get("category") or category
        if wanted and wanted != current:
            _add_text(_add(root, "question", type="category"), "category", wanted)
            current = wanted
        _write_question(root, question, number, images or {}, warnings)
    ET.indent(root)
    text = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{text}\n', warnings
