"""A club admin on a phone invites a coach by e-mail; the coach opens the link, makes an account,
confirms its address from the mail, accepts, and has the coach pages. Every page is checked
with axe at phone and desktop size."""

import re
import smtplib

from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from playwright.sync_api import expect

from organisations.models import Role, StaffRole
from organisations.services import grant_role
from tests.factories import PASSWORD, make_club, make_coach, make_group, make_user


def test_a_club_admin_invites_a_coach_who_accepts_and_opens_my_groups(visit, transactional_db):
    club = make_club("Dolphins SC")
    chair = make_user("chair_e2e", first_name="Chris", last_name="Chair")
    grant_role(chair, club, Role.CLUB_ADMIN)
    make_group("Juniors", coaches=[make_coach("coach_kim", club=club)], club=club)
    waiting = make_user("helper_e2e", first_name="Hal")
    grant_role(make_user("assessor_e2e", first_name="Ada"), club, Role.ASSESSOR)

    admin = visit("club-admin")
    admin.log_in("chair_e2e", PASSWORD)
    page = admin.page
    page.get_by_role("link", name="My clubs").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My clubs")
    admin.check("my-clubs")
    page.get_by_role("link", name="Staff of Dolphins SC").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff of Dolphins SC")
    admin.check("club-staff")

    # An existing account is offered a role: nothing until they accept.
    page.get_by_label("Username or e-mail address").fill("helper_e2e")
    page.get_by_label("Role").nth(1).select_option(Role.ASSESSOR.value)
    page.get_by_role("button", name="Offer the role").click()
    expect(page.locator(".messages")).to_contain_text("Hal is offered the role “Assessor”")
    assert not StaffRole.objects.filter(person=waiting).exists()

    # A new coach, by e-mail.
    page.get_by_label("E-mail address:", exact=True).fill("new.coach@example.com")
    page.get_by_label("Role").first.select_option(Role.COACH.value)
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator(".messages")).to_contain_text("Invitation sent to new.coach@example.com")
    admin.check("club-staff-invited")

    # Ending a role asks first; cancelled, nothing changes.
    page.get_by_role("link", name="End role…").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("End the role")
    admin.check("end-role-confirm")
    page.get_by_role("link", name="Cancel").click()

    link = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    coach = visit("invited-coach")
    page = coach.page
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("A staff role at Dolphins SC")
    expect(page.locator(".facts")).to_contain_text("Chris Chair")
    coach.check("offer-signed-out")
    page.get_by_label("Username").fill("nina_coach")
    page.get_by_label("Your name").fill("Nina Newcoach")
    page.get_by_label("Password:", exact=True).fill("tumble-turns-at-dawn-7")
    page.get_by_label("Password confirmation").fill("tumble-turns-at-dawn-7")
    page.get_by_role("button", name="Create my account").click()
    # The offer went to an address: it is theirs once they have confirmed that address.
    expect(page.locator(".messages")).to_contain_text("Two steps left: confirm your address")
    expect(page.get_by_role("alert")).to_contain_text(
        "This invitation is for n***@example.com. Confirm that address first"
    )
    expect(page.get_by_role("button", name="Accept the role")).to_have_count(0)
    coach.check("offer-confirm-first")
    confirmation = mail.outbox[-1]
    assert confirmation.to == ["new.coach@example.com"]
    page.goto(re.search(r"https?://\S+", confirmation.body).group(0))
    page.get_by_role("button", name="Confirm my address").click()
    page.goto(link)
    coach.check("offer-signed-in")
    page.get_by_role("button", name="Accept the role").click()
    expect(page.locator(".messages")).to_contain_text(
        "You hold the role “Coach” at Dolphins SC now."
    )
    coach.check("my-clubs-after-accepting")
    page.get_by_role("link", name="My groups").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My groups")
    coach.check("my-groups")
    assert StaffRole.objects.active().filter(person__username="nina_coach", role=Role.COACH)

    # The link is spent.
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "This invitation has been used or withdrawn"
    )
    coach.check("link-used")

    # The helper finds the offer on My clubs and accepts it there.
    helper = visit("offered-account")
    helper.log_in("helper_e2e", PASSWORD)
    page = helper.page
    page.goto(helper.base_url + "/organisations/")
    helper.check("my-clubs-offer")
    page.get_by_role("button", name="Accept").click()
    expect(page.locator(".messages")).to_contain_text("Assessor")
    assert StaffRole.objects.active().filter(person=waiting, role=Role.ASSESSOR).exists()


class SmtpDown(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def test_a_mail_that_cannot_go_and_a_refused_change_are_said_plainly(
    visit, transactional_db, settings
):
    club = make_club("Otters SC")
    chair = make_user("otter_chair", first_name="Olive")
    grant_role(chair, club, Role.CLUB_ADMIN)
    settings.EMAIL_BACKEND = f"{__name__}.SmtpDown"
    admin = visit("club-admin-trouble")
    admin.log_in("otter_chair", PASSWORD)
    page = admin.page
    admin.goto(f"/organisations/{club.slug}/staff/")
    page.get_by_label("E-mail address:", exact=True).fill("coach@example.com")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator(".messages")).to_contain_text("the e-mail could not be sent")
    expect(page.get_by_role("button", name="Not sent — send again")).to_be_visible()
    admin.check("not-sent")

    # The only club admin cannot go: a 400 that says why, and nothing changes.
    page.get_by_role("link", name="End role…").click()
    page.get_by_role("button", name="End the role").click()
    expect(page.get_by_role("alert")).to_contain_text("needs another club admin")
    admin.check("refused")
    assert StaffRole.objects.active().filter(person=chair).exists()
