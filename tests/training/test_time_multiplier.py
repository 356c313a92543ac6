"""A coach's time multiplier for one trainee stretches every timed quiz of the group."""

import re
from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from quizzes.services import start_attempt, time_limit_for
from tests.factories import add_single, make_coach, make_group, make_quiz, make_trainee
from training.models import Membership, TimeMultiplier
from training.services import assign, remove_trainee, set_override, set_time_multiplier


def timed_quiz(minutes, slug=None):
    quiz = make_quiz(slug, time_limit_minutes=minutes, attempts_allowed=None, is_published=True)
    add_single(quiz)
    return quiz


def give(group, trainee, multiplier):
    set_time_multiplier(group.memberships.get(trainee=trainee), Decimal(multiplier))


def deadline_minutes(quiz, trainee):
    now = timezone.now()
    return (start_attempt(quiz, trainee, now=now).deadline - now) / timedelta(minutes=1)


def post_time(client, group, trainee, value):
    url = reverse("training:time_multiplier_set", args=[group.pk, trainee.pk])
    return client.post(url, {"time_multiplier": value})


# The rule ---------------------------------------------------------------------------------


def test_one_and_a_half_times_on_a_20_minute_quiz_gives_a_30_minute_deadline(group, trainee):
    quiz = timed_quiz(20)
    assign(group, quiz)
    give(group, trainee, "1.5")
    assert deadline_minutes(quiz, trainee) == 30


def test_one_and_a_quarter_on_10_minutes_rounds_up_to_13(group, trainee):
    quiz = timed_quiz(10)
    assign(group, quiz)
    give(group, trainee, "1.25")
    assert time_limit_for(quiz, trainee) == 13  # 12.5 minutes, rounded up
    assert deadline_minutes(quiz, trainee) == 13


def test_the_multiplier_and_extra_minutes_on_the_quiz_add_up(group, trainee, coach):
    quiz = timed_quiz(20)
    set_override(assign(group, quiz), trainee, extra_minutes=5, granted_by=coach)
    give(group, trainee, "1.5")
    assert deadline_minutes(quiz, trainee) == 35  # 20 x 1.5, then 5 more


def test_the_largest_multiplier_of_two_groups_assigning_the_quiz_counts(group, trainee):
    quiz = timed_quiz(20)
    lifeguards = make_group("Lifeguards", coaches=[make_coach()], trainees=[trainee])
    assign(group, quiz)
    assign(lifeguards, quiz)
    give(group, trainee, "2")
    give(lifeguards, trainee, "1.25")
    assert deadline_minutes(quiz, trainee) == 40


def test_a_group_where_the_quiz_is_not_assigned_gives_no_multiplier(group, trainee):
    quiz = timed_quiz(20)
    lifeguards = make_group("Lifeguards", coaches=[make_coach()], trainees=[trainee])
    assign(lifeguards, quiz)
    give(group, trainee, "2")  # the Dolphins did not set this quiz
    assert deadline_minutes(quiz, trainee) == 20


def test_an_ended_membership_gives_no_multiplier(group, trainee):
    quiz = timed_quiz(20)
    assign(group, quiz)
    # Even a value left on the row (e.g. set in the admin) counts only while the membership runs.
    Membership.objects.filter(group=group, trainee=trainee).update(
        time_multiplier=Decimal("2.00"), removed_at=timezone.now()
    )
    assert deadline_minutes(quiz, trainee) == 20


def test_removing_the_trainee_ends_the_multiplier_so_it_does_not_return_on_rejoining(
    group, trainee
):
    give(group, trainee, "1.5")
    remove_trainee(group.memberships.get(trainee=trainee))
    membership = group.memberships.get(trainee=trainee)
    assert membership.time_multiplier == TimeMultiplier.USUAL
    assert membership.removed_at is not None


def test_the_multiplier_leaves_an_untimed_quiz_untimed(group, trainee):
    quiz = make_quiz(attempts_allowed=None)
    add_single(quiz)
    assign(group, quiz)
    give(group, trainee, "2")
    assert start_attempt(quiz, trainee).deadline is None


def test_the_quiz_closing_still_cuts_the_deadline_short(group, trainee):
    now = timezone.now()
    quiz = timed_quiz(20)
    quiz.closes_at = now + timedelta(minutes=25)
    quiz.save()
    assign(group, quiz)
    give(group, trainee, "2")
    assert start_attempt(quiz, trainee, now=now).deadline == quiz.closes_at


