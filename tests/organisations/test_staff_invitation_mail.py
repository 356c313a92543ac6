"""Staff invitations by e-mail: what a club admin types is checked, a mail that cannot go is
marked "not sent" (never a 500), and sending and guessing links are rate-limited."""

import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse

from organisations.forms import ONE_LINE
from organisations.models import Role, StaffInvitation
from tests.factories import make_user, verify_email
from tests.organisations.conftest import offer, pending, staff_url

LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


class SmtpDown(BaseEmailBackend):
    """A mail server that hangs up."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class NoMailServer(BaseEmailBackend):
    """No mail server listening at all."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError(111, "Connection refused")


class RecipientRefused(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPRecipientsRefused({"x@example.com": (550, b"No such user")})


FAILING = [
    f"{__name__}.{backend.__name__}" for backend in (SmtpDown, NoMailServer, RecipientRefused)
]


def text(response):
    return response.content.decode()


def invite(client, club, email, role=Role.COACH, **extra):
    data = {"invite-email": email, "invite-role": role}
    return client.post(staff_url(club, "club_invite"), data, **extra)


def add_account(client, club, who, role=Role.COACH):
    return client.post(staff_url(club, "club_add_account"), {"add-who": who, "add-role": role})


@pytest.mark.parametrize("backend", FAILING)
def test_a_mail_that_cannot_go_leaves_the_invitation_not_sent_to_send_again(
    client, clubs, settings, backend
):
    settings.EMAIL_BACKEND = backend
    client.force_login(clubs.chair)
    response = invite(client, clubs.dolphins, "new.coach@example.com", follow=True)
    assert response.status_code == 200
    page = text(response)
    assert "The offer to new.coach@example.com is saved, but the e-mail could not be sent." in page
    assert "Not sent — send again" in page
    assert "An invitation was not sent" in page
    invitation = StaffInvitation.objects.get()
    assert not invitation.sent
    # The mail server is back: send again.
    settings.EMAIL_BACKEND = LOCMEM
    resend = staff_url(clubs.dolphins, "invitation_resend", invitation.pk)
    page = text(client.post(resend, follow=True))
    assert "Invitation sent again to new.coach@example.com." in page
    assert "Not sent — send again" not in page
    invitation.refresh_from_db()
    assert invitation.sent
    assert mail.outbox[0].to == ["new.coach@example.com"]


def test_an_offer_to_an_account_is_kept_when_its_mail_cannot_go(client, clubs, settings):
    settings.EMAIL_BACKEND = FAILING[0]
    client.force_login(clubs.chair)
    assert add_account(client, clubs.dolphins, "swimmer").status_code == 302
    page = text(client.get(staff_url(clubs.dolphins)))
    invitation = pending(person=clubs.trainee).get()
    assert not invitation.sent
    assert "Not sent — send again" in page
    assert "the e-mail could not be sent" in page


def test_a_header_that_cannot_be_mailed_is_not_sent_rather_than_a_500(client, clubs):
    """A club name with a line break would be a second header in the subject: Django refuses
    to build the mail (BadHeaderError), and the invitation waits unsent."""
    clubs.dolphins.name = "Dolphins\nBcc: everyone@example.com"
    clubs.dolphins.save()
    client.force_login(clubs.chair)
    response = invite(client, clubs.dolphins, "new.coach@example.com")
    assert response.status_code == 302
    assert not mail.outbox
    assert not StaffInvitation.objects.get().sent


@pytest.mark.parametrize(
    "typed",
    [
        "coach@example.com\r\nBcc: everyone@example.com",
        "coach@example.com\nBcc: everyone@example.com",
        "coach@example.com\r",
        "\ncoach@example.com",
    ],
)
def test_line_breaks_in_an_address_are_refused(client, clubs, typed):
    client.force_login(clubs.chair)
    response = invite(client, clubs.dolphins, typed)
    assert response.status_code == 400
    assert str(ONE_LINE) in text(response)
    assert not StaffInvitation.objects.exists()
    assert not mail.outbox


@pytest.mark.parametrize("typed", ["swimmer\r\n", "swimmer\nchair", "\rswimmer"])
def test_line_breaks_in_a_username_are_refused(client, clubs, typed):
    client.force_login(clubs.chair)
    response = add_account(client, clubs.dolphins, typed)
    assert response.status_code == 400
    assert str(ONE_LINE) in text(response)
    assert not StaffInvitation.objects.exists()


def test_line_breaks_in_a_new_accounts_name_are_refused(client, clubs):
    invitation = offer(clubs.dolphins, Role.COACH, by=clubs.chair, email="n@example.com")
    link = reverse("organisations:staff_invitation", args=[invitation.token])
    response = client.post(
        link,
        {
            "username": "newcoach",
            "display_name": "Nina\nBcc: x@example.com",
            "password1": "a-long-pool-password",
            "password2": "a-long-pool-password",
        },
    )
    assert response.status_code == 400
    assert str(ONE_LINE) in text(response)


def test_messages_a_club_admin_understands(client, clubs):
    client.force_login(clubs.chair)
    cases = [
        (invite(client, clubs.dolphins, "not an address"), "Enter an e-mail address such as"),
        (invite(client, clubs.dolphins, ""), "This field is required."),
        (add_account(client, clubs.dolphins, "nobody_here"), "No account has that username"),
        (
            add_account(client, clubs.dolphins, "dolphins_coach"),
            "dolphins_coach holds the role “Coach” in this club already.",
        ),
        (
            invite(client, clubs.dolphins, "kid@example.com", Role.FEDERATION_ADMIN),
            "Select a valid choice.",
        ),
    ]
    for response, message in cases:
        assert response.status_code == 400
        assert message in text(response)
    assert not StaffInvitation.objects.exists()


def test_the_same_offer_twice_is_refused(client, clubs):
    client.force_login(clubs.chair)
    invite(client, clubs.dolphins, "twice@example.com")
    again = invite(client, clubs.dolphins, "Twice@Example.com")
    assert again.status_code == 400
    assert "An invitation to this address for this role is waiting already." in text(again)
    add_account(client, clubs.dolphins, "swimmer", Role.ASSESSOR)
    again = add_account(client, clubs.dolphins, "swimmer", Role.ASSESSOR)
    assert again.status_code == 400
    assert "has an offer of the role “Assessor” waiting already." in text(again)
    assert StaffInvitation.objects.count() == 2
    # Another role for the same person is another offer.
    assert add_account(client, clubs.dolphins, "swimmer", Role.COACH).status_code == 302


def test_an_address_shared_by_two_accounts_asks_for_the_username(client, clubs):
    for username in ("twin_a", "twin_b"):
        twin = make_user(username)
        twin.email = "twins@example.com"
        twin.save()
        verify_email(twin)
    client.force_login(clubs.chair)
    response = add_account(client, clubs.dolphins, "twins@example.com")
    assert response.status_code == 400
    assert "Several accounts use that e-mail address. Type the username instead." in text(response)
    assert add_account(client, clubs.dolphins, "twin_b").status_code == 302


def test_offers_are_rate_limited_per_club_admin(client, clubs, settings):
    settings.INVITATION_RATE = "3/d"
    client.force_login(clubs.chair)
    for number in range(2):
        assert invite(client, clubs.dolphins, f"kid{number}@example.com").status_code == 302
    assert add_account(client, clubs.dolphins, "swimmer").status_code == 302
    assert invite(client, clubs.dolphins, "kid9@example.com").status_code == 429
    assert add_account(client, clubs.dolphins, "assessor", Role.COACH).status_code == 429
    invitation = StaffInvitation.objects.first()
    resend = staff_url(clubs.dolphins, "invitation_resend", invitation.pk)
    assert client.post(resend).status_code == 429
    assert StaffInvitation.objects.count() == 3
    assert len(mail.outbox) == 3


def test_wrong_invitation_links_are_counted_and_then_paused(client, clubs, settings):
    settings.RATE_LIMIT_JOIN_CODES_PER_ADDRESS = "3/h"
    invitation = offer(clubs.dolphins, Role.COACH, by=clubs.chair, email="n@example.com")
    for guess in ("a" * 32, "b" * 32, "c" * 32):
        url = reverse("organisations:staff_invitation", args=[guess])
        wrong = client.get(url, REMOTE_ADDR="10.5.5.5")
        assert wrong.status_code == 404
        assert "That invitation link does not work" in text(wrong)
    right = reverse("organisations:staff_invitation", args=[invitation.token])
    assert client.get(right, REMOTE_ADDR="10.5.5.5").status_code == 429  # even the right one
    assert client.get(right, REMOTE_ADDR="10.5.5.6").status_code == 200
