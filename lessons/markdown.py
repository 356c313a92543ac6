"""Lesson Markdown to safe HTML: Python-Markdown renders, nh3 keeps only what a lesson needs."""

import re

import markdown as md
import nh3
from django.utils.safestring import mark_safe

MARKDOWN_EXTENSIONS = ["admonition", "tables", "sane_lists", "smarty"]

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "img", "div", "span", "table", "thead", "tbody",
    "tr", "th", "td", "figure", "figcaption", "sup", "sub",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"align", "scope"},
    "td": {"align"},
    "ol": {"start"},
}
# Callout boxes come from the admonition extension as <div class="admonition warning">;
# only these classes survive (nh3 wants them here, not in ALLOWED_ATTRIBUTES).
ALLOWED_CLASSES = {
    "div": {"admonition", "warning", "tip", "note", "danger", "important"},
    "p": {"admonition-title"},
}


def clean_html(html):
    """HTML cut down to what a lesson may show (no script, no event handlers, no styles)."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


# An image alone in its paragraph, with a title: ![what it shows](src "Caption").
_CAPTIONED = re.compile(r'<p>(<img [^>]*?title="(?P<caption>[^"]*)"[^>]*?>)</p>')


def _figure(match):
    """The title becomes a caption of real text under the image: text drawn inside a diagram
    shrinks with it on a phone, a caption does not."""
    image = match.group(1).replace(f' title="{match["caption"]}"', "")
    return f"<figure>{image}<figcaption>{match['caption']}</figcaption></figure>"


def render_markdown(text):
    """Render lesson Markdown to sanitised HTML, safe to put in a page as it is."""
    html = md.markdown(text or "", extensions=MARKDOWN_EXTENSIONS, output_format="html")
    return mark_safe(clean_html(_CAPTIONED.sub(_figure, html)))
