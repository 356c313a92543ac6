"""A Russian reader takes a quiz in Russian: the quiz page, the attempt, the check before
submitting and the result speak the interface's Russian words (docs/glossary.md), and counts
take Russian's plural forms. The questions themselves are content and stay as written."""

import pytest
from django.urls import reverse

from quizzes.models import Attempt
from tests.factories import ESCAPE_STEPS, add_question, add_single, make_quiz
from tests.quizzes.conftest import answer, option_index, ordering_answer, slot


@pytest.fixture
def russian(client, trainee):
    """The trainee's browser, switched to Russian with the header's language switcher cookie."""
    client.force_login(trainee)
    client.cookies["django_language"] = "ru"
    return client


def start(client, quiz):
    response = client.post(reverse("quizzes:start_attempt", args=[quiz.slug]))
    assert response.status_code == 302
    return Attempt.objects.get(quiz=quiz, state="in_progress")


def test_quiz_page_is_in_russian(russian, quiz):
    page = russian.get(quiz.get_absolute_url()).content.decode()

    assert "Проходной балл" in page
    assert "Время на тест" in page
    assert "Не ограничено" in page
    assert "Начать тест" in page
    assert "Start the quiz" not in page


def test_attempt_page_is_in_russian_and_counts_points_in_russian(russian, quiz):
    attempt = start(russian, quiz)

    page = russian.get(reverse("quizzes:attempt_page", args=[attempt.pk])).content.decode()

    assert "Вопрос 1" in page
    # The single choice is worth 1 point, the must-pass ordering 4: балл, балла.
    assert "1 балл<" in page
    assert "4 балла" in page
    assert "Обязательный" in page
    assert "Выберите номер" in page
    assert "Сохранить и закончить…" in page
    assert "Отвечено" in page
    assert "Save and finish" not in page
    # The question is content: it stays as it was written.
    assert "Where do swimmers cramp most often?" in page


def test_a_refused_number_is_explained_in_russian(russian, db):
    numeric = make_quiz("depth-check")
    add_question(numeric, "numerical", [{"value": 2, "tolerance": 0, "weight": 100}])
    attempt = start(russian, numeric)

    response = answer(russian, attempt, {"q1": "two"})

    assert response.status_code == 400
    assert "Введите число, например 200 или 2,5." in response.content.decode()


def test_result_page_is_in_russian(russian, quiz):
    attempt = start(russian, quiz)
    fields = {
        "q1": option_index(slot(attempt, 1), "Calf"),
        **ordering_answer(slot(attempt, 2), ESCAPE_STEPS),
    }
    answer(russian, attempt, fields, action="finish")

    response = russian.post(reverse("quizzes:attempt_submit", args=[attempt.pk]), follow=True)
    page = response.content.decode()

    attempt.refresh_from_db()
    assert attempt.passed
    assert "Результат: Escape-Check" in page
    assert "Сдан" in page
    # Russian sets a (no-break) space between a number and its per cent sign.
    assert "100\u00a0%" in page
    assert "Отлично: вы сдали тест." in page
    assert "5 из 5 баллов. Проходной балл — 50" in page
    assert "Разбор" in page
    assert "Правильный ответ:" in page
    assert "Passed" not in page


def test_a_failed_must_pass_question_is_explained_in_russian(russian, quiz):
    attempt = start(russian, quiz)
    swapped = [ESCAPE_STEPS[1], ESCAPE_STEPS[0], *ESCAPE_STEPS[2:]]
    fields = {
        "q1": option_index(slot(attempt, 1), "Calf"),
        **ordering_answer(slot(attempt, 2), swapped),
    }
    answer(russian, attempt, fields, action="finish")

    response = russian.post(reverse("quizzes:attempt_submit", args=[attempt.pk]), follow=True)
    page = response.content.decode()

    assert "Не сдан" in page
    assert "Ответ на 1 обязательный вопрос не полностью верный" in page
    assert "Пересдать тест" in page


@pytest.mark.parametrize(
    ("unanswered", "words"),
    [
        (1, "Без ответа пока 1 вопрос."),
        (2, "Без ответа пока 2 вопроса."),
        (5, "Без ответа пока 5 вопросов."),
    ],
    ids=["one", "few", "many"],
)
def test_unanswered_questions_are_counted_with_russian_plurals(russian, db, unanswered, words):
    quiz = make_quiz("count-check", questions_per_page=10)
    for number in range(unanswered):
        add_single(quiz, text=f"Question {number}")
    attempt = start(russian, quiz)

    page = russian.get(reverse("quizzes:attempt_summary", args=[attempt.pk])).content.decode()

    assert words in page
    assert "Проверка и отправка" in page
    assert "Отправить всё и закончить" in page
