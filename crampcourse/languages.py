"""Which language a person reads, for what is made for them away from their browser.

A page follows the request (LocaleMiddleware: the language cookie, else Accept-Language, else
English). Mail, reminders and certificate PDFs are made for a person who is not asking, so they
follow the choice saved on the account. accounts keeps that choice
(`accounts.models.LanguagePreference`) and registers itself here in its AppConfig.ready();
training, organisations and certification ask here, so none of them imports accounts.

A keeper offers `language_of(user) -> str | None` (None: never chose) and `related_name`, the
name to `select_related` when many people's languages are read at once.
"""

from contextlib import contextmanager

from django.conf import settings
from django.utils import translation

_keeper = None


def register(keeper):
    global _keeper
    _keeper = keeper


def supported(code):
    """`code` if the site speaks it (or a variant of it), else English: never an error."""
    if not code or not isinstance(code, str):
        return settings.LANGUAGE_CODE
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return settings.LANGUAGE_CODE


def language_of(user, *, otherwise=None):
    """The language to write to `user` in: their choice, else `otherwise` (the language of the
    page they are on, when they are the one asking: a sign-up, a password reset), else
    English."""
    chosen = _keeper.language_of(user) if _keeper is not None and user is not None else None
    return supported(chosen or otherwise)


def related_name():
    """What to select_related on users (or `prefix__` + it) to read many languages at once."""
    return _keeper.related_name if _keeper is not None else None


@contextmanager
def speaking_to(user, *, otherwise=None):
    """Everything translated inside the block is in `user`'s language (see language_of)."""
    with translation.override(language_of(user, otherwise=otherwise)):
        yield
