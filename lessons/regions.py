"""Regional facts, as data: the emergency number and whose advice the course cites.

The course texts (English and translations) write {emergency} where they mean "the emergency
number" and {advice} for the bodies whose advice they follow; the reader's language picks the
facts from course/regions.yaml (settings.COURSE_REGIONS_FILE), read once per process like
settings, so no page asks the database for them:

    en-gb: {emergency: "999 or 112", advice: "NHS, RNLI, RLSS UK, Swim England, British Red Cross"}
    ru: {emergency: "112", advice: "…"}

A language is looked up as written (en-gb), then by its first part (en), then as
settings.LANGUAGE_CODE. load_course checks the file of the folder it loads (read_regions).
"""

import functools
import re
from pathlib import Path

import yaml
from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

REGION_KEYS = ("emergency", "advice")
TOKEN = re.compile(r"\{(emergency|advice)\}")
# Without a regions file: the number that works across Europe and in the UK.
FALLBACK = {"emergency": "112", "advice": ""}


class RegionsFileError(ValueError):
    """A regions file that cannot be used; the message names the file and the problem."""


def regions_file():
    return Path(
        getattr(settings, "COURSE_REGIONS_FILE", None)
        or Path(settings.BASE_DIR) / "course" / "regions.yaml"
    )


def read_regions(path):
    """{language: {emergency, advice}} from a regions file, checked."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise RegionsFileError(f"{path}: not valid YAML ({error})") from error
    if not isinstance(data, dict) or not data:
        raise RegionsFileError(f"{path}: expected a mapping of language codes to facts")
    regions = {}
    for code, facts in data.items():
        if not isinstance(facts, dict) or set(facts) - set(REGION_KEYS):
            raise RegionsFileError(
                f"{path}: {code}: write a mapping with {' and '.join(REGION_KEYS)}"
            )
        if not isinstance(facts.get("emergency"), str) or not facts["emergency"].strip():
            raise RegionsFileError(f'{path}: {code}: emergency must be a text, e.g. "112"')
        regions[str(code).lower()] = {key: str(facts.get(key, "")) for key in REGION_KEYS}
    return regions


@functools.cache
def _regions():
    path = regions_file()
    return read_regions(path) if path.is_file() else {}


def forget():
    """Read the regions file again on next use (after a load, or in tests)."""
    _regions.cache_clear()


def facts_for(language):
    regions = _regions()
    code = (language or settings.LANGUAGE_CODE).lower()
    for key in (code, code.split("-")[0], settings.LANGUAGE_CODE.lower()):
        if key in regions:
            return regions[key]
    return FALLBACK


def fill_with(facts, text, *, html=False):
    """The text with {emergency} and {advice} replaced by these facts (escaped in HTML)."""
    if not isinstance(text, str) or "{" not in text:
        return text
    value = (lambda match: escape(facts[match[1]])) if html else (lambda m: facts[m[1]])
    filled = TOKEN.sub(value, text)
    # HTML that was safe stays safe: only escaped facts went into it.
    return mark_safe(filled) if isinstance(text, SafeString) else filled


def fill(text, language, *, html=False):
    return fill_with(facts_for(language), text, html=html)


def fill_all(value, language):
    """Every text in a structure of lists and mappings, filled for a language (for files that
    leave the site, such as a Moodle export, which has no {emergency})."""
    facts = facts_for(language)
    if isinstance(value, str):
        return fill_with(facts, value)
    if isinstance(value, list):
        return [fill_all(item, language) for item in value]
    if isinstance(value, dict):
        return {key: fill_all(item, language) for key, item in value.items()}
    return value
