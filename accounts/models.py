from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class VerifiedEmail(models.Model):
    """The address the person proved is theirs, by opening the link mailed to it.

    It counts only while it is still the account's address (any case): a changed address is
    unverified until its own link is opened, whoever changed it (My account or the admin)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="verified_email"
    )
    email = models.EmailField(_("e-mail address"))
    verified_at = models.DateTimeField(_("verified"), default=timezone.now)

    class Meta:
        verbose_name = _("verified e-mail address")
        verbose_name_plural = _("verified e-mail addresses")

    def __str__(self):
        return self.email

    def is_current(self):
        """Still the address the account has."""
        from crampcourse.verification import same_address

        return same_address(self.email, self.user.email)


class LanguagePreference(models.Model):
    """The language the person chose with the switcher: their pages on any device after they
    log in, and everything sent to them (mail, reminders, certificate PDFs)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="language_preference"
    )
    # No choices: which languages the site speaks is a setting, and a new one needs no migration.
    # Only crampcourse.languages.supported() codes are ever saved.
    language = models.CharField(_("language"), max_length=10)

    class Meta:
        verbose_name = _("language preference")
        verbose_name_plural = _("language preferences")

    def __str__(self):
        return self.language
