from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("My account")

    def ready(self):
        from accounts import emails, languages
        from crampcourse import languages as site_languages
        from crampcourse import verification

        verification.register(emails)
        site_languages.register(languages)
