"""With the shared cache (Redis) down, limits that guard accounts refuse, reading goes on, and
the outage is logged."""

import logging

from django.test import RequestFactory
from django.urls import reverse
from django_ratelimit import ALL

from crampcourse.ratelimits import usage
from tests.factories import PASSWORD
from training.models import Membership

FOOTER = "This is training, not medical advice"


def assert_paused_for_safety(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    page = response.content.decode()
    assert "Please try again in a few minutes" in page
    assert FOOTER in page
    assert "Redis" not in page
    assert "Traceback" not in page


def test_password_resets_are_refused_while_the_cache_is_down(client, db, redis_down, caplog):
    with caplog.at_level(logging.WARNING, logger="crampcourse.ratelimits"):
        response = client.post(reverse("password_reset"), {"email": "a@example.com"})
    assert_paused_for_safety(response)
    assert "the shared cache is unavailable" in caplog.text
    assert "refusing the request" in caplog.text


def test_join_codes_are_refused_while_the_cache_is_down(client, trainee, coach, redis_down):
    from tests import factories

    group = factories.make_group("Orcas", coaches=[coach])
    client.force_login(trainee)
    # Even the right code: without a count, a guesser could try every code.
    assert_paused_for_safety(client.post(reverse("training:join"), {"code": group.join_code}))
    assert not Membership.objects.filter(group=group, trainee=trainee).exists()


def test_signing_in_goes_on_while_the_cache_is_down(client, trainee, redis_down):
    # The per-address log-in limit counts in the cache; axes' lock counts in the database.
    assert client.get(reverse("login")).status_code == 200
    response = client.post(reverse("login"), {"username": trainee.username, "password": PASSWORD})
    assert response.status_code == 302


def test_reading_goes_on_while_the_cache_is_down(client, trainee, group, redis_down):
    client.force_login(trainee)
    assert client.get(reverse("training:my_assignments")).status_code == 200
    # The join page is limited on every method it answers (a HEAD or GET with a code is a
    # guess too), so without a count it says "try again shortly" at once, rather than showing
    # a form whose every use would be refused.
    assert_paused_for_safety(client.get(reverse("training:join")))


def test_a_limit_on_reading_lets_requests_through_and_logs_it(db, redis_down, caplog):
    request = RequestFactory().get("/course/", REMOTE_ADDR="10.0.0.1")
    with caplog.at_level(logging.WARNING, logger="crampcourse.ratelimits"):
        counted = usage(request, fail_closed=False, group="reading", key="ip", rate="1/m",
                        method=ALL, increment=True)  # fmt: skip
    assert counted is None
    assert "letting the request through" in caplog.text


def test_sign_ups_are_refused_while_the_cache_is_down(client, db, redis_down, settings):
    from django.contrib.auth import get_user_model

    settings.OPEN_SIGNUP = True
    response = client.post(reverse("training:signup"), {"username": "newcomer"})
    assert_paused_for_safety(response)
    assert not get_user_model().objects.filter(username="newcomer").exists()
