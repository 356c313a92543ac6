"""Moodle's question bank formats, GIFT and Moodle XML, read into and written from quiz files.

The parsers turn a file into ParsedQuestion entries: each holds either a question in the shape
of a quiz YAML file's question (see quizzes/course_files.py), so the loader's code builds the
rows, or the reason it cannot be imported. quizzes/moodle/bank.py checks and saves them.

Text formats. A question keeps Moodle's text format (markdown, html, plain, moodle) for its text,
explanation, combined feedback and hints, and exports in it (quizzes/text_formats.py renders
each). HTML is cleaned with the lessons' nh3 allow-list on import and again whenever shown.
When a question's pieces come in different formats, they are all turned into HTML, which shows
each as it looked. Option texts, matching items and per-answer feedback are shown as plain text,
so HTML ones become plain text (tags dropped, entities decoded).

Missing-word questions keep Moodle's blank, five underscores, where the answers stood.
Names missing from a file are made from the question text, as Moodle makes them.
Images embedded in Moodle XML (<file> with @@PLUGINFILE@@ links) are checked and stored by
quizzes/media.py, and the links point to the stored copy; anything else not carried is listed as
a warning on the question.
"""

import html
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from html.parser import HTMLParser
from urllib.parse import unquote

import nh3
from django.utils.translation import gettext, gettext_lazy, pgettext_lazy

from lessons.markdown import clean_html as lesson_clean_html
from quizzes.media import ImageRefused, check_image
from quizzes.scoring import is_sane_number
from quizzes.text_formats import convert

MUST_PASS_TAG = "must-pass"

# Words both readers use in what they tell the person importing.
NOT_SUPPORTED = gettext_lazy("not supported: %(reason)s")
WILDCARD = gettext_lazy("the answer %(answer)r uses a * wildcard, which we cannot mark")
CATCH_ALL = gettext_lazy("the catch-all answer %(answer)r and its feedback are left out")
CATCH_ALL_STAR = gettext_lazy("the catch-all answer * and its feedback are left out")
ANSWER = pgettext_lazy("the number a numerical answer holds", "the answer")
TOLERANCE = gettext_lazy("the tolerance")


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
        raise ValueError(
            gettext("%(what)s %(text)r is not a number") % {"what": what, "text": str(text).strip()}
        )
    if not is_sane_number(number):
        raise ValueError(
            gettext("%(what)s %(text)r is too large") % {"what": what, "text": str(text).strip()}
        )
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
    images: list = field(default_factory=list)


_BLOCK_END = re.compile(r"<\s*(br|/p|/div|/li|/h\d|/tr)\b[^>]*>", re.IGNORECASE)


def html_to_plain(text):
    """Simple HTML as one line of plain text: tags dropped, entities decoded."""
    text = _BLOCK_END.sub(" ", text)
    text = html.unescape(nh3.clean(text, tags=set()))
    return " ".join(text.split())


def clean_html(text):
    """HTML kept for a Markdown field, cut down to what a lesson may show."""
    return lesson_clean_html(text).strip()


def stored_text(text, text_format):
    """A question text, explanation, combined feedback or hint as we keep it in its format."""
    return clean_html(text) if text_format == "html" else text.strip()


def plain_from(text, text_format):
    """An answer or feedback in Moodle's text_format, for a plain-text field."""
    return html_to_plain(text) if text_format == "html" else text.strip()


def in_one_format(pieces, text_format):
    """(format, texts) for a question's pieces, each given as (text, its format).

    Moodle lets each piece have its own format; we keep one per question, so pieces in mixed
    formats all become HTML, which shows each as it looked.
    """
    if all(piece_format == text_format for text, piece_format in pieces.values() if text):
        return text_format, {
            key: stored_text(text, text_format) for key, (text, _) in pieces.items()
        }
    return "html", {
        key: stored_text(convert(text, piece_format, "html"), "html")
        for key, (text, piece_format) in pieces.items()
    }


def question_spec(name, text_format, texts, category):
    """The part of a question spec both formats read alike: name (made from the text when the
    file gives none), text, explanation, format and category."""
    spec = {
        "name": name or default_name(texts["text"], text_format),
        "text": texts["text"],
        "explanation": texts["explanation"],
    }
    if text_format != "markdown":
        spec["text_format"] = text_format
    if category:
        spec["category"] = category
    return spec


def default_name(text, text_format):
    """A name made from the question text, as Moodle's create_default_question_name does:
    the text without markup, cut at a word to at most 80 characters with "..." after."""
    plain = html_to_plain(text) if text_format in ("html", "moodle") else " ".join(text.split())
    if len(plain) > 80:
        cut = plain[:77].rsplit(" ", 1)[0] if " " in plain[:77] else plain[:77]
        plain = cut.rstrip() + "..."
    return plain or "Question"


