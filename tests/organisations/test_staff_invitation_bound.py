"""An e-mailed staff offer is for the invited address only: the account that accepts it must
have confirmed that very address (issue 29, defect 9). The link may be forwarded, and anyone
can type anyone's address into their own account."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from crampcourse import verification
from organisations.models import Role, StaffRole
from organisations.services import StaffRuleBroken, accept_invitation
from tests.factories import make_trainee, make_user
from tests.organisations.conftest import offer, pending, role_of


def text(response):
    return response.content.decode()


def links(invitation):
    return (
        reverse("organisations:staff_invitation", args=[invitation.token]),
        reverse("organisations:staff_invitation_decline", args=[invitation.token]),
    )


def test_an_account_with_another_confirmed_address_cannot_take_the_offer(client, clubs):
    invitation = offer(clubs.dolphins, Role.COACH, by=clubs.chair, email="new.swimmer@example.com")
    link, decline = links(invitation)
    stranger = make_trainee("stranger")  # stranger@example.com, confirmed
    client.force_login(stranger)

    seen = client.get(link)
    assert seen.status_code == 403
    assert "This invitation was sent to n***@example.com, and only that address can use it." in (
        text(seen)
    )
    assert "new.swimmer@example.com" not in text(seen)
    assert "Accept the role" not in text(seen)
    assert client.post(link).status_code == 403
    assert client.post(decline).status_code == 403
    with pytest.raises(StaffRuleBroken, match="only that address can use it"):
        accept_invitation(invitation, stranger)
    assert not StaffRole.objects.filter(person=stranger).exists()
    assert pending(pk=invitation.pk).exists()  # still waiting for its own addressee


def test_the_invited_address_must_be_confirmed_before_accepting(client, clubs):
    invitation = offer(clubs.dolphins, Role.COACH, by=clubs.chair, email="new.swimmer@example.com")
    link, _ = links(invitation)
    person = make_user("newswimmer", email="New.Swimmer@Example.com", verified=False)
    client.force_login(person)

    seen = client.get(link)
    assert seen.status_code == 403
    assert (
        "This invitation is for n***@example.com. Confirm that address first: open the link we "
        "e-mailed to it (or send it again from My account), then open this invitation again."
    ) in text(seen)
    assert reverse("accounts:my_account") in text(seen)
    assert "Accept the role" not in text(seen)
    assert client.post(link).status_code == 403
    with pytest.raises(StaffRuleBroken, match="Confirm that address first"):
        accept_invitation(invitation, person)
    assert not role_of(person, clubs.dolphins, Role.COACH)

    verification.confirm(person)
    assert "Accept the role" in text(client.get(link))
    assert client.post(link)["Location"] == reverse("organisations:my_clubs")
    assert role_of(person, clubs.dolphins, Role.COACH)


def test_an_offer_to_an_account_needs_no_confirmed_address(client, clubs):
    """Made to the account itself (found by its username), not to an address: only that
    account may answer it, as before."""
    person = make_user("deck_hand", verified=False)
    invitation = offer(clubs.dolphins, Role.ASSESSOR, by=clubs.chair, person=person)
    link, _ = links(invitation)
    client.force_login(person)
    assert "Accept the role" in text(client.get(link))
    assert client.post(link).status_code == 302
    assert role_of(person, clubs.dolphins, Role.ASSESSOR)


def test_signed_out_the_page_says_which_address_can_accept(client, clubs):
    invitation = offer(clubs.dolphins, Role.COACH, by=clubs.chair, email="new.swimmer@example.com")
    link, _ = links(invitation)
    page = text(client.get(link))
    assert "only an account that has confirmed that address can accept it" in page
    assert "n***@example.com" in page
    assert "we e-mail it a link to confirm it" in page


@pytest.mark.parametrize("typed", ["", "someone.else@example.com"])
def test_an_account_made_from_the_offer_must_use_the_invited_address(client, clubs, typed):
    # Before: the address was optional, and an account made with another one met a 403 after
    # all its steps. Now the form says so at once and makes nobody.
    invitation = offer(clubs.dolphins, Role.COACH, by=clubs.chair, email="new.swimmer@example.com")
    link, _ = links(invitation)
    refused = client.post(
        link,
        {"username": "newcoach", "display_name": "Nina Newcoach", "email": typed,
         "password1": "a-long-pool-password", "password2": "a-long-pool-password"},
    )  # fmt: skip
    assert refused.status_code == 400
    expected = (
        "This field is required."
        if not typed
        else "This offer was sent to n***@example.com: make the account with that address."
    )
    assert expected in text(refused)
    assert not get_user_model().objects.filter(username="newcoach").exists()
    # Any case of the invited address will do.
    made = client.post(
        link,
        {"username": "newcoach", "display_name": "Nina Newcoach",
         "email": "New.Swimmer@Example.com",
         "password1": "a-long-pool-password", "password2": "a-long-pool-password"},
    )  # fmt: skip
    assert made.status_code == 302
    assert get_user_model().objects.filter(username="newcoach").exists()
