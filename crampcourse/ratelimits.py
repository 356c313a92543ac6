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
from django.shortcuts import render
from django_ratelimit.core import get_usage
from django_ratelimit.exceptions import Ratelimited
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


class LimitsUnavailable(Ratelimited):
    """A limit that guards accounts could not count (the shared cache is down): refused."""


def usage(request, *, fail_closed, **kwargs):
    """django-ratelimit's get_usage, surviving a shared cache that does not answer: then
    "over the limit" when fail_closed (limits guarding accounts), else "not counted" (None)."""
    try:
        return get_usage(request, **kwargs)
    except (RedisError, OSError) as error:
        verdict = "refusing the request" if fail_closed else "letting the request through"
        logger.warning("Rate limit %s: the shared cache is unavailable (%s); %s.",
                       kwargs.get("group"), error, verdict)  # fmt: skip
        if fail_closed:
            raise LimitsUnavailable from error
        return None


def client_address(request):
    """The client's address as django-axes reads it (behind AXES_PROXY_COUNT proxies)."""
    return get_client_ip_address(request) or request.META.get("REMOTE_ADDR") or "0.0.0.0"


def rate_from(setting):
    """The rate in a setting, looked up on each request."""

    def rate(group, request):
        return getattr(settings, setting)

    return rate


def posted_email(group, request):
    return request.POST.get("email", "").strip().casefold()


def limit_posts(group, key, setting, *, fail_closed=True):
    """As django-ratelimit's decorator: every POST counts, past the rate a 429."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            counted = usage(request, fail_closed=fail_closed, group=group, key=key,
                            rate=rate_from(setting), method="POST", increment=True)  # fmt: skip
            if counted and counted["should_limit"]:
                raise Ratelimited
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def limit_failed_posts(group, limits, failed, *, fail_closed=True):
    """Count only the POSTs whose response failed(response); past a rate, refuse with a 429
    before the view runs. limits: {django-ratelimit key: setting holding its rate}."""

    def usages(request, increment):
        for key, setting in limits.items():
            yield usage(
                request,
                fail_closed=fail_closed,
                group=f"{group}:{key}",
                key=key,
                rate=rate_from(setting),
                method="POST",
                increment=increment,
            )

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method != "POST":
                return view(request, *args, **kwargs)
            if any(u and u["count"] >= u["limit"] for u in usages(request, increment=False)):
                raise Ratelimited
            response = view(request, *args, **kwargs)
            if failed(response):
                list(usages(request, increment=True))
            return response

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
