"""A club gets its swimmers in: a visitor signs up from the landing page with a code, a coach
prints log-in cards for a roster, and a roster-made swimmer chooses a password and manages
their account. Every page is checked with axe at phone and desktop size."""

import csv
import io

from playwright.sync_api import expect

from tests.factories import PASSWORD, make_coach, make_group


def test_visitor_joins_with_a_code_from_the_landing_page(visit, transactional_db):
    coach = make_coach("coach_e2e")
    group = make_group("Seals squad", coaches=[coach])
    visitor = visit("visitor")
    page = visitor.goto("/")
    visitor.check("landing")
    page.get_by_label("Group code").fill(group.join_code.lower())
    page.get_by_role("button", name="Continue").click()
    visitor.check("join-offer")
    expect(page.get_by_role("heading", level=1)).to_have_text("Join Seals squad")
    page.get_by_label("Username").fill("nia_swims")
    page.get_by_label("Your name").fill("Nia Swimmer")
    page.get_by_label("Password:", exact=True).fill("kick-from-the-hips-22")
    page.get_by_label("Password confirmation").fill("kick-from-the-hips-22")
    page.get_by_role("button", name="Create my account").click()
    visitor.check("join-confirm")
    page.get_by_role("button", name="Join Seals squad").click()
    expect(page.get_by_text("You joined Seals squad.")).to_be_visible()
    assert group.memberships.filter(trainee__username="nia_swims").exists()


def test_coach_prints_cards_and_a_swimmer_logs_in_with_one(visit, transactional_db):
    make_coach("coach_e2e")
    coach = visit("coach")
    coach.log_in("coach_e2e", PASSWORD)
    page = coach.page
    page.get_by_role("link", name="New group").click()
    page.get_by_label("Name").fill("Seals squad")
    page.get_by_role("button", name="Create group").click()
    page.get_by_role("link", name="Make accounts from a list").click()
    coach.check("roster")
    page.get_by_label("Names, one a line").fill("Amy Jones\n\n12345\n")
    page.get_by_role("button", name="Make accounts").click()
    coach.check("roster-errors")
    expect(page.locator("main")).to_contain_text("Line 3: no name on this line")
    page.get_by_label("Names, one a line").fill("Amy Jones\nBen Ode")
    page.get_by_role("button", name="Make accounts").click()
    coach.check("cards")
    cards = page.locator(".login-card")
    expect(cards).to_have_count(2)
    expect(cards.first.locator("svg")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as CSV").click()
    rows = list(csv.DictReader(io.StringIO(download.value.path().read_text())))
    assert [row["username"] for row in rows] == ["amy.jones", "ben.ode"]
    for row, card in zip(rows, cards.all(), strict=True):
        expect(card).to_contain_text(row["one_time_password"])
    # Printed, the site's frame goes and two cards sit side by side.
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    first, second = (card.bounding_box() for card in cards.all())
    assert abs(first["y"] - second["y"]) < 1
    assert second["x"] > first["x"]
    # Nothing runs over a card's cut line (a fixed height once let the last line out).
    spill = page.evaluate(
        """() => Array.from(document.querySelectorAll(".login-card")).filter((card) =>
          card.scrollHeight > card.clientHeight + 1).length"""
    )
    assert spill == 0
    page.emulate_media(media="screen")

    # Amy logs in with her card and must choose her own password first.
    swimmer = visit("swimmer")
    swimmer.log_in("amy.jones", rows[0]["one_time_password"])
    page = swimmer.page
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose your own password")
    page.get_by_label("Password from your card").fill(rows[0]["one_time_password"])
    page.get_by_label("New password:", exact=True).fill("butterfly-kick-44")
    page.get_by_label("New password confirmation").fill("butterfly-kick-44")
    page.get_by_role("button", name="Save my password").click()
    swimmer.check("after-password")
    page.get_by_role("link", name="My account").click()
    swimmer.check("my-account")
    expect(page.locator("main")).to_contain_text("Seals squad")
    page.get_by_role("link", name="Delete my account…").click()
    swimmer.check("delete-account")