def test_the_database_refuses_a_multiplier_outside_the_choices(group, trainee):
    memberships = Membership.objects.filter(group=group, trainee=trainee)
    with pytest.raises(IntegrityError), transaction.atomic():
        memberships.update(time_multiplier=Decimal("3"))
    assert memberships.get().time_multiplier == TimeMultiplier.USUAL


# The coach's form -------------------------------------------------------------------------


def test_coach_sets_the_multiplier_on_the_trainees_page_and_sees_it_confirmed(
    client, coach, group, trainee
):
    client.force_login(coach)
    page = client.get(reverse("training:trainee_detail", args=[group.pk, trainee.pk]))
    assert 'name="time_multiplier"' in page.content.decode()
    response = post_time(client, group, trainee, "1.50")
    assert response.status_code == 302
    assert group.memberships.get(trainee=trainee).time_multiplier == Decimal("1.5")
    page = client.get(response["Location"]).content.decode()
    assert "Saved: trainee_a has 1.5 times the usual time on every timed quiz in Dolphins." in page
    assert re.search(r'value="1\.50"[^>]* checked', page)  # the form shows what is saved


@pytest.mark.parametrize("value", ["1.75", "3", "0.5", "lots", ""])
def test_coach_form_refuses_any_other_time_with_a_message(client, coach, group, trainee, value):
    give(group, trainee, "1.25")
    client.force_login(coach)
    response = post_time(client, group, trainee, value)
    assert response.status_code == 400
    page = response.content.decode()
    assert "The time was not saved" in page
    assert "Choose one of the times in the list" in page
    assert group.memberships.get(trainee=trainee).time_multiplier == Decimal("1.25")


def test_another_coach_cannot_set_the_multiplier(client, group, trainee):
    client.force_login(make_coach("coach_b"))
    assert post_time(client, group, trainee, "2.00").status_code == 404
    assert group.memberships.get(trainee=trainee).time_multiplier == TimeMultiplier.USUAL


def test_a_trainee_not_in_the_coachs_group_is_a_404(client, coach, group):
    stranger = make_trainee("stranger")
    make_group("Sharks", coaches=[make_coach()], trainees=[stranger])
    client.force_login(coach)
    assert post_time(client, group, stranger, "2.00").status_code == 404
    assert Membership.objects.get(trainee=stranger).time_multiplier == TimeMultiplier.USUAL


def test_a_removed_trainee_gets_no_multiplier_and_no_form(client, coach, group, trainee):
    remove_trainee(group.memberships.get(trainee=trainee))
    client.force_login(coach)
    assert post_time(client, group, trainee, "2.00").status_code == 404
    page = client.get(reverse("training:trainee_detail", args=[group.pk, trainee.pk]))
    assert 'name="time_multiplier"' not in page.content.decode()


def test_the_multiplier_is_set_only_by_a_post_with_the_csrf_token(coach, group, trainee):
    client = Client(enforce_csrf_checks=True)
    client.force_login(coach)
    url = reverse("training:time_multiplier_set", args=[group.pk, trainee.pk])
    assert client.get(url).status_code == 405
    assert client.post(url, {"time_multiplier": "2.00"}).status_code == 403
    assert group.memberships.get(trainee=trainee).time_multiplier == TimeMultiplier.USUAL
    # The trainee's page carries the token in the form.
    page = client.get(reverse("training:trainee_detail", args=[group.pk, trainee.pk]))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    data = {"time_multiplier": "2.00", "csrfmiddlewaretoken": token}
    assert client.post(url, data).status_code == 302
    assert group.memberships.get(trainee=trainee).time_multiplier == TimeMultiplier.TWICE


# What people see --------------------------------------------------------------------------


def test_the_quiz_page_says_the_coach_gave_longer(client, group, trainee):
    quiz = timed_quiz(20)
    assign(group, quiz)
    give(group, trainee, "1.5")
    client.force_login(trainee)
    page = client.get(quiz.get_absolute_url()).content.decode()
    assert "30 minutes (your coach gave you 1.5 times the usual 20 minutes)" in page


def test_the_quiz_page_names_extra_minutes_besides_the_multiplier(client, coach, group, trainee):
    quiz = timed_quiz(20)
    set_override(assign(group, quiz), trainee, extra_minutes=5, granted_by=coach)
    give(group, trainee, "2")
    client.force_login(trainee)
    page = client.get(quiz.get_absolute_url()).content.decode()
    assert "45 minutes (your coach gave you 2 times the usual 20 minutes, plus 5 more)" in page


def test_the_quiz_page_names_extra_minutes_alone_too(client, coach, group, trainee):
    quiz = timed_quiz(10)
    set_override(assign(group, quiz), trainee, extra_minutes=15, granted_by=coach)
    client.force_login(trainee)
    page = client.get(quiz.get_absolute_url()).content.decode()
    assert "25 minutes (the usual 10 minutes, plus 15 more from your coach)" in page


