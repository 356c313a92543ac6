"""The result page says what a trainee needs next: how long it took in words that fit, the
lesson to read again as a link, and what a passed final does not yet give them."""

from datetime import timedelta

import pytest
from django.urls import reverse

from certification.models import Certification, PracticalItem
from crampcourse.templatetags.durations import duration
from tests.factories import add_escape_ordering, add_single, make_lesson, make_quiz
from tests.training.conftest import take


@pytest.mark.parametrize(
    ("seconds", "said"),
    [
        (0, "0 seconds"),
        (1, "1 second"),
        (42, "42 seconds"),  # before: "0 minutes"
        (60, "1 minute"),
        (119, "1 minute"),
        (3600, "1 hour"),
        (3900, "1 hour 5 minutes"),
    ],
)
def test_durations_read_as_people_say_them(seconds, said):
    assert duration(timedelta(seconds=seconds)) == said


def result_page(client, trainee, attempt):
    client.force_login(trainee)
    return client.get(reverse("quizzes:attempt_result", args=[attempt.pk])).content.decode()


def test_a_missed_must_pass_question_links_the_lesson_to_read(client, trainee):
    lesson = make_lesson(title="Escape in deep water", is_published=True)
    quiz = make_quiz(lesson=lesson, is_published=True, attempts_allowed=None)
    add_single(quiz)
    add_escape_ordering(quiz, must_pass=True)
    attempt = take(quiz, trainee, right=(1,))
    page = result_page(client, trainee, attempt)
    assert f'<a href="{lesson.get_absolute_url()}">Read “Escape in deep water” again</a>' in page
    assert "time taken" in page
    assert "0 minutes" not in page


def test_a_passed_final_says_the_practical_is_still_to_do(client, trainee):
    final = make_quiz("final", is_published=True)
    add_single(final)
    certification = Certification.objects.create(slug="first-response", title="First response")
    certification.quizzes.add(final)
    PracticalItem.objects.create(certification=certification, text="Floats")
    passed = take(final, trainee, right=(1,))
    page = result_page(client, trainee, passed)
    assert "counts towards “First response”" in page
    assert "to an assessor from your club" in page
    # A club badge marked at practice says the coach; a quiz that certifies nothing says nothing.
    certification.assessed_in_session = False
    certification.save()
    assert "show the skills at the pool to your coach" in result_page(client, trainee, passed)
    certification.quizzes.clear()
    assert "counts towards" not in result_page(client, trainee, passed)
