"""System checks of our own, run by `manage.py check --deploy` (the setup service runs it with
--fail-level WARNING before a server starts)."""

from django.conf import settings
from django.core import checks

# Shorter keys are guessable enough to forge sessions and password-reset links; Django's own
# check (security.W009) wants 50 characters too, but passes the placeholder we ship.
MIN_SECRET_KEY_LENGTH = 50
# Words that mark a key copied from an example rather than made (deploy/crampcourse.env says
# "change-me"; settings.py's development key says "insecure").
PLACEHOLDER_MARKS = (
    "change-me",
    "changeme",
    "insecure",
    "example",
    "placeholder",
    "secret-key-here",
)


@checks.register(checks.Tags.security, deploy=True)
def check_secret_key(app_configs=None, **kwargs):
    key = settings.SECRET_KEY or ""
    lowered = key.lower()
    if any(mark in lowered for mark in PLACEHOLDER_MARKS):
        return [
            checks.Error(
                "SECRET_KEY is a placeholder copied from an example.",
                hint="Make one with: python3 -c 'import secrets; "
                "print(secrets.token_urlsafe(50))' and put it in the environment file.",
                id="crampcourse.E001",
            )
        ]
    if len(key) < MIN_SECRET_KEY_LENGTH or len(set(key)) < 5:
        return [
            checks.Error(
                f"SECRET_KEY is shorter than {MIN_SECRET_KEY_LENGTH} characters or barely varies.",
                hint="Make one with: python3 -c 'import secrets; "
                "print(secrets.token_urlsafe(50))'.",
                id="crampcourse.E002",
            )
        ]
    return []
