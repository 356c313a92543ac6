"""Wrong passwords are throttled per account and address, with a clear page and an unlock."""

from django.core.management import call_command
from django.urls import reverse

from tests.factories import PASSWORD


def try_login(client, username, password, address="10.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_five_wrong_passwords_lock_that_account_from_that_address(client, trainee, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert try_login(client, trainee.username, "wrong").status_code == 200
    locked = try_login(client, trainee.username, "wrong")
    assert locked.status_code == 429
    assert "Log-in paused" in locked.content.decode()
    # Even the right password waits out the pause from that address...
    assert try_login(client, trainee.username, PASSWORD).status_code == 429
    # ...but the trainee can still log in from another device.
    assert try_login(client, trainee.username, PASSWORD, address="10.0.0.2").status_code == 302


def test_an_admin_unlocks_the_account(client, trainee, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        try_login(client, trainee.username, "wrong")
    assert try_login(client, trainee.username, PASSWORD).status_code == 429
    call_command("axes_reset_username", trainee.username)
    assert try_login(client, trainee.username, PASSWORD).status_code == 302


def test_admin_lists_the_locked_attempts(client, trainee, admin_user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        try_login(client, trainee.username, "wrong")
    client.force_login(admin_user)
    page = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert page.status_code == 200
    assert trainee.username in page.content.decode()


def test_one_address_trying_many_usernames_is_paused(client, trainee, settings):
    # Before: 48 wrong passwords over 12 usernames from one address, none refused (each account
    # stayed under its own lockout).
    settings.RATE_LIMIT_LOGINS_PER_ADDRESS = "6/h"
    from tests.factories import make_user

    for number in range(3):
        user = make_user(f"spray{number}")
        for _ in range(2):
            assert try_login(client, user.username, "wrong", address="10.7.7.7").status_code == 200
    paused = try_login(client, trainee.username, PASSWORD, address="10.7.7.7")
    assert paused.status_code == 429
    assert "Too many tries" in paused.content.decode()
    # Another address, the same account: in.
    assert try_login(client, trainee.username, PASSWORD, address="10.7.7.8").status_code == 302


def test_a_class_logging_in_on_one_wifi_with_a_typo_each_gets_in(client, db):
    from tests.factories import make_user

    pupils = [make_user(f"pupil{number}") for number in range(30)]
    for pupil in pupils:
        assert try_login(client, pupil.username, "typo", address="10.8.8.8").status_code == 200
        assert try_login(client, pupil.username, PASSWORD, address="10.8.8.8").status_code == 302
        client.logout()
