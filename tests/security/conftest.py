import pytest


@pytest.fixture(autouse=True)
def badge_settings(settings):
    """A site that issues Open Badges (the world's club A has a key): a public address and the
    key secret, for every suite that builds the role matrix's world."""
    settings.OPENBADGES_BASE_URL = "https://crampcourse.example"
    settings.OPENBADGES_KEY_SECRET = "a test passphrase, made up for the test run"


@pytest.fixture
def redis_down(settings, tmp_path):
    """The cache is a Redis that does not answer: nothing listens on its socket."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"unix://{tmp_path / 'no-redis.sock'}?db=0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
