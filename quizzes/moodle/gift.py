"""GIFT, Moodle's plain-text question format: parse_gift reads it, to_gift writes it.

Reading follows Moodle's own importer (question/format/gift/format.php): questions are
separated by blank lines; lines starting with // are comments; ::name:: opens a question;
[html], [markdown], [plain] or [moodle] sets a text's format (answers follow the question's);
$CATEGORY: switches the category of the questions after it. The answers sit in one {...}
block; text after it makes a missing-word question, kept with a blank (_____) where the block
stood ("The {=calf} cramps." is "The _____ cramps."). The block's content decides the type:

    {}                       essay (not supported)
    {#...}                   numerical: {#3:2}, {#3.141..3.142}, {#=%100%3:0 =%50%3:1}
    {... ~ ...}              multiple choice: single choice with an =answer, else multiple
                             response with ~%50% weights (negative weights too)
    {=item -> answer ...}    matching; = -> text is a distractor
    {T} {TRUE} {F} {FALSE}   true/false, with {T#wrong answer's feedback#right one's}
    {=answer =%50%other}     short answer
    #feedback after an answer, ####general feedback (our explanation) at the end.

\\~ \\= \\# \\{ \\} \\: and \\\\ stand for the character itself, \\n for a new line.

GIFT has no points, units or must-pass. CrampCourse writes them in a comment before the
question, which Moodle ignores except for its own [tag:...] syntax:
    // [points:4] [unit:steps] [tag:must-pass]
Ordering questions cannot be written in GIFT: to_gift leaves them out with a warning. It
names every question (from its text when it has no name), writes each in its own format, puts
the answers of a missing-word question back in its blank, writes $CATEGORY: lines, and warns
about what GIFT cannot hold: combined feedback, hints and images.
"""

import codecs
import html
import re
from decimal import Decimal

from django.utils.translation import gettext, pgettext

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
    ParsedQuestion,
    QuestionFileError,
    default_name,
    file_number,
    in_one_format,
    plain_from,
    question_spec,
    short_answer_from_moodle,
    short_answer_to_moodle,
)
from quizzes.text_formats import BLANK

# While the structure is read, each escaped character is a control character that a text file
# never holds (the reader refuses files with them), so it cannot be taken for markup.
_ESCAPABLE = "\\~=#{}:n"
_PLACEHOLDERS = {char: chr(1 + index) for index, char in enumerate(_ESCAPABLE)}
_RESTORE = str.maketrans(
    {chr(1 + index): "\n" if char == "n" else char for index, char in enumerate(_ESCAPABLE)}
)
_ESCAPED = re.compile(r"\\([\\~=#{}:n])")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_WEIGHT = re.compile(r"^%\s*(-?\d+(?:\.\d+)?)\s*%")
_METADATA = re.compile(r"\[(points|unit|tag|id):([^\]\n]*)\]")
_SPECIAL = re.compile(r"([\\~=#{}:])")
TEXT_FORMATS = {"html", "markdown", "plain", "moodle"}
TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}


class _Unsupported(Exception):
    pass


class _Invalid(Exception):
    pass


def decode_gift(data):
    """The text of a GIFT file, which Moodle wants in UTF-8 (a byte-order mark is allowed)."""
    # The mark is cut off first, so the error's position counts in the bytes it names.
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise QuestionFileError(
            gettext(
                "The file is not UTF-8 text: byte %(byte)s on line %(line)s cannot be read. "
                "Save the file as UTF-8 and import it again."
            )
            % {"byte": f"0x{data[error.start]:02x}", "line": line}
        ) from error
    control = _CONTROL.search(text)
    if control:
        line = text[: control.start()].count("\n") + 1
        raise QuestionFileError(
            gettext(
                "The file holds a control character on line %(line)s; it is not a GIFT text file."
            )
            % {"line": line}
        )
    return text


# Reading -------------------------------------------------------------------------------------


def _blocks(text):
    """(first line number, comments, lines) of each group of lines between blank lines."""
    start, comments, lines = None, [], []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            if lines:
                yield start, comments, lines
            start, comments, lines = None, [], []
        elif line.startswith("//"):
            comments.append(line[2:])
        else:
            start = start or number
            lines.append(line)
    if lines:
        yield start, comments, lines


