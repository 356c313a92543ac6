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
