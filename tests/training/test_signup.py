"""Sign-up by invitation: a code or link opened logged out ends, after a "join", in the group."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from training.models import Invitation
from training.roles import TRAINEE

User = get_user_model()


def sign_up_data(username="newswimmer", **extra):
    return {
        "username": username,
        "display_name": "Nia Swimmer",
        "email": "",
        "password1": "kick-from-the-hips-22",
        "password2": "kick-from-the-hips-22",
        **extra,
    }


def test_sign_up_through_a_link_ends_in_the_group(client, group, coach):
    link = reverse("training:join_link", args=[group.join_code])
    page = client.get(link)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Join Dolphins" in text
    assert coach.username in text
    made = client.post(link, sign_up_data())
    assert made["Location"] == link
    swimmer = User.objects.get(username="newswimmer")
    assert swimmer.first_name == "Nia Swimmer"
    assert swimmer.groups.filter(name=TRAINEE).exists()
    # Signed in, but not in the group until they say so.
    assert not group.memberships.filter(trainee=swimmer).exists()
    confirm = client.get(link).content.decode()
    assert "You are logged in as <strong>Nia Swimmer</strong>" in confirm
    joined = client.post(link)
    assert joined["Location"] == reverse("training:my_assignments")
    assert group.memberships.active().filter(trainee=swimmer).exists()
    assert "Dolphins" in client.get(joined["Location"]).content.decode()


def test_sign_up_from_an_emailed_invitation_offers_the_address(client, group):
    invitation = Invitation.objects.create(group=group, email="kid@example.com")
    link = reverse("training:join_link", args=[invitation.token])
    assert 'value="kid@example.com"' in client.get(link).content.decode()
    client.post(link, sign_up_data(email="kid@example.com"))
    swimmer = User.objects.get(username="newswimmer")
    # Bound to the address: the new account confirms it first, from the mail it was sent.
    refused = client.post(link)
    assert refused.status_code == 403
    assert "Confirm that address first" in refused.content.decode()
    [confirmation] = [m for m in mail.outbox if "confirm" in m.subject.lower()]
    confirm_link = next(w for w in confirmation.body.split() if "/account/email/confirm/" in w)
    client.post(confirm_link.removeprefix("http://testserver"))
    assert client.post(link).status_code == 302
    assert group.memberships.active().filter(trainee=swimmer).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_by == swimmer


def test_bad_sign_up_is_a_400_and_makes_nobody(client, group, trainee):
    link = reverse("training:join_link", args=[group.join_code])
    taken = client.post(link, sign_up_data(username=trainee.username))
    assert taken.status_code == 400
    assert "A user with that username already exists." in taken.content.decode()
    short = client.post(link, sign_up_data(password1="abc", password2="abc"))
    assert short.status_code == 400
    assert "too short" in short.content.decode()
    assert not User.objects.filter(username="newswimmer").exists()


def test_an_unknown_code_is_a_404_with_a_way_on(client, db):
    response = client.get(reverse("training:join_link", args=["NOPE2345"]))
    assert response.status_code == 404
    assert "does not work" in response.content.decode()


def test_no_open_sign_up_without_a_code_unless_a_setting_allows(client, db, settings):
    url = reverse("training:signup")
    assert client.get(url).status_code == 404
    assert client.post(url, sign_up_data()).status_code == 404
    assert not User.objects.exists()
    settings.OPEN_SIGNUP = True
    assert client.get(url).status_code == 200
    assert client.post(url, sign_up_data())["Location"] == reverse("training:join")
    assert User.objects.filter(username="newswimmer").exists()


def test_sign_up_is_rate_limited_per_address(client, group, settings):
    settings.SIGNUP_RATE = "2/h"
    link = reverse("training:join_link", args=[group.join_code])
    for number in range(2):
        client.post(link, sign_up_data(username=f"swimmer{number}"))
        client.logout()
    refused = client.post(link, sign_up_data(username="swimmer3"))
    assert refused.status_code == 429
    assert "Too many tries" in refused.content.decode()
    assert not User.objects.filter(username="swimmer3").exists()


@pytest.mark.parametrize("code", ["", "   ", "/?#"])
def test_blank_code_on_the_landing_page_shows_the_code_form(client, db, code):
    response = client.get(reverse("training:join"), {"code": code})
    assert response.status_code == 200
    assert "Group code" in response.content.decode()


def test_a_code_with_stray_characters_still_leads_to_the_group(client, group):
    typed = f" {group.join_code[:4].lower()}-{group.join_code[4:]}/ "
    response = client.get(reverse("training:join"), {"code": typed})
    assert response["Location"] == reverse("training:join_link", args=[group.join_code])


def test_joining_with_an_account_is_not_counted_as_a_sign_up(client, group, settings):
    from tests.factories import make_trainee

    settings.SIGNUP_RATE = "1/h"
    link = reverse("training:join_link", args=[group.join_code])
    for number in range(3):
        client.force_login(make_trainee(f"poolside{number}"))
        assert client.post(link).status_code == 302
    assert group.memberships.filter(trainee__username__startswith="poolside").count() == 3