def _restore(text):
    return text.translate(_RESTORE).strip()


def _with_format(text, default):
    """(format, text) of a piece of text that may open with [html], [markdown] ..."""
    text = text.strip()
    if text.startswith("["):
        end = text.find("]")
        if end != -1 and text[1:end] in TEXT_FORMATS:
            return text[1:end], text[end + 1 :]
    return default, text


def _plain(text, default):
    text_format, text = _with_format(text, default)
    return plain_from(_restore(text), text_format)


def _split(answers, marks):
    """The answers of a block, each starting with one of the marks (= or ~)."""
    parts = re.split(f"(?=[{re.escape(marks)}])", answers)
    return [part.strip() for part in parts if part.strip()]


def _answer(part, text_format):
    """(weight or None, text, feedback) of one answer, its = or ~ already removed."""
    weight = None
    match = _WEIGHT.match(part)
    if match:
        weight = _decimal(match.group(1), gettext("the weight"))
        part = part[match.end() :]
    text, _, feedback = part.partition("#")
    return weight, _plain(text, text_format), _plain(feedback, text_format)


def _decimal(text, what):
    try:
        return file_number(text, what)
    except ValueError as error:
        raise _Invalid(str(error)) from error


def _choice(answers, text_format):
    options = []
    for part in _split(answers, "=~"):
        mark, body = (part[0], part[1:]) if part[0] in "=~" else ("~", part)
        weight, text, feedback = _answer(body, text_format)
        if weight is None:
            weight = 100 if mark == "=" else 0
        options.append({"text": text, "weight": weight, "feedback": feedback})
    # As in Moodle: an =answer makes it single choice, ~%weights% alone multiple response.
    kind = QuestionType.SINGLE if "=" in answers else QuestionType.MULTIPLE
    return {"type": kind, "options": options}


def _matching(answers, text_format):
    pairs, distractors = [], []
    for part in _split(answers, "="):
        body = part[1:] if part.startswith("=") else part
        if "->" not in body:
            raise _Invalid(
                gettext("the matching pair %(pair)r needs the form item -> answer")
                % {"pair": _restore(body)}
            )
        item, _, answer = body.partition("->")
        item, answer = _plain(item, text_format), _restore(answer)
        if item:
            pairs.append({"item": item, "answer": answer})
        else:
            distractors.append(answer)
    spec = {"type": QuestionType.MATCHING, "pairs": pairs}
    if distractors:
        spec["distractors"] = distractors
    return spec


def _true_false(answers, text_format):
    bits = [*answers.split("#", 2), "", ""]
    correct = TRUE_FALSE[bits[0].strip()]
    wrong, right = _plain(bits[1], text_format), _plain(bits[2], text_format)
    spec = {"type": QuestionType.TRUE_FALSE, "correct": correct}
    feedback_true, feedback_false = (right, wrong) if correct else (wrong, right)
    if feedback_true:
        spec["feedback_true"] = feedback_true
    if feedback_false:
        spec["feedback_false"] = feedback_false
    return spec


def _short_answer(answers, text_format, warnings):
    accepted = []
    for part in _split(answers, "="):
        body = part[1:] if part.startswith("=") else part
        weight, text, feedback = _answer(body, text_format)
        weight = 100 if weight is None else weight
        text, wildcard = short_answer_from_moodle(text)
        if wildcard:
            if weight > 0:
                raise _Unsupported(WILDCARD % {"answer": text})
            warnings.append(CATCH_ALL % {"answer": text})
            continue
        accepted.append({"text": text, "weight": weight, "feedback": feedback})
    return {"type": QuestionType.SHORT_ANSWER, "answers": accepted}


def _value_and_tolerance(text):
    if ".." in text[1:]:
        low, _, high = text.partition("..")
        low = _decimal(low, gettext("the range start"))
        high = _decimal(high, gettext("the range end"))
        value = (low + high) / 2
        return value, high - value
    if ":" in text[1:]:
        value, _, tolerance = text.partition(":")
        return _decimal(value, ANSWER), _decimal(tolerance, TOLERANCE)
    return _decimal(text, ANSWER), Decimal(0)


