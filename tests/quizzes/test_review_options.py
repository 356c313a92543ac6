"""Review options by time: what a trainee sees of a finished attempt, and from when."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from quizzes.models import ReviewWhen
from tests.factories import add_escape_ordering, add_single, make_coach, make_group, make_quiz
from tests.training.conftest import take
from training.services import assign, set_override

RIGHT = "The-right-answer-Lane-rope"
EXPLANATION = "SECRET-EXPLANATION-float-first"


@pytest.fixture
def final(db):
    """A certifying final: 3 attempts, right answers and explanations once passed or out."""
    quiz = make_quiz(
        "final",
        pass_mark=80,
        attempts_allowed=3,
        review_correct_answers=ReviewWhen.WHEN_DONE,
        review_explanations=ReviewWhen.WHEN_DONE,
    )
    add_single(
        quiz,
        name="First response",
        right=RIGHT,
        wrong=("Sprint-for-the-wall", "Dive-for-the-toes"),
        explanation=EXPLANATION,
        must_pass=True,
    )
    add_escape_ordering(quiz, points=4, name="Steps")
    quiz.feedback_bands.create(min_percent=0, text="OVERALL-FEEDBACK-band")
    return quiz


def result_page(client, attempt):
    return client.get(reverse("quizzes:attempt_result", args=[attempt.pk])).content.decode()


def test_a_failed_final_hides_right_answers_and_explanations_and_says_when(client, trainee, final):
    attempt = take(final, trainee, right=(2,))  # the must-pass scenario left unanswered
    client.force_login(trainee)
    page = result_page(client, attempt)
    assert "Not passed" in page
    assert RIGHT not in page  # not in the review, not in the source
    assert EXPLANATION not in page
    assert "Right answer:" not in page
    assert "Not shown yet" in page
    assert "Shown once you pass or have used all 3 attempts." in page
    # The trainee still sees their own answers and the marks for each question.
    assert 'Question 1: <span class="outcome">Wrong</span>' in page
    assert "OVERALL-FEEDBACK-band" in page


def test_right_answers_show_once_the_trainee_passes(client, trainee, final):
    take(final, trainee, right=(2,))
    passed = take(final, trainee, right=(1, 2))
    assert passed.passed
    client.force_login(trainee)
    page = result_page(client, passed)
    assert "Right answer:" in page
    assert EXPLANATION in page
    assert "Not shown yet" not in page


def test_right_answers_show_once_every_attempt_is_used_counting_extra_ones(
    client, trainee, coach, final
):
    group = make_group(coaches=[coach], trainees=[trainee])
    assignment = assign(group, final)
    set_override(assignment, trainee, extra_attempts=1, granted_by=coach)
    attempts = [take(final, trainee, right=(2,)) for _ in range(3)]
    client.force_login(trainee)
    page = result_page(client, attempts[-1])
    assert RIGHT not in page  # a fourth attempt is left
    assert "Shown once you pass or have used all 4 attempts." in page
    last = take(final, trainee, right=(2,))
    page = result_page(client, last)
    assert "Right answer:" in page
    assert RIGHT in page


def test_the_coach_of_the_group_sees_everything_at_once(client, trainee, coach, final):
    group = make_group(coaches=[coach], trainees=[trainee])
    assign(group, final)
    attempt = take(final, trainee, right=(2,))
    client.force_login(coach)
    page = result_page(client, attempt)
    assert RIGHT in page
    assert EXPLANATION in page
    assert "Not shown yet" not in page


def test_after_close_waits_for_the_assignments_due_date(client, trainee, coach, db):
    quiz = make_quiz(attempts_allowed=None, review_correct_answers=ReviewWhen.AFTER_CLOSE)
    add_single(quiz, right=RIGHT)
    group = make_group(coaches=[coach], trainees=[trainee])
    assignment = assign(group, quiz, due_at=timezone.now() + timedelta(days=2))
    attempt = take(quiz, trainee)
    client.force_login(trainee)
    page = result_page(client, attempt)
    assert RIGHT not in page
    assert "Shown after the quiz closes (" in page
    assignment.due_at = timezone.now() - timedelta(minutes=1)
    assignment.save()
    assert RIGHT in result_page(client, attempt)


def test_after_close_without_any_closing_time_says_so(client, trainee, db):
    quiz = make_quiz(review_correct_answers=ReviewWhen.AFTER_CLOSE)
    add_single(quiz, right=RIGHT)
    attempt = take(quiz, trainee)
    client.force_login(trainee)
    page = result_page(client, attempt)
    assert RIGHT not in page
    assert "Shown after the quiz closes; it has no closing date." in page


def test_after_close_follows_the_quizs_own_closing_time(client, trainee, db):
    quiz = make_quiz(review_correct_answers=ReviewWhen.AFTER_CLOSE)
    add_single(quiz, right=RIGHT)
    attempt = take(quiz, trainee)
    quiz.closes_at = timezone.now() - timedelta(seconds=1)
    quiz.save()
    client.force_login(trainee)
    assert RIGHT in result_page(client, attempt)


def test_hidden_marks_hide_which_must_pass_question_was_missed(client, trainee, final):
    final.review_marks = ReviewWhen.WHEN_DONE
    final.save()
    attempt = take(final, trainee, right=(2,))
    client.force_login(trainee)
    page = result_page(client, attempt)
    # Why the attempt failed stays; which answer was wrong does not.
    assert "A must-pass question was not fully right" in page
    assert 'href="#review-1"' not in page
    assert "Wrong</span>" not in page
    assert "Marks for each question" in page


def test_never_hides_the_overall_feedback_and_answers(client, trainee, final):
    final.review_overall_feedback = ReviewWhen.NEVER
    final.review_answers = ReviewWhen.NEVER
    final.save()
    attempt = take(final, trainee, right=(1, 2))
    client.force_login(trainee)
    page = result_page(client, attempt)
    assert "OVERALL-FEEDBACK-band" not in page
    assert "Your answer:" not in page
    assert "Not shown for this quiz." in page


def test_the_data_download_hides_marks_per_question_while_the_review_does(client, trainee, final):
    final.review_marks = ReviewWhen.WHEN_DONE
    final.save()
    take(final, trainee, right=(2,))
    client.force_login(trainee)
    data = json.loads(client.get(reverse("accounts:download_data")).content)
    answers = data["quizzes.attempts"][0]["answers"]
    assert [a["score"] for a in answers] == [None, None]
    assert RIGHT not in json.dumps(data)
    take(final, trainee, right=(1, 2))  # passed: now they show
    data = json.loads(client.get(reverse("accounts:download_data")).content)
    assert data["quizzes.attempts"][0]["answers"][1]["score"] == "4.00"


def test_the_review_options_cost_a_fixed_number_of_queries(
    client, trainee, final, django_assert_max_num_queries
):
    coach = make_coach()
    for _ in range(3):
        make_group(coaches=[coach], trainees=[trainee])
    attempt = take(final, trainee, right=(2,))
    client.force_login(trainee)
    with django_assert_max_num_queries(14):
        result_page(client, attempt)
    for group in trainee.memberships.all():
        assign(group.group, final, due_at=timezone.now())
    take(final, trainee, right=(2,))
    with django_assert_max_num_queries(14):
        result_page(client, attempt)
