"""Ordering on a 360 px phone with a list taller than the screen (issue 30): a step dragged to
the top edge scrolls the page and lands first, the answer button stays in place after the first
move, and each step stays compact."""

import pytest
from playwright.sync_api import expect

from quizzes.models import Attempt
from tests.e2e.ordering import steps
from tests.factories import PASSWORD, add_question, make_quiz, make_trainee

LONG = [
    "Stop swimming and take hold of the wall, a lane rope or a float",
    "If nothing is in reach, roll onto your back, ears in the water",
    "Spread your arms and legs and breathe slowly",
    "Once your breathing is calm, shout for the lifeguard",
    "Raise one arm only while you are holding on",
    "Straighten the cramped leg and pull the toes toward the shin",
    "Stay on your back until the muscle lets go",
    "Swim to the side with your arms and get out",
    "Tell the lifeguard or your coach what happened",
]


@pytest.fixture
def long_quiz(transactional_db):
    quiz = make_quiz(title="The whole sequence", is_published=True, attempts_allowed=None)
    add_question(quiz, "ordering", [{"text": step} for step in LONG], text="Put it in order.")
    make_trainee("long_list")
    return quiz


def test_a_long_list_scrolls_while_a_step_is_dragged_to_the_top(visit, long_quiz):
    phone = {"width": 360, "height": 640}
    trainee = visit("long-ordering", phone)
    trainee.log_in("long_list", PASSWORD)
    trainee.goto(long_quiz.get_absolute_url())
    page = trainee.page
    page.get_by_role("button", name="Start the quiz").click()
    expect(page.locator(".ordering-item")).to_have_count(len(LONG))
    items = page.locator("[data-ordering] .ordering-item")
    list_box = page.locator("[data-ordering]").bounding_box()
    assert list_box["height"] > phone["height"]  # taller than the screen: the case at hand
    # Compact: no step wraps to more than three lines of text at 360 px.
    tallest = page.evaluate(
        """() => Math.max(...Array.from(document.querySelectorAll('.step-text')).map((el) =>
          Math.round(el.getBoundingClientRect().height
            / parseFloat(getComputedStyle(el).lineHeight))))"""
    )
    assert tallest <= 3, tallest
    keep = page.get_by_role("button", name="This order is my answer")
    before = steps(page)
    last = items.nth(len(LONG) - 1).locator(".ordering-handle")
    last.scroll_into_view_if_needed()
    start_scroll = page.evaluate("window.scrollY")
    grip = last.bounding_box()
    x, y = grip["x"] + grip["width"] / 2, grip["y"] + grip["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x, 40, steps=10)  # to the top edge, and held there: the page scrolls
    page.wait_for_function(f"window.scrollY < {start_scroll} - 200", timeout=5000)
    page.wait_for_timeout(1500)
    page.mouse.move(x, 30)
    page.mouse.up()
    assert steps(page)[0] == before[-1], steps(page)
    # The button is still there to keep an order (nothing jumped under the finger).
    expect(keep).to_be_visible()
    trainee.check("long-ordering")
    assert Attempt.objects.filter(quiz=long_quiz).exists()
