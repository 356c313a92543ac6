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
