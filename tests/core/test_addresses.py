"""Lesson and quiz addresses are remembered, and stay right when what they depend on changes."""

from django.urls import clear_script_prefix, set_script_prefix

from tests.factories import make_lesson, make_quiz


def test_a_lessons_address_follows_its_slug(db):
    lesson = make_lesson(slug="calf-cramp", is_published=True)
    assert lesson.get_absolute_url() == f"/course/{lesson.course.slug}/calf-cramp/"
    lesson.slug = "calf-cramps"
    assert lesson.get_absolute_url() == f"/course/{lesson.course.slug}/calf-cramps/"


def test_addresses_follow_the_script_prefix(db):
    quiz = make_quiz(slug="final-check")
    assert quiz.get_absolute_url() == "/quizzes/final-check/"
    set_script_prefix("/swim/")  # a server mounted under /swim/
    try:
        assert quiz.get_absolute_url() == "/swim/quizzes/final-check/"
    finally:
        clear_script_prefix()
    assert quiz.get_absolute_url() == "/quizzes/final-check/"
