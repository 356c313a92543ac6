"""Finished attempts keep their score and review when the question changes later."""

from django.urls import reverse

from quizzes.models import Attempt, QuestionVersion
from quizzes.services import save_answers, start_attempt, submit_attempt
from tests.factories import add_single, make_quiz


def finished_attempt(quiz, trainee, text="Calf"):
    attempt = start_attempt(quiz, trainee)
    slot = attempt.slots.select_related("version").get()
    key = next(o["key"] for o in slot.version.data["options"] if o["text"] == text)
    save_answers(attempt, {slot.pk: {"option": key}})
    return submit_attempt(attempt)[0]


def test_editing_a_question_does_not_change_a_finished_attempt(client, trainee, db):
    quiz = make_quiz()
    question = add_single(quiz, text="Where do cramps strike?", explanation="Old explanation")
    attempt = finished_attempt(quiz, trainee)

    question.text = "Rewritten question"
    question.explanation = "New explanation"
    question.save()
    question.options.filter(text="Calf").update(weight=0)
    question.options.filter(text="Ear").update(weight=100)

    client.force_login(trainee)
    page = client.get(reverse("quizzes:attempt_result", args=[attempt.pk])).content.decode()
    assert "Where do cramps strike?" in page
    assert "Old explanation" in page
    assert "Rewritten question" not in page
    attempt.refresh_from_db()
    assert attempt.score == 1


def test_deleting_a_question_keeps_the_review(client, trainee, db):
    quiz = make_quiz()
    question = add_single(quiz, text="Where do cramps strike?")
    attempt = finished_attempt(quiz, trainee)
    question.delete()
    client.force_login(trainee)
    page = client.get(reverse("quizzes:attempt_result", args=[attempt.pk])).content.decode()
    assert "Where do cramps strike?" in page
    assert Attempt.objects.get(pk=attempt.pk).score == 1


def test_unchanged_questions_share_one_version(trainee, db):
    quiz = make_quiz(attempts_allowed=None)
    add_single(quiz)
    finished_attempt(quiz, trainee)
    finished_attempt(quiz, trainee)
    assert QuestionVersion.objects.count() == 1


def test_an_edit_makes_a_new_version_for_new_attempts(trainee, db):
    quiz = make_quiz()
    question = add_single(quiz)
    first = finished_attempt(quiz, trainee)
    question.text = "Changed"
    question.save()
    second = start_attempt(quiz, trainee)
    assert QuestionVersion.objects.count() == 2
    assert second.slots.get().version.data["text"] == "Changed"
    assert first.slots.get().version.data["text"] != "Changed"
