import pytest
from django.urls import reverse

from lessons.models import LessonProgress
from tests.factories import make_course, make_lesson, make_trainee


@pytest.fixture
def course(db):
    course = make_course("cramp-safety")
    make_lesson(course, "first", title="What a cramp is", order=1)
    make_lesson(course, "second", title="The escape algorithm", order=2)
    return course


def read_url(lesson):
    return reverse("lessons:mark_read", args=[lesson.course.slug, lesson.slug])


def test_trainee_marks_a_lesson_read_and_the_progress_bar_moves(client, trainee, course):
    client.force_login(trainee)
    first = course.lessons.get(slug="first")
    assert 'value="0"' in client.get(course.get_absolute_url()).content.decode()

    response = client.post(read_url(first), follow=True)
    assert "is marked as read" in response.content.decode()
    page = client.get(course.get_absolute_url()).content.decode()
    assert "1 of 2 (50%)" in page
    assert 'value="50"' in page


def test_opening_a_lesson_records_it_as_started(client, trainee, course):
    client.force_login(trainee)
    first = course.lessons.get(slug="first")
    client.get(first.get_absolute_url())
    progress = LessonProgress.objects.get(trainee=trainee, lesson=first)
    assert progress.completed_at is None
    assert "Started" in client.get(course.get_absolute_url()).content.decode()


def test_progress_is_per_trainee(client, trainee, course):
    other = make_trainee()
    first = course.lessons.get(slug="first")
    client.force_login(trainee)
    client.post(read_url(first))
    client.force_login(other)
    assert "0 of 2 (0%)" in client.get(course.get_absolute_url()).content.decode()


def test_marking_read_twice_keeps_the_first_time(client, trainee, course):
    client.force_login(trainee)
    first = course.lessons.get(slug="first")
    client.post(read_url(first))
    when = LessonProgress.objects.get(trainee=trainee, lesson=first).completed_at
    client.post(read_url(first))
    assert LessonProgress.objects.get(trainee=trainee, lesson=first).completed_at == when


def test_mark_as_not_read(client, trainee, course):
    client.force_login(trainee)
    first = course.lessons.get(slug="first")
    client.post(read_url(first))
    client.post(read_url(first), {"unread": "1"})
    assert LessonProgress.objects.get(trainee=trainee, lesson=first).completed_at is None


def test_mark_read_needs_post(client, trainee, course):
    client.force_login(trainee)
    assert client.get(read_url(course.lessons.get(slug="first"))).status_code == 405


def test_previous_and_next_links(client, trainee, course):
    client.force_login(trainee)
    page = client.get(course.lessons.get(slug="first").get_absolute_url()).content.decode()
    assert "Next: The escape algorithm" in page
    assert "Previous" not in page


def test_unpublished_lessons_are_invisible_to_trainees(client, trainee, course):
    hidden = make_lesson(course, "draft", title="Draft lesson", is_published=False)
    client.force_login(trainee)
    assert "Draft lesson" not in client.get(course.get_absolute_url()).content.decode()
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert client.post(read_url(hidden)).status_code == 404
    assert not LessonProgress.objects.filter(lesson=hidden).exists()


def test_unpublished_course_is_invisible_to_trainees(client, trainee, course):
    course.is_published = False
    course.save()
    client.force_login(trainee)
    assert client.get(course.get_absolute_url()).status_code == 404
    assert client.get(course.lessons.first().get_absolute_url()).status_code == 404


def test_admin_previews_unpublished_lessons(client, admin_user, course):
    hidden = make_lesson(course, "draft", title="Draft lesson", is_published=False)
    client.force_login(admin_user)
    page = client.get(hidden.get_absolute_url()).content.decode()
    assert "Preview: this lesson is not published" in page


def test_unknown_lesson_is_404(client, trainee, course):
    client.force_login(trainee)
    assert (
        client.get(reverse("lessons:lesson_detail", args=["cramp-safety", "nope"])).status_code
        == 404
    )


@pytest.mark.parametrize("lesson_count", [3, 30])
def test_course_page_queries_do_not_grow_with_lessons(
    client, trainee, django_assert_max_num_queries, lesson_count
):
    course = make_course("big")
    for _ in range(lesson_count):
        lesson = make_lesson(course)
        LessonProgress.objects.create(trainee=trainee, lesson=lesson)
    client.force_login(trainee)
    with django_assert_max_num_queries(6):
        assert client.get(course.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(lesson.get_absolute_url()).status_code == 200


def test_lesson_body_is_shown_as_formatted_text_and_scripts_are_removed(client, trainee, course):
    lesson = course.lessons.first()
    lesson.body = "## Stay calm\n\nBreathe in.<script>alert(1)</script>"
    lesson.save()
    client.force_login(trainee)
    html = client.get(lesson.get_absolute_url()).content.decode()
    assert "<h2" in html
    assert "Stay calm</h2>" in html
    assert "&lt;h2" not in html
    assert "<script>alert" not in html
