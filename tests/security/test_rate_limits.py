"""Guessing is rate-limited: wrong join codes per account and per address, password resets per
address and per email, each with a 429 page in the site's layout. The counts live in the cache
every server process shares (the database unless CACHE_URL names Redis)."""

import json
import os
import shutil
import subprocess
import sys
import time

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.db import connection
from django.urls import URLResolver, get_resolver, reverse

from tests.factories import make_user

FOOTER = "This is training, not medical advice"
WRONG = "NOPE2345"


def join(client, code, address="10.1.1.1", url=None):
    return client.post(url or reverse("training:join"), {"code": code}, REMOTE_ADDR=address)


def assert_paused(response):
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many tries" in page
    assert FOOTER in page


def test_wrong_join_codes_are_limited_per_account(client, trainee, group, settings):
    settings.RATE_LIMIT_JOIN_CODES_PER_ACCOUNT = "3/h"
    client.force_login(trainee)
    # Different addresses each time: the account's own count stops them.
    for number in range(3):
        assert join(client, WRONG, address=f"10.1.1.{number}").status_code == 400
    assert_paused(join(client, WRONG, address="10.1.1.9"))
    assert_paused(join(client, group.join_code, address="10.1.1.10"))  # paused, right or wrong
    link = reverse("training:join_link", args=[group.join_code])
    assert_paused(join(client, group.join_code, url=link))
    # Someone else is not held up by it.
    other = make_user("other")
    client.force_login(other)
    assert join(client, WRONG, address="10.1.1.11").status_code == 400


def test_wrong_join_codes_are_limited_per_address(client, group, settings):
    settings.RATE_LIMIT_JOIN_CODES_PER_ADDRESS = "4/h"
    for number in range(4):
        client.force_login(make_user(f"guesser{number}"))
        assert join(client, WRONG).status_code == 400
    client.force_login(make_user("next_guesser"))
    assert_paused(join(client, WRONG))
    assert join(client, WRONG, address="10.2.2.2").status_code == 400  # another address


def test_a_whole_class_joining_from_one_address_is_not_held_up(client, group, settings):
    settings.RATE_LIMIT_JOIN_CODES_PER_ADDRESS = "2/h"
    for number in range(6):
        newcomer = make_user(f"swimmer{number}")
        client.force_login(newcomer)
        assert join(client, group.join_code).status_code == 302
    assert group.memberships.count() == 1 + 6


def reset(client, email, address="10.3.3.3"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address)


def test_password_resets_are_limited_per_email(client, trainee, settings):
    settings.RATE_LIMIT_RESETS_PER_EMAIL = "3/h"
    for number in range(3):
        assert reset(client, trainee.email, address=f"10.3.3.{number}").status_code == 302
    assert_paused(reset(client, trainee.email.upper(), address="10.3.3.9"))
    assert len(mail.outbox) == 3
    assert reset(client, "someone.else@example.com").status_code == 302


def test_password_resets_are_limited_per_address(client, db, settings):
    settings.RATE_LIMIT_RESETS_PER_ADDRESS = "5/h"
    for number in range(5):
        assert reset(client, f"swimmer{number}@example.com").status_code == 302
    assert_paused(reset(client, "swimmer9@example.com"))
    assert reset(client, "swimmer9@example.com", address="10.4.4.4").status_code == 302


@pytest.mark.skipif(
    not django_settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache"),
    reason="CACHE_URL selects Redis for this run",
)
def test_counts_are_kept_in_the_database_every_process_shares(client, trainee):
    client.force_login(trainee)
    join(client, WRONG)
    table = connection.ops.quote_name(django_settings.CACHES["default"]["LOCATION"])
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")
        assert cursor.fetchone()[0] >= 1


def cache_settings(**environ):
    """CACHES and the rate-limit cache as a fresh process reads them from its environment."""
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        "print(json.dumps([settings.CACHES, settings.RATELIMIT_USE_CACHE]))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "crampcourse.settings", **environ}
    env.pop("CACHE_URL", None) if "CACHE_URL" not in environ else None
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    return result


def test_cache_url_selects_redis_and_unset_the_database():
    caches, used = json.loads(cache_settings().stdout)
    assert caches[used]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    caches, used = json.loads(cache_settings(CACHE_URL="redis://127.0.0.1:6379/14").stdout)
    assert caches[used] == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/14",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }


def test_a_cache_url_we_cannot_use_stops_the_start_with_a_reason():
    result = cache_settings(CACHE_URL="memcached://127.0.0.1:11211")
    assert result.returncode != 0
    assert "CACHE_URL must start with redis://" in result.stderr


