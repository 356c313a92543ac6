"""The course we ship: written in our own words, complete, and loadable."""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings

from lessons.course_files import default_course_dir, load_course

SOURCE = Path(settings.BASE_DIR).parent / "shared" / "seed" / "000_fdc75f12394d0e50.txt"
WORD = re.compile(r"[a-z0-9']+")
RUN = 8


def course_files():
    return sorted(p for p in default_course_dir().rglob("*") if p.suffix in {".md", ".yaml"})


def runs(text, length=RUN):
    words = WORD.findall(text.lower())
    return {" ".join(words[i : i + length]) for i in range(len(words) - length + 1)}


@pytest.fixture(scope="module")
def source_runs():
    if not SOURCE.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"source article not found at {SOURCE}")
        pytest.skip(f"source article not found at {SOURCE} (shared/ is not beside the repo)")
    return runs(SOURCE.read_text(encoding="utf-8"))


def test_course_files_exist():
    names = [p.name for p in course_files()]
    assert "course.md" in names
    assert len([n for n in names if n.endswith(".md")]) >= 7


@pytest.mark.parametrize("path", course_files(), ids=lambda p: p.name)
def test_no_eight_word_run_of_the_source(path, source_runs):
    shared = runs(path.read_text(encoding="utf-8")) & source_runs
    assert not shared, f"{path.name} repeats the source: {sorted(shared)[:3]}"


@pytest.mark.parametrize("path", course_files(), ids=lambda p: p.name)
def test_no_cyrillic(path):
    assert not re.search(r"[\u0400-\u04FF]", path.read_text(encoding="utf-8"))


def test_shipped_course_loads_with_key_points_everywhere(db):
    course, _report = load_course()
    lessons = list(course.lessons.all())
    assert 6 <= len(lessons) <= 8
    assert all(len(lesson.key_point_list) >= 3 for lesson in lessons)
    assert "not medical advice" in course.body_html


def test_escape_lesson_teaches_the_steps_in_order_with_a_picture(db):
    course, _ = load_course()
    lesson = course.lessons.get(slug="escape-algorithm")
    html = lesson.body_html.lower()
    assert "escape-algorithm.svg" in html
    steps = ["breathe in", "knees to your chest", "big toes", "shin"]
    positions = [html.find(step) for step in steps]
    assert -1 not in positions, positions
    assert positions == sorted(positions)


def test_illustration_is_served_from_the_app(client, db):
    from django.contrib.staticfiles import finders

    assert finders.find("lessons/img/escape-algorithm.svg")
