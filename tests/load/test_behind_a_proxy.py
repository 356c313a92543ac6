"""Behind a reverse proxy (AXES_PROXY_COUNT=1), each client is known by its own address, not
the proxy's: a real proxy hop in front of gunicorn, clients on different loopback addresses.

Log-in lockouts (django-axes reading X-Forwarded-For through django-ipware) and the rate limits
(the same address, counts in the cache all gunicorn workers share) hold per client.
"""

import http.client
import re
import urllib.parse
import uuid
from http.cookies import SimpleCookie
from pathlib import Path

import pytest

from bench.servers import production_env, scratch_database, set_up_site, start_gunicorn
from tests.load.forwarding_proxy import ForwardingProxy
from training.demo import DEMO_PASSWORD, scale_username

WRONG_CODE = "NOPE2345"


@pytest.fixture(scope="module")
def proxy(tmp_path_factory):
    """gunicorn (2 workers, DEBUG off) behind one forwarding proxy; yields the proxy's port."""
    tmp_path = tmp_path_factory.mktemp("proxy")
    database_url, _, drop = scratch_database(
        f"crampcourse_proxy_{uuid.uuid4().hex[:8]}", Path(tmp_path) / "proxy.sqlite3"
    )
    env = production_env(
        database_url,
        tmp_path / "static",
        AXES_PROXY_COUNT="1",
        RATE_LIMIT_JOIN_CODES_PER_ADDRESS="3/h",
        RATE_LIMIT_JOIN_CODES_PER_ACCOUNT="100/h",
    )
    try:
        set_up_site(env, "--groups", "1", "--trainees-per-group", "6")
        process, url = start_gunicorn(env, workers=2)
        port = urllib.parse.urlsplit(url).port
        forwarding = ForwardingProxy("127.0.0.1", port)
        try:
            yield forwarding.port
        finally:
            forwarding.close()
            process.terminate()
            process.wait(timeout=30)
    finally:
        drop()


class Browser:
    """A browser on its own address (127.0.0.N), talking to the proxy; keeps its cookies."""

    def __init__(self, port, address):
        self.port, self.address, self.cookies = port, address, {}

    def request(self, method, path, fields=None, headers=None):
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, source_address=(self.address, 0), timeout=60
        )
        sent = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), **(headers or {})}
        body = urllib.parse.urlencode(fields) if fields is not None else None
        if body is not None:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body, sent)
            response = connection.getresponse()
            page = response.read().decode()
        finally:
            connection.close()
        for header in response.msg.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, page

    def post_form(self, path, fields, headers=None):
        _, page = self.request("GET", path, headers=headers)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        return self.request("POST", path, {"csrfmiddlewaretoken": token, **fields}, headers)

    def log_in(self, username, password, headers=None):
        fields = {"username": username, "password": password}
        return self.post_form("/accounts/login/", fields, headers)


def test_wrong_passwords_lock_the_client_that_typed_them_not_the_class(proxy):
    username = scale_username(1, 1)
    guesser, classmate = Browser(proxy, "127.0.0.2"), Browser(proxy, "127.0.0.3")
    statuses = [guesser.log_in(username, "wrong")[0] for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    assert guesser.log_in(username, DEMO_PASSWORD)[0] == 429
    # The same account from another device behind the same proxy logs in.
    assert classmate.log_in(username, DEMO_PASSWORD)[0] == 302


def test_a_made_up_forwarded_for_header_does_not_escape_the_lock(proxy):
    username = scale_username(1, 2)
    faker = Browser(proxy, "127.0.0.4")
    statuses = [
        faker.log_in(username, "wrong", headers={"X-Forwarded-For": f"203.0.113.{n}"})[0]
        for n in range(5)
    ]
    assert statuses[-1] == 429
    fake = {"X-Forwarded-For": "203.0.113.99"}
    assert faker.log_in(username, DEMO_PASSWORD, headers=fake)[0] == 429


def test_wrong_join_codes_are_counted_per_client_across_workers(proxy):
    guesser, classmate = Browser(proxy, "127.0.0.5"), Browser(proxy, "127.0.0.6")
    assert guesser.log_in(scale_username(1, 3), DEMO_PASSWORD)[0] == 302
    assert classmate.log_in(scale_username(1, 4), DEMO_PASSWORD)[0] == 302
    # Each request on a new connection: the two workers take them as they come.
    statuses = [guesser.post_form("/training/join/", {"code": WRONG_CODE})[0] for _ in range(4)]
    assert statuses == [400, 400, 400, 429]
    assert classmate.post_form("/training/join/", {"code": WRONG_CODE})[0] == 400
