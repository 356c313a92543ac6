"""Moodle's question bank formats, GIFT and Moodle XML, read into and written from quiz files.

The parsers turn a file into ParsedQuestion entries: each holds either a question in the shape
of a quiz YAML file's question (see quizzes/course_files.py), so the loader's code builds the
rows, or the reason it cannot be imported. quizzes/moodle/bank.py checks and saves them.

Text formats. Our question text and explanation are Markdown; option texts, matching items and
feedback are shown as plain text. So, on import:
- Markdown, Moodle auto-format and plain text are stored as they are.
- HTML question text and explanations are cleaned with the lessons' nh3 allow-list (no scripts,
  styles or event handlers) and stored as HTML, which Markdown passes through; render_markdown
  cleans it again whenever it is shown.
- HTML option texts and feedback become plain text (tags dropped, entities decoded).
Exports write Markdown for the texts and plain text for the rest, so a round trip is exact.
"""

import html
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import nh3

from lessons.markdown import clean_html as lesson_clean_html
from quizzes.scoring import is_sane_number

MUST_PASS_TAG = "must-pass"


class QuestionFileError(ValueError):
    """A file that cannot be imported; problems lists every reason, one line each."""

    def __init__(self, problems):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


def file_number(text, what):
    """A number of a question file; ValueError naming it if it is none, or too big to work with
    (1e99999999 would overflow the arithmetic that follows)."""
    try:
        number = Decimal(str(text).strip())
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise ValueError(f"{what} {str(text).strip()!r} is not a number")
    if not is_sane_number(number):
        raise ValueError(f"{what} {str(text).strip()!r} is too large")
    return number


@dataclass
class ParsedQuestion:
    """One question read from a file: a quiz-file question spec, or why there is none.

    where names it for people: "line 12 (Name)" in GIFT, "question 3 (Name)" in Moodle XML.
    """

    where: str
    spec: dict | None = None
    problem: str = ""
    warnings: list = field(default_factory=list)


_BLOCK_END = re.compile(r"<\s*(br|/p|/div|/li|/h\d|/tr)\b[^>]*>", re.IGNORECASE)


def html_to_plain(text):
    """Simple HTML as one line of plain text: tags dropped, entities decoded."""
    text = _BLOCK_END.sub(" ", text)
    text = html.unescape(nh3.clean(text, tags=set()))
    return " ".join(text.split())


def clean_html(text):
    """HTML kept for a Markdown field, cut down to what a lesson may show."""
    return lesson_clean_html(text).strip()


def markdown_from(text, text_format):
    """A question text or explanation in Moodle's text_format, for a Markdown field."""
    return clean_html(text) if text_format == "html" else text.strip()


def plain_from(text, text_format):
    """An answer or feedback in Moodle's text_format, for a plain-text field."""
    return html_to_plain(text) if text_format == "html" else text.strip()


_WILDCARD = re.compile(r"(?<!\\)\*")


def short_answer_from_moodle(text):
    """(text, uses a wildcard): Moodle reads * in a short answer as any text, \\* as a star."""
    return text.replace("\\*", "*"), bool(_WILDCARD.search(text))


def short_answer_to_moodle(text):
    """Our short answers are compared literally, so a star is written as Moodle's \\*."""
    return text.replace("*", "\\*")


def file_warning(text):
    """A warning for images or files that lived in Moodle's file store, which we do not copy."""
    if "@@PLUGINFILE@@" in text:
        return "embedded images and files are not imported; the text still points to them"
    return None
