"""The admin shows a lesson and a course introduction as they will look, not as HTML source."""

import pytest
from django.urls import reverse

from tests.factories import make_course, make_lesson

BODY = "Pull the **toes** toward the shin.\n\n<script>alert('x')</script>"


@pytest.mark.parametrize(
    ("make", "admin_url"),
    [(make_lesson, "admin:lessons_lesson_change"), (make_course, "admin:lessons_course_change")],
)
def test_the_preview_shows_the_rendered_body(staff_client, make, admin_url):
    row = make(body=BODY)
    html = staff_client.get(reverse(admin_url, args=[row.pk])).content.decode()
    assert '<div class="lesson-preview"><p>Pull the <strong>toes</strong>' in html
    assert "&lt;strong&gt;" not in html
    assert "<script>alert" not in html  # still sanitised


def test_the_lesson_editor_shows_a_screenful_in_the_sites_style(staff_client):
    lesson = make_lesson(body=BODY)
    html = staff_client.get(reverse("admin:lessons_lesson_change", args=[lesson.pk])).content
    html = html.decode()
    assert 'name="body" cols="100" rows="28"' in html  # not 6 lines
    assert "lessons/admin-preview.css" in html  # the preview reads as the lesson page does


def _lesson_form(staff_client, lesson):
    """The change form's own data, as the browser would send it back."""
    form = (
        staff_client.get(reverse("admin:lessons_lesson_change", args=[lesson.pk]))
        .context["adminform"]
        .form
    )
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.pop("sources", None)
    data["course"] = lesson.course_id
    return data


def test_sources_are_rows_of_boxes_not_json(staff_client):
    source = {
        "publisher": "NHS",
        "title": "Leg cramps",
        "url": "https://www.nhs.uk/conditions/leg-cramps/",
    }
    lesson = make_lesson(body=BODY, sources=[source])
    url = reverse("admin:lessons_lesson_change", args=[lesson.pk])
    html = staff_client.get(url).content.decode()
    assert 'name="sources-0-publisher" value="NHS"' in html
    assert 'name="sources-rows" value="3"' in html  # the source and two empty rows
    data = _lesson_form(staff_client, lesson) | {
        "sources-rows": "3",
        "sources-0-publisher": "NHS", "sources-0-title": "Leg cramps",
        "sources-0-url": source["url"], "sources-0-confirmed_on": "2026-12-03",
        "sources-1-publisher": "RNLI", "sources-1-title": "Float to live",
        "sources-1-url": "https://rnli.org/safety/float",
        "sources-2-publisher": "", "sources-2-title": "", "sources-2-url": "",
    }  # fmt: skip
    assert staff_client.post(url, data).status_code == 302
    lesson.refresh_from_db()
    assert lesson.sources == [
        {**source, "confirmed_on": "2026-12-03"},
        {"publisher": "RNLI", "title": "Float to live", "url": "https://rnli.org/safety/float"},
    ]  # the empty row is dropped
    data["sources-1-url"] = "http://rnli.org/safety/float"
    refused = staff_client.post(url, data)
    assert refused.status_code == 200
    assert "Source 2 needs a url that starts with https://." in refused.content.decode()
    assert 'name="sources-1-url" value="http://rnli.org/safety/float"' in refused.content.decode()


def test_hints_are_a_box_each(staff_client):
    from tests.factories import add_single, make_quiz

    question = add_single(make_quiz(), hints=["Think of the calf."])
    html = staff_client.get(reverse("admin:quizzes_question_change", args=[question.pk]))
    html = html.content.decode()
    assert ">Think of the calf.</textarea>" in html
    assert 'name="hints-rows" value="3"' in html
