"""The rate-limit decorators' own rules, on views decorated here, in the test: the site's views
are decorated when their module is imported, so these are what a new limited view gets. Plus
what every limited page must survive: an address that is not one, a proxy in front, a form
posted without its field, and a cache that does not answer (logged so an administrator can tell
which limit and why)."""

import logging
import re

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django_ratelimit.exceptions import Ratelimited

from crampcourse.ratelimits import LimitsUnavailable, limit_failures, limit_requests, usage
from tests.factories import make_user

WRONG = "NOPE2345"


def not_found(request):
    return HttpResponse("no such code", status=404)


def guessing_view(methods=("GET",), **options):
    """A view that answers every request with a 404, each one a failure that counts."""
    limit = limit_failures(
        "rule-test", {"ip": "RULE_TEST_RATE"}, lambda response: response.status_code == 404,
        methods=methods, **options,
    )  # fmt: skip
    return limit(not_found)


def test_a_view_limited_for_get_counts_head_too_and_refuses_other_methods(db, settings):
    settings.RULE_TEST_RATE = "2/h"
    view = guessing_view()
    ask = RequestFactory(REMOTE_ADDR="10.7.0.1")
    assert view(ask.head("/code/")).status_code == 404
    assert view(ask.get("/code/")).status_code == 404
    with pytest.raises(Ratelimited):
        view(ask.head("/code/"))  # the third guess, by HEAD, is refused like a GET
    for method in ("put", "delete", "options", "patch"):
        refused = getattr(ask, method)("/code/")
        response = view(refused)
        assert response.status_code == 405, method
        assert response["Allow"] == "GET, HEAD"
    # The role matrix's rule test reads what each limited view answers from the view itself.
    assert view.limited_methods == {"GET", "HEAD"}


def test_a_view_limited_for_post_only_refuses_get_and_head(db, settings):
    settings.RULE_TEST_RATE = "2/h"
    view = guessing_view(methods=("post",))
    ask = RequestFactory(REMOTE_ADDR="10.7.0.2")
    assert view(ask.get("/code/")).status_code == 405
    assert view(ask.head("/code/")).status_code == 405
    assert view(ask.post("/code/")).status_code == 404
    assert view.limited_methods == {"POST"}


def test_a_limit_of_one_answers_the_first_failure_and_refuses_the_second(db, settings):
    settings.RULE_TEST_RATE = "1/h"
    view = guessing_view()
    ask = RequestFactory(REMOTE_ADDR="10.7.0.3")
    assert view(ask.get("/code/")).status_code == 404
    with pytest.raises(Ratelimited):
        view(ask.get("/code/"))
    # Another address has its own count.
    assert view(RequestFactory(REMOTE_ADDR="10.7.0.4").get("/code/")).status_code == 404


def test_limit_requests_counts_posts_only_unless_told(db, settings):
    settings.RULE_TEST_RATE = "1/h"
    view = limit_requests("rule-test-posts", "ip", "RULE_TEST_RATE")(lambda request: HttpResponse())
    ask = RequestFactory(REMOTE_ADDR="10.7.0.5")
    for _ in range(3):
        assert view(ask.get("/form/")).status_code == 200  # reading the form is not counted
    assert view(ask.post("/form/")).status_code == 200
    with pytest.raises(Ratelimited):
        view(ask.post("/form/"))


def test_both_decorators_refuse_when_the_cache_is_down_unless_told_otherwise(
    db, settings, redis_down
):
    settings.RULE_TEST_RATE = "5/h"
    ask = RequestFactory(REMOTE_ADDR="10.7.0.6")
    with pytest.raises(LimitsUnavailable):
        guessing_view()(ask.get("/code/"))
    posts = limit_requests("rule-test-posts", "ip", "RULE_TEST_RATE")(
        lambda request: HttpResponse()
    )
    with pytest.raises(LimitsUnavailable):
        posts(ask.post("/form/"))
    # A limit on reading says so and lets the request through.
    assert guessing_view(fail_closed=False)(ask.get("/code/")).status_code == 404


def test_an_outage_is_logged_with_the_limit_the_error_and_the_verdict(db, redis_down, caplog):
    ask = RequestFactory(REMOTE_ADDR="10.7.0.7").get("/")
    with caplog.at_level(logging.WARNING, logger="crampcourse.ratelimits"):
        with pytest.raises(LimitsUnavailable):
            usage(ask, fail_closed=True, group="join-code:ip", key="ip", rate="5/h")
        usage(ask, fail_closed=False, group="verify", key="ip", rate="5/h")
    closed, opened = (record.getMessage() for record in caplog.records)
    outage = r"the shared cache is unavailable \(.*no-redis\.sock.*\)"
    assert re.fullmatch(rf"Rate limit join-code:ip: {outage}; refusing the request\.", closed)
    assert re.fullmatch(rf"Rate limit verify: {outage}; letting the request through\.", opened)


@pytest.mark.parametrize("address", ["unknown", "", "unix:/run/crampcourse.sock"])
def test_an_address_that_is_not_one_is_counted_not_a_500(client, trainee, settings, address):
    # Before: "unknown" (as some servers write it) reached django-ratelimit, whose network
    # parser raised: every limited page was a 500 for that request.
    settings.RATE_LIMIT_JOIN_CODES_PER_ADDRESS = "2/h"
    client.force_login(trainee)
    for _ in range(2):
        wrong = client.post(reverse("training:join"), {"code": WRONG}, REMOTE_ADDR=address)
        assert wrong.status_code == 400
    assert (
        client.post(reverse("training:join"), {"code": WRONG}, REMOTE_ADDR=address).status_code
        == 429
    )


def test_behind_a_proxy_each_client_has_its_own_count(client, db, settings):
    # As settings.py sets it for AXES_PROXY_COUNT=1 (nginx in front): the client is the address
    # nginx appended to X-Forwarded-For; the proxy's own address is REMOTE_ADDR.
    settings.AXES_IPWARE_PROXY_COUNT = 0
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    settings.RATE_LIMIT_JOIN_CODES_PER_ADDRESS = "2/h"

    def guess(client_address):
        client.force_login(make_user())
        return client.post(
            reverse("training:join"), {"code": WRONG},
            REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=client_address,
        )  # fmt: skip

    assert [guess("203.0.113.1").status_code for _ in range(3)] == [400, 400, 429]
    assert guess("203.0.113.2").status_code == 400  # another swimmer at the same pool's proxy


def test_a_reset_posted_without_an_address_is_a_form_error(client, db):
    response = client.post(reverse("password_reset"), {}, REMOTE_ADDR="10.7.0.8")
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()


def test_the_pause_pages_keep_the_signed_in_swimmers_menu(client, trainee, settings, redis_down):
    client.force_login(trainee)
    response = client.post(reverse("training:join"), {"code": WRONG}, REMOTE_ADDR="10.7.0.9")
    assert response.status_code == 503
    assert "My assignments" in response.content.decode()
    assert "Log out" in response.content.decode()


def test_the_429_page_keeps_the_signed_in_swimmers_menu(client, trainee, settings):
    settings.RATE_LIMIT_JOIN_CODES_PER_ADDRESS = "1/h"
    client.force_login(trainee)
    client.post(reverse("training:join"), {"code": WRONG}, REMOTE_ADDR="10.7.0.10")
    response = client.post(reverse("training:join"), {"code": WRONG}, REMOTE_ADDR="10.7.0.10")
    assert response.status_code == 429
    assert "My assignments" in response.content.decode()
    assert "Log out" in response.content.decode()
