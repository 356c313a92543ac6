"""The catalogues are complete: every string marked in the code has its translation.

`makemessages` is run over a copy of the project (so the working tree is never touched), as
`make messages` runs it; then GNU msgfmt checks each language's catalogue: no entry
untranslated, none fuzzy, and every placeholder of an English string present in its
translation (`--check-format`: a broken `%(name)s` would fail at run time, or show the wrong value).
"""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
IGNORED = [".git", ".venv", "var", "node_modules", "tests", "bench", "__pycache__", "*.mo"]
STATISTICS = re.compile(
    r"(?P<translated>\d+) translated messages?"
    r"(?:, (?P<fuzzy>\d+) fuzzy translations?)?"
    r"(?:, (?P<untranslated>\d+) untranslated messages?)?"
)
LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


@pytest.fixture(scope="module")
def gathered(tmp_path_factory):
    """A copy of the project with every marked string gathered into its catalogues."""
    copy = tmp_path_factory.mktemp("project") / "project"
    shutil.copytree(BASE_DIR, copy, ignore=shutil.ignore_patterns(*IGNORED), symlinks=True)
    for language in LANGUAGES:
        for domain in ("django", "djangojs"):
            command = [sys.executable, "manage.py", "makemessages", "-l", language]
            command += ["-d", domain, "--no-obsolete", "-v", "0"]
            subprocess.run(command, cwd=copy, check=True, capture_output=True, timeout=300)
    return copy


def catalogues(root, language):
    return sorted(root.glob(f"**/locale/{language}/LC_MESSAGES/*.po"))


def check(catalogue):
    result = subprocess.run(
        [
            "msgfmt",
            "--check-format",
            "--check-domain",
            "--statistics",
            "-o",
            "/dev/null",
            str(catalogue),
        ],
        capture_output=True,
        text=True,
    )
    counts = STATISTICS.search(result.stderr)
    return result.returncode, result.stderr, counts


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_marked_string_is_translated(gathered, language):
    found = catalogues(gathered, language)
    assert found, f"no catalogues for {language}"
    incomplete = {}
    for catalogue in found:
        returncode, output, counts = check(catalogue)
        name = str(catalogue.relative_to(gathered))
        if returncode != 0:
            incomplete[name] = output.strip()[-300:]
        elif int(counts["fuzzy"] or 0) or int(counts["untranslated"] or 0):
            incomplete[name] = counts.group(0)
    assert incomplete == {}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_committed_catalogues_hold_every_string(gathered, language):
    """Nothing marked in the code is missing from the catalogues in the repository (run
    `make messages` and translate the new entries)."""
    missing = {}
    for catalogue in catalogues(gathered, language):
        committed = BASE_DIR / catalogue.relative_to(gathered)
        wanted = set(re.findall(r'^msgid "(.+)"$', catalogue.read_text(), re.MULTILINE))
        held = (
            set(re.findall(r'^msgid "(.+)"$', committed.read_text(), re.MULTILINE))
            if committed.exists()
            else set()
        )
        if wanted - held:
            missing[str(committed.relative_to(BASE_DIR))] = sorted(wanted - held)[:5]
    assert missing == {}


def test_a_broken_placeholder_fails_the_check(tmp_path):
    """The check itself: a translation that drops a named placeholder is refused."""
    catalogue = tmp_path / "django.po"
    catalogue.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        "#, python-format\n"
        'msgid "%(count)s questions"\nmsgstr "%(cuont)s вопросов"\n'
    )
    returncode, _output, _counts = check(catalogue)
    assert returncode != 0
