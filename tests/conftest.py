import os
from datetime import timedelta

import pytest
from django.utils import timezone

from tests import factories

# Browser tests need Chromium and run with `make e2e`; fault tests (nginx, their own PostgreSQL
# and Redis) run with `make faults`. `make test` stays fast without them.
collect_ignore = [] if os.environ.get("E2E") else ["e2e"]
if not os.environ.get("FAULTS"):
    collect_ignore.append("faults")


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
