"""A staff offer lasts INVITATION_DAYS (issue 29, defect 9): a two-year-old link made nobody
staff any more; the club admin sees it expired and offers again with a new link."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse

from organisations.models import Role, StaffInvitation, StaffRole
from organisations.services import StaffRuleBroken, accept_invitation
from tests.factories import make_trainee
from tests.organisations.conftest import offer, pending, role_of, staff_url


def text(response):
    return response.content.decode()


def made_days_ago(invitation, days):
    invitation.created_at -= timedelta(days=days)
    invitation.save(update_fields=["created_at"])
    return invitation


@pytest.fixture
def person(db):
    return make_trainee("lane_two")  # lane_two@example.com, confirmed


def test_an_expired_offer_answers_410_and_makes_nobody_staff(client, clubs, person, settings):
    settings.INVITATION_DAYS = 3
    invitation = offer(clubs.dolphins, Role.COACH, by=clubs.chair, email=person.email)
    made_days_ago(invitation, 4)
    link = reverse("organisations:staff_invitation", args=[invitation.token])
    decline = reverse("organisations:staff_invitation_decline", args=[invitation.token])

    client.force_login(person)
    gone = client.get(link)
    assert gone.status_code == 410
    assert "This invitation has expired" in text(gone)
    assert "An invitation works for 3 days. Ask the club admin for a new one." in text(gone)
    assert client.post(link).status_code == 410
    assert client.post(decline).status_code == 410
    with pytest.raises(StaffRuleBroken, match="has expired"):
        accept_invitation(invitation, person)
    assert not StaffRole.objects.filter(person=person).exists()
    client.logout()
    assert client.get(link).status_code == 410


def test_the_service_reads_the_time_it_is_given(clubs, person, settings):
    invitation = offer(clubs.dolphins, Role.COACH, by=clubs.chair, email=person.email)
    too_late = invitation.created_at + timedelta(days=settings.INVITATION_DAYS, minutes=1)
    with pytest.raises(StaffRuleBroken, match="has expired"):
        accept_invitation(invitation, person, now=too_late)
    assert not role_of(person, clubs.dolphins, Role.COACH)
    last_day = invitation.created_at + timedelta(days=settings.INVITATION_DAYS - 1)
    assert accept_invitation(invitation, person, now=last_day).granted_at == last_day


def test_a_fresh_offer_still_works_on_its_last_day(client, clubs, person, settings):
    invitation = offer(clubs.dolphins, Role.ASSESSOR, by=clubs.chair, email=person.email)
    made_days_ago(invitation, settings.INVITATION_DAYS - 1)
    client.force_login(person)
    link = reverse("organisations:staff_invitation", args=[invitation.token])
    assert client.get(link).status_code == 200
    assert client.post(link)["Location"] == reverse("organisations:my_clubs")
    assert role_of(person, clubs.dolphins, Role.ASSESSOR)


def test_an_expired_offer_to_an_account_leaves_my_clubs(client, clubs, person, settings):
    invitation = offer(clubs.dolphins, Role.COACH, by=clubs.chair, person=person)
    made_days_ago(invitation, settings.INVITATION_DAYS + 1)
    client.force_login(person)
    assert "Dolphins SC" not in text(client.get(reverse("organisations:my_clubs")))
    accept = reverse("organisations:offer_accept", args=[invitation.pk])
    assert client.post(accept).status_code == 404
    assert not StaffRole.objects.filter(person=person).exists()


def test_the_club_admin_sees_it_expired_and_offers_again(client, clubs, settings):
    invitation = offer(clubs.dolphins, Role.COACH, by=clubs.chair, email="late@example.com")
    made_days_ago(invitation, settings.INVITATION_DAYS + 1)
    old_link = reverse("organisations:staff_invitation", args=[invitation.token])
    client.force_login(clubs.chair)
    page = text(client.get(staff_url(clubs.dolphins)))
    assert "late@example.com" in page
    assert "the link no longer works" in page
    assert "Offer again" in page
    assert not pending(pk=invitation.pk).exists()

    again = client.post(staff_url(clubs.dolphins, "invitation_resend", invitation.pk))
    assert again["Location"] == staff_url(clubs.dolphins)
    renewed = pending(email="late@example.com").get()
    assert renewed.token != invitation.token
    assert (renewed.role, renewed.invited_by) == (Role.COACH, clubs.chair)
    [message] = mail.outbox
    assert message.to == ["late@example.com"]
    assert renewed.token in message.body
    assert "only for an account that has confirmed this address" in message.body
    page = text(client.get(staff_url(clubs.dolphins)))
    assert "Offer again" not in page
    assert client.get(old_link).status_code == 410  # the old link stays closed
    assert StaffInvitation.objects.filter(email="late@example.com").count() == 2


def test_an_expired_offer_does_not_block_a_new_one(client, clubs, settings):
    invitation = offer(clubs.dolphins, Role.COACH, by=clubs.chair, email="late@example.com")
    made_days_ago(invitation, settings.INVITATION_DAYS + 1)
    client.force_login(clubs.chair)
    response = client.post(
        staff_url(clubs.dolphins, "club_invite"),
        {"invite-email": "late@example.com", "invite-role": Role.COACH},
    )
    assert response.status_code == 302
    assert pending(email="late@example.com").count() == 1
