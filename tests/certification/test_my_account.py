"""Certification's part of My account: the reminder box, download my data, delete me."""

import uuid

from django.urls import reverse

from certification.models import Certificate, MarkResult, PracticalMark, ReminderPreference
from certification.services import issue_certificate, record_mark


def test_my_account_has_the_reminder_box_and_it_saves(client, trainee):
    client.force_login(trainee)
    page = client.get(reverse("accounts:my_account")).content.decode()
    assert "Reminder emails" in page
    assert reverse("certification:reminder_settings") in page
    response = client.post(
        reverse("certification:reminder_settings"), {"next": reverse("accounts:my_account")}
    )
    assert response["Location"] == reverse("accounts:my_account")
    assert ReminderPreference.objects.get(user=trainee).email_reminders is False
    evil = client.post(
        reverse("certification:reminder_settings"),
        {"email_reminders": "on", "next": "https://evil.example/"},
    )
    assert evil["Location"] == reverse("certification:reminder_settings")


def test_download_and_delete_cover_certificates_and_marks(
    client, coach, trainee, group, certification
):
    record_mark(
        key=uuid.uuid4(),
        coach=coach,
        group=group,
        trainee=trainee,
        item=certification.items.first(),
        result=MarkResult.SHOWN,
        note="Strong float",
    )
    certificate = issue_certificate(trainee, certification)
    client.force_login(trainee)
    data = client.get(reverse("accounts:download_data")).content.decode()
    assert certificate.code in data
    assert "Strong float" in data
    from accounts.services import delete_account

    delete_account(trainee)
    certificate = Certificate.objects.get()
    assert certificate.revoked_at is not None
    assert not PracticalMark.objects.exists()
    assert "Revoked" in client.get(f"/verify/{certificate.code}/").content.decode()