def _numerical(answers, text_format, warnings):
    body, tilde, _ = answers[1:].partition("~")
    if tilde:
        warnings.append(gettext("the feedback for any other answer (~) is left out"))
    accepted = []
    for part in _split(body, "="):
        weight, number, feedback = _answer(part[1:] if part.startswith("=") else part, text_format)
        if number == "*":
            warnings.append(str(CATCH_ALL_STAR))
            continue
        value, tolerance = _value_and_tolerance(number)
        accepted.append(
            {
                "value": value,
                "tolerance": tolerance,
                "weight": 100 if weight is None else weight,
                "feedback": feedback,
            }
        )
    if not accepted:
        raise _Invalid(gettext("a numerical question needs at least one answer"))
    return {"type": QuestionType.NUMERICAL, "answers": accepted}


def _answers_spec(answers, text_format, warnings):
    """The type and answers of a question from its {...} block, as Moodle decides them."""
    if not answers:
        raise _Unsupported(gettext("essay questions ({}) need a person to mark them"))
    if answers.startswith("#"):
        return _numerical(answers, text_format, warnings)
    if answers.startswith(">"):
        raise _Unsupported(
            gettext(
                "{>...} is the ordering plugin's own GIFT syntax; import ordering questions "
                "as Moodle XML"
            )
        )
    if "~" in answers:
        return _choice(answers, text_format)
    if "=" in answers and "->" in answers:
        return _matching(answers, text_format)
    if answers.split("#", 1)[0].strip() in TRUE_FALSE:
        return _true_false(answers, text_format)
    return _short_answer(answers, text_format, warnings)


def _metadata(comments, spec, warnings):
    for comment in comments:
        for key, value in _METADATA.findall(comment):
            value = value.strip()
            if key == "points":
                spec["points"] = _decimal(value, gettext("the points"))
            elif key == "unit":
                spec["unit"] = value
            elif key == "id":
                warnings.append(gettext("the ID number %(id)r is not kept") % {"id": value})
            elif value == MUST_PASS_TAG:
                spec["must_pass"] = True
            else:
                warnings.append(gettext("the tag %(tag)r is not kept") % {"tag": value})


def _category(text, where):
    """The category a $CATEGORY: block switches to."""
    if "\n" in text:  # Moodle would swallow the question into the category's name
        return ParsedQuestion(where, problem=gettext("put a blank line after the $CATEGORY: line"))
    return _restore(text[len("$CATEGORY:") :])


def _question(start, comments, lines, category=""):
    """The question of a block, or the name of the category a $CATEGORY: block switches to."""
    where = gettext("line %(number)s") % {"number": start}
    text = _ESCAPED.sub(lambda match: _PLACEHOLDERS[match.group(1)], "\n".join(lines))
    if text.startswith("$CATEGORY:"):
        return _category(text, where)
    name = ""
    if text.startswith("::"):
        end = text.find("::", 2)
        if end == -1:
            return ParsedQuestion(where, problem=gettext("the question name is not closed with ::"))
        name, text = _restore(text[2:end]), text[end + 2 :].strip()
        where = f"{where} ({name})" if name else where
    opening, closing = text.find("{"), text.find("}")
    if opening == -1 and closing == -1:
        return ParsedQuestion(
            where,
            problem=NOT_SUPPORTED
            % {"reason": gettext("text with no answers is a description item")},
        )
    if opening == -1 or closing < opening or "{" in text[opening + 1 : closing]:
        return ParsedQuestion(
            where,
            problem=gettext(
                "the braces do not match: write the answers in one {...} block, "
                "and \\{ or \\} for a brace in the text"
            ),
        )
    if "{" in text[closing + 1 :] or "}" in text[closing + 1 :]:
        return ParsedQuestion(
            where,
            problem=NOT_SUPPORTED
            % {
                "reason": gettext(
                    "a second {...} block; a question has one blank "
                    "(embedded answers, cloze, are not supported)"
                )
            },
        )
    answers = text[opening + 1 : closing].strip()
    explanation = ""
    cut = answers.rfind("####")
    if cut != -1:
        answers, explanation = answers[:cut].strip(), answers[cut + 4 :]
    # As Moodle: text after the answers makes a missing-word question, blank where they stood.
    after = text[closing + 1 :].strip()
    question_text = text[:opening] + (BLANK if after else "") + text[closing + 1 :]
    text_format, question_text = _with_format(question_text, "moodle")
    explanation_format, explanation = _with_format(explanation, text_format)
    text_format, texts = in_one_format(
        {
            "text": (_restore(question_text), text_format),
            "explanation": (_restore(explanation), explanation_format),
        },
        text_format,
    )
    warnings = []
    spec = question_spec(name, text_format, texts, category)
    try:
        spec.update(_answers_spec(answers, text_format, warnings))
        _metadata(comments, spec, warnings)
    except _Unsupported as error:
        return ParsedQuestion(where, problem=NOT_SUPPORTED % {"reason": error})
    except _Invalid as error:
        return ParsedQuestion(where, problem=str(error))
    if "@@PLUGINFILE@@" in spec["text"] + spec["explanation"]:
        warnings.append(gettext("the images it links to (@@PLUGINFILE@@) are not in a GIFT file"))
    return ParsedQuestion(where, spec=spec, warnings=warnings)


