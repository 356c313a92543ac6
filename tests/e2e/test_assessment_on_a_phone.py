"""A trainee fails a certifying final on a phone: the right answers stay hidden, the page says
when they will show, and the retake asks other scenarios in the pooled must-pass slots."""

import pytest
from playwright.sync_api import expect

from quizzes.models import Attempt, QuizSlot, ReviewWhen
from tests.e2e.conftest import PHONE
from tests.factories import PASSWORD, add_single, make_quiz, make_trainee

SELF = [
    ("Twenty metres from the wall, your calf locks. What first?", "Hold the lane rope"),
    ("Open water, no buoy near, your calf locks. What first?", "Float on your back"),
    ("Your foot cramps in the deep end. What first?", "Reach for the wall"),
]
OTHERS = [
    ("A friend in the deep end shouts that their leg hurts. What do you do?", "Throw a float"),
    ("A swimmer clutches their calf near the rope. What do you do?", "Shout for the lifeguard"),
    ("A younger child sinks, holding a leg. What do you do?", "Reach with a pole"),
]


@pytest.fixture
def final(transactional_db):
    quiz = make_quiz(
        title="Final assessment",
        pass_mark=80,
        attempts_allowed=3,
        questions_per_page=5,
        review_correct_answers=ReviewWhen.WHEN_DONE,
        review_explanations=ReviewWhen.WHEN_DONE,
    )
    for order, (category, scenarios) in enumerate((("self", SELF), ("others", OTHERS)), 1):
        for text, right in scenarios:
            add_single(
                quiz,
                text=text,
                right=right,
                wrong=("Swim hard for the side", "Wait quietly"),
                category=category,
                explanation=f"EXPLAINED: {right}",
            )
        QuizSlot.objects.create(quiz=quiz, order=order, category=category, must_pass=True, points=2)
    make_trainee("poolside")
    return quiz


def asked_texts(page):
    return [page.locator(f"#question-{n} .question-text").inner_text() for n in (1, 2)]


def test_fail_the_final_see_what_is_hidden_and_when_then_retake(visit, final):
    trainee = visit("assessment", PHONE)
    trainee.log_in("poolside", PASSWORD)
    trainee.goto(final.get_absolute_url())
    page = trainee.page
    page.get_by_role("button", name="Start the quiz").click()
    first_asked = asked_texts(page)
    for number in (1, 2):
        page.locator(f"#question-{number}").get_by_label("Swim hard for the side").check()
    page.get_by_role("button", name="Save and finish…").click()
    page.get_by_role("button", name="Submit all and finish").click()

    result = page.locator(".result")
    expect(result).to_contain_text("Not passed")
    expect(page.locator(".must-pass-box")).to_contain_text("2 must-pass questions")
    hidden = page.locator(".review-hidden")
    expect(hidden).to_contain_text("Right answers")
    expect(hidden).to_contain_text("Shown once you pass or have used all 3 attempts.")
    source = page.content()
    for _, right in SELF + OTHERS:
        assert right not in source, f"{right!r} reached the browser"
    assert "EXPLAINED" not in source
    expect(page.locator("#review-1")).to_contain_text("Your answer: Swim hard for the side")
    trainee.check("failed-final")

    page.get_by_role("button", name="Retake the quiz").click()
    expect(page.locator(".quiz-header")).to_be_visible()
    retake_asked = asked_texts(page)
    trainee.check("retake")
    # Each pooled must-pass slot asks a scenario this trainee has not seen yet.
    assert not set(retake_asked) & set(first_asked)
    retake = Attempt.objects.get(quiz=final, number=2)
    assert all(s.version.data["must_pass"] for s in retake.slots.select_related("version"))
