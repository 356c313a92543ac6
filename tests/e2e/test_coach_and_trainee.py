"""A coach sets work for a new group; a trainee joins, reads and passes the escape quiz by
keyboard; the coach sees it on the dashboard, in the CSV and in the item analysis."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from lessons.course_files import load_course
from quizzes.models import Quiz
from tests.e2e.ordering import arrange_by_keyboard, steps
from tests.factories import PASSWORD, make_coach, make_user

LESSON_TITLE = "Escaping a cramp in deep water"
QUIZ_SLUG = "escape-algorithm-quiz"


@pytest.fixture
def course(transactional_db):
    return load_course()[0]


def right_answers(quiz):
    """What a trainee who learned the lesson answers: {option or step text: what to do}."""
    answers = {}
    for question in quiz.questions.prefetch_related("options"):
        options = list(question.options.all())
        if question.type == "ordering":
            for position, option in enumerate(options, start=1):
                answers[option.text] = ("position", position)
        elif question.type in ("single", "truefalse"):
            best = max(options, key=lambda o: o.weight)
            answers[best.text] = ("choose", None)
        elif question.type == "multiple":
            for option in options:
                if option.weight > 0:
                    answers[option.text] = ("choose", None)
    return answers


def answer_by_keyboard(page, answers):
    """Focus each field and use only keys: Space ticks, arrow keys move a step's handle."""
    for text, (action, _) in answers.items():
        if action == "position":
            continue
        field = page.get_by_label(text, exact=True)
        if field.count() == 0:
            continue  # on another page of the quiz
        field.focus()
        page.keyboard.press("Space")
        expect(field).to_be_checked()
    for number in range(page.locator("[data-ordering]").count()):
        shown = steps(page, number)
        arrange_by_keyboard(page, sorted(shown, key=lambda text: answers[text][1]), number)


def press(page, name):
    """Submit a form the keyboard way: focus its button, press Enter, wait for the next page."""
    button = page.get_by_role("button", name=name)
    button.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_coach_sets_work_trainee_does_it_coach_sees_it(visit, course):
    make_coach("coach_e2e")
    make_user("pool_trainee")  # a new account, not yet in any group
    due = (timezone.localtime() + timedelta(days=7)).strftime("%Y-%m-%dT18:00")

    # The coach creates a group and assigns a lesson and a quiz with a due date.
    coach = visit("coach")
    coach.log_in("coach_e2e", PASSWORD)
    page = coach.page
    page.get_by_role("link", name="New group").click()
    coach.check("new-group")
    page.get_by_label("Name").fill("Seals squad")
    page.get_by_role("button", name="Create group").click()
    coach.check("members")
    code = page.locator(".join-code").inner_text()
    # Both in one go: the lesson and its quiz ticked, one due date, one submit.
    items = [LESSON_TITLE, "Check: escaping a cramp in deep water"]
    page.get_by_role("link", name="Assign work").click()
    coach.check("assign")
    for item in items:
        page.get_by_label(item, exact=True).check()
    page.get_by_label("Due (optional)").fill(due)
    page.get_by_role("button", name="Assign").click()
    expect(page.get_by_text(f"Assigned “{items[0]}”, “{items[1]}”")).to_be_visible()
    coach.check("dashboard-before")
    expect(page.locator("table.dashboard")).to_contain_text("No trainees yet")

    # The trainee joins with the code, reads the lesson and passes the quiz by keyboard.
    trainee = visit("trainee")
    trainee.log_in("pool_trainee", PASSWORD)
    page = trainee.page
    page.get_by_role("link", name="Join a group with a code").click()
    trainee.check("join")
    page.get_by_label("Group code").fill(code.lower())
    page.get_by_role("button", name="Join group").click()
    expect(page.get_by_text("You joined Seals squad.")).to_be_visible()
    trainee.check("my-assignments")
    page.get_by_role("link", name=f"Start “{LESSON_TITLE}”", exact=True).click()
    trainee.check("lesson")
    expect(page.locator("main ol").first).to_contain_text("Get support if it is in reach")
    expect(page.get_by_role("heading", name="Sources")).to_be_visible()
    press(page, "Mark as read")
    expect(page.get_by_role("button", name="Mark as not read")).to_be_visible()
    trainee.goto("/training/my/assignments/")
    expect(page.locator("main")).to_contain_text("Read")
    page.get_by_role("link", name="Start “Check: escaping a cramp in deep water”").click()
    trainee.check("quiz-detail")
    press(page, "Start the quiz")
    answers = right_answers(Quiz.objects.get(slug=QUIZ_SLUG))
    while True:
        trainee.check("attempt-page")
        answer_by_keyboard(page, answers)
        if page.get_by_role("button", name="Save and next page").count():
            press(page, "Save and next page")
        else:
            press(page, "Save and finish…")
            break
    trainee.check("summary")
    press(page, "Submit all and finish")
    trainee.check("result")
    expect(page.locator(".result")).to_contain_text("Passed")
    expect(page.locator("main")).to_contain_text("draw the toes steadily toward the shin")
    # A mistyped address is a page of ours, with a way back.
    trainee.goto("/course/cramp-safety/no-such-lesson/")
    trainee.check("not-found")
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.get_by_role("link", name="Go to the start page")).to_be_visible()

    # The coach sees the pass on the dashboard, in the CSV and in the item analysis.
    page = coach.page
    page.reload()
    coach.check("dashboard-after")
    expect(page.locator("table.dashboard")).to_contain_text("Passed")
    expect(page.locator("table.dashboard")).to_contain_text("Read")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").click()
    csv_text = download.value.path().read_text()
    assert "pool_trainee" in csv_text
    assert "Passed" in csv_text
    page.get_by_role("link", name="Item analysis").first.click()
    coach.check("item-analysis")
    expect(page.locator("main")).to_contain_text("1 finished attempt by 1 trainee")
    expect(page.locator("svg[role=img]")).to_be_visible()
