"""A bank exported with its categories and imported back keeps every pool whole, so the quiz's
slots (which Moodle XML and GIFT cannot carry) can be rebuilt on it."""

import random
from collections import Counter

import pytest

from quizzes.models import Quiz, QuizSlot
from quizzes.moodle import bank
from quizzes.services import start_attempt
from quizzes.slots import problems_of_quiz
from tests.factories import add_question, add_single, make_quiz, make_trainee


def pooled_bank():
    quiz = make_quiz("pooled-bank", attempts_allowed=3)
    add_single(quiz, name="Warm-up", category="$course$/top/Cramps/Warm-up")
    for n in range(3):
        add_single(
            quiz,
            name=f"First response {n}",
            category="$course$/top/Cramps/First response",
            right=f"Float on your back {n}",
        )
    for n in range(2):
        add_question(
            quiz,
            "truefalse",
            [{"text": "True", "weight": 100}, {"text": "False", "weight": 0}],
            name=f"Helping {n}",
            category="$course$/top/Cramps/Helping",
        )
    return quiz


@pytest.mark.parametrize("format", ["moodlexml", "gift"])
def test_every_pool_comes_back_whole_and_the_slots_rebuild_on_it(db, format):
    source = pooled_bank()
    text, _ = bank.export_questions(source, format)
    report = bank.import_questions("rebuilt", text.encode(), format=format)
    rebuilt = Quiz.objects.get(slug="rebuilt")
    assert len(report.imported) == 6

    def pools(quiz):
        return Counter(quiz.questions.values_list("category", flat=True))

    assert (
        pools(rebuilt)
        == pools(source)
        == {
            "$course$/top/Cramps/Warm-up": 1,
            "$course$/top/Cramps/First response": 3,
            "$course$/top/Cramps/Helping": 2,
        }
    )
    rebuilt.attempts_allowed = 3
    rebuilt.save()
    for order, category in enumerate(
        ["$course$/top/Cramps/First response", "$course$/top/Cramps/Helping"], start=1
    ):
        QuizSlot.objects.create(quiz=rebuilt, order=order, category=category, must_pass=True)
    assert problems_of_quiz(rebuilt) == []
    attempt = start_attempt(rebuilt, make_trainee(), rng=random.Random(0))
    assert attempt.slots.count() == 2
