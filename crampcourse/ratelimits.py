"""Rate limits on what can be guessed or abused: django-ratelimit over the shared cache.

The counts live in CACHES["default"] (RATELIMIT_USE_CACHE), which settings.py makes shared by
every server process: Redis when CACHE_URL says so, else a table in the database. Each limit's
rate is a setting, read at request time, such as "10/h" (see the README's security section).
"""

from functools import wraps

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core.cache import caches
from django.shortcuts import render
from django_ratelimit import ALL
from django_ratelimit import core as ratelimit_core
from django_ratelimit.core import get_usage
from django_ratelimit.decorators import ratelimit
from django_ratelimit.exceptions import Ratelimited


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


def limit_posts(group, key, setting):
    """django-ratelimit's decorator: every POST counts, past the rate a 429."""
    return ratelimit(group=group, key=key, rate=rate_from(setting), method="POST")


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


def limit_failures(group, limits, failed, methods=("POST",)):
    """Count only the requests whose response failed(response); past a rate, refuse with a
    429 before the view runs. limits: {django-ratelimit key ("ip", "user_or_ip"): setting
    holding its rate}."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method not in methods or not settings.RATELIMIT_ENABLE:
                return view(request, *args, **kwargs)
            counts = _counts_so_far(request, group, limits)
            if any(count >= limit for count, limit in counts):
                raise Ratelimited
            response = view(request, *args, **kwargs)
            if failed(response):
                for key, setting in limits.items():
                    get_usage(
                        request,
                        group=f"{group}:{key}",
                        key=key,
                        rate=rate_from(setting),
                        method=ALL,  # one count for the group, whichever view or method
                        increment=True,
                    )
            return response

        return wrapped

    return decorator


def rate_limited(request, exception):
    """RATELIMIT_VIEW: a Ratelimited refusal is a 429 page in the site's layout, not a 403."""
    return render(request, "429.html", status=429)
