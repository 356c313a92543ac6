"""Every page, for every role, in Russian: no English left in the interface.

The pages are the role matrix's (tests/security/test_role_matrix.py: every URL of the site with
real objects), each requested as each role that may open it, with the language cookie set to
Russian. On every page, each piece of text a reader sees is checked: two or more English words
in a row fail the test, unless they are

- data people typed (usernames, group and club names, the course's titles in the test world:
  every text stored in the database is allowed, as a reader would expect it back as typed);
- marked as another language (`lang="en-gb"` on the switcher's "English", or course content
  shown in English until its translation is reviewed);
- proper names that are the same in every language (ALLOWED below), addresses and code.

A page that is not HTML (CSV, PDF, JSON, images) is checked elsewhere.
"""

import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.db import models

from tests.security.test_role_matrix import MATRIX, ROLES, build_world, send, sign_in

# Names that stay as they are in Russian text: the product, the bodies whose advice is cited,
# standards, file formats.
ALLOWED = [
    "CrampCourse",
    "Cramp Course",
    "Open Badges",
    "Float to Live",
    "RLSS UK",
    "Swim England",
    "British Red Cross",
    "Red Cross",
    "RNLI",
    "NHS",
    "Moodle XML",
    "Moodle",
    "Django",
    "JSON-LD",
    "VC-JWT",
    "did:web",
    "PDF",
    "CSV",
    "PNG",
    "JPEG",
    "JSON",
]
ENGLISH_RUN = re.compile(r"\b[A-Za-z][a-z]+(?:['’][a-z]+)?[\s,;:]+[A-Za-z][a-z]+\b")
# Addresses, e-mails, code-like tokens: not words.
NOT_WORDS = re.compile(r"(https?://\S+|\S+@\S+|\b[\w.-]+/[\w./-]+|\b\w+[_.]\w+\b)")
SKIPPED_ELEMENTS = {"script", "style", "code", "pre", "kbd", "samp", "textarea", "option"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


class VisibleText(HTMLParser):
    """The text a reader sees, with the language of the element it is in."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []  # (tag, lang, skipped)
        self.pieces = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        lang, skipped = ("ru", False) if not self.stack else self.stack[-1][1:]
        if attrs.get("lang"):
            lang = attrs["lang"]
        skipped = skipped or tag in SKIPPED_ELEMENTS or "hidden" in attrs
        skipped = skipped or attrs.get("translate") == "no"
        for name in ("alt", "title", "aria-label", "placeholder"):
            if attrs.get(name) and not skipped:
                self.pieces.append((lang, attrs[name]))
        if tag == "input" and attrs.get("type") in {"submit", "button"} and attrs.get("value"):
            self.pieces.append((lang, attrs["value"]))
        if tag not in VOID:
            self.stack.append((tag, lang, skipped))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        if not data.strip():
            return
        lang, skipped = ("ru", False) if not self.stack else self.stack[-1][1:]
        if not skipped:
            self.pieces.append((lang, data))


def stored_texts():
    """Every text stored in the database: what people typed comes back as typed."""
    texts = set()
    for model in apps.get_models():
        fields = [
            field.attname
            for field in model._meta.concrete_fields
            if isinstance(field, (models.CharField, models.TextField))
        ]
        if fields:
            for row in model._base_manager.values_list(*fields):
                texts.update(value for value in row if value)
    return texts


def english_left(html, allowed):
    parser = VisibleText()
    parser.feed(html)
    found = []
    for lang, text in parser.pieces:
        if not lang.startswith("ru"):
            continue
        for name in allowed:
            text = text.replace(name, " ")
        text = NOT_WORDS.sub(" ", text)
        match = ENGLISH_RUN.search(text)
        if match:
            found.append(match.group(0))
    return found


def html_pages_for(role):
    """The role matrix's rows this role may open (200) that are plain GETs of pages."""
    for name, (method, _kwargs, data, statuses) in sorted(MATRIX.items()):
        if method == "get" and statuses.get(role) == 200 and data is None:
            yield name


@pytest.mark.parametrize("role", ROLES)
def test_no_english_on_any_page_in_russian(client, db, role):
    world = build_world()
    sign_in(client, world, role)
    client.cookies["django_language"] = "ru"
    allowed = sorted(stored_texts() | set(ALLOWED), key=len, reverse=True)
    untranslated = {}
    for name in html_pages_for(role):
        response = send(client, world, name)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        found = english_left(response.content.decode(), allowed)
        if found:
            untranslated[name] = sorted(set(found))[:8]
    assert untranslated == {}


def test_the_check_finds_english_and_spares_what_it_should():
    """The checker itself: an English sentence is found; Russian, data, other languages,
    proper names and addresses are not."""
    page = (
        '<html lang="ru"><body><p>Мои задания</p><p>Your groups</p>'
        '<button lang="en-gb">English</button><p lang="en-gb">Shown in English</p>'
        "<p>Источник: RNLI Float to Live</p><p>https://example.com/some/path</p>"
        "<p>Alpha squad</p><script>var a = 'not shown';</script>"
        '<input type="submit" value="Save changes"></body></html>'
    )
    assert english_left(page, ["Alpha squad", *ALLOWED]) == ["Your groups", "Save changes"]
