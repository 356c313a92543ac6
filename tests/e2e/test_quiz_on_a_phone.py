"""A trainee takes a quiz on a phone (and at a desk): the ordering widget by mouse, finger,
keyboard and without JavaScript, autosave and resume, the sticky header, and result pages."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from quizzes.models import Attempt, FeedbackBand
from tests.e2e.conftest import SCREENSHOTS, SIZES
from tests.e2e.ordering import arrange_by_keyboard, steps
from tests.factories import (
    ESCAPE_STEPS,
    PASSWORD,
    add_escape_ordering,
    add_single,
    make_coach,
    make_group,
    make_lesson,
    make_quiz,
    make_trainee,
)
from training.services import assign

BOTH = pytest.mark.parametrize("size", list(SIZES))
TOP_BAND = "Outstanding: you could teach this."
LOW_BAND = "Keep practising the escape steps."


@pytest.fixture
def quiz(transactional_db):
    lesson = make_lesson(title="Escaping a cramp", is_published=True)
    make_lesson(course=lesson.course, title="Staying safe at the pool", order=lesson.order + 1)
    quiz = make_quiz(
        title="Escape check",
        lesson=lesson,
        pass_mark=50,
        attempts_allowed=3,
        questions_per_page=2,
        time_limit_minutes=30,
    )
    add_single(quiz, text="Which muscle cramps most often in swimmers?")
    add_escape_ordering(quiz, text="Put the escape steps in order.", must_pass=True)
    add_single(quiz, text="Where do you feel a calf cramp?")
    FeedbackBand.objects.create(quiz=quiz, min_percent=90, text=TOP_BAND)
    FeedbackBand.objects.create(quiz=quiz, min_percent=0, text=LOW_BAND)
    return quiz


@pytest.fixture
def trainee(transactional_db):
    return make_trainee("poolside")


def start(visit_, quiz):
    visit_.log_in("poolside", PASSWORD)
    visit_.goto(quiz.get_absolute_url())
    visit_.page.get_by_role("button", name="Start the quiz").click()
    expect(visit_.page.locator(".quiz-header")).to_be_visible()
    return Attempt.objects.get(quiz=quiz, trainee__username="poolside")


def saved_steps(attempt):
    slot = attempt.slots.select_related("version").get(position=2)
    texts = {option["key"]: option["text"] for option in slot.version.data["options"]}
    return [texts[key] for key in (slot.response or {}).get("order", [])]


def wait_saved(page):
    """Wait until the last change is saved (the header says "Saved HH:MM", no save pending)."""
    page.wait_for_function(
        "() => /^Saved \\d\\d:\\d\\d$/.test("
        "document.querySelector('[data-save-state]').textContent)",
        timeout=10000,
    )


def step_item(page, text):
    return page.locator("[data-ordering] .ordering-item").filter(has_text=text)


def assert_saved_is_shown(page, attempt):
    """What is on screen is what the server holds, also after a reload."""
    shown = steps(page)
    assert saved_steps(attempt) == shown
    page.reload()
    assert steps(page) == shown


@BOTH
def test_ordering_by_mouse_drag(visit, quiz, trainee, size):
    trainee_visit = visit("drag-mouse", SIZES[size])
    attempt = start(trainee_visit, quiz)
    page = trainee_visit.page
    before = steps(page)
    last = step_item(page, before[-1]).locator(".ordering-handle")
    first = step_item(page, before[0])
    last.scroll_into_view_if_needed()
    grip, goal = last.bounding_box(), first.bounding_box()
    page.mouse.move(grip["x"] + grip["width"] / 2, grip["y"] + grip["height"] / 2)
    page.mouse.down()
    page.mouse.move(grip["x"] + grip["width"] / 2, goal["y"] + 4, steps=12)
    page.mouse.up()
    assert steps(page) == [before[-1], *before[:-1]], (before, steps(page), grip, goal)
    wait_saved(page)
    trainee_visit.check("ordering-widget")
    assert_saved_is_shown(page, attempt)


@BOTH
def test_ordering_by_touch_drag_and_tap(visit, quiz, trainee, size):
    trainee_visit = visit("drag-touch", SIZES[size], has_touch=True, is_mobile=size == "phone")
    attempt = start(trainee_visit, quiz)
    page = trainee_visit.page
    before = steps(page)
    handle = step_item(page, before[0]).locator(".ordering-handle")
    handle.scroll_into_view_if_needed()
    grip = handle.bounding_box()
    goal = step_item(page, before[2]).bounding_box()
    x, y = grip["x"] + grip["width"] / 2, grip["y"] + grip["height"] / 2
    end = goal["y"] + goal["height"] - 4
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for n in range(1, 13):
        point = {"x": x, "y": y + (end - y) * n / 12}
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [point]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    dragged = [before[1], before[2], before[0], before[3]]
    assert steps(page) == dragged
    wait_saved(page)
    assert saved_steps(attempt) == dragged

    # Tap to pick a step, tap the step whose place it takes.
    step_item(page, dragged[3]).locator(".ordering-handle").tap()
    step_item(page, dragged[0]).locator(".ordering-handle").tap()
    tapped = [dragged[3], *dragged[:3]]
    assert steps(page) == tapped
    wait_saved(page)
    assert_saved_is_shown(page, attempt)


@BOTH
def test_ordering_by_keyboard(visit, quiz, trainee, size):
    trainee_visit = visit("keyboard", SIZES[size])
    attempt = start(trainee_visit, quiz)
    page = trainee_visit.page
    before = steps(page)
    # Untouched, the list is not an answer yet, and says so.
    expect(page.locator(".ordering-note")).to_contain_text("Not answered yet")
    handle = step_item(page, before[0]).locator(".ordering-handle")
    handle.focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(handle).to_be_focused()
    moved = [before[1], before[2], before[0], before[3]]
    assert steps(page) == moved
    # The up button, pressed with Enter, moves the step back one place.
    up = step_item(page, before[0]).get_by_role("button", name="Move up")
    up.focus()
    page.keyboard.press("Enter")
    moved = [before[1], before[0], before[2], before[3]]
    assert steps(page) == moved
    # Answered: the note says so in its place, and the button stays where it was, so nothing
    # moves under the finger (both vanished before and the list jumped).
    expect(page.locator(".ordering-keep")).to_be_visible()
    expect(page.locator(".ordering-note")).to_have_text(
        "This order is your answer. Move a step to change it."
    )
    wait_saved(page)
    assert_saved_is_shown(page, attempt)


@BOTH
def test_ordering_without_javascript(visit, quiz, trainee, size):
    trainee_visit = visit("no-js", SIZES[size], java_script_enabled=False)
    attempt = start(trainee_visit, quiz)
    page = trainee_visit.page
    expect(page.locator(".ordering-handle")).to_have_count(0)
    for position, step in enumerate(ESCAPE_STEPS, start=1):
        page.get_by_label(step, exact=True).select_option(str(position))
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Your answers are saved.")).to_be_visible()
    trainee_visit.check("ordering-no-js")
    assert steps(page) == ESCAPE_STEPS
    assert_saved_is_shown(page, attempt)
    values = [page.get_by_label(step, exact=True).input_value() for step in steps(page)]
    assert values == ["1", "2", "3", "4"]


@BOTH
def test_autosave_header_navigator_flag_and_resume(visit, quiz, trainee, size):
    trainee_visit = visit("header", SIZES[size])
    attempt = start(trainee_visit, quiz)
    page = trainee_visit.page
    header = page.locator(".quiz-header")
    expect(header).to_contain_text("0 of 3 answered")
    expect(header.locator(".timer")).to_contain_text("Time left")
    page.locator("#question-1").get_by_label("Calf").check()
    page.locator("#question-1").get_by_label("Flag for review").check()
    wait_saved(page)
    expect(header).to_contain_text("1 of 3 answered")
    slot = attempt.slots.get(position=1)
    assert slot.response is not None
    assert slot.flagged
    header.get_by_text("All questions").click()
    expect(header.locator("[data-nav-question='1']")).to_contain_text("answered, flagged")
    expect(header.locator("[data-nav-question='3']")).to_contain_text("not answered")
    # The header stays on screen while the trainee scrolls down the page.
    page.mouse.wheel(0, 2000)
    page.wait_for_timeout(200)
    assert -1 <= header.bounding_box()["y"] <= 1
    page.screenshot(path=str(SCREENSHOTS / f"quiz-header-scrolled-{size}.png"))
    trainee_visit.check("quiz-header")
    # The navigator saves this page and opens question 3 on page 2.
    header.locator("[data-nav-question='3']").click()
    expect(page.locator("#question-3")).to_be_visible()
    # Another device resumes on page 2, the last page visited.
    other = visit("header-second-device", SIZES[size])
    other.log_in("poolside", PASSWORD)
    other.goto(quiz.get_absolute_url())
    other.page.get_by_role("button", name="Continue attempt 1").click()
    expect(other.page.locator("#question-3")).to_be_visible()
    expect(other.page.locator(".quiz-header")).to_contain_text("1 of 3 answered")


@pytest.mark.parametrize(
    ("minutes", "warning"),
    [
        (5, "5 minutes left. Your answers are being saved."),
        (1, "1 minute left. Answers after the deadline do not count."),
    ],
)
def test_timer_warns_politely_at_five_and_one_minutes(visit, quiz, trainee, minutes, warning):
    quiz.time_limit_minutes = minutes
    quiz.save()
    trainee_visit = visit(f"timer-{minutes}")
    start(trainee_visit, quiz)
    region = trainee_visit.page.locator("[data-timer-warning]")
    expect(region).to_have_attribute("aria-live", "polite")
    expect(region).to_have_text(warning)


def answer_all(page, *, escape_right):
    page.locator("#question-1").get_by_label("Calf").check()
    order = ESCAPE_STEPS if escape_right else [ESCAPE_STEPS[1], ESCAPE_STEPS[0], *ESCAPE_STEPS[2:]]
    arrange_by_keyboard(page, order)
    page.get_by_role("button", name="Save and next page").click()
    page.locator("#question-3").get_by_label("Calf").check()
    page.get_by_role("button", name="Save and finish…").click()
    page.get_by_role("button", name="Submit all and finish").click()


@BOTH
def test_failed_result_never_celebrates_and_points_to_the_question(visit, quiz, trainee, size):
    trainee_visit = visit("result-failed", SIZES[size])
    start(trainee_visit, quiz)
    page = trainee_visit.page
    answer_all(page, escape_right=False)
    result = page.locator(".result")
    expect(result).to_contain_text("Not passed")
    expect(result).not_to_contain_text(TOP_BAND)
    expect(result).to_contain_text(LOW_BAND)
    box = page.locator(".must-pass-box")
    expect(box).to_contain_text("Put the escape steps in order.")
    expect(page.locator("#review-2")).to_contain_text("Must pass")
    trainee_visit.check("failed-result")
    # The lesson to read again is a link too (it was plain words).
    expect(box.get_by_role("link", name="Read “Escaping a cramp” again")).to_be_visible()
    box.get_by_role("link", name="Question 2: Put the escape steps in order.").click()
    assert page.url.endswith("#review-2")
    expect(result.get_by_role("button", name="Retake the quiz")).to_be_visible()


@BOTH
def test_passed_result_celebrates_and_shows_the_next_step(visit, quiz, trainee, size):
    trainee_visit = visit("result-passed", SIZES[size])
    start(trainee_visit, quiz)
    page = trainee_visit.page
    answer_all(page, escape_right=True)
    result = page.locator(".result")
    expect(result).to_contain_text("Passed")
    expect(result).to_contain_text("Well done: you passed.")
    expect(result).to_contain_text(TOP_BAND)
    trainee_visit.check("passed-result")
    result.get_by_role("link", name="Next: Staying safe at the pool").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Staying safe at the pool")
    # On a phone the attempt lists are cards: the result and Review stay on screen.
    trainee_visit.goto("/training/my/results/")
    expect(page.locator("main tbody tr").first).to_contain_text("Passed")
    expect(page.get_by_role("link", name="Review Escape check, attempt 1")).to_be_in_viewport()
    trainee_visit.check("my-results")
    trainee_visit.goto(quiz.get_absolute_url())
    expect(page.locator("main")).to_contain_text("Passed")
    trainee_visit.check("quiz-detail-with-attempts")
    trainee_visit.goto("/quizzes/")
    trainee_visit.check("quiz-list")


@BOTH
def test_my_assignments_one_card_per_item_with_an_action(visit, quiz, trainee, size):
    coach = make_coach("coach_two_groups")
    for name, days in [("Seals", 9), ("Otters", 3)]:
        group = make_group(name, coaches=[coach], trainees=[trainee])
        assign(group, quiz, due_at=timezone.now() + timedelta(days=days))
        assign(group, quiz.lesson)
    trainee_visit = visit("my-assignments", SIZES[size])
    trainee_visit.log_in("poolside", PASSWORD)
    page = trainee_visit.page
    trainee_visit.goto("/training/my/assignments/")
    cards = page.locator(".assignment-card")
    expect(cards).to_have_count(2)
    expect(page.locator("main")).to_contain_text("0 of 2 done")
    quiz_card = cards.filter(has_text="Escape check")
    expect(quiz_card).to_contain_text("Quiz from Otters and Seals")
    expect(quiz_card).to_contain_text("Not started")
    trainee_visit.check("my-assignments")
    quiz_card.get_by_role("link", name="Start").click()
    page.get_by_role("button", name="Start the quiz").click()
    trainee_visit.goto("/training/my/assignments/")
    expect(quiz_card.get_by_role("link", name="Continue")).to_be_visible()
    expect(quiz_card).to_contain_text("In progress")