def parse_gift(text):
    """Every question of a GIFT text, as ParsedQuestion entries in file order."""
    if _CONTROL.search(text):
        raise QuestionFileError("The file holds control characters; it is not a GIFT text file.")
    parsed, category = [], ""
    for block in _blocks(text):
        question = _question(*block, category=category)
        if isinstance(question, str):
            category = question
        else:
            parsed.append(question)
    return parsed


# Writing -------------------------------------------------------------------------------------


def _escape(text):
    text = _SPECIAL.sub(r"\\\1", str(text).replace("\r", ""))
    return text.replace("\n", "\\n")


def _number(value):
    text = format(Decimal(str(value)).normalize(), "f")
    return "0" if text == "-0" else text


def _weighted(mark, weight, default, text):
    """An answer's mark and weight; the weight is written when not the default, or when the
    text itself starts with % and would be taken for one."""
    weight = Decimal(str(weight))
    shown = weight != default or text.startswith("%")
    return f"{mark}%{_number(weight)}%" if shown else mark


def _feedback(option):
    return f"#{_escape(option['feedback'])}" if option.get("feedback") else ""


def _answer_lines(kind, options):
    if kind in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        lines = []
        for o in options:
            right = kind == QuestionType.SINGLE and Decimal(str(o["weight"])) == 100
            mark = _weighted("=", o["weight"], 100, o["text"]) if right else None
            mark = mark or _weighted("~", o["weight"], 0, o["text"])
            lines.append(f"{mark}{_escape(o['text'])}{_feedback(o)}")
        return lines
    if kind == QuestionType.MATCHING:
        return [f"={_escape(o['text'])} -> {_escape(o['match_text'])}" for o in options]
    if kind == QuestionType.NUMERICAL:
        return [
            f"{_weighted('=', o['weight'], None, '')}{_number(o['value'])}:"
            f"{_number(o.get('tolerance') or 0)}{_feedback(o)}"
            for o in options
        ]
    return [
        f"{_weighted('=', o['weight'], None, '')}"
        f"{_escape(short_answer_to_moodle(o['text']))}{_feedback(o)}"
        for o in options
    ]


def _true_false_block(options):
    right = next(o for o in options if Decimal(str(o["weight"])) == 100)
    wrong = next(o for o in options if o is not right)
    block = "TRUE" if right["text"] == "True" else "FALSE"
    if wrong.get("feedback") or right.get("feedback"):
        block += f"#{_escape(wrong.get('feedback', ''))}"
    if right.get("feedback"):
        block += f"#{_escape(right['feedback'])}"
    return block


