"""Quiz pages run a fixed number of queries whatever the number of questions and attempts."""

import pytest
from django.urls import reverse

from quizzes.services import save_answers, start_attempt, submit_attempt
from tests.factories import add_escape_ordering, add_question, add_single, make_quiz


def build_quiz(size):
    quiz = make_quiz(questions_per_page=size * 5, attempts_allowed=None)
    for number in range(size):
        add_single(quiz)
        # Answers and feedback with images (Moodle's): drawn from the frozen version.
        picture = [{"file": f"{number:064x}.png", "alt": f"Picture {number}"}]
        pictured = {"images": picture, "feedback": "See", "feedback_images": picture}
        add_question(quiz, "single", [
            {"text": "Float", "weight": 100, **pictured}, {"text": "", "weight": 0, **pictured},
        ])  # fmt: skip
        add_escape_ordering(quiz)
        add_question(quiz, "matching", [
            {"text": "Furosemide", "match_text": "Loop diuretic"},
            {"text": "Acetazolamide", "match_text": "Carbonic anhydrase inhibitor"},
        ])  # fmt: skip
        # A missing-word question from Moodle, with combined feedback and hints.
        add_question(
            quiz,
            "shortanswer",
            [{"text": "four", "weight": 100}],
            text="The escape has _____ steps.",
            text_format="moodle",
            correct_feedback="Right.",
            incorrect_feedback="Count again.",
            hints=["Breathe, go under, grab, pull."],
        )
    return quiz


def finish(quiz, trainee):
    attempt = start_attempt(quiz, trainee)
    save_answers(attempt, {slot.pk: None for slot in attempt.slots.all()})
    return submit_attempt(attempt)[0]


@pytest.mark.parametrize("size", [2, 20])
def test_attempt_pages_keep_their_query_count(
    client, trainee, db, django_assert_max_num_queries, size
):
    quiz = build_quiz(size)
    for _ in range(size):
        finish(quiz, trainee)
    attempt = start_attempt(quiz, trainee)
    client.force_login(trainee)
    url = reverse("quizzes:attempt_page", args=[attempt.pk])
    with django_assert_max_num_queries(7):
        page = client.get(url)
    assert page.status_code == 200
    assert page.content.decode().count('class="option-image"') == 2 * size
    with django_assert_max_num_queries(12):
        assert client.post(url, {"page": 1, "action": "save"}).status_code == 302
    with django_assert_max_num_queries(7):
        assert client.get(reverse("quizzes:attempt_summary", args=[attempt.pk])).status_code == 200
    finished = submit_attempt(attempt)[0]
    with django_assert_max_num_queries(8):
        url = reverse("quizzes:attempt_result", args=[finished.pk])
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("size", [2, 20])
def test_quiz_list_and_detail_keep_their_query_count(
    client, trainee, db, django_assert_max_num_queries, size
):
    for _ in range(size):
        quiz = make_quiz(attempts_allowed=None)
        add_single(quiz)
        finish(quiz, trainee)
        finish(quiz, trainee)
    client.force_login(trainee)
    with django_assert_max_num_queries(6):
        assert client.get(reverse("quizzes:quiz_list")).status_code == 200
    with django_assert_max_num_queries(9):
        assert client.get(quiz.get_absolute_url()).status_code == 200
