import pytest

from quizzes import scoring
from quizzes.services import save_answers, start_attempt, submit_attempt
from tests.factories import add_escape_ordering, add_single, make_lesson, make_quiz


@pytest.fixture
def lesson(db):
    return make_lesson(title="What a cramp is", is_published=True)


@pytest.fixture
def quiz(db):
    """Single choice (1 point) + escape ordering (4 points, must pass); pass mark 60%."""
    quiz = make_quiz("escape-check", pass_mark=60, attempts_allowed=2, is_published=True)
    add_single(quiz, name="Where", text="Where do swimmers cramp most often?")
    add_escape_ordering(quiz, points=4, must_pass=True, name="Escape steps")
    return quiz


def take(quiz, trainee, *, right=(), reverse_order=False, now=None, submit=True):
    """An attempt answering the questions at the given positions fully right, others left blank.

    reverse_order: put the ordering question's steps backwards instead of leaving it blank.
    """
    attempt = start_attempt(quiz, trainee, now=now)
    responses = {}
    for slot in attempt.slots.select_related("version"):
        data = slot.version.data
        if slot.position in right:
            responses[slot.pk] = scoring.full_marks_response(data)
        elif reverse_order and data["type"] == "ordering":
            keys = [o["key"] for o in data["options"]]
            responses[slot.pk] = {"order": list(reversed(keys))}
    save_answers(attempt, responses, now=now)
    if submit:
        attempt = submit_attempt(attempt, now=now)[0]
    return attempt
