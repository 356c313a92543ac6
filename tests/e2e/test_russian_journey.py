"""A Russian-speaking swimmer does the whole journey on a phone without meeting English: the
landing page, joining with the coach's code, a lesson, the final assessment with its must-pass
questions, the result and the certificate (issue 31). Their browser asks for Russian; nothing
else is set. Every page passes axe, is photographed, and shows no English (the same check as
tests/security/test_every_page_in_russian.py)."""

import pytest
from playwright.sync_api import expect

from certification.models import Certificate, Certification
from lessons.course_files import load_course
from quizzes.models import Attempt, Quiz
from tests.e2e.conftest import PHONE
from tests.e2e.test_coach_and_trainee import answer_by_keyboard, right_answers
from tests.factories import assess, make_coach, make_group
from tests.security.test_every_page_in_russian import ALLOWED, english_left, stored_texts
from training.services import assign

LESSON = "escape-algorithm"
FINAL = "final-assessment"


@pytest.fixture
def squad(transactional_db):
    load_course()
    coach = make_coach("trener")
    group = make_group("Дельфины", coaches=[coach])
    assign(group, Quiz.objects.get(slug=FINAL))
    return group


def in_russian(quiz):
    """right_answers() keyed by the texts a Russian reader is shown."""
    from quizzes.models import Option

    answers = right_answers(quiz)
    shown = {}
    for option in Option.objects.filter(question__quiz=quiz):
        if option.text in answers:
            russian = option.translations.get("ru", {}).get("text") or option.text
            shown[russian.replace("{emergency}", "112")] = answers[option.text]
    return shown


def no_english(visit_, label):
    """The page in Russian, checked like every other page, then photographed and axe-checked."""
    page = visit_.page
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "ru", label
    allowed = sorted(stored_texts() | set(ALLOWED), key=len, reverse=True)
    found = english_left(page.content(), allowed)
    assert found == [], (label, found)
    visit_.check(label)


def test_a_russian_swimmer_joins_learns_passes_and_is_certified_without_english(visit, squad):
    swimmer = visit("ru-swimmer", PHONE, locale="ru-RU")
    page = swimmer.goto("/")
    no_english(swimmer, "landing")
    page.locator("#landing-code").fill(squad.join_code.lower())
    page.locator("#landing-code").press("Enter")
    page.wait_for_load_state("networkidle")
    no_english(swimmer, "join-offer")
    page.locator("input[name=username]").fill("masha")
    page.locator("input[name=display_name]").fill("Маша Петрова")
    page.locator("input[name=password1]").fill("plyvu-na-spine-22")
    page.locator("input[name=password2]").fill("plyvu-na-spine-22")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state("networkidle")
    no_english(swimmer, "join-confirm")
    page.locator("main form.stack-form button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert squad.memberships.filter(trainee__username="masha").exists()
    no_english(swimmer, "my-assignments")

    # A lesson, in Russian, with the emergency number of the reader's region.
    swimmer.goto(f"/course/cramp-safety/{LESSON}/")
    no_english(swimmer, "lesson")
    # (The sources, quoted in English as published, may name the UK's 999.)
    expect(page.locator(".key-points")).to_contain_text("112")
    expect(page.locator(".key-points")).not_to_contain_text("999")
    expect(page.locator(".prose")).not_to_contain_text("999")

    # The final, with its must-pass questions, answered right.
    swimmer.goto(f"/quizzes/{FINAL}/")
    no_english(swimmer, "quiz")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state("networkidle")
    answers = in_russian(Quiz.objects.get(slug=FINAL))
    while True:
        no_english(swimmer, "attempt-page")
        answer_by_keyboard(page, answers)
        if page.locator("#attempt-form button[value=next]").count():
            press_by_value(page, "next")
        else:
            press_by_value(page, "finish")
            break
    no_english(swimmer, "summary")
    page.locator("main form.button-row button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    no_english(swimmer, "result")
    attempt = Attempt.objects.get(trainee__username="masha", quiz__slug=FINAL)
    assert attempt.passed

    # The practical, signed off by an assessor; the certificate in Russian.
    trainee = attempt.trainee
    assess(trainee, squad, Certification.objects.get())
    assert Certificate.objects.filter(trainee=trainee).exists()
    swimmer.goto("/certification/my/certificates/")
    no_english(swimmer, "my-certificates")
    code = Certificate.objects.get(trainee=trainee).code
    swimmer.goto(f"/verify/{code}/")
    no_english(swimmer, "verify")


def press_by_value(page, value):
    button = page.locator(f"#attempt-form button[value={value}]")
    with page.expect_navigation():
        button.click()
