"""Coach and trainee pages run a fixed number of queries, at 5 and at 50 trainees."""

import pytest
from django.urls import reverse

from lessons.services import mark_lesson_read
from tests.factories import (
    add_escape_ordering,
    add_single,
    make_group,
    make_lesson,
    make_quiz,
    make_trainee,
)
from tests.training.conftest import take
from training.models import TimeMultiplier
from training.services import assign, set_override


def build(size, coach):
    """A group of `size` trainees with size // 5 + 1 lessons and quizzes, half of them done;
    a third of the trainees have a time multiplier."""
    group = make_group(f"Squad {size}", coaches=[coach])
    trainees = [make_trainee(f"s{size}_{n}") for n in range(size)]
    for index, trainee in enumerate(trainees):
        # Every third trainee has longer on timed quizzes (a marker on the dashboard).
        multiplier = TimeMultiplier.HALF_LONGER if index % 3 == 0 else TimeMultiplier.USUAL
        group.memberships.create(trainee=trainee, time_multiplier=multiplier.value)
    quizzes = []
    for n in range(size // 5 + 1):
        lesson = make_lesson(is_published=True)
        quiz = make_quiz(attempts_allowed=3, is_published=True)
        add_single(quiz)
        add_escape_ordering(quiz, must_pass=True)
        quizzes.append(quiz)
        assign(group, lesson)
        assignment = assign(group, quiz)
        set_override(assignment, trainees[0], extra_attempts=1)
        for index, trainee in enumerate(trainees):
            if index % 2 == 0:
                mark_lesson_read(trainee, lesson)
            if n == 0 or index % 10 == 0:  # one quiz done by all; the others by a few
                take(quiz, trainee, right=(1, 2) if index % 3 else (1,))
    return group, trainees, quizzes


@pytest.mark.parametrize("size", [5, 50])
def test_coach_pages_keep_their_query_count(client, coach, db, django_assert_max_num_queries, size):
    group, trainees, quizzes = build(size, coach)
    make_group("Other squad", coaches=[coach], trainees=trainees[:3])
    client.force_login(coach)
    pages = {
        reverse("training:coach_groups"): 5,
        reverse("training:group_dashboard", args=[group.pk]): 10,
        reverse("training:group_dashboard", args=[group.pk]) + "?sort=progress&overdue=1": 10,
        reverse("training:group_export_csv", args=[group.pk]): 10,
        reverse("training:group_members", args=[group.pk]): 6,
        reverse("training:trainee_detail", args=[group.pk, trainees[0].pk]): 11,
        reverse("training:quiz_analysis", args=[group.pk, quizzes[0].pk]): 8,
        reverse("training:assignment_create", args=[group.pk]): 7,
    }
    for url, most in pages.items():
        with django_assert_max_num_queries(most):
            assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("size", [5, 50])
def test_trainee_pages_keep_their_query_count(
    client, coach, db, django_assert_max_num_queries, size
):
    _, trainees, _ = build(size, coach)
    trainee = trainees[0]
    for n in range(size // 5):
        assign(make_group(f"Extra {n}", trainees=[trainee]), make_lesson(is_published=True))
    client.force_login(trainee)
    for url, most in {
        reverse("training:my_assignments"): 6,
        reverse("training:my_results"): 5,
    }.items():
        with django_assert_max_num_queries(most):
            assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("size", [5, 50])
def test_onboarding_pages_keep_their_query_count(
    client, coach, db, django_assert_max_num_queries, size
):
    group, trainees, _ = build(size, coach)
    client.force_login(coach)
    names = "\n".join(f"Swimmer Number{n}" for n in range(size))
    client.post(reverse("training:roster", args=[group.pk]), {"names": names})
    for n in range(size):
        group.invitations.create(email=f"kid{n}@example.com")
    coach_pages = {
        reverse("training:roster", args=[group.pk]): 5,
        reverse("training:roster_cards", args=[group.pk]): 5,
        reverse("training:roster_cards_csv", args=[group.pk]): 5,
        reverse("training:group_members", args=[group.pk]): 6,
    }
    for url, most in coach_pages.items():
        with django_assert_max_num_queries(most):
            assert client.get(url).status_code == 200, url
    trainee = trainees[0]
    for n in range(size // 5):
        make_group(f"Extra {n}", coaches=[coach], trainees=[trainee])
    client.force_login(trainee)
    trainee_pages = {
        reverse("accounts:my_account"): 6,  # + 1: whether the address is confirmed
        # organisations adds staff roles and offers; accounts the proof of the address
        reverse("accounts:download_data"): 15,
        # + 1: the rate-limit counts for wrong join codes, read in one go (database cache).
        reverse("training:join_link", args=[group.join_code]): 6,
    }
    for url, most in trainee_pages.items():
        with django_assert_max_num_queries(most):
            assert client.get(url).status_code == 200, url
    client.logout()
    with django_assert_max_num_queries(4):
        assert client.get(reverse("training:join_link", args=[group.join_code])).status_code == 200
