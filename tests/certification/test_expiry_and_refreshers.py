"""Expiry, refreshers and renewal on a moving clock; the dashboard's "certified until"."""

import csv
import io
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from certification.models import Certificate, CertificateEvent, EventKind, Refresher
from tests.certification.conftest import mark_all_shown, submit_over_http

COLUMN = "Cramp-safe swimmer: certified until"


@pytest.fixture
def clock():
    with time_machine.travel(timezone.now().replace(microsecond=0), tick=False) as traveller:
        yield traveller


def certify(client, coach, trainee, group, certification, final):
    submit_over_http(client, final, trainee)
    client.force_login(coach)
    mark_all_shown(client, group, certification, trainee)
    return Certificate.objects.get(trainee=trainee)


def dashboard_state(client, coach, group, trainee):
    client.force_login(coach)
    response = client.get(reverse("training:group_dashboard", args=[group.pk]))
    rows = csv.DictReader(
        io.StringIO(
            client.get(reverse("training:group_export_csv", args=[group.pk])).content.decode(
                "utf-8-sig"
            )
        )
    )
    row = next(r for r in rows if r["username"] == trainee.username)
    return response.content.decode(), row[f"{COLUMN} state"], row[COLUMN]


def test_a_year_in_the_life_of_a_certificate(
    client, clock, coach, trainee, group, certification, final, refresher_quiz
):
    certificate = certify(client, coach, trainee, group, certification, final)
    expires = certificate.valid_until
    page, state, until = dashboard_state(client, coach, group, trainee)
    assert COLUMN in page
    assert state == "Valid"
    assert until == f"{timezone.localtime(expires):%-d %b %Y}"

    # 11 months on: within 30 days of expiry. The reminder run assigns the refresher.
    clock.move_to(expires - timedelta(days=25))
    assert dashboard_state(client, coach, group, trainee)[1] == "Expires within 30 days"
    call_command("send_reminders", stdout=io.StringIO())
    refresher = Refresher.objects.get(certificate=certificate)
    client.force_login(trainee)
    assignments = client.get(reverse("training:my_assignments")).content.decode()
    assert "Refresher: Cramp-safe swimmer" in assignments
    assert refresher_quiz.get_absolute_url() in assignments

    # The old practical marks do not count for the refresher: a re-check is needed.
    client.force_login(coach)
    poolside = client.get(reverse("certification:poolside", args=[group.pk, certification.slug]))
    assert "Refresher: show every skill again" in poolside.content.decode()
    submit_over_http(client, refresher_quiz, trainee)
    certificate.refresh_from_db()
    assert certificate.valid_until == expires
    client.force_login(coach)
    mark_all_shown(client, group, certification, trainee)
    certificate.refresh_from_db()
    refresher.refresh_from_db()
    assert refresher.completed_at is not None
    assert certificate.valid_until.year == expires.year + 1  # a year from the old expiry
    assert dashboard_state(client, coach, group, trainee)[1] == "Valid"
    client.force_login(trainee)
    assert "Refresher:" not in client.get(reverse("training:my_assignments")).content.decode()

    # Another year and more, without a refresher: expired.
    clock.move_to(certificate.valid_until + timedelta(days=3))
    call_command("send_reminders", stdout=io.StringIO())
    assert dashboard_state(client, coach, group, trainee)[1] == "Expired"
    assert "Expired" in client.get(f"/verify/{certificate.code}/").content.decode()
    kinds = list(certificate.events.values_list("kind", flat=True))
    assert kinds == [EventKind.ISSUED, EventKind.REFRESHER, EventKind.RENEWED, EventKind.REFRESHER]


def test_an_expired_certificate_renews_from_the_day_of_the_refresher(
    client, clock, coach, trainee, group, certification, final, refresher_quiz
):
    """Within the grace period (30 days by default; after it: test_renewal_rules.py)."""
    certificate = certify(client, coach, trainee, group, certification, final)
    clock.move_to(certificate.valid_until + timedelta(days=20))
    call_command("send_reminders", stdout=io.StringIO())
    submit_over_http(client, refresher_quiz, trainee)
    client.force_login(coach)
    mark_all_shown(client, group, certification, trainee)
    certificate.refresh_from_db()
    assert certificate.state() == "valid"
    assert certificate.valid_until.date() > (timezone.now() + timedelta(days=360)).date()