def test_the_quiz_page_of_a_classmate_without_a_multiplier_says_nothing_more(
    client, group, trainee
):
    classmate = make_trainee("classmate")
    group.memberships.create(trainee=classmate)
    quiz = timed_quiz(20)
    assign(group, quiz)
    give(group, trainee, "1.5")
    client.force_login(classmate)
    page = client.get(quiz.get_absolute_url()).content.decode()
    assert "20 minutes" in page
    assert "your coach" not in page


def test_the_attempt_page_header_says_the_time_limit_and_why(client, group, trainee):
    quiz = timed_quiz(20)
    assign(group, quiz)
    give(group, trainee, "1.5")
    attempt = start_attempt(quiz, trainee)
    client.force_login(trainee)
    page = client.get(reverse("quizzes:attempt_page", args=[attempt.pk])).content.decode()
    assert "Time limit: 30 minutes (your coach gave you 1.5 times the usual 20 minutes)." in page


def test_the_attempt_page_says_nothing_of_a_multiplier_given_after_it_started(
    client, group, trainee
):
    quiz = timed_quiz(20)
    assign(group, quiz)
    attempt = start_attempt(quiz, trainee)
    give(group, trainee, "1.5")  # the deadline of this attempt stays 20 minutes away
    client.force_login(trainee)
    page = client.get(reverse("quizzes:attempt_page", args=[attempt.pk])).content.decode()
    assert "your coach gave you" not in page


def test_the_dashboard_marks_the_trainee_with_a_multiplier(client, coach, group, trainee):
    classmate = make_trainee("classmate")
    group.memberships.create(trainee=classmate)
    assign(group, timed_quiz(20))
    give(group, trainee, "1.5")
    client.force_login(coach)
    page = client.get(reverse("training:group_dashboard", args=[group.pk])).content.decode()
    assert page.count("×1.5 time") == 1
    row = page[page.index(">trainee_a</a>") :].split("</th>")[0]
    assert '<span aria-hidden="true">×1.5 time</span>' in row
    label = "1.5 times the usual time on timed quizzes"
    assert f'<span class="visually-hidden">({label})</span>' in row
    classmate_row = page[page.index(">classmate</a>") :].split("</th>")[0]
    assert "time" not in classmate_row


def test_my_data_lists_the_multiplier(client, group, trainee):
    give(group, trainee, "1.25")
    client.force_login(trainee)
    data = client.get(reverse("accounts:download_data")).json()
    assert data["training.memberships"][0]["time_multiplier"] == "1.25"


def test_the_demo_gives_one_trainee_longer_once_and_keeps_a_coachs_change(db):
    call_command("seed_demo", "--allow-production", stdout=StringIO())
    membership = Membership.objects.get(group__name="Dolphins squad", trainee__username="trainee1")
    assert membership.time_multiplier == TimeMultiplier.HALF_LONGER
    assert Membership.objects.exclude(time_multiplier=TimeMultiplier.USUAL).count() == 1
    set_time_multiplier(membership, TimeMultiplier.TWICE)
    call_command("seed_demo", "--allow-production", stdout=StringIO())
    membership.refresh_from_db()
    assert membership.time_multiplier == TimeMultiplier.TWICE


# Queries ----------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [2, 12])
def test_quiz_and_attempt_pages_read_the_multiplier_in_a_fixed_number_of_queries(
    client, coach, trainee, db, django_assert_max_num_queries, size
):
    """The trainee is in `size` groups that all assign the quiz, each with a multiplier and
    an extra minute: the pages cost the same however many, and no more than the pins of
    tests/quizzes/test_queries.py for an untimed quiz."""
    quiz = timed_quiz(20)
    quiz.attempts_allowed = 3
    quiz.save()
    for number in range(size):
        squad = make_group(f"Squad {number}", coaches=[coach], trainees=[trainee])
        set_override(assign(squad, quiz), trainee, extra_minutes=1, extra_attempts=1)
        give(squad, trainee, "1.25" if number else "2")
    client.force_login(trainee)
    with django_assert_max_num_queries(9):
        page = client.get(quiz.get_absolute_url()).content.decode()
    assert "41 minutes (your coach gave you 2 times the usual 20 minutes, plus 1 more)" in page
    attempt = start_attempt(quiz, trainee)
    with django_assert_max_num_queries(7):
        page = client.get(reverse("quizzes:attempt_page", args=[attempt.pk])).content.decode()
    assert "Time limit: 41 minutes" in page
