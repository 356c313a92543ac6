"""Lessons show their sources; the course shows when it was checked and when review is due."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from lessons.course_files import CourseFileError, load_course
from lessons.models import Lesson, twelve_months_after
from tests.factories import make_course, make_lesson

NHS = {
    "publisher": "NHS",
    "title": "Leg cramps",
    "url": "https://www.nhs.uk/conditions/leg-cramps/",
}


@pytest.fixture
def lesson(db):
    course = make_course(
        "cramp-safety",
        sources_checked_on=datetime.date(2026, 11, 25),
        next_review_due=datetime.date(2027, 11, 25),
    )
    return make_lesson(course, "escape", title="Escape", sources=[NHS])


def test_lesson_page_lists_its_sources_under_a_heading(client, trainee, lesson):
    client.force_login(trainee)
    page = client.get(lesson.get_absolute_url()).content.decode()
    assert '<h2 id="sources-title">Sources</h2>' in page
    assert '<span lang="en">NHS</span>: <a href="https://www.nhs.uk/conditions/leg-cramps/"' in page
    assert "Checked against these sources on 25 November 2026" in page


def test_course_page_shows_the_check_and_the_next_review(client, trainee, lesson):
    client.force_login(trainee)
    page = client.get(lesson.course.get_absolute_url()).content.decode()
    assert "Checked against sources on 25 November 2026" in page
    assert "Next review due 25 November 2027" in page


def test_review_due_in_twelve_months_even_from_a_leap_day():
    assert twelve_months_after(datetime.date(2026, 11, 25)) == datetime.date(2027, 11, 25)
    assert twelve_months_after(datetime.date(2028, 2, 29)) == datetime.date(2029, 2, 28)


def test_admin_filters_lessons_due_for_review(staff_client, lesson):
    overdue = make_course("old-course", next_review_due=timezone.localdate())
    stale = make_lesson(overdue, "stale", title="Stale lesson")
    never = make_lesson(make_course("unchecked"), "unchecked", title="Never checked lesson")
    url = reverse("admin:lessons_lesson_changelist")

    due = staff_client.get(url, {"review": "due"}).content.decode()
    assert stale.title in due
    assert never.title in due
    assert ">Escape<" not in due
    current = staff_client.get(url, {"review": "current"}).content.decode()
    assert ">Escape<" in current
    assert stale.title not in current
    assert "Due for review" in current


def test_admin_course_list_shows_the_review_dates(staff_client, lesson):
    page = staff_client.get(reverse("admin:lessons_course_changelist")).content.decode()
    assert "25 Nov 2027" in page
    assert "checked against sources on" in page.lower()


def test_a_source_without_https_is_refused(lesson):
    lesson.sources = [{**NHS, "url": "javascript:alert(1)"}]
    with pytest.raises(ValidationError, match="https"):
        lesson.full_clean()


def test_a_course_file_with_a_bad_source_loads_nothing(tmp_path, db):
    (tmp_path / "lessons").mkdir()
    (tmp_path / "course.md").write_text("---\nslug: c\ntitle: C\n---\nHi\n")
    (tmp_path / "lessons" / "01-a.md").write_text(
        "---\nslug: a\ntitle: A\norder: 1\nsources:\n  - publisher: NHS\n"
        "    title: Leg cramps\n    url: http://www.nhs.uk/\n---\nBody\n"
    )
    with pytest.raises(CourseFileError, match="https://"):
        load_course(tmp_path)
    assert not Lesson.objects.exists()


def test_course_file_without_a_due_date_gets_one_twelve_months_on(tmp_path, db):
    (tmp_path / "lessons").mkdir()
    (tmp_path / "course.md").write_text(
        "---\nslug: c\ntitle: C\nchecked_against_sources_on: 2026-03-01\n---\nHi\n"
    )
    course, _ = load_course(tmp_path)
    assert course.next_review_due == datetime.date(2027, 3, 1)
