"""A matching question answered through the attempt page, as a trainee does it."""

from decimal import Decimal

from django.urls import reverse

from quizzes.models import Attempt
from tests.factories import add_question, make_quiz
from tests.quizzes.conftest import answer, slot

PAIRS = [
    ("Calf", "Pull the toes toward the shin"),
    ("Foot", "Press the toes down"),
    ("Thigh", "Bend the knee to the chest"),
]
DISTRACTOR = "Shake the arm"


def matching_quiz():
    quiz = make_quiz("stretches", pass_mark=60, questions_per_page=5)
    add_question(
        quiz,
        "matching",
        [{"text": item, "match_text": stretch} for item, stretch in PAIRS]
        + [{"text": "", "match_text": DISTRACTOR}],
        text="Which stretch frees which cramp?",
    )
    return quiz


def fields_for(attempt, matches):
    """Form fields choosing, for each item as this attempt shows it, the given answer."""
    question = slot(attempt, 1)
    texts = {o["key"]: o["text"] for o in question.version.data["options"]}
    offered = question.layout["answers"]
    return {
        f"q1-{i}": str(offered.index(matches[texts[key]]))
        for i, key in enumerate(question.layout["items"])
    }


def take_matching(client, trainee, matches):
    quiz = matching_quiz()
    client.force_login(trainee)
    client.post(reverse("quizzes:start_attempt", args=[quiz.slug]))
    attempt = Attempt.objects.get(quiz=quiz, trainee=trainee)
    page = client.get(reverse("quizzes:attempt_page", args=[attempt.pk])).content.decode()
    answer(client, attempt, fields_for(attempt, matches), action="finish")
    client.post(reverse("quizzes:attempt_submit", args=[attempt.pk]))
    attempt.refresh_from_db()
    return attempt, page


def test_every_answer_and_the_distractor_are_offered_and_right_pairs_pass(client, trainee):
    attempt, page = take_matching(client, trainee, dict(PAIRS))
    for item, stretch in PAIRS:
        assert item in page
        assert stretch in page
    assert DISTRACTOR in page
    assert sorted(slot(attempt, 1).layout["answers"]) == sorted(
        [stretch for _, stretch in PAIRS] + [DISTRACTOR]
    )
    assert attempt.state == "finished"
    assert attempt.percent == 100
    assert attempt.passed


def test_one_pair_wrong_earns_two_thirds(client, trainee):
    matches = {**dict(PAIRS), "Thigh": DISTRACTOR}
    attempt, _ = take_matching(client, trainee, matches)
    assert slot(attempt, 1).response == {
        "matches": {
            key: matches[text]
            for key, text in (
                (o["key"], o["text"]) for o in slot(attempt, 1).version.data["options"]
            )
            if text
        }
    }
    assert attempt.score == Decimal("0.67")  # 2 of 3 pairs of a 1-point question, to 2 places
    assert attempt.percent == 67
    assert attempt.passed  # clears the 60% pass mark
