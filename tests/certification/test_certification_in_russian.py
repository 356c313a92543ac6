"""Certification in Russian: pages in the visitor's language, the paper in its holder's saved
language, reminders in their recipient's, whoever asks or runs them."""

import io
from datetime import datetime, timedelta

import pypdf
import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import LanguagePreference
from certification.models import Certificate
from certification.reminders import certificate_reminders, send_reminders
from certification.services import issue_certificate
from tests.factories import make_trainee

# 15 March: the month as a date says it is «марта»; the calendar's name for it is «Март».
ISSUED = timezone.make_aware(datetime(2026, 3, 15, 10, 0))


def speaks_russian(user):
    LanguagePreference.objects.create(user=user, language="ru")
    return user


def in_russian(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    return client


@pytest.fixture
def certificate(trainee, certification):
    trainee.first_name, trainee.last_name = "Ada", "Swimmer"
    trainee.save()
    certificate = issue_certificate(trainee, certification)
    Certificate.objects.filter(pk=certificate.pk).update(
        issued_at=ISSUED, valid_until=ISSUED + timedelta(days=3650)
    )
    certificate.refresh_from_db()
    return certificate


def pdf_text(client, certificate):
    response = client.get(reverse("certification:certificate_pdf", args=[certificate.code]))
    assert response.status_code == 200
    return pypdf.PdfReader(io.BytesIO(response.content)).pages[0].extract_text()


def test_my_certificates_speaks_the_visitors_russian(client, trainee, certificate):
    client.force_login(trainee)
    page = in_russian(client).get(reverse("certification:my_certificates")).content.decode()
    main = page[page.index("<main") : page.index("</main>")]
    for russian in ["Мои сертификаты", "Скачать сертификат (PDF)", "Действует", "выдан"]:
        assert russian in main
    for english in ["My certificates", "Download the certificate", "valid until"]:
        assert english not in main


def test_my_certificates_names_the_certification_in_russian_with_russian_dates(
    client, trainee, certificate, certification
):
    certification.translations = {"ru": {"title": "Первые действия при судороге"}}
    certification.save(update_fields=["translations"])
    client.force_login(trainee)
    page = in_russian(client).get(reverse("certification:my_certificates")).content.decode()
    main = page[page.index("<main") : page.index("</main>")]
    assert '<h2 class="card-title">Первые действия при судороге</h2>' in main
    assert certification.title not in main
    # A day and its month as Russian writes them in a sentence: "15 марта 2026".
    assert f"{ISSUED.day} марта {ISSUED.year}" in main
    # Once the certification is renamed, the certificate keeps the title it was issued under.
    certification.title = "Renamed"
    certification.save(update_fields=["title"])
    page = client.get(reverse("certification:my_certificates")).content.decode()
    assert certificate.certification_title in page


def test_verify_page_speaks_the_visitors_russian_with_dates_as_russian_writes_them(
    client, certificate
):
    response = in_russian(client).get(f"/verify/{certificate.code}/")  # logged out
    assert response.status_code == 200
    page = response.content.decode()
    main = page[page.index("<main") : page.index("</main>")]
    for russian in ["Проверка подлинности сертификата", "Владелец", "Действует до", "Действует"]:
        assert russian in main
    # The month of a date, not the calendar's «Март».
    assert "15 марта 2026" in main
    assert "Valid until" not in main
    assert "Holder" not in main


def test_verify_page_stays_english_without_a_choice(client, certificate):
    page = client.get(f"/verify/{certificate.code}/").content.decode()
    assert "15 March 2026" in page
    assert "Valid until" in page


def test_pdf_is_in_the_holders_saved_language_whoever_reads_it(client, trainee, certificate):
    speaks_russian(trainee)
    client.force_login(trainee)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en-gb"  # the browser says English
    text = pdf_text(client, certificate)
    assert "Ada Swimmer" in text
    assert "Cramp-safe swimmer" in text  # the certification's title is data: as issued
    for russian in ["Сертификат", "Настоящим подтверждается, что", "Действует до", "15 марта 2026"]:
        assert russian in text
    assert "Valid until" not in text
    assert "This certifies that" not in text


def test_an_english_holders_pdf_stays_english_for_a_russian_reader(client, certification):
    holder = make_trainee()
    certificate = issue_certificate(holder, certification)
    client.force_login(holder)
    text = pdf_text(in_russian(client), certificate)
    assert "This certifies that" in text
    assert "Valid until" in text
    assert "Действует до" not in text
    assert "Сертификат" not in text


@pytest.fixture
def expiring(certification):
    """Two holders whose certificates are in the early-renewal window: one chose Russian."""
    issued = timezone.now() - timedelta(days=350)
    russian = speaks_russian(make_trainee("olga"))
    english = make_trainee("emma")
    for holder in (russian, english):
        issue_certificate(holder, certification, now=issued)
    return russian, english


def test_renewal_reminder_is_in_each_recipients_language(expiring):
    russian, english = expiring
    with translation.override("en-gb"):  # whatever the run's own language
        send_reminders()
    [to_olga] = [m for m in mail.outbox if m.to == [russian.email]]
    [to_emma] = [m for m in mail.outbox if m.to == [english.email]]
    assert to_olga.subject == "Ваш сертификат «Cramp-safe swimmer» скоро истекает"
    assert "Здравствуйте, olga!" in to_olga.body
    assert "сдайте повторный тест" in to_olga.body
    assert "Это обучение, а не медицинская консультация." in to_olga.body
    html = to_olga.alternatives[0][0]
    assert '<html lang="ru">' in html
    assert "Отписаться от этих писем" in html
    assert to_emma.subject == "Your Cramp-safe swimmer certificate expires soon"
    assert "pass the refresher quiz" in to_emma.body


def test_recipients_languages_are_read_with_them_not_one_query_each(certification):
    """The saved languages come in the query that finds the certificates, for one recipient
    as for four."""
    issued = timezone.now() - timedelta(days=350)
    table = LanguagePreference._meta.db_table

    def language_reads(holders):
        for _ in range(holders):
            issue_certificate(speaks_russian(make_trainee()), certification, now=issued)
        with CaptureQueriesContext(connection) as queries, translation.override("en-gb"):
            reminders = certificate_reminders(timezone.now())
        assert len(reminders) >= holders
        assert all("скоро истекает" in reminder.subject for reminder in reminders)
        return sum(table in query["sql"] for query in queries)

    assert language_reads(1) == language_reads(3) == 1
