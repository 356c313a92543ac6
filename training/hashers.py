"""A quicker hash for one-time passwords that coaches print on log-in cards."""

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class OneTimePasswordHasher(PBKDF2PasswordHasher):
    """One-time passwords are ten random characters (about 49 bits), not a word a person chose,
    so they need far less stretching; a roster of 60 swimmers then takes a second, not half a
    minute. Django re-hashes with the default hasher as soon as the person logs in, and the
    password must be changed at once anyway."""

    algorithm = "pbkdf2_sha256_onetime"
    iterations = 20_000
