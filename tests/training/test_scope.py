"""An override belongs to one group's assignment; a coach sees only their group's attempts."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from quizzes.services import AttemptRefused, attempts_allowed_for, start_attempt
from tests.factories import add_single, make_coach, make_group, make_quiz
from tests.training.conftest import take
from training.models import QuizOverride
from training.services import assign, remove_trainee, set_override


@pytest.fixture
def exam(db):
    quiz = make_quiz("final-exam", attempts_allowed=1, time_limit_minutes=10, is_published=True)
    add_single(quiz)
    return quiz


@pytest.fixture
def lifeguards(trainee):
    """A second group, coach2's, that the trainee is also in."""
    return make_group("Lifeguards", coaches=[make_coach("coach2")], trainees=[trainee])


def grant(client, coach, group, trainee, assignment, attempts, minutes):
    client.force_login(coach)
    prefix = f"a{assignment.pk}"
    return client.post(
        reverse("training:override_set", args=[group.pk, trainee.pk, assignment.pk]),
        {f"{prefix}-extra_attempts": str(attempts), f"{prefix}-extra_minutes": str(minutes)},
    )


def test_an_override_by_one_coach_never_changes_another_groups_exam(
    client, coach, group, trainee, lifeguards, exam, quiz
):
    """coach1 grants time on the Dolphins' quiz; the Lifeguards' exam keeps its own limits."""
    assign(lifeguards, exam)
    dolphins_quiz = assign(group, quiz)
    assert grant(client, coach, group, trainee, dolphins_quiz, 3, 60).status_code == 302
    # coach1 cannot reach the Lifeguards' exam at all.
    coach2_exam = lifeguards.assignments.get()
    assert grant(client, coach, lifeguards, trainee, coach2_exam, 3, 60).status_code == 404
    now = timezone.now()
    attempt = start_attempt(exam, trainee, now=now)
    assert attempt.deadline == now + timedelta(minutes=10)
    take(exam, trainee, right=(1,))
    with pytest.raises(AttemptRefused):
        start_attempt(exam, trainee)


def test_two_groups_assigning_one_quiz_give_the_larger_allowance_not_the_sum(
    client, coach, group, trainee, lifeguards, exam
):
    dolphins_exam, lifeguards_exam = assign(group, exam), assign(lifeguards, exam)
    grant(client, coach, group, trainee, dolphins_exam, 1, 5)
    set_override(lifeguards_exam, trainee, extra_attempts=2, extra_minutes=3)
    now = timezone.now()
    assert start_attempt(exam, trainee, now=now).deadline == now + timedelta(minutes=15)
    assert attempts_allowed_for(exam, trainee) == 3  # 1 + the larger of 1 and 2


def test_an_override_ends_with_the_membership(client, coach, group, trainee, exam):
    assignment = assign(group, exam)
    grant(client, coach, group, trainee, assignment, 2, 30)
    client.post(reverse("training:membership_remove", args=[group.pk, trainee.pk]))
    assert not QuizOverride.objects.exists()
    now = timezone.now()
    assert start_attempt(exam, trainee, now=now).deadline == now + timedelta(minutes=10)
    # Nor can the coach grant one to someone no longer in the group.
    assert grant(client, coach, group, trainee, assignment, 2, 30).status_code == 404


def test_an_override_of_a_group_the_trainee_left_is_not_counted(group, trainee, exam, coach):
    """Even a row left behind (e.g. made in the admin) counts only while the membership runs."""
    assignment = assign(group, exam)
    QuizOverride.objects.create(assignment=assignment, trainee=trainee, extra_minutes=30)
    membership = group.memberships.get(trainee=trainee)
    membership.removed_at = timezone.now()
    membership.save()
    now = timezone.now()
    assert start_attempt(exam, trainee, now=now).deadline == now + timedelta(minutes=10)


def test_a_coach_cannot_open_an_attempt_at_a_quiz_not_assigned_in_their_group(
    client, coach, group, trainee, lifeguards, exam, quiz
):
    assign(group, quiz)
    assign(lifeguards, exam)
    theirs = take(quiz, trainee, right=(1,))
    elsewhere = take(exam, trainee, right=(1,))
    client.force_login(coach)
    assert client.get(reverse("quizzes:attempt_result", args=[theirs.pk])).status_code == 200
    assert client.get(reverse("quizzes:attempt_result", args=[elsewhere.pk])).status_code == 404
    page = client.get(reverse("training:trainee_detail", args=[group.pk, trainee.pk]))
    text = page.content.decode()
    assert quiz.title in text
    assert exam.title not in text


def test_a_coach_sees_no_attempt_made_before_joining_or_after_leaving(
    client, coach, group, trainee, quiz
):
    assign(group, quiz)
    membership = group.memberships.get(trainee=trainee)
    before = take(quiz, trainee, right=(1,), now=membership.joined_at - timedelta(days=2))
    remove_trainee(membership, now=timezone.now() - timedelta(minutes=1))
    after = take(quiz, trainee, right=(1,))
    client.force_login(coach)
    for attempt in (before, after):
        url = reverse("quizzes:attempt_result", args=[attempt.pk])
        assert client.get(url).status_code == 404
