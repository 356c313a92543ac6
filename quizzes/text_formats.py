"""Question texts in Moodle's four text formats, rendered as Moodle renders them, sanitised.

- markdown: Markdown, as lessons are written.
- html: HTML, cut down to the lessons' allow-list (lessons.markdown.clean_html, nh3).
- plain: plain text: every character shown as typed (escaped), line breaks kept.
- moodle: Moodle's auto-format: HTML allowed, line breaks kept, web addresses made links;
  then the same allow-list as HTML.

A missing-word question marks its blank with five underscores, as Moodle's GIFT import does
("Grant is _____ in Grant's tomb."); the attempt page puts the answer box there.
"""

import html
import re

from django.utils.safestring import mark_safe

from lessons.markdown import clean_html, render_markdown

BLANK = "_____"
# Stands for the blank while a text is rendered: letters only, so no format changes it.
_BLANK_TOKEN = "CRAMPCOURSEBLANKMARKER"
BLANK_HTML = (
    '<span class="blank"><span class="visually-hidden">(blank)</span>'
    '<span aria-hidden="true">_____</span></span>'
)
_URL = re.compile(r"(?<![\"'=>/\w])(https?://[^\s<>\"']+[^\s<>\"'.,;:!?)])")


def _plain_html(text):
    lines = html.escape(text.strip()).split("\n")
    return f"<p>{'<br>'.join(lines)}</p>" if text.strip() else ""


def _moodle_html(text):
    text = _URL.sub(r'<a href="\1">\1</a>', text.strip())
    return clean_html(f"<p>{text.replace(chr(10), '<br>')}</p>") if text else ""


def _render(text, text_format):
    if text_format == "html":
        return clean_html(text or "")
    if text_format == "plain":
        return _plain_html(text or "")
    if text_format == "moodle":
        return _moodle_html(text or "")
    return str(render_markdown(text or ""))


def has_blank(text):
    return BLANK in (text or "")


def render_parts(text, text_format):
    """(HTML before the blank, HTML after it) of a missing-word text, else None.

    Each part may leave a paragraph open for the other to close: the page puts the answer box
    between them, inside the sentence.
    """
    if not has_blank(text):
        return None
    rendered = _render(text.replace(BLANK, _BLANK_TOKEN, 1), text_format)
    before, token, after = rendered.partition(_BLANK_TOKEN)
    # Underscores inside a tag (alt="_____") or dropped by the cleaning are no blank to fill.
    if not token or before.rfind("<") > before.rfind(">"):
        return None
    return before, after


def render_text(text, text_format):
    """Safe HTML of a text in one of the four formats, a blank drawn as a gap to fill."""
    parts = render_parts(text, text_format)
    if parts is None:
        return mark_safe(_render(text, text_format))
    return mark_safe(BLANK_HTML.join(parts))


def convert(text, source, target):
    """A text written in the source format, rewritten for the target format."""
    if source == target or not text:
        return text
    if target == "html":
        return _render(text, source)
    raise ValueError(f"cannot convert {source} to {target}")
