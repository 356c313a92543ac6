"""Another app adds a box of settings to My account and its data to the download."""

import json

from django.urls import reverse


def test_an_apps_section_and_data_appear_on_my_account(client, trainee, settings):
    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "tests.accounts.reminders_example"]
    client.force_login(trainee)
    page = client.get(reverse("accounts:my_account")).content.decode()
    assert "<h2>Reminders</h2>" in page
    assert "Remind me 1 and 3 days before work is due." in page
    data = json.loads(client.get(reverse("accounts:download_data")).content)
    assert data["reminders_example.reminder_days"] == [1, 3]
