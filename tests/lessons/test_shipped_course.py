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


def lesson_text(lesson):
    """What a trainee reads on the lesson page, in order: key points first, then the body."""
    return (" ".join(lesson.key_point_list) + " " + lesson.body_html).lower()


def test_every_lesson_cites_at_least_two_sources_with_https_urls(db):
    course, _ = load_course()
    for lesson in course.lessons.all():
        assert len(lesson.sources) >= 2, lesson.slug
        for source in lesson.sources:
            assert source["publisher"], (lesson.slug, source)
            assert source["title"], (lesson.slug, source)
            assert source["url"].startswith("https://"), (lesson.slug, source)


def test_escape_lesson_puts_signal_and_support_before_going_under(db):
    course, _ = load_course()
    lesson = course.lessons.get(slug="escape-algorithm")
    for text in (lesson_text(lesson), lesson.body_html.lower()):
        going_under = text.find("go under")
        assert going_under != -1
        for first in ("signal", "support", "float on your back"):
            assert -1 < text.find(first) < going_under, first


def test_never_go_under_box_comes_before_the_technique(db):
    course, _ = load_course()
    html = course.lessons.get(slug="escape-algorithm").body_html.lower()
    box = html.find("never go under if")
    assert -1 < box < html.find("tuck-and-stretch technique</h2>")
    for reason in ("panicking", "cold or rough", "open water on your own", "no adult close by"):
        assert box < html.find(reason), reason


def test_escape_lesson_teaches_the_technique_in_order_with_a_picture(db):
    course, _ = load_course()
    lesson = course.lessons.get(slug="escape-algorithm")
    html = lesson.body_html.lower()
    assert "escape-algorithm.svg" in html
    steps = [
        "signal for help",
        "get support",
        "float on your back",
        "breathe in",
        "knees to your chest",
        "big toe",
        "straighten that leg",
        "steadily",
        "shin",
        "one try only",
        "rest on your back",
        "tell the lifeguard",
        "do not swim again that day",
    ]
    position = 0
    for step in steps:
        position = html.find(step, position)
        assert position != -1, f"{step!r} missing or out of order"
    assert "only in shallow water" in html
    assert "reach or throw, don't go" in html.replace("&#x27;", "'").replace("’", "'")


def test_first_edition_errors_are_corrected(db):
    course, _ = load_course()
    text = {lesson.slug: lesson_text(lesson) for lesson in course.lessons.all()}
    everything = " ".join(text.values()) + course.body_html.lower()
    for wrong in (
        "clonic",
        "tonic cramp",
        "will not relax",
        "small arteries",
        "sodium in it falls",
    ):
        assert wrong not in everything, wrong
    assert "goes <strong>up</strong>" in text["water-and-electrolytes"]
    assert "huge amounts" in text["water-and-electrolytes"]
    assert "peripheral arterial disease" in text["poor-blood-supply"]
    assert "spasm" not in text["poor-blood-supply"]
    assert "statins" in text["nervous-system-and-other-causes"]
    assert "may help" in text["nervous-system-and-other-causes"]
    assert "often helps" not in everything
    for urgent in ("999", "breathlessness or chest pain", "tetanus", "poison", "ten minutes"):
        assert urgent in text["on-land-prevention-and-doctor"], urgent
    # The escape lesson is the most practical and the longest.
    lengths = {slug: len(body.split()) for slug, body in text.items()}
    assert max(lengths, key=lengths.get) == "escape-algorithm"


def test_course_records_when_it_was_checked_and_when_the_review_is_due(db):
    course, _ = load_course()
    checked, due = course.sources_checked_on, course.next_review_due
    assert checked is not None
    assert (due.year - checked.year, due.month, due.day) == (1, checked.month, checked.day)


def test_illustration_shows_signal_first_and_the_straightened_leg():
    from django.contrib.staticfiles import finders

    path = finders.find("lessons/img/escape-algorithm.svg")
    assert path
    svg = Path(path).read_text(encoding="utf-8")
    title = re.search(r"<title[^>]*>(.*?)</title>", svg, re.S).group(1).lower()
    desc = re.search(r"<desc[^>]*>(.*?)</desc>", svg, re.S).group(1).lower()
    assert 'role="img"' in svg
    assert "aria-labelledby" in svg
    assert title.find("signal") < title.find("stretch")
    assert desc.find("raises one arm") < desc.find("holds the pool wall") < desc.find("floats")
    assert desc.find("floats") < desc.find("breathe in") < desc.find("straightened")
