import pytest


@pytest.fixture(autouse=True)
def badge_settings(settings):
    """A site that issues Open Badges (the world's club A has a key): a public address and the
    key secret, for every suite that builds the role matrix's world."""
    settings.OPENBADGES_BASE_URL = "https://crampcourse.example"
    settings.OPENBADGES_KEY_SECRET = "a test passphrase, made up for the test run"
