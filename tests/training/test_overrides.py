"""A coach's extra time or attempts for one trainee are honoured by the quiz."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from quizzes.services import AttemptRefused, start_attempt
from tests.factories import add_single, make_group, make_quiz, make_trainee
from tests.training.conftest import take
from training.models import QuizOverride
from training.services import assign, set_override


@pytest.fixture
def timed_quiz(quiz):
    quiz.time_limit_minutes = 10
    quiz.attempts_allowed = 1
    quiz.save()
    return quiz


def test_coach_grants_extra_time_and_attempts_from_the_trainee_page(
    client, coach, group, trainee, timed_quiz
):
    assignment = assign(group, timed_quiz)
    take(timed_quiz, trainee, right=(1,))
    with pytest.raises(AttemptRefused):
        start_attempt(timed_quiz, trainee)
    client.force_login(coach)
    url = reverse("training:override_set", args=[group.pk, trainee.pk, assignment.pk])
    prefix = f"a{assignment.pk}"
    data = {f"{prefix}-extra_attempts": "1", f"{prefix}-extra_minutes": "15"}
    assert client.post(url, data).status_code == 302
    now = timezone.now()
    attempt = start_attempt(timed_quiz, trainee, now=now)
    assert attempt.number == 2
    assert attempt.deadline == now + timedelta(minutes=25)


def test_override_applies_to_that_trainee_only(group, trainee, timed_quiz, coach):
    from training.services import set_override

    classmate = make_trainee("classmate")
    group.memberships.create(trainee=classmate)
    assignment = assign(group, timed_quiz)
    set_override(assignment, trainee, extra_minutes=20, granted_by=coach)
    now = timezone.now()
    assert start_attempt(timed_quiz, classmate, now=now).deadline == now + timedelta(minutes=10)


@pytest.mark.parametrize("value", ["-1", "lots", "999"])
def test_bad_allowance_is_refused_with_a_message(client, coach, group, trainee, timed_quiz, value):
    assignment = assign(group, timed_quiz)
    client.force_login(coach)
    url = reverse("training:override_set", args=[group.pk, trainee.pk, assignment.pk])
    prefix = f"a{assignment.pk}"
    response = client.post(url, {f"{prefix}-extra_attempts": value, f"{prefix}-extra_minutes": "0"})
    assert not QuizOverride.objects.exists()
    assert response.status_code == 400
    assert "The allowance was not saved" in response.content.decode()


def test_zero_and_zero_removes_the_override(client, coach, group, trainee, timed_quiz):
    from training.services import set_override

    assignment = assign(group, timed_quiz)
    set_override(assignment, trainee, extra_attempts=2, granted_by=coach)
    client.force_login(coach)
    url = reverse("training:override_set", args=[group.pk, trainee.pk, assignment.pk])
    prefix = f"a{assignment.pk}"
    client.post(url, {f"{prefix}-extra_attempts": "0", f"{prefix}-extra_minutes": "0"})
    assert not QuizOverride.objects.exists()


@pytest.mark.parametrize("size", [2, 12])
def test_quiz_list_reads_extra_attempts_in_one_go(
    client, coach, group, trainee, db, django_assert_max_num_queries, size
):
    """Each quiz below is used up and not passed; the first has an extra attempt from the coach,
    so it is only "not passed yet", the rest are failed. The list costs the same however many."""
    from training.services import set_override

    quizzes = []
    for number in range(size):
        quiz = make_quiz(f"limited-{number}", attempts_allowed=1)
        add_single(quiz)
        assignment = assign(group, quiz)
        take(quiz, trainee, right=())
        quizzes.append((quiz, assignment))
    set_override(quizzes[0][1], trainee, extra_attempts=1, granted_by=coach)
    client.force_login(trainee)
    with django_assert_max_num_queries(7):
        page = client.get(reverse("quizzes:quiz_list")).content.decode()
    assert page.count("Failed") == size - 1
    assert page.count("Not passed yet") == 1


def test_my_assignments_counts_an_extra_attempt_from_any_of_the_trainees_groups(
    client, coach, group, trainee, timed_quiz
):
    take(timed_quiz, trainee, right=(1,))  # its one attempt, failed
    assign(group, timed_quiz)
    other = make_group("Sharks", coaches=[coach], trainees=[trainee])
    other_assignment = assign(other, timed_quiz)
    client.force_login(trainee)
    url = reverse("training:my_assignments")
    assert "Failed" in client.get(url).content.decode()
    set_override(other_assignment, trainee, extra_attempts=1, granted_by=coach)
    page = client.get(url).content.decode()
    assert "Failed" not in page
    assert "Not passed yet" in page
    assert "Retake" in page
