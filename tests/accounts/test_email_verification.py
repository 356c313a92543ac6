"""An e-mail address is used for resets, invitations and reminders only once its owner opens
the link mailed to it (issue 29, defect 10)."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.emails import is_verified, make_token
from accounts.models import VerifiedEmail
from certification.reminders import send_reminders
from organisations.models import Role
from organisations.services import offer_role
from tests.factories import PASSWORD, make_club, make_lesson, make_user, verify_email
from training.services import assign


def link_in(message):
    return next(word for word in message.body.split() if "/account/email/confirm/" in word)


def path_of(link):
    return link.removeprefix("http://testserver")


def test_signing_up_mails_a_link_that_confirms_the_address(client, group, settings):
    settings.OPEN_SIGNUP = True
    response = client.post(
        reverse("training:signup"),
        {
            "username": "newkid",
            "display_name": "New Kid",
            "email": "new.kid@example.com",
            "password1": "a-long-pass-phrase-9",
            "password2": "a-long-pass-phrase-9",
        },
    )
    assert response.status_code == 302
    user = VerifiedEmail._meta.get_field("user").related_model.objects.get(username="newkid")
    assert not is_verified(user)
    [message] = mail.outbox
    assert message.to == ["new.kid@example.com"]
    link = path_of(link_in(message))
    client.logout()
    page = client.get(link)
    assert page.status_code == 200
    assert "n***@example.com" in page.content.decode()
    assert not VerifiedEmail.objects.filter(user=user).exists()  # opening it confirms nothing
    assert client.post(link).status_code == 302
    user.refresh_from_db()
    assert is_verified(user)


def test_changing_the_address_unverifies_it_and_old_links_stop(client, trainee):
    old_link = reverse("accounts:email_confirm", args=[make_token(trainee)])
    client.force_login(trainee)
    assert is_verified(trainee)
    response = client.post(
        reverse("accounts:my_account"), {"first_name": "Tess", "email": "tess@elsewhere.example"}
    )
    assert response.status_code == 302
    trainee.refresh_from_db()
    assert not is_verified(trainee)
    assert mail.outbox[-1].to == ["tess@elsewhere.example"]
    refused = client.post(old_link)
    assert refused.status_code == 400
    assert "an address the account no longer has" in refused.content.decode()
    assert not is_verified(trainee)
    page = client.get(reverse("accounts:my_account")).content.decode()
    assert "is not confirmed yet" in page
    assert client.post(path_of(link_in(mail.outbox[-1]))).status_code == 302
    trainee.refresh_from_db()
    assert is_verified(trainee)


def test_an_address_changed_behind_the_form_is_not_verified(trainee):
    trainee.email = "someone.else@example.com"
    trainee.save()
    trainee.refresh_from_db()
    assert not is_verified(trainee)


def test_a_link_older_than_the_setting_is_refused(client, trainee, settings):
    settings.EMAIL_CONFIRM_DAYS = 3
    trainee.verified_email.delete()
    with time_machine.travel(timezone.now() - timedelta(days=4), tick=False):
        link = reverse("accounts:email_confirm", args=[make_token(trainee)])
    response = client.post(link)
    assert response.status_code == 400
    assert "older than 3 days" in response.content.decode()
    assert not VerifiedEmail.objects.filter(user=trainee).exists()


@pytest.mark.parametrize("token", ["x", "abc:def:ghi", "e30:1abc:" + "A" * 43, "%00", "ü" * 40])
def test_a_made_up_link_is_a_400(client, db, token):
    response = client.get(reverse("accounts:email_confirm", args=[token]))
    assert response.status_code == 400
    assert "not one we sent" in response.content.decode()


def test_send_the_link_again_is_limited(client, settings, db):
    settings.RATE_LIMIT_EMAIL_CONFIRMATIONS = "2/h"
    person = make_user("unconfirmed", verified=False)
    client.force_login(person)
    url = reverse("accounts:email_confirm_send")
    assert "Send the link again" in client.get(reverse("accounts:my_account")).content.decode()
    assert [client.post(url).status_code for _ in range(3)] == [302, 302, 429]
    assert len(mail.outbox) == 2


def test_password_resets_go_only_to_confirmed_addresses(client, db):
    make_user("confirmed", email="confirmed@example.com")
    make_user("typed_it", email="victim@example.com", verified=False)
    url = reverse("password_reset")
    for address in ("victim@example.com", "confirmed@example.com"):
        response = client.post(url, {"email": address})
        assert response.status_code == 302  # the same answer either way
    assert [message.to for message in mail.outbox] == [["confirmed@example.com"]]


def test_reminders_go_only_to_confirmed_addresses(group, trainee, coach):
    unconfirmed = make_user("unconfirmed_kid", verified=False)
    group.memberships.create(trainee=unconfirmed)
    assign(group, make_lesson(is_published=True), due_at=timezone.now() + timedelta(hours=5))
    send_reminders()
    addresses = {address for message in mail.outbox for address in message.to}
    assert trainee.email in addresses
    assert unconfirmed.email not in addresses


def test_deleting_an_account_leaves_a_clubs_offer_to_its_address(client, db):
    """Before: an account typed the address a club admin had invited, deleted itself, and the
    club's offer was withdrawn."""
    club = make_club()
    offer = offer_role(club, Role.COACH, invited_by=None, email="head.coach@example.com")
    person = make_user("typed_it", email="Head.Coach@example.com", verified=False)
    client.force_login(person)
    response = client.post(reverse("accounts:delete_account"), {"password": PASSWORD})
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.withdrawn_at is None


def test_my_data_says_when_the_address_was_confirmed(client, trainee):
    client.force_login(trainee)
    data = client.get(reverse("accounts:download_data")).json()
    assert data["accounts.email_verified"]["email"] == trainee.email


def test_deleting_an_account_drops_the_proof(client, trainee):
    client.force_login(trainee)
    client.post(reverse("accounts:delete_account"), {"password": PASSWORD})
    assert not VerifiedEmail.objects.filter(user=trainee).exists()


def test_a_confirmed_address_confirms_again_harmlessly(client, trainee):
    link = reverse("accounts:email_confirm", args=[make_token(trainee)])
    assert client.post(link).status_code == 302
    assert client.post(link).status_code == 302
    assert VerifiedEmail.objects.filter(user=trainee).count() == 1
    verify_email(trainee)
    assert VerifiedEmail.objects.filter(user=trainee).count() == 1