@pytest.fixture
def redis_cache(settings, tmp_path):
    """A Redis of the test's own, started for it on a Unix socket in its temporary folder and
    stopped after it: no port to race for, and nobody's data on the machine's Redis touched."""
    redis = pytest.importorskip("redis")
    if not shutil.which("redis-server"):
        pytest.skip("no redis-server (make redis installs it)")
    socket_path = tmp_path / "redis.sock"
    server = subprocess.Popen(
        ["redis-server", "--port", "0", "--unixsocket", str(socket_path), "--save", "",
         "--appendonly", "no", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"unix://{socket_path}?db=0"
    client = redis.Redis.from_url(url, socket_connect_timeout=1)
    deadline = time.monotonic() + 20
    while True:
        try:
            client.ping()
            break
        except (redis.exceptions.ConnectionError, FileNotFoundError):
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise
            time.sleep(0.05)
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    }
    yield client
    server.terminate()
    server.wait(timeout=10)


def test_with_redis_the_counts_live_in_redis(client, trainee, settings, redis_cache):
    settings.RATE_LIMIT_JOIN_CODES_PER_ACCOUNT = "2/h"
    client.force_login(trainee)
    assert join(client, WRONG).status_code == 400
    assert join(client, WRONG).status_code == 400
    assert_paused(join(client, WRONG))
    assert redis_cache.dbsize() >= 1  # the counts are in this test's own Redis


def test_probing_invitation_links_is_limited_signed_out_too(client, group, settings):
    settings.RATE_LIMIT_JOIN_CODES_PER_ADDRESS = "3/h"
    for guess in ("AAAA2222", "BBBB3333", "CCCC4444"):
        url = reverse("training:join_link", args=[guess])
        assert client.get(url, REMOTE_ADDR="10.5.5.5").status_code == 404
    right = reverse("training:join_link", args=[group.join_code])
    assert_paused(client.get(right, REMOTE_ADDR="10.5.5.5"))  # even the right one, for now
    assert client.get(right, REMOTE_ADDR="10.5.5.6").status_code == 200


def limited_routes():
    """Every URL whose view counts failures (crampcourse.ratelimits.limit_failures), with the
    methods it answers, found in the URL configuration: a new limited view is asked too."""
    found = []

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                namespace = pattern.namespace
                walk(pattern.url_patterns, f"{prefix}{namespace}:" if namespace else prefix)
            elif getattr(pattern.callback, "limited_methods", None):
                found.append((prefix + pattern.name, pattern.callback.limited_methods, pattern))

    walk(get_resolver().url_patterns)
    return found


# How each limited route is failed: a wrong code typed in, or a wrong code or token in the URL.
FAIL_BY_POSTING = {
    "training:join": {"code": WRONG},
    "accounts:password": {"old_password": WRONG},
    "login": {"username": "nobody", "password": WRONG},
    "accounts:delete_account": {"password": WRONG},
}
EVERY_METHOD = ["GET", "HEAD", "POST", "OPTIONS", "PUT", "PATCH", "DELETE", "TRACE"]


def test_every_limited_route_limits_every_method_it_answers(client, group, settings):
    settings.RATE_LIMIT_JOIN_CODES_PER_ADDRESS = "2/h"
    settings.RATE_LIMIT_PASSWORD_CHECKS_PER_ACCOUNT = "2/h"
    settings.RATE_LIMIT_LOGINS_PER_ADDRESS = "2/h"
    routes = limited_routes()
    names = {name for name, _, _ in routes}
    assert {
        "training:join",
        "training:join_link",
        "organisations:staff_invitation",
        "accounts:password",
        "accounts:delete_account",
        "login",
    } <= names
    for number, (name, answered, pattern) in enumerate(routes):
        address = f"10.9.{number}.1"
        # Signed in, as a guesser would be to type a code; a new account and address a route.
        client.force_login(make_user(f"prober{number}"))
        kwargs = dict.fromkeys(pattern.pattern.converters, WRONG)
        url = reverse(name, kwargs=kwargs)
        for _ in range(2):
            if name in FAIL_BY_POSTING or "GET" not in answered:
                client.post(url, FAIL_BY_POSTING.get(name, {}), REMOTE_ADDR=address)
            else:
                client.get(url, REMOTE_ADDR=address)
        for method in EVERY_METHOD:
            response = client.generic(method, url, REMOTE_ADDR=address)
            expected = 429 if method in answered else 405
            assert response.status_code == expected, (name, method)


def test_head_requests_count_as_guesses_too(client, group, settings):
    # Before: after the GETs were paused, HEAD still told a real code (200) from a wrong one.
    settings.RATE_LIMIT_JOIN_CODES_PER_ADDRESS = "3/h"
    for guess in ("AAAA2222", "BBBB3333", "CCCC4444"):
        url = reverse("training:join_link", args=[guess])
        assert client.head(url, REMOTE_ADDR="10.6.6.6").status_code == 404
    right = reverse("training:join_link", args=[group.join_code])
    assert client.head(right, REMOTE_ADDR="10.6.6.6").status_code == 429
    assert client.get(right, REMOTE_ADDR="10.6.6.6").status_code == 429


def test_wrong_current_passwords_are_limited_across_change_and_delete(client, trainee, settings):
    # Before: 12 wrong tries at each form, all answered.
    settings.RATE_LIMIT_PASSWORD_CHECKS_PER_ACCOUNT = "3/h"
    trainee.set_password("right-password-1")
    trainee.save()
    client.force_login(trainee)
    change, delete = reverse("accounts:password"), reverse("accounts:delete_account")
    wrong = {
        "old_password": "guess",
        "new_password1": "x-new-pass-77",
        "new_password2": "x-new-pass-77",
    }
    # A mistyped new password is not a guess at the current one: it does not count.
    mismatch = {
        "old_password": "right-password-1",
        "new_password1": "a-new-pass-1",
        "new_password2": "b",
    }
    for _ in range(3):
        assert client.post(change, mismatch).status_code == 400
    assert client.post(change, wrong).status_code == 400
    assert client.post(delete, {"password": "guess"}).status_code == 400
    assert client.post(change, wrong).status_code == 400
    # Three wrong: now even the right password waits, on both forms.
    right = {**wrong, "old_password": "right-password-1"}
    assert_paused(client.post(change, right))
    assert_paused(client.post(delete, {"password": "right-password-1"}))
    trainee.refresh_from_db()
    assert trainee.check_password("right-password-1")
    assert trainee.is_active
