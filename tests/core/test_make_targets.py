"""Every `make` command the README names, and every target the Makefile declares, has a rule:
`make -n` (print the commands, run none) succeeds for each."""

import re
import subprocess
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
MAKEFILE = (BASE_DIR / "Makefile").read_text()
README = (BASE_DIR / "README.md").read_text()


def declared_targets():
    phony = re.search(r"^\.PHONY:(.*)$", MAKEFILE, re.MULTILINE).group(1).split()
    return set(phony)


def readme_targets():
    """`make x` in the text's code spans, and lines of code blocks that start with make."""
    spans = re.findall(r"`(?:[A-Z_]+=\S* )*make ([a-z][a-z0-9-]*)", README)
    lines = re.findall(r"^make ([a-z][a-z0-9-]*)", README, re.MULTILINE)
    return set(spans) | set(lines)


def test_the_readme_names_only_declared_targets():
    assert readme_targets() <= declared_targets(), readme_targets() - declared_targets()


@pytest.mark.parametrize("target", sorted(declared_targets() | readme_targets()))
def test_each_target_has_a_rule(target):
    result = subprocess.run(
        ["make", "-n", target], cwd=BASE_DIR, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "No rule to make target" not in result.stderr


def test_serve_prod_checks_the_deploy_settings_before_serving():
    result = subprocess.run(
        ["make", "-n", "serve-prod"], cwd=BASE_DIR, capture_output=True, text=True, timeout=60
    )
    commands = result.stdout
    assert commands.index("check --deploy") < commands.index("gunicorn crampcourse.wsgi")
