import os
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone, translation

from tests import factories

# Browser tests need Chromium and run with `make e2e`; fault tests (nginx, their own PostgreSQL
# and Redis) run with `make faults`. `make test` stays fast without them.
collect_ignore = [] if os.environ.get("E2E") else ["e2e"]
if not os.environ.get("FAULTS"):
    collect_ignore.append("faults")


def pytest_sessionstart(session):
    """The catalogues compiled, as `make test` does, for a plain `pytest` too (a .mo newer than
    its .po is left alone, so this costs a second)."""
    from django.core.management import call_command

    call_command("compilemessages", ignore_patterns=[".venv", "node_modules", "var"], verbosity=0)


@pytest.fixture(autouse=True)
def english_after_each_test():
    """LocaleMiddleware leaves the last request's language active in the thread: a Russian page
    in one test must not make a later test's form errors or mails Russian."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def coach(db):
    return factories.make_coach("coach_a")


@pytest.fixture
def trainee(db):
    return factories.make_trainee("trainee_a")


@pytest.fixture
def admin_user(db):
    return factories.make_admin("admin_a")


@pytest.fixture
def staff_client(client, admin_user):
    """The test client, signed in as an admin."""
    client.force_login(admin_user)
    return client


@pytest.fixture
def group(coach, trainee):
    """The Dolphins, which the trainee joined a month ago: work due since then is theirs to be
    late with (work due before someone joined is never overdue for them)."""
    group = factories.make_group("Dolphins", coaches=[coach], trainees=[trainee])
    group.memberships.update(joined_at=timezone.now() - timedelta(days=30))
    return group


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Real hashing is slow on purpose; tests make hundreds of accounts."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "training.hashers.OneTimePasswordHasher",
    ]


@pytest.fixture(autouse=True)
def fresh_rate_limits(settings):
    """Each test starts with no rate-limit counts. The database cache is rolled back with the
    test's transaction; a Redis cache (CACHE_URL set while testing) is not, so the cache's own
    keys are deleted there, never the whole database, which may hold someone else's."""
    from django.core.cache import caches

    backend = settings.CACHES[settings.RATELIMIT_USE_CACHE]["BACKEND"]
    cache = caches[settings.RATELIMIT_USE_CACHE]
    if backend.endswith("RedisCache"):
        client = cache._cache.get_client(write=True)
        keys = list(client.scan_iter(match=cache.make_key("*")))
        if keys:
            client.delete(*keys)
    elif not backend.endswith("DatabaseCache"):
        cache.clear()
