"""A coach on a phone (and at a desk): the dashboard keeps names in view, destructive actions
ask first, and an allowance is confirmed where the coach is looking."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import SIZES
from tests.factories import (
    PASSWORD,
    add_escape_ordering,
    add_single,
    make_coach,
    make_group,
    make_lesson,
    make_quiz,
    make_trainee,
)
from tests.training.conftest import take
from training.models import Assignment
from training.services import assign

BOTH = pytest.mark.parametrize("size", list(SIZES))


@pytest.fixture
def squad(transactional_db):
    coach = make_coach("coach_phone")
    trainees = [make_trainee(f"swimmer_{n}") for n in range(4)]
    group = make_group("Seals", coaches=[coach], trainees=trainees)
    assign(group, make_lesson(title="What a cramp is", is_published=True))
    for n in range(3):
        quiz = make_quiz(f"check-{n}", title=f"Check {n + 1}", attempts_allowed=2)
        add_single(quiz)
        add_escape_ordering(quiz, must_pass=True)
        assign(group, quiz)
        for index, trainee in enumerate(trainees):
            take(quiz, trainee, right=(1, 2) if index % 2 else (1,))
    return group


@BOTH
def test_dashboard_keeps_names_in_view_and_says_it_scrolls(visit, squad, size):
    coach = visit("coach-dashboard", SIZES[size])
    coach.log_in("coach_phone", PASSWORD)
    page = coach.page
    coach.goto(f"/training/groups/{squad.pk}/")
    first_cell = page.locator("table.dashboard tbody th").first
    assert first_cell.evaluate("el => getComputedStyle(el).position") == "sticky"
    hint = page.locator(".scroll-hint")
    if size == "phone":
        expect(hint).to_be_visible()
        expect(hint).to_contain_text("4 assignments")
    else:
        expect(hint).to_be_hidden()
    coach.check("dashboard")
    page.get_by_role("link", name="Item analysis").first.click()
    expect(page.locator("main")).to_contain_text("Separates strong from weak")
    coach.check("item-analysis")


@BOTH
def test_destructive_actions_ask_first(visit, squad, size):
    coach = visit("coach-confirm", SIZES[size])
    coach.log_in("coach_phone", PASSWORD)
    page = coach.page
    old_code = squad.join_code

    coach.goto(f"/training/groups/{squad.pk}/members/")
    coach.check("members")
    page.get_by_role("link", name="New code…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Make a new join code for Seals?")
    coach.check("confirm-new-code")
    page.get_by_role("link", name="Cancel").click()
    expect(page.locator(".join-code")).to_have_text(old_code)
    page.get_by_role("link", name="New code…").click()
    page.get_by_role("button", name="Make a new code").click()
    expect(page.locator(".join-code")).not_to_have_text(old_code)

    page.get_by_role("link", name="Remove… swimmer_0").click()
    coach.check("confirm-remove")
    page.get_by_role("button", name="Remove swimmer_0").click()
    expect(page.locator("main")).to_contain_text("swimmer_0 was removed")

    coach.goto(f"/training/groups/{squad.pk}/")
    page.get_by_role("link", name="Stop assigning… Check 3").click()
    coach.check("confirm-stop-assigning")
    page.get_by_role("button", name="Stop assigning it").click()
    expect(page.locator("main")).to_contain_text("“Check 3” is no longer assigned")
    assert not Assignment.objects.filter(group=squad, quiz__title="Check 3").exists()


@BOTH
def test_allowance_is_confirmed_by_its_form(visit, squad, size):
    coach = visit("coach-allowance", SIZES[size])
    coach.log_in("coach_phone", PASSWORD)
    page = coach.page
    coach.goto(f"/training/groups/{squad.pk}/")
    page.get_by_role("link", name="swimmer_2").click()
    card = page.locator(".card").filter(has_text="Check 2")
    card.get_by_text("Extra time or attempts for this trainee").click()
    card.get_by_label("Extra attempts").fill("1")
    card.get_by_role("button", name="Save allowance for Check 2").click()
    note = page.get_by_text(
        "Saved: swimmer_2 has 1 extra attempt and 0 extra minutes on “Check 2”."
    )
    expect(note).to_be_in_viewport()
    coach.check("allowance-saved")
