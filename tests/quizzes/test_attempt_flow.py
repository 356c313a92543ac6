from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from quizzes.models import Attempt, FeedbackBand
from quizzes.services import start_attempt
from tests.factories import (
    ESCAPE_STEPS,
    add_escape_ordering,
    add_question,
    add_single,
    make_quiz,
    make_trainee,
)
from tests.quizzes.conftest import answer, option_index, ordering_answer, page_url, slot


def start(client, quiz):
    response = client.post(reverse("quizzes:start_attempt", args=[quiz.slug]))
    assert response.status_code == 302
    return Attempt.objects.get(quiz=quiz, state="in_progress")


def submit(client, attempt):
    return client.post(reverse("quizzes:attempt_submit", args=[attempt.pk]), follow=True)


def test_full_flow_right_answers_pass(client, trainee, quiz):
    client.force_login(trainee)
    attempt = start(client, quiz)
    fields = {
        "q1": option_index(slot(attempt, 1), "Calf"),
        **ordering_answer(slot(attempt, 2), ESCAPE_STEPS),
    }
    response = answer(client, attempt, fields, action="finish")
    assert response.status_code == 302
    assert response["Location"] == reverse("quizzes:attempt_summary", args=[attempt.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Submit all and finish" in page

    page = submit(client, attempt).content.decode()
    attempt.refresh_from_db()
    assert attempt.state == "finished"
    assert attempt.score == 5
    assert attempt.percent == 100
    assert attempt.passed
    assert "Passed" in page
    assert "The calf works hardest when kicking." in page


def test_must_pass_step_missed_fails_whatever_the_total(client, trainee, quiz):
    FeedbackBand.objects.create(quiz=quiz, min_percent=75, text="Outstanding work.")
    FeedbackBand.objects.create(quiz=quiz, min_percent=0, text="Read the lesson again.")
    client.force_login(trainee)
    attempt = start(client, quiz)
    swapped = [ESCAPE_STEPS[0], ESCAPE_STEPS[2], ESCAPE_STEPS[1], ESCAPE_STEPS[3]]
    answer(
        client,
        attempt,
        {
            "q1": option_index(slot(attempt, 1), "Calf"),
            **ordering_answer(slot(attempt, 2), swapped),
        },
    )
    page = submit(client, attempt).content.decode()
    attempt.refresh_from_db()
    assert attempt.percent == 80  # 1 + 3 of 5 points, well over the 50% pass mark
    assert not attempt.passed
    assert "A must-pass question was not fully right" in page
    # The box names the question by its text and links to it in the review, marked there.
    assert '<a href="#review-2">Question 2: ' in page
    assert 'id="review-2"' in page
    assert "Must pass</span> This question must be fully right" in page
    assert "Steps out of place" in page
    assert "Retake the quiz" in page
    # 80% reaches the top band, but a failed attempt never gets a passing band's words.
    assert "Outstanding work." not in page
    assert "Read the lesson again." in page


def test_answers_are_saved_on_every_page_and_resume(client, trainee, db):
    quiz = make_quiz(questions_per_page=1)
    add_single(quiz, text="First")
    add_single(quiz, text="Second", right="Foot")
    client.force_login(trainee)
    attempt = start(client, quiz)
    response = answer(
        client, attempt, {"q1": option_index(slot(attempt, 1), "Calf")}, action="next", page=1
    )
    assert response["Location"] == page_url(attempt, 2)
    assert slot(attempt, 1).response is not None

    # The tab closes; later the trainee comes back through the quiz page and resumes.
    response = client.post(reverse("quizzes:start_attempt", args=[quiz.slug]))
    assert response["Location"] == reverse("quizzes:attempt_page", args=[attempt.pk])
    assert Attempt.objects.filter(quiz=quiz, trainee=trainee).count() == 1
    page = client.get(page_url(attempt, 1)).content.decode()
    assert "checked" in page


def test_double_submit_scores_once(client, trainee, quiz):
    client.force_login(trainee)
    attempt = start(client, quiz)
    answer(client, attempt, {"q1": option_index(slot(attempt, 1), "Calf")})
    submit(client, attempt)
    attempt.refresh_from_db()
    finished_at = attempt.finished_at
    page = submit(client, attempt).content.decode()
    assert "already submitted" in page
    attempt.refresh_from_db()
    assert attempt.finished_at == finished_at
    assert Attempt.objects.filter(trainee=trainee).count() == 1


def test_answer_after_submit_changes_nothing(client, trainee, quiz):
    client.force_login(trainee)
    attempt = start(client, quiz)
    answer(client, attempt, {"q1": option_index(slot(attempt, 1), "Ear")})
    submit(client, attempt)
    response = answer(client, attempt, {"q1": option_index(slot(attempt, 1), "Calf")})
    assert response.status_code == 409
    assert "already submitted" in response.content.decode()
    assert slot(attempt, 1).score == 0
    assert slot(attempt, 1).response == {"option": slot(attempt, 1).layout["options"][
        int(option_index(slot(attempt, 1), "Ear"))
    ]}  # fmt: skip


def test_attempt_limit(client, trainee, db):
    quiz = make_quiz(attempts_allowed=1)
    add_single(quiz)
    client.force_login(trainee)
    submit(client, start(client, quiz))
    response = client.post(reverse("quizzes:start_attempt", args=[quiz.slug]), follow=True)
    assert "You have used all 1 attempts" in response.content.decode()
    assert Attempt.objects.filter(trainee=trainee).count() == 1


def test_retake_within_the_limit_gets_a_new_number(client, trainee, quiz):
    client.force_login(trainee)
    submit(client, start(client, quiz))
    second = start(client, quiz)
    assert second.number == 2


def test_answers_after_the_deadline_are_refused_and_the_attempt_finished(client, trainee, db):
    quiz = make_quiz(time_limit_minutes=10)
    add_single(quiz)
    client.force_login(trainee)
    attempt = start(client, quiz)
    answer(client, attempt, {"q1": option_index(slot(attempt, 1), "Ear")})
    Attempt.objects.filter(pk=attempt.pk).update(
        started_at=timezone.now() - timedelta(minutes=11),
        deadline=timezone.now() - timedelta(minutes=1),
    )
    response = answer(client, attempt, {"q1": option_index(slot(attempt, 1), "Calf")})
    assert response.status_code == 409
    assert "Time ran out" in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.state == "finished"
    assert attempt.timed_out
    assert attempt.score == 0  # the late right answer did not count
    assert attempt.finished_at == attempt.deadline


def test_answers_within_the_grace_still_count(client, trainee, db):
    quiz = make_quiz(time_limit_minutes=10)
    add_single(quiz)
    client.force_login(trainee)
    attempt = start(client, quiz)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(seconds=5))
    answer(client, attempt, {"q1": option_index(slot(attempt, 1), "Calf")})
    assert slot(attempt, 1).response is not None


def test_open_attempt_past_deadline_is_finished_with_saved_answers(client, trainee, db):
    quiz = make_quiz(time_limit_minutes=5)
    add_single(quiz)
    attempt = start_attempt(quiz, trainee, now=timezone.now() - timedelta(minutes=30))
    answer_slot = slot(attempt, 1)
    answer_slot.response = {"option": answer_slot.layout["options"][0]}
    answer_slot.save()
    client.force_login(trainee)
    page = client.get(quiz.get_absolute_url()).content.decode()
    attempt.refresh_from_db()
    assert attempt.state == "finished"
    assert attempt.score == 1
    assert "Passed" in page


def test_time_limit_shows_on_the_page(client, trainee, db):
    quiz = make_quiz(time_limit_minutes=20)
    add_single(quiz)
    client.force_login(trainee)
    attempt = start(client, quiz)
    assert "Time left" in client.get(page_url(attempt)).content.decode()


def test_closed_quiz_cannot_be_started(client, trainee, db):
    quiz = make_quiz(closes_at=timezone.now() - timedelta(days=1))
    add_single(quiz)
    client.force_login(trainee)
    response = client.post(reverse("quizzes:start_attempt", args=[quiz.slug]), follow=True)
    assert "This quiz has closed." in response.content.decode()
    assert not Attempt.objects.exists()


def test_someone_elses_attempt_is_404(client, trainee, quiz):
    attempt = start_attempt(quiz, make_trainee())
    client.force_login(trainee)
    assert client.get(page_url(attempt)).status_code == 404
    assert client.post(reverse("quizzes:attempt_submit", args=[attempt.pk])).status_code == 404
    assert client.get(reverse("quizzes:attempt_result", args=[attempt.pk])).status_code == 404


def test_admin_can_see_any_finished_attempt(client, admin_user, trainee, quiz):
    client.force_login(trainee)
    submit(client, start(client, quiz))
    attempt = Attempt.objects.get()
    client.force_login(admin_user)
    page = client.get(reverse("quizzes:attempt_result", args=[attempt.pk])).content.decode()
    assert f"by {trainee.username}" in page


@pytest.mark.parametrize(
    "bad_fields",
    [
        {"q1": "7"},  # an option index not shown
        {"q1": "not-a-number"},
        {"q2-0": "1", "q2-1": "1", "q2-2": "2", "q2-3": "3"},  # one position twice
        {"q2-0": "9"},
    ],
)
def test_bad_answers_get_a_clear_message_and_change_nothing(client, trainee, quiz, bad_fields):
    client.force_login(trainee)
    attempt = start(client, quiz)
    answer(client, attempt, {"q1": option_index(slot(attempt, 1), "Calf")})
    before = [slot(attempt, 1).response, slot(attempt, 2).response]
    response = answer(client, attempt, bad_fields)
    assert response.status_code == 400
    page = response.content.decode()
    assert "need fixing" in page
    assert "Choose one of the answers shown" in page or "its own position" in page
    assert [slot(attempt, 1).response, slot(attempt, 2).response] == before


def test_invalid_number_keeps_what_was_typed(client, trainee, db):
    quiz = make_quiz()
    add_question(quiz, "numerical", [{"value": 200, "tolerance": 50, "weight": 100}], unit="ml")
    client.force_login(trainee)
    attempt = start(client, quiz)
    response = answer(client, attempt, {"q1": "about two hundred"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter a number" in page
    assert 'value="about two hundred"' in page


def test_no_right_answer_reaches_the_page_before_submission(client, trainee, db):
    quiz = make_quiz(shuffle_options=True)
    add_single(
        quiz,
        right="Calf",
        wrong=("Ear",),
        explanation="SECRET-EXPLANATION",
        text="Where?",
    )
    question = quiz.questions.get()
    question.options.filter(text="Calf").update(feedback="SECRET-FEEDBACK")
    add_escape_ordering(quiz)
    client.force_login(trainee)
    attempt = start(client, quiz)
    page = client.get(page_url(attempt)).content.decode()
    assert "SECRET-EXPLANATION" not in page
    assert "SECRET-FEEDBACK" not in page
    assert "weight" not in page.lower()
    # The steps are not shown in the right order.
    positions = [page.index(step) for step in ESCAPE_STEPS]
    assert positions != sorted(positions)


def test_review_options_hide_answers_when_set(client, trainee, db):
    quiz = make_quiz(
        review_answers="never",
        review_marks="never",
        review_correct_answers="never",
        review_explanations="never",
    )
    add_single(quiz, explanation="SECRET-EXPLANATION")
    client.force_login(trainee)
    attempt = start(client, quiz)
    page = submit(client, attempt).content.decode()
    assert "SECRET-EXPLANATION" not in page
    assert "Right answer:" not in page
    assert "Review" not in page.split("<main")[1].split("Back to the quiz")[1]


def test_overall_feedback_by_score_band(client, trainee, quiz):
    quiz.feedback_bands.create(min_percent=90, text="Ready for deep water.")
    quiz.feedback_bands.create(min_percent=0, text="Read the lessons again.")
    client.force_login(trainee)
    page = submit(client, start(client, quiz)).content.decode()
    assert "Read the lessons again." in page
    assert "Ready for deep water." not in page


def test_two_starts_at_once_share_one_open_attempt(trainee, quiz):
    first = start_attempt(quiz, trainee)
    second = start_attempt(quiz, trainee)
    assert first.pk == second.pk


def test_database_refuses_a_second_open_attempt(trainee, quiz):
    start_attempt(quiz, trainee)
    with pytest.raises(IntegrityError), transaction.atomic():
        Attempt.objects.create(quiz=quiz, trainee=trainee, number=2, pass_mark=50)
