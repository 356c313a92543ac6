from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "My account"

    def ready(self):
        from accounts import emails, languages
        from crampcourse import languages as site_languages
        from crampcourse import verification

        verification.register(emails)
        site_languages.register(languages)