def test_dashboard_filter_by_certificate_state(client, coach, trainee, group, certification, final):
    from tests.factories import make_trainee

    certify(client, coach, trainee, group, certification, final)
    uncertified = make_trainee("not_yet")
    group.memberships.create(trainee=uncertified)
    client.force_login(coach)
    url = reverse("training:group_dashboard", args=[group.pk])
    valid = client.get(url, {"cert": "valid"}).content.decode()
    assert trainee.username in valid
    assert "not_yet" not in valid
    none = client.get(url, {"cert": "none"}).content.decode()
    assert "not_yet" in none
    assert f">{trainee.username}<" not in none
    assert "Nobody matches the filter" in client.get(url, {"cert": "expired"}).content.decode()
    exported = client.get(reverse("training:group_export_csv", args=[group.pk]), {"cert": "none"})
    assert [
        r["username"] for r in csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig")))
    ] == ["not_yet"]


def test_coach_revokes_with_a_reason_and_the_admin_shows_the_trail(
    client, coach, trainee, group, certification, final, admin_user
):
    certificate = certify(client, coach, trainee, group, certification, final)
    client.force_login(coach)
    url = reverse("certification:certificate_revoke", args=[group.pk, certificate.pk])
    refused = client.post(url, {f"c{certificate.pk}-reason": ""})
    assert refused.status_code == 400
    assert "Say why" in refused.content.decode()
    assert (
        client.post(url, {f"c{certificate.pk}-reason": "Practical marked by mistake"}).status_code
        == 302
    )
    certificate.refresh_from_db()
    assert certificate.revoked_by == coach
    assert dashboard_state(client, coach, group, trainee)[1] == "Revoked"
    event = CertificateEvent.objects.get(kind=EventKind.REVOKED)
    assert event.reason == "Practical marked by mistake"
    client.force_login(admin_user)
    admin_page = client.get(
        reverse("admin:certification_certificate_change", args=[certificate.pk])
    ).content.decode()
    assert "Practical marked by mistake" in admin_page
    assert "Issued" in admin_page


def test_admin_revokes_from_the_certificate_page(
    client, coach, trainee, group, certification, final, admin_user
):
    certificate = certify(client, coach, trainee, group, certification, final)
    client.force_login(admin_user)
    url = reverse("admin:certification_certificate_change", args=[certificate.pk])
    response = client.post(url, {"revoke_reason": "Wrong person", **_empty_inline()})
    assert response.status_code == 302, response.content.decode()[:2000]
    certificate.refresh_from_db()
    assert certificate.revoked_reason == "Wrong person"
    assert certificate.revoked_by == admin_user


def _empty_inline():
    return {
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0",
        "events-MIN_NUM_FORMS": "0",
        "events-MAX_NUM_FORMS": "1000",
    }


def test_a_refresher_without_a_quiz_leads_to_my_certificates(
    client, clock, coach, trainee, group, certification, final
):
    certification.refresher_quiz = None
    certification.save()
    certificate = certify(client, coach, trainee, group, certification, final)
    clock.move_to(certificate.valid_until - timedelta(days=10))
    call_command("send_reminders", stdout=io.StringIO())

    client.force_login(trainee)
    assignments = client.get(reverse("training:my_assignments")).content.decode()
    # The navigation links there too: the card's own link is the one that counts.
    card_link = (
        f'<a href="{reverse("certification:my_certificates")}">Refresher: Cramp-safe swimmer'
    )
    assert card_link in assignments
    certificates = client.get(reverse("certification:my_certificates")).content.decode()
    assert "Refreshers to do" in certificates
    assert "Cramp-safe swimmer: show the practical skills again at the pool" in certificates


def test_each_published_certification_has_a_column_even_when_nobody_holds_it(
    client, coach, trainee, group, certification, final
):
    from certification.models import Certification
    from tests.factories import make_group

    certify(client, coach, trainee, group, certification, final)
    nobody = Certification.objects.create(
        assessed_in_session=False, slug="open-water", title="Open-water cramp-safe"
    )
    Certification.objects.create(
        assessed_in_session=False, slug="draft", title="Draft", is_published=False
    )
    client.force_login(coach)
    url = reverse("training:group_dashboard", args=[group.pk])
    page = client.get(url).content.decode()
    assert "Open-water cramp-safe: certified until" in page  # titles in order: "Cramp…", "Open…"
    assert page.index(COLUMN) < page.index("Open-water cramp-safe: certified until")
    assert "Draft: certified until" not in page
    # The second column filters by its own key; nobody holds that certificate.
    held = client.get(url, {f"cert{nobody.pk}": "valid"}).content.decode()
    assert "Nobody matches the filter" in held
    assert trainee.username in client.get(url, {f"cert{nobody.pk}": "none"}).content.decode()

    # A group without trainees still shows the columns, and says how to fill them.
    empty = make_group("Empty lane", coaches=[coach])
    page = client.get(reverse("training:group_dashboard", args=[empty.pk])).content.decode()
    assert COLUMN in page
    assert "No trainees yet" in page
