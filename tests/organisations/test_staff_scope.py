"""A club's staff pages exist only for that club's admins: everyone else gets a 404 (signed out,
the log-in page), and nothing changes whatever they send."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from organisations.models import Role, StaffInvitation, StaffRole
from tests.factories import make_trainee
from tests.organisations.conftest import offer, role_of, staff_url

OUTSIDERS = ["other_chair", "coach", "assessor", "trainee"]


@pytest.fixture
def targets(clubs):
    """A waiting invitation and a running role of the Dolphins, which outsiders aim at."""
    invitation = offer(clubs.dolphins, Role.COACH, by=clubs.chair, email="kid@example.com")
    staff_role = role_of(clubs.coach, clubs.dolphins, Role.COACH)
    club = clubs.dolphins
    return {
        "get": [staff_url(club), staff_url(club, "role_end", staff_role.pk)],
        "post": [
            (
                staff_url(club, "club_invite"),
                {"invite-email": "x@example.com", "invite-role": "coach"},
            ),
            (staff_url(club, "club_add_account"), {"add-who": "swimmer", "add-role": "club_admin"}),
            (staff_url(club, "invitation_resend", invitation.pk), {}),
            (staff_url(club, "invitation_withdraw", invitation.pk), {}),
            (staff_url(club, "role_end", staff_role.pk), {}),
            (staff_url(club, "role_end", role_of(clubs.chair, club, Role.CLUB_ADMIN).pk), {}),
        ],
    }


def snapshot():
    return (
        sorted(StaffInvitation.objects.values_list("pk", "withdrawn_at", "accepted_at", "sent")),
        sorted(StaffRole.objects.values_list("pk", "ended_at")),
    )


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_get_404_on_every_staff_url_and_change_nothing(client, clubs, targets, who):
    client.force_login(getattr(clubs, who))
    before = snapshot()
    for url in targets["get"]:
        assert client.get(url).status_code == 404, url
    for url, data in targets["post"]:
        assert client.post(url, data).status_code == 404, url
    assert snapshot() == before
    assert not mail.outbox


def test_a_club_admin_of_another_club_sees_only_their_own(client, clubs):
    client.force_login(clubs.other_chair)
    assert client.get(staff_url(clubs.otters)).status_code == 200
    page = client.get(reverse("organisations:my_clubs")).content.decode()
    assert staff_url(clubs.otters) in page
    assert staff_url(clubs.dolphins) not in page
    # Another club's slug under their own club's role: still not theirs.
    otters_role = role_of(clubs.other_chair, clubs.otters, Role.CLUB_ADMIN)
    assert client.get(staff_url(clubs.dolphins, "role_end", otters_role.pk)).status_code == 404


def test_signed_out_visitors_are_sent_to_log_in(client, clubs, targets):
    before = snapshot()
    urls = [reverse("organisations:my_clubs"), *targets["get"]]
    urls.append(reverse("organisations:federation", args=[clubs.federation.slug]))
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url
    for url, data in targets["post"]:
        assert client.post(url, data)["Location"].startswith(reverse("login")), url
    assert snapshot() == before


def test_an_admin_of_a_club_cannot_reach_its_invitations_through_another_club(client, clubs):
    """The ids of one club's rows under the other club's address lead nowhere."""
    theirs = offer(clubs.otters, Role.COACH, by=clubs.other_chair, email="o@example.com")
    client.force_login(clubs.chair)
    url = staff_url(clubs.dolphins, "invitation_withdraw", theirs.pk)
    assert client.post(url).status_code == 404
    theirs.refresh_from_db()
    assert theirs.withdrawn_at is None


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("club_invite", []),
        ("club_add_account", []),
        ("invitation_resend", [1]),
        ("invitation_withdraw", [1]),
    ],
)
def test_post_only_urls_answer_405_to_get(client, clubs, name, args):
    client.force_login(clubs.chair)
    assert client.get(staff_url(clubs.dolphins, name, *args)).status_code == 405


def test_pages_answer_only_the_methods_they_mean(client, clubs):
    client.force_login(clubs.chair)
    assert client.put(staff_url(clubs.dolphins)).status_code == 405
    assert client.post(staff_url(clubs.dolphins)).status_code == 405
    assert client.post(reverse("organisations:my_clubs")).status_code == 405
    assert client.get(reverse("organisations:offer_accept", args=[1])).status_code == 405
    assert client.get(reverse("organisations:offer_decline", args=[1])).status_code == 405
    role = role_of(clubs.coach, clubs.dolphins, Role.COACH)
    assert client.delete(staff_url(clubs.dolphins, "role_end", role.pk)).status_code == 405
    invitation = offer(clubs.dolphins, Role.COACH, by=clubs.chair, email="m@example.com")
    link = reverse("organisations:staff_invitation", args=[invitation.token])
    assert client.put(link).status_code == 405
    decline = reverse("organisations:staff_invitation_decline", args=[invitation.token])
    assert client.get(decline).status_code == 405


def test_every_post_needs_the_csrf_token(clubs):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(clubs.chair)
    response = browser.post(
        staff_url(clubs.dolphins, "club_invite"),
        {"invite-email": "x@example.com", "invite-role": "coach"},
    )
    assert response.status_code == 403
    assert not StaffInvitation.objects.exists()
    person = make_trainee()
    invitation = offer(clubs.dolphins, Role.COACH, by=clubs.chair, person=person)
    browser.force_login(person)
    accept = reverse("organisations:offer_accept", args=[invitation.pk])
    assert browser.post(accept).status_code == 403
    link = reverse("organisations:staff_invitation", args=[invitation.token])
    assert browser.post(link).status_code == 403
    assert not StaffRole.objects.filter(person=person).exists()
