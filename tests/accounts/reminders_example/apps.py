from django.apps import AppConfig


class RemindersExampleConfig(AppConfig):
    """An app the way a reminders app would plug into My account (tests only)."""

    name = "tests.accounts.reminders_example"
    label = "reminders_example"
