import pytest
from django.urls import reverse

from quizzes.models import AttemptQuestion
from tests.factories import add_escape_ordering, add_question, add_single, make_quiz


@pytest.fixture
def quiz(db):
    """A two-question quiz: a single choice and the must-pass escape algorithm."""
    quiz = make_quiz("escape-check", pass_mark=50, questions_per_page=5)
    add_single(
        quiz,
        text="Where do swimmers cramp most often?",
        explanation="The calf works hardest when kicking.",
        name="Where",
    )
    add_escape_ordering(quiz, points=4, must_pass=True, name="Escape algorithm")
    return quiz


def slot(attempt, position):
    return AttemptQuestion.objects.select_related("version").get(attempt=attempt, position=position)


def option_index(slot_, text):
    """The display index of an option (by its text) in this attempt's layout."""
    keys = {o["key"]: o["text"] for o in slot_.version.data["options"]}
    return str([keys[k] for k in slot_.layout["options"]].index(text))


def ordering_answer(slot_, steps_in_order):
    """Form fields putting the steps in the given order."""
    texts = {o["key"]: o["text"] for o in slot_.version.data["options"]}
    shown = [texts[k] for k in slot_.layout["options"]]
    return {
        f"q{slot_.position}-{i}": str(steps_in_order.index(text) + 1)
        for i, text in enumerate(shown)
    }


def page_url(attempt, page=1):
    return f"{reverse('quizzes:attempt_page', args=[attempt.pk])}?page={page}"


def answer(client, attempt, fields, action="save", page=1):
    markers = {f"q{s.position}-shown": "1" for s in attempt.slots.all()}
    return client.post(
        page_url(attempt, page), {"page": page, "action": action, **markers, **fields}
    )


__all__ = ["add_question", "answer", "option_index", "ordering_answer", "page_url", "slot"]