_WILDCARD = re.compile(r"(?<!\\)\*")


def short_answer_from_moodle(text):
    """(text, uses a wildcard): Moodle reads * in a short answer as any text, \\* as a star."""
    return text.replace("\\*", "*"), bool(_WILDCARD.search(text))


def short_answer_to_moodle(text):
    """Our short answers are compared literally, so a star is written as Moodle's \\*."""
    return text.replace("*", "\\*")


_PLUGINFILE = re.compile(r"@@PLUGINFILE@@/([^\"'\s<>)]+)")


def embed_files(text, files, parsed):
    """The text with each @@PLUGINFILE@@ link pointing to its stored image.

    files maps a file's path in Moodle's file area ("cramp.png", "sub/leg.jpg") to (name, bytes);
    images that pass quizzes.media.check_image are added to parsed.images; the links to the
    others, and to files the bank does not hold, are emptied and listed in parsed.warnings.
    """

    def link(match):
        reference = match.group(1)
        path = unquote(reference)
        # A link to a file left out would point at nothing, here and in Moodle: it is emptied.
        if path not in files:
            parsed.warnings.append(
                gettext("the link to %(path)s is left out: the file does not hold it")
                % {"path": path}
            )
            return ""
        name, data = files[path]
        try:
            image = check_image(name, data or b"")
        except ImageRefused as refusal:
            parsed.warnings.append(
                gettext("the file %(name)s is left out: %(reason)s")
                % {"name": name, "reason": refusal}
            )
            return ""
        parsed.images.append(image)
        return image.url

    return _PLUGINFILE.sub(link, text)


class _Images(HTMLParser):
    """The (src, alt) of every <img> of an HTML text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            attributes = dict(attrs)
            self.found.append((attributes.get("src") or "", attributes.get("alt") or ""))


_IMG_TAG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_ALT_LENGTH = 300


def _alt_from_name(name):
    """A sensible alt text when Moodle's HTML gives none: the file's name in words
    ("recovery_position.png" says "recovery position")."""
    stem = name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return " ".join(re.sub(r"[_\-.]+", " ", stem).split()) or "Picture"


class ImagesRefused(ValueError):
    """An answer's or its feedback's image that cannot be kept; the message says which and why."""


def text_and_images(text, text_format, files, parsed, what):
    """(plain text, images) of an answer or its feedback: the text as a plain-text field keeps
    it, and each image it shows (<img src="@@PLUGINFILE@@/...">) checked and stored as
    {"file": "<sha256>.png", "alt": ...}, the alt from the HTML or else made from the file name.

    An image that cannot be kept (not such an image, too large, damaged, not valid base64,
    or missing from the file) raises ImagesRefused naming what (say "answer 2"): an answer
    without its picture could ask something else, so the question is refused, never imported
    without it.
    """
    parser = _Images()
    parser.feed(text)
    parser.close()
    images = []
    for src, alt in parser.found:
        match = _PLUGINFILE.fullmatch(src.strip())
        if match is None:
            parsed.warnings.append(
                gettext("the picture %(address)s of %(what)s is left out: it is not in the file")
                % {"address": src[:80], "what": what}
            )
            continue
        path = unquote(match.group(1))
        if path not in files:
            raise ImagesRefused(
                gettext("%(what)s shows %(name)s, which the file does not hold")
                % {"what": what, "name": path}
            )
        name, data = files[path]
        if data is None:
            raise ImagesRefused(
                gettext("the image %(name)s of %(what)s is refused: its base64 is damaged")
                % {"name": name, "what": what}
            )
        try:
            image = check_image(name, data)
        except ImageRefused as refusal:
            # Translators: the reason is check_image's ("it is not a PNG, JPEG, GIF or WebP image").
            raise ImagesRefused(
                gettext("the image %(name)s of %(what)s is refused: %(reason)s")
                % {"name": name, "what": what, "reason": refusal}
            ) from None
        parsed.images.append(image)
        alt = " ".join(alt.split())[:_ALT_LENGTH] or _alt_from_name(name)
        images.append(image.entry(alt))
    plain = plain_from(_IMG_TAG.sub(" ", text), text_format)
    if "@@PLUGINFILE@@" in plain or "@@PLUGINFILE@@" in _IMG_TAG.sub("", text):
        parsed.warnings.append(
            gettext("the links to files in %(what)s are left out") % {"what": what}
        )
        plain = " ".join(_PLUGINFILE.sub("", plain).split())
    return plain, images
