"""Answers saved as they change, review flags, resuming on the last page, and results that
never contradict pass or fail."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import ESCAPE_STEPS, add_single, make_quiz
from tests.quizzes.conftest import answer, option_index, ordering_answer, slot
from tests.quizzes.test_attempt_flow import start, submit


def autosave(client, attempt, fields, page=1):
    markers = {f"q{s.position}-shown": "1" for s in attempt.slots.all()}
    return client.post(
        reverse("quizzes:attempt_autosave", args=[attempt.pk]), {"page": page, **markers, **fields}
    )


def test_autosave_stores_answers_and_flags_and_reveals_no_right_answer(client, trainee, quiz):
    client.force_login(trainee)
    attempt = start(client, quiz)
    response = autosave(
        client,
        attempt,
        {
            "q1": option_index(slot(attempt, 1), "Ear"),
            "q2-flag": "on",
            **ordering_answer(slot(attempt, 2), ESCAPE_STEPS),
        },
    )
    assert response.status_code == 200
    reply = response.json()
    assert reply["answered"] == 2
    assert reply["total"] == 2
    assert [q["flagged"] for q in reply["questions"]] == [False, True]
    assert slot(attempt, 1).response is not None
    assert slot(attempt, 2).flagged
    body = response.content.decode()
    for secret in ["Calf", "weight", "fraction", "score", "Breathe in"]:
        assert secret not in body


def test_autosave_keeps_good_answers_and_reports_the_bad_one(client, trainee, quiz):
    client.force_login(trainee)
    attempt = start(client, quiz)
    fields = ordering_answer(slot(attempt, 2), ESCAPE_STEPS)
    fields["q2-0"] = fields["q2-1"]  # two steps in one position
    response = autosave(client, attempt, {"q1": option_index(slot(attempt, 1), "Calf"), **fields})
    assert response.status_code == 400
    assert "each used once" in json.dumps(response.json()["errors"]["2"])
    assert slot(attempt, 1).response is not None
    assert slot(attempt, 2).response is None


def test_autosave_after_the_deadline_submits_and_says_where_the_result_is(client, trainee, quiz):
    client.force_login(trainee)
    attempt = start(client, quiz)
    attempt.deadline = timezone.now() - timedelta(minutes=10)  # well past the grace too
    attempt.save()
    response = autosave(client, attempt, {"q1": option_index(slot(attempt, 1), "Calf")})
    assert response.status_code == 409
    assert response.json()["url"] == reverse("quizzes:attempt_result", args=[attempt.pk])
    attempt.refresh_from_db()
    assert attempt.is_finished
    assert slot(attempt, 1).response is None


@pytest.fixture
def three_pages(db):
    quiz = make_quiz(questions_per_page=1)
    for text in ["First", "Second", "Third"]:
        add_single(quiz, text=text)
    return quiz


def test_another_device_resumes_on_the_last_page_visited(client, trainee, three_pages):
    client.force_login(trainee)
    attempt = start(client, three_pages)
    client.get(reverse("quizzes:attempt_page", args=[attempt.pk]) + "?page=3")
    page = client.get(reverse("quizzes:attempt_page", args=[attempt.pk])).content.decode()
    assert "page 3 of 3" in page


def test_navigator_button_saves_the_page_and_opens_the_question(client, trainee, three_pages):
    client.force_login(trainee)
    attempt = start(client, three_pages)
    page = client.get(reverse("quizzes:attempt_page", args=[attempt.pk])).content.decode()
    assert 'name="goto" value="3"' in page
    response = answer(client, attempt, {"q1": option_index(slot(attempt, 1), "Calf"), "goto": 3})
    assert response["Location"].endswith("?page=3#question-3")
    assert slot(attempt, 1).response is not None


def test_a_superscript_digit_as_question_number_saves_and_stays_on_the_page(
    client, trainee, three_pages
):
    # "²".isdigit() is true but int("²") fails: such a number once gave a 500.
    client.force_login(trainee)
    attempt = start(client, three_pages)
    response = answer(client, attempt, {"q1": option_index(slot(attempt, 1), "Calf"), "goto": "²"})
    assert response.status_code == 302
    assert "#question-" not in response["Location"]
    assert slot(attempt, 1).response is not None


def test_pass_is_celebrated_with_a_next_step(client, trainee, quiz):
    client.force_login(trainee)
    attempt = start(client, quiz)
    answer(
        client,
        attempt,
        {
            "q1": option_index(slot(attempt, 1), "Calf"),
            **ordering_answer(slot(attempt, 2), ESCAPE_STEPS),
        },
    )
    page = submit(client, attempt).content.decode()
    assert "Well done: you passed." in page
    assert "Back to the course" in page


def test_a_question_number_of_five_thousand_digits_saves_and_stays_on_the_page(
    client, trainee, three_pages
):
    # Python refuses to read an int of over 4,300 digits: this was a 500.
    client.force_login(trainee)
    attempt = start(client, three_pages)
    huge = "9" * 5000
    response = answer(client, attempt, {"q1": option_index(slot(attempt, 1), "Calf"), "goto": huge})
    assert response.status_code == 302
    assert "#question-" not in response["Location"]
    assert slot(attempt, 1).response is not None
    page = client.post(reverse("quizzes:attempt_page", args=[attempt.pk]), {"page": huge})
    assert page.status_code in (200, 302)


def test_an_ordering_position_of_five_thousand_digits_is_refused_and_the_rest_kept(
    client, trainee, quiz
):
    client.force_login(trainee)
    attempt = start(client, quiz)
    fields = ordering_answer(slot(attempt, 2), ESCAPE_STEPS)
    fields["q2-0"] = "9" * 5000
    calf = {"q1": option_index(slot(attempt, 1), "Calf")}
    response = autosave(client, attempt, {**calf, **fields})
    assert response.status_code == 400
    assert slot(attempt, 1).response is not None
    # The page itself, sent with the same answers, shows the question again to correct.
    page = answer(client, attempt, {**calf, **fields})
    assert page.status_code == 400
    assert slot(attempt, 2).response is None
