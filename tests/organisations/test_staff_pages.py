"""A club admin's staff page, My clubs and the invitation link: nobody becomes staff without
saying yes, and ending a role keeps everything the role held."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from organisations.models import Role, StaffInvitation, StaffRole
from organisations.services import grant_role
from tests.factories import PASSWORD, make_group, make_trainee, make_user, verify_email
from tests.organisations.conftest import offer, pending, role_of, staff_url


def text(response):
    return response.content.decode()


def invite(client, club, email, role=Role.COACH):
    return client.post(staff_url(club, "club_invite"), {"invite-email": email, "invite-role": role})


def add_account(client, club, who, role=Role.COACH):
    return client.post(staff_url(club, "club_add_account"), {"add-who": who, "add-role": role})


def link_in(message):
    return re.search(r"https?://\S+", message.body).group(0)


def confirm_from_the_mail(client, message):
    """Open the confirmation link we mailed and press its button, as the person would."""
    link = link_in(message).removeprefix("http://testserver")
    assert "/account/email/confirm/" in link
    assert client.post(link).status_code == 302


def test_an_invited_coach_signs_up_from_the_email_accepts_and_opens_my_groups(client, clubs):
    client.force_login(clubs.chair)
    response = invite(client, clubs.dolphins, "new.coach@example.com")
    assert response["Location"] == staff_url(clubs.dolphins)
    invitation = StaffInvitation.objects.get(email="new.coach@example.com")
    assert invitation.sent
    assert (invitation.role, invitation.invited_by) == (Role.COACH, clubs.chair)
    [message] = mail.outbox
    assert message.to == ["new.coach@example.com"]
    assert "Dolphins SC" in message.subject
    assert "Chris Chair offers you the role “Coach” at Dolphins SC" in message.body
    link = link_in(message)
    assert link.endswith(reverse("organisations:staff_invitation", args=[invitation.token]))
    page = text(client.get(staff_url(clubs.dolphins)))
    assert "new.coach@example.com" in page
    assert "Not sent" not in page

    client.logout()
    offered = client.get(link)
    assert offered.status_code == 200
    for shown in ("Dolphins SC", "Coach", "Chris Chair", "Log in to answer", "Create my account"):
        assert shown in text(offered)
    signed_up = client.post(
        link,
        {
            "username": "newcoach",
            "display_name": "Nina Newcoach",
            "email": "new.coach@example.com",
            "password1": "a-long-pool-password",
            "password2": "a-long-pool-password",
        },
    )
    assert signed_up["Location"] == reverse(
        "organisations:staff_invitation", args=[invitation.token]
    )
    newcoach = get_user_model().objects.get(username="newcoach")
    assert newcoach.first_name == "Nina Newcoach"
    # Signed up and logged in, but not staff until they confirm the address and say yes.
    assert not StaffRole.objects.filter(person=newcoach).exists()
    waiting = client.get(link)
    assert waiting.status_code == 403
    assert "Two steps left: confirm your address with the link we e-mailed" in text(waiting)
    assert "This invitation is for n***@example.com. Confirm that address first" in text(waiting)
    assert "Accept the role" not in text(waiting)
    assert client.post(link).status_code == 403
    assert not StaffRole.objects.filter(person=newcoach).exists()
    assert client.get(reverse("training:coach_groups")).status_code == 403
    confirmation = mail.outbox[-1]
    assert confirmation.to == ["new.coach@example.com"]
    confirm_from_the_mail(client, confirmation)
    assert "Accept the role" in text(client.get(link))

    accepted = client.post(link)
    assert accepted["Location"] == reverse("organisations:my_clubs")
    assert role_of(newcoach, clubs.dolphins, Role.COACH).granted_by == clubs.chair
    my_clubs = text(client.get(reverse("organisations:my_clubs")))
    assert "You hold the role “Coach” at Dolphins SC now." in my_clubs
    assert reverse("training:coach_groups") in my_clubs  # the navigation has My groups now
    assert client.get(reverse("training:coach_groups")).status_code == 200
    # Used once: the link answers that it is spent, and nobody else can take it.
    assert client.get(link).status_code == 410


def test_an_existing_account_logs_in_from_the_link_and_comes_back_to_accept(client, clubs):
    person = make_trainee("lifeguard")
    invitation = offer(clubs.dolphins, Role.ASSESSOR, by=clubs.chair, email="Lifeguard@Example.com")
    link = reverse("organisations:staff_invitation", args=[invitation.token])
    page = text(client.get(link))
    login_url = f"{reverse('login')}?next={link}"
    assert f'href="{login_url}"' in page
    logged_in = client.post(
        login_url, {"username": "lifeguard", "password": PASSWORD, "next": link}
    )
    assert logged_in["Location"] == link
    assert not StaffRole.objects.filter(person=person).exists()
    client.post(link)
    assert role_of(person, clubs.dolphins, Role.ASSESSOR)


def test_adding_an_existing_account_changes_nothing_until_they_accept(client, clubs):
    person = make_trainee("deck_helper")
    client.force_login(clubs.chair)
    response = add_account(client, clubs.dolphins, "Deck_Helper")
    assert response["Location"] == staff_url(clubs.dolphins)
    invitation = pending(person=person).get()
    assert invitation.email == ""
    assert invitation.sent  # their account has an address: the link went there too
    assert mail.outbox[0].to == ["deck_helper@example.com"]
    assert not StaffRole.objects.filter(person=person).exists()
    assert "deck_helper" in text(client.get(staff_url(clubs.dolphins)))

    client.force_login(person)
    my_clubs = text(client.get(reverse("organisations:my_clubs")))
    assert "You are offered the role “Coach” at Dolphins SC." in my_clubs
    assert not StaffRole.objects.filter(person=person).exists()
    accepted = client.post(reverse("organisations:offer_accept", args=[invitation.pk]))
    assert accepted["Location"] == reverse("organisations:my_clubs")
    assert role_of(person, clubs.dolphins, Role.COACH)
    assert client.get(reverse("training:coach_groups")).status_code == 200


def test_an_account_is_found_by_its_email_address_too(client, clubs):
    person = make_user("pool_manager")
    person.email = "Manager@Pool.example"
    person.save()
    verify_email(person)
    client.force_login(clubs.chair)
    add_account(client, clubs.dolphins, "manager@pool.example", Role.CLUB_ADMIN)
    assert pending(person=person, role=Role.CLUB_ADMIN).exists()


def test_an_unconfirmed_address_finds_no_account(client, clubs):
    """Anyone may type a coach's address into their own account: it finds nobody until the
    owner confirms it."""
    person = make_user("deck_lead", email="head.coach@pool.example", verified=False)
    client.force_login(clubs.chair)
    response = add_account(client, clubs.dolphins, "head.coach@pool.example", Role.CLUB_ADMIN)
    assert response.status_code == 400
    assert not pending(person=person).exists()
    verify_email(person)
    add_account(client, clubs.dolphins, "head.coach@pool.example", Role.CLUB_ADMIN)
    assert pending(person=person, role=Role.CLUB_ADMIN).exists()


def test_an_account_without_email_finds_the_offer_on_my_clubs(client, clubs):
    person = make_trainee("no_mail")
    person.email = ""
    person.save()
    client.force_login(clubs.chair)
    add_account(client, clubs.dolphins, "no_mail")
    invitation = pending(person=person).get()
    assert not mail.outbox
    page = text(client.get(staff_url(clubs.dolphins)))
    assert "the offer waits on their My clubs page" in page
    assert "Not sent — send again" not in page
    client.force_login(person)
    assert "Dolphins SC" in text(client.get(reverse("organisations:my_clubs")))
    assert invitation.token  # no link needed: the page is theirs


def test_declining_on_my_clubs_makes_nobody_staff_and_stops_the_link(client, clubs):
    person = make_trainee("maybe_later")
    invitation = offer(clubs.dolphins, Role.COACH, by=clubs.chair, person=person)
    client.force_login(person)
    response = client.post(reverse("organisations:offer_decline", args=[invitation.pk]))
    assert response["Location"] == reverse("organisations:my_clubs")
    assert not StaffRole.objects.filter(person=person).exists()
    assert not pending(pk=invitation.pk).exists()
    assert "You declined the role “Coach” at Dolphins SC." in text(
        client.get(reverse("organisations:my_clubs"))
    )
    link = reverse("organisations:staff_invitation", args=[invitation.token])
    assert client.get(link).status_code == 410
    assert client.post(link).status_code == 410
    assert not StaffRole.objects.filter(person=person).exists()


def test_declining_from_the_link(client, clubs):
    person = make_trainee("not_me")
    invitation = offer(clubs.dolphins, Role.COACH, by=clubs.chair, email="not_me@example.com")
    client.force_login(person)
    decline = reverse("organisations:staff_invitation_decline", args=[invitation.token])
    assert client.post(decline)["Location"] == reverse("organisations:my_clubs")
    assert not StaffRole.objects.filter(person=person).exists()
    assert not pending(pk=invitation.pk).exists()


def test_an_offer_to_one_account_cannot_be_taken_by_another(client, clubs):
    meant = make_trainee("meant")
    invitation = offer(clubs.dolphins, Role.CLUB_ADMIN, by=clubs.chair, person=meant)
    link = reverse("organisations:staff_invitation", args=[invitation.token])
    client.force_login(clubs.trainee)
    seen = client.get(link)
    assert seen.status_code == 403
    assert "This invitation is for another account." in text(seen)
    assert "Accept the role" not in text(seen)
    assert client.post(link).status_code == 403
    decline = reverse("organisations:staff_invitation_decline", args=[invitation.token])
    assert client.post(decline).status_code == 403
    assert client.post(reverse("organisations:offer_accept", args=[invitation.pk])).status_code == (
        404
    )
    assert client.post(
        reverse("organisations:offer_decline", args=[invitation.pk])
    ).status_code == (404)
    assert not StaffRole.objects.filter(person=clubs.trainee).exists()
    assert pending(pk=invitation.pk).exists()
    # Signed out, an offer to an account only asks them to log in: no sign-up form.
    client.logout()
    page = text(client.get(link))
    assert "Log in to answer" in page
    assert "Create my account" not in page
    assert client.post(link)["Location"].startswith(reverse("login"))


def test_withdrawing_an_invitation_stops_its_link(client, clubs):
    client.force_login(clubs.chair)
    invite(client, clubs.dolphins, "changed.mind@example.com")
    invitation = StaffInvitation.objects.get()
    url = staff_url(clubs.dolphins, "invitation_withdraw", invitation.pk)
    assert client.post(url)["Location"] == staff_url(clubs.dolphins)
    invitation.refresh_from_db()
    assert invitation.withdrawn_at is not None
    told = text(client.get(staff_url(clubs.dolphins)))
    assert "The offer to changed.mind@example.com is withdrawn" in told
    assert "changed.mind@example.com" not in text(client.get(staff_url(clubs.dolphins)))
    assert client.post(url).status_code == 404  # not pending any more
    person = make_trainee()
    client.force_login(person)
    link = reverse("organisations:staff_invitation", args=[invitation.token])
    gone = client.get(link)
    assert gone.status_code == 410
    assert "used or withdrawn" in text(gone)
    assert client.post(link).status_code == 410
    assert not StaffRole.objects.filter(person=person).exists()


def test_ending_a_coachs_role_asks_first_and_keeps_the_group_and_its_data(client, clubs):
    trainee = make_trainee()
    group = make_group("Juniors", coaches=[clubs.coach], trainees=[trainee], club=clubs.dolphins)
    staff_role = role_of(clubs.coach, clubs.dolphins, Role.COACH)
    url = staff_url(clubs.dolphins, "role_end", staff_role.pk)
    client.force_login(clubs.chair)
    asked = client.get(url)
    assert asked.status_code == 200
    assert "End the role “Coach” of dolphins_coach?" in text(asked)
    assert role_of(clubs.coach, clubs.dolphins, Role.COACH)
    assert client.post(url)["Location"] == staff_url(clubs.dolphins)
    staff_role.refresh_from_db()
    assert staff_role.ended_at is not None
    assert group.memberships.filter(trainee=trainee).exists()
    assert not group.coaches.exists()
    told = text(client.get(staff_url(clubs.dolphins)))
    assert "dolphins_coach no longer holds the role “Coach” at Dolphins SC." in told
    assert "dolphins_coach" not in text(client.get(staff_url(clubs.dolphins)))
    # The club admin runs the group still.
    assert client.get(group.get_absolute_url()).status_code == 200


def test_the_last_club_admin_cannot_be_ended_and_nothing_changes(client, clubs):
    staff_role = role_of(clubs.chair, clubs.dolphins, Role.CLUB_ADMIN)
    client.force_login(clubs.chair)
    response = client.post(staff_url(clubs.dolphins, "role_end", staff_role.pk))
    assert response.status_code == 400
    assert "Dolphins SC needs another club admin before this one can go." in text(response)
    assert "Nothing was changed." in text(response)
    staff_role.refresh_from_db()
    assert staff_role.ended_at is None


def test_a_club_admin_who_steps_down_goes_to_my_clubs(client, clubs):
    successor = make_user("successor")
    grant_role(successor, clubs.dolphins, Role.CLUB_ADMIN)
    staff_role = role_of(clubs.chair, clubs.dolphins, Role.CLUB_ADMIN)
    client.force_login(clubs.chair)
    response = client.post(staff_url(clubs.dolphins, "role_end", staff_role.pk))
    assert response["Location"] == reverse("organisations:my_clubs")
    assert client.get(staff_url(clubs.dolphins)).status_code == 404


def test_my_clubs_lists_roles_by_organisation_with_the_admins_pages(client, clubs):
    grant_role(clubs.chair, clubs.dolphins, Role.COACH)
    grant_role(clubs.chair, clubs.otters, Role.ASSESSOR)
    grant_role(clubs.chair, clubs.federation, Role.FEDERATION_ADMIN)
    client.force_login(clubs.chair)
    page = text(client.get(reverse("organisations:my_clubs")))
    assert page.count("Dolphins SC</h3>") == 1
    assert "Club admin, since" in page
    assert "Coach, since" in page
    assert staff_url(clubs.dolphins) in page
    assert staff_url(clubs.otters) not in page  # an assessor there, not its admin
    assert reverse("organisations:federation", args=[clubs.federation.slug]) in page
    client.force_login(clubs.coach)
    page = text(client.get(reverse("organisations:my_clubs")))
    assert "Coach, since" in page
    assert staff_url(clubs.dolphins) not in page


def test_a_federation_admin_sees_the_clubs_and_who_runs_them(client, clubs):
    admin = make_user("region_admin")
    grant_role(admin, clubs.federation, Role.FEDERATION_ADMIN)
    url = reverse("organisations:federation", args=[clubs.federation.slug])
    client.force_login(admin)
    page = text(client.get(url))
    assert "Dolphins SC" in page
    assert "Otters SC" in page
    assert "Chris Chair" in page
    assert client.get(staff_url(clubs.dolphins)).status_code == 404  # reads, changes no staff
    for outsider in (clubs.chair, clubs.coach, clubs.trainee):
        client.force_login(outsider)
        assert client.get(url).status_code == 404


@pytest.mark.parametrize("role", [Role.COACH, Role.CLUB_ADMIN])
def test_whoever_accepts_a_role_that_runs_groups_gets_the_coach_pages(client, clubs, role):
    person = make_trainee()
    invitation = offer(clubs.dolphins, role, by=clubs.chair, person=person)
    client.force_login(person)
    assert client.get(reverse("training:coach_groups")).status_code == 403
    client.post(reverse("organisations:offer_accept", args=[invitation.pk]))
    assert client.get(reverse("training:coach_groups")).status_code == 200
