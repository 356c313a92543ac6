"""The admin shows a lesson and a course introduction as they will look, not as HTML source."""

from django.urls import reverse

from tests.factories import make_course, make_lesson

BODY = "Pull the **toes** toward the shin.\n\n<script>alert('x')</script>"


def test_lesson_preview_shows_the_rendered_lesson(staff_client):
    lesson = make_lesson(body=BODY)
    page = staff_client.get(reverse("admin:lessons_lesson_change", args=[lesson.pk]))
    html = page.content.decode()
    assert '<div class="lesson-preview"><p>Pull the <strong>toes</strong>' in html
    assert "&lt;strong&gt;" not in html
    assert "<script>alert" not in html  # still sanitised


def test_course_preview_shows_the_rendered_introduction(staff_client):
    course = make_course(body=BODY)
    page = staff_client.get(reverse("admin:lessons_course_change", args=[course.pk]))
    html = page.content.decode()
    assert "<p>Pull the <strong>toes</strong>" in html
    assert "&lt;strong&gt;" not in html
    assert "<script>alert" not in html
