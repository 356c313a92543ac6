"""The language saved on an account (registered with crampcourse.languages in ready())."""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from accounts.models import LanguagePreference
from crampcourse.languages import supported

related_name = "language_preference"

# The request attribute the log-in leaves for AccountLanguageMiddleware to turn into a cookie.
FROM_ACCOUNT = "_language_from_account"


def language_of(user):
    if user is None or user.pk is None:
        return None
    try:
        return user.language_preference.language  # kept on the user once read
    except LanguagePreference.DoesNotExist:
        return None


def choose(user, language):
    LanguagePreference.objects.update_or_create(user=user, defaults={"language": language})


@receiver(user_logged_in)
def follow_account_after_login(sender, request, user, **kwargs):
    """Someone who chose a language sees it on any device from the moment they log in; someone
    who chose one before logging in for the first time keeps it (and their mail follows it)."""
    if request is None:
        return
    chosen = language_of(user)
    if chosen:
        setattr(request, FROM_ACCOUNT, chosen)
        return
    from_switcher = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if from_switcher and supported(from_switcher) == from_switcher:
        choose(user, from_switcher)


def set_language_cookie(response, language):
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
