from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "My account"

    def ready(self):
        from accounts import emails
        from crampcourse import verification

        verification.register(emails)
