"""Rate limits on what can be guessed or abused: django-ratelimit over the shared cache.

The counts live in CACHES["default"] (RATELIMIT_USE_CACHE), which settings.py makes shared by
every server process: Redis when CACHE_URL says so, else a table in the database. Each limit's
rate is a setting, read at request time, such as "10/h" (see the README's security section).

When that cache does not answer (Redis stopped), a limit cannot count. Limits that guard
accounts (log-in help, joining a group) then fail closed: the request is refused with a 503 "try
again shortly", as an unlimited guesser is worse than a short pause. Limits on reading fail
open: trainees keep reading and answering. Either way the outage is logged.
"""

import logging
from functools import wraps

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponseNotAllowed
from django.shortcuts import render
from django_ratelimit import ALL
from django_ratelimit import core as ratelimit_core
from django_ratelimit.core import get_usage
from django_ratelimit.exceptions import Ratelimited
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


class LimitsUnavailable(Ratelimited):
    """A limit that guards accounts could not count (the shared cache is down): refused."""


def guarded(group, fail_closed, count):
    """count(), surviving a shared cache that does not answer: then LimitsUnavailable when
    fail_closed (limits guarding accounts), else None ("not counted"); logged either way."""
    try:
        return count()
    except (RedisError, OSError) as error:
        verdict = "refusing the request" if fail_closed else "letting the request through"
        logger.warning("Rate limit %s: the shared cache is unavailable (%s); %s.",
                       group, error, verdict)  # fmt: skip
        if fail_closed:
            raise LimitsUnavailable from error
        return None


def usage(request, *, fail_closed, **kwargs):
    """django-ratelimit's get_usage through guarded()."""
    return guarded(kwargs.get("group"), fail_closed, lambda: get_usage(request, **kwargs))


def is_limited(request, *, fail_closed=True, **kwargs):
    """django-ratelimit's is_ratelimited through guarded()."""
    counted = usage(request, fail_closed=fail_closed, **kwargs)
    return bool(counted and counted["should_limit"])


def client_address(request):
    """The client's address as django-axes reads it (behind AXES_PROXY_COUNT proxies).

    When there is none that is an address (a server on a Unix socket leaves REMOTE_ADDR empty;
    some write "unknown"), such requests share the count of "0.0.0.0": django-ratelimit turns
    the address into a network, and anything else would be a 500 on every limited page."""
    return get_client_ip_address(request) or "0.0.0.0"


def rate_from(setting):
    """The rate in a setting, looked up on each request."""

    def rate(group, request):
        return getattr(settings, setting)

    return rate


def posted_email(group, request):
    return request.POST.get("email", "").strip().casefold()


def limit_requests(group, key, setting, *, method="POST", fail_closed=True):
    """As django-ratelimit's decorator: every request of that method (ALL: any) counts, past
    the rate a 429; fail_closed=False for limits on reading."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            counted = usage(request, fail_closed=fail_closed, group=group, key=key,
                            rate=rate_from(setting), method=method, increment=True)  # fmt: skip
            if counted and counted["should_limit"]:
                raise Ratelimited
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _counts_so_far(request, group, limits):
    """[(count, limit)] of each limit for this request, read in one cache round trip.

    django-ratelimit's get_usage() writes an empty count on every look (several SQL statements
    each with the database cache); this reads the same keys, built the library's own way
    (pinned at 4.1.0), with one get_many.
    """
    wanted = {}
    for key, setting in limits.items():
        rate = getattr(settings, setting)
        limit, period = ratelimit_core._split_rate(rate)
        value = ratelimit_core._SIMPLE_KEYS[key](request)
        window = ratelimit_core._get_window(value, period)
        cache_key = ratelimit_core._make_cache_key(f"{group}:{key}", window, rate, value, ALL)
        wanted[cache_key] = limit
    found = caches[settings.RATELIMIT_USE_CACHE].get_many(list(wanted))
    return [(found.get(cache_key, 0), limit) for cache_key, limit in wanted.items()]


def answered_methods(methods):
    """The methods a view answers: HEAD with GET, as Django's views do; nothing else."""
    answered = {method.upper() for method in methods}
    if "GET" in answered:
        answered.add("HEAD")
    return answered


def limit_failures(group, limits, failed, methods=("GET", "POST"), *, fail_closed=True):
    """Count only the requests whose response failed(response); past a rate, refuse with a
    429 before the view runs. limits: {django-ratelimit key ("ip", "user_or_ip"): setting
    holding its rate}.

    The limit covers every method the view answers (methods, and HEAD with GET), and any other
    method is a 405 before the view runs: a HEAD that skipped the count would answer 200 or 404
    for a guessed code as often as one liked."""
    answered = answered_methods(methods)

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method not in answered:
                return HttpResponseNotAllowed(sorted(answered))
            if not settings.RATELIMIT_ENABLE:
                return view(request, *args, **kwargs)
            counts = guarded(group, fail_closed, lambda: _counts_so_far(request, group, limits))
            if any(count >= limit for count, limit in counts or []):
                raise Ratelimited
            response = view(request, *args, **kwargs)
            if failed(response):
                for key, setting in limits.items():
                    # The view has answered: a count lost now is only logged.
                    usage(
                        request,
                        fail_closed=False,
                        group=f"{group}:{key}",
                        key=key,
                        rate=rate_from(setting),
                        method=ALL,  # one count for the group, whichever view or method
                        increment=True,
                    )
            return response

        # For the rule's test (tests/security/test_rate_limits.py): every limited view, found
        # in the URL configuration, is asked with every method.
        wrapped.limited_methods = answered
        return wrapped

    return decorator


def rate_limited(request, exception):
    """RATELIMIT_VIEW: a Ratelimited refusal is a 429 page in the site's layout, not a 403;
    a limit that could not count is a 503 "try again shortly"."""
    if isinstance(exception, LimitsUnavailable):
        response = render(request, "limits_unavailable.html", status=503)
        response["Retry-After"] = "60"
        return response
    return render(request, "429.html", status=429)
