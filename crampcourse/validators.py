"""Characters no name, title or imported text may hold, checked the same way everywhere: forms,
models (so the admin and course files refuse them), rosters and Moodle files.

- Control characters (NUL, CR, LF, escape...): a CR/LF in a group's name once made its
  invitation e-mail a 500 (a header injection Django refused), and PostgreSQL refuses NUL in
  text, another 500 (SQLite stored it).
- Bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069): they reorder what a
  reader sees ("gnp.exe" shown as "exe.png") and are never needed in a name. Russian and other
  right-to-left-free scripts are untouched; the left-to-right and right-to-left marks stay.
- In one-line fields, line and paragraph separators (U+2028, U+2029) too.

Multi-line texts (question texts, descriptions) may keep line breaks and tabs.
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

BIDI_CONTROLS = {chr(code) for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}
TEXT_WHITESPACE = {"\n", "\r", "\t"}


def unsafe_character(value, *, one_line):
    """The first character the rule refuses, or None."""
    for character in str(value):
        category = unicodedata.category(character)
        if character in BIDI_CONTROLS:
            return character
        if category == "Cc" and (one_line or character not in TEXT_WHITESPACE):
            return character
        if one_line and category in ("Zl", "Zp"):
            return character
    return None


def describe(character):
    """U+000A (LINE FEED): how a refusal names the character, since most cannot be shown."""
    name = unicodedata.name(character, "") or {
        "\x00": "NULL",
        "\n": "LINE FEED",
        "\r": "CARRIAGE RETURN",
        "\t": "TAB",
    }.get(character, "CONTROL CHARACTER")
    return f"U+{ord(character):04X} ({name})"


def validate_one_line(value):
    character = unsafe_character(value, one_line=True)
    if character is not None:
        raise ValidationError(
            _("Write it on one line, without %(character)s or other control characters."),
            code="control_character",
            params={"character": describe(character)},
        )


def validate_text(value):
    character = unsafe_character(value, one_line=False)
    if character is not None:
        raise ValidationError(
            _("Remove %(character)s: control characters cannot be stored."),
            code="control_character",
            params={"character": describe(character)},
        )


def first_unsafe_text(data, *, path=""):
    """(where, character) of the first refused character in nested imported data, or None:
    names, titles and texts alike, by the multi-line rule."""
    if isinstance(data, str):
        character = unsafe_character(data, one_line=False)
        return (path, character) if character is not None else None
    if not isinstance(data, (dict, list, tuple)):
        return None  # numbers, booleans, None
    items = data.items() if isinstance(data, dict) else enumerate(data)
    for key, value in items:
        found = first_unsafe_text(value, path=f"{path}.{key}" if path else str(key))
        if found:
            return found
    return None
