"""A federation admin on a phone (and at a desk) opens the federation's report from My clubs,
sorts the clubs, opens one club's report and the staff register: counts only, tables that
scroll inside their box, charts with their figures in words."""

import pytest
from playwright.sync_api import expect

from organisations.models import Role
from organisations.services import grant_role
from tests.e2e.conftest import SIZES
from tests.factories import (
    PASSWORD,
    add_single,
    make_club,
    make_group,
    make_lesson,
    make_quiz,
    make_trainee,
    make_user,
)
from tests.organisations.report_world import build_world
from tests.training.conftest import take
from training.services import assign

BOTH = pytest.mark.parametrize("size", list(SIZES))


@pytest.fixture
def federation(transactional_db):
    world = build_world()
    # Six clubs in all, with long names, so the table is wider than a phone.
    lesson = make_lesson(is_published=True)
    quiz = make_quiz(attempts_allowed=None, is_published=True)
    add_single(quiz)
    for n, name in enumerate(["Delta Lifesaving Club", "Echo Masters Swimming", "Foxtrot Otters"]):
        club = make_club(name, federation=world.federation)
        grant_role(make_user(f"admin_{n}"), club, Role.CLUB_ADMIN)
        trainees = [make_trainee() for _ in range(3 + n)]
        group = make_group(club=club, trainees=trainees)
        assign(group, lesson)
        assign(group, quiz)
        for trainee in trainees[::2]:
            take(quiz, trainee, right=(1,))
    return world


@BOTH
def test_a_federation_admin_reads_the_report_without_names(visit, federation, size):
    person = visit("federation-report", SIZES[size])
    person.log_in("fed_admin", PASSWORD)
    page = person.page
    person.goto("/organisations/")
    page.get_by_role("link", name="Report: Riverside").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Report: Riverside")
    table = page.locator("table.report-table.sticky-first")
    expect(table.locator("tbody tr")).to_have_count(5)
    expect(table.locator("tfoot")).to_contain_text("All clubs")
    # The table scrolls inside its box on a phone; the page itself does not (check()).
    box = page.locator(".table-scroll").first
    if size == "phone":
        assert box.evaluate("el => el.scrollWidth > el.clientWidth")
        expect(page.locator("#clubs-hint")).to_be_visible()
    else:
        expect(page.locator("#clubs-hint")).to_be_hidden()
    expect(page.locator(".report-chart svg[role=img]")).to_have_count(3)
    for trainee in federation.trainees.values():
        expect(page.locator("main")).not_to_contain_text(trainee.username)
    person.check("federation-report")

    page.get_by_role("link", name="Trainees", exact=True).click()
    expect(table.locator("tbody tr").first.locator("th")).to_have_text("Foxtrot Otters")
    expect(table.locator("th[aria-sort=descending]")).to_contain_text("Trainees")
    person.check("sorted-by-trainees")

    page.get_by_role("link", name="Bravo SC").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Report: Bravo SC")
    person.check("club-report")

    page.get_by_role("link", name="Report: Riverside").click()
    page.get_by_role("link", name="Staff register of Riverside").click()
    expect(page.locator("main table")).to_contain_text("Alpha SC")
    person.check("staff-register")