def _why_not(question, options):
    """Why a question cannot be written in GIFT, or None."""
    kind = question["type"]
    if kind == QuestionType.ORDERING:
        return gettext("GIFT has no ordering questions; export the quiz as Moodle XML to keep it")
    texts = [
        o["text"] for o in options if kind in (QuestionType.MATCHING, QuestionType.SHORT_ANSWER)
    ]
    if any("->" in text for text in texts):
        return gettext("an answer holds ->, which GIFT would read as a matching pair")
    return None


def _html_answers(kind, options):
    """Options of an HTML question: GIFT reads its answers and feedback as HTML too, so their
    plain text is escaped (short answers and matching answers are compared as typed)."""
    escaped = []
    for o in options:
        o = {**o, "feedback": html.escape(o.get("feedback") or "", quote=False)}
        if kind in (QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.MATCHING):
            o["text"] = html.escape(o["text"], quote=False)
        escaped.append(o)
    return escaped


def _write_question(question, options):
    comment = f"// [points:{_number(question.get('points', 1))}]"
    if question.get("unit"):
        comment += f" [unit:{question['unit'].replace(']', '')}]"
    if question.get("must_pass"):
        comment += f" [tag:{MUST_PASS_TAG}]"
    text_format = question.get("text_format") or "markdown"
    if text_format == "html":
        options = _html_answers(question["type"], options)
    name = question.get("name") or default_name(question["text"], text_format)
    text = _escape(question["text"])
    # A blank with text after it is where the answers go; Moodle puts it back on import.
    before, blank, after = text.partition(BLANK)
    if not blank or not after.strip():
        before, after = text, ""
    head = f"::{_escape(name)}::[{text_format}]{before}"
    explanation = question.get("explanation") or ""
    general = f"####{_escape(explanation)}" if explanation else ""
    if question["type"] == QuestionType.TRUE_FALSE:
        return [comment, f"{head}{{{_true_false_block(options)}{general}}}{after}"]
    opening = "{#" if question["type"] == QuestionType.NUMERICAL else "{"
    lines = [f"\t{line}" for line in _answer_lines(question["type"], options)]
    return [
        comment,
        f"{head}{opening}",
        *lines,
        *([f"\t{general}"] if general else []),
        f"}}{after}",
    ]


def _left_behind(question):
    """What of a question GIFT cannot hold, though the question itself is written."""
    lost = []
    feedback = ("correct_feedback", "partly_correct_feedback", "incorrect_feedback")
    if any(question.get(key) for key in feedback):
        lost.append(gettext("its combined feedback"))
    if question.get("hints"):
        lost.append(gettext("its hints"))
    texts = [question["text"], question.get("explanation") or ""]
    options = options_from_spec(question["type"], question, "export")
    pictured = any(o.get("images") or o.get("feedback_images") for o in options)
    if pictured or any(IMAGE_URL.search(text) for text in texts):
        lost.append(gettext("its images"))
    return lost


def to_gift(questions, *, heading="", category=""):
    """GIFT text for questions in the quiz-file shape, and a warning for each one left out
    and for what GIFT cannot hold of the others."""
    lines = [f"// {line}" for line in heading.splitlines()]
    if lines:
        lines.append("")
    warnings, current = [], None
    for number, question in enumerate(questions, start=1):
        options = options_from_spec(question["type"], question, f"question {number}")
        label = question.get("name") or question["text"][:60]
        reason = _why_not(question, options)
        if reason:
            warning = gettext("Question %(number)s (%(name)s) is left out: %(reason)s.") % {
                "number": number,
                "name": label,
                "reason": reason,
            }
            warnings.append(warning)
            lines += [f"// {warning}".replace("\n", " "), ""]
            continue
        wanted = question.get("category") or category
        if wanted and wanted != current:
            lines += [f"$CATEGORY: {wanted}", ""]
            current = wanted
        lost = _left_behind(question)
        if lost:
            lost = pgettext("joins the parts of a question a format cannot hold", " and ").join(
                lost
            )
            warnings.append(
                gettext(
                    "Question %(number)s (%(name)s): GIFT cannot hold %(lost)s; "
                    "export the quiz as Moodle XML to keep them."
                )
                % {"number": number, "name": label, "lost": lost}
            )
        lines += [*_write_question(question, options), ""]
    return "\n".join(lines), warnings
