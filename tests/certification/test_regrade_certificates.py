"""A regrade that turns a fail into a pass certifies as of then; one that turns a pass into a
fail keeps the certificate, flagged for the coach to review."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from certification.models import (
    Certificate,
    CertificateEvent,
    Certification,
    EventKind,
    PracticalItem,
    add_months,
)
from quizzes import regrade
from tests.certification.conftest import show_all
from tests.quizzes.test_regrade import correct_the_key, make_wrong_key_quiz, take

LONG_AGO = timedelta(days=60)


@pytest.fixture
def theory(db):
    """Keyed "Ear" when "Calf" is right: choosing Calf fails (50%), Ear passes (100%)."""
    return make_wrong_key_quiz(slug="theory", title="Cramp theory", is_published=True)


@pytest.fixture
def certification(theory):
    certification = Certification.objects.create(
        assessed_in_session=False, slug="cramp-safe", title="Cramp-safe swimmer"
    )
    certification.quizzes.add(theory)
    PracticalItem.objects.create(certification=certification, order=1, text="Signals for help")
    return certification


def regrade_with_latest(quiz, reason="“Where” was keyed Ear; Calf is right."):
    return regrade.apply_regrade(quiz, done_by=None, reason=reason, use_latest_versions=True)


def test_a_newly_passing_trainee_is_certified_as_of_the_attempts_finish(
    coach, trainee, group, certification, theory
):
    then = timezone.now() - LONG_AGO
    show_all(coach, group, certification, trainee, now=then - timedelta(days=1))
    attempt = take(theory, trainee, "Calf", now=then)  # truly right, marked wrong
    assert not attempt.passed
    assert not Certificate.objects.exists()

    correct_the_key(theory)
    regrade_with_latest(theory)

    certificate = Certificate.objects.get(trainee=trainee, certification=certification)
    assert certificate.issued_at == attempt.finished_at == then
    assert certificate.valid_until == add_months(then, 12)
    assert not certificate.flagged_for_review
    event = certificate.events.get()
    assert (event.kind, event.at) == (EventKind.ISSUED, then)


def test_a_certificate_from_a_regrade_is_dated_when_the_last_requirement_was_met(
    coach, trainee, group, certification, theory
):
    then = timezone.now() - LONG_AGO
    attempt = take(theory, trainee, "Calf", now=then)
    shown_at = then + timedelta(days=3)  # the practical came after the quiz
    show_all(coach, group, certification, trainee, now=shown_at)
    assert not Certificate.objects.exists()

    correct_the_key(theory)
    regrade_with_latest(theory)

    certificate = Certificate.objects.get()
    assert attempt.finished_at < certificate.issued_at == shown_at
    assert certificate.valid_until == add_months(shown_at, 12)


def test_a_newly_failing_trainee_keeps_the_certificate_flagged_for_the_coach(
    client, coach, trainee, group, certification, theory
):
    then = timezone.now() - LONG_AGO
    show_all(coach, group, certification, trainee, now=then - timedelta(days=1))
    take(theory, trainee, "Ear", now=then)  # marked right by the wrong key
    certificate = Certificate.objects.get()
    assert not certificate.flagged_for_review

    correct_the_key(theory)
    regrade_with_latest(theory)

    kept = Certificate.objects.get()
    assert kept.pk == certificate.pk
    assert kept.revoked_at is None
    assert (kept.issued_at, kept.valid_until) == (certificate.issued_at, certificate.valid_until)
    assert kept.flagged_for_review
    assert kept.flagged_at is not None
    assert "Cramp theory" in kept.flag_reason
    assert "from passed to failed" in kept.flag_reason
    assert kept.events.filter(kind=EventKind.FLAGGED, reason=kept.flag_reason).exists()

    # The public check still says valid: the trainee keeps the certificate.
    assert "Valid" in client.get(f"/verify/{kept.code}/").content.decode()

    client.force_login(coach)
    page = client.get(reverse("certification:group_certificates", args=[group.pk]))
    html = page.content.decode()
    assert "Flagged for review" in html
    assert "from passed to failed" in html
    poolside = client.get(reverse("certification:poolside", args=[group.pk, certification.slug]))
    assert "Certificate flagged for review" in poolside.content.decode()


def test_a_certificate_nobody_regraded_is_not_shown_flagged(
    client, coach, trainee, group, certification, theory
):
    show_all(coach, group, certification, trainee, now=timezone.now())
    take(theory, trainee, "Ear")
    client.force_login(coach)
    page = client.get(reverse("certification:group_certificates", args=[group.pk]))
    assert "Cramp-safe swimmer" in page.content.decode()
    assert "Flagged for review" not in page.content.decode()


def test_a_trainee_still_passing_by_another_attempt_is_not_flagged(
    coach, trainee, group, certification, theory
):
    then = timezone.now() - LONG_AGO
    show_all(coach, group, certification, trainee, now=then - timedelta(days=1))
    take(theory, trainee, "Calf", now=then)  # failed by the wrong key
    take(theory, trainee, "Ear", now=then + timedelta(days=1))  # passed by it: certified
    issued = Certificate.objects.get()

    correct_the_key(theory)
    done = regrade_with_latest(theory)

    assert done.changes.count() == 2  # one now passes, one now fails
    certificate = Certificate.objects.get()
    assert not certificate.flagged_for_review  # the quiz is still passed (highest grade)
    assert certificate.issued_at == issued.issued_at
    assert list(certificate.events.values_list("kind", flat=True)) == [EventKind.ISSUED]


def test_a_later_regrade_that_restores_the_pass_clears_the_flag(
    coach, trainee, group, certification, theory
):
    then = timezone.now() - LONG_AGO
    show_all(coach, group, certification, trainee, now=then - timedelta(days=1))
    take(theory, trainee, "Ear", now=then)
    question = correct_the_key(theory)
    regrade_with_latest(theory)
    assert Certificate.objects.get().flagged_for_review

    # The correction was itself wrong: Ear was right after all.
    question.options.filter(text="Ear").update(weight=100)
    question.options.filter(text="Calf").update(weight=0)
    regrade_with_latest(theory, reason="Ear was right after all.")

    certificate = Certificate.objects.get()
    assert not certificate.flagged_for_review
    assert certificate.flag_reason == ""
    assert list(certificate.events.values_list("kind", flat=True)) == [
        EventKind.ISSUED,
        EventKind.FLAGGED,
        EventKind.FLAG_CLEARED,
    ]


def test_admin_lists_flagged_certificates_and_clears_a_flag(
    staff_client, admin_user, coach, trainee, group, certification, theory
):
    show_all(coach, group, certification, trainee, now=timezone.now() - timedelta(days=1))
    take(theory, trainee, "Ear")
    correct_the_key(theory)
    regrade_with_latest(theory)
    certificate = Certificate.objects.get()
    listing = reverse("admin:certification_certificate_changelist")

    flagged = staff_client.get(listing, {"flagged_for_review__exact": "1"}).content.decode()
    not_flagged = staff_client.get(listing, {"flagged_for_review__exact": "0"}).content.decode()
    assert trainee.username in flagged
    assert trainee.username not in not_flagged

    change = reverse("admin:certification_certificate_change", args=[certificate.pk])
    assert "from passed to failed" in staff_client.get(change).content.decode()
    events = {f"events-{name}": "0" for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS")}
    response = staff_client.post(
        change, {"revoke_reason": "", "clear_flag": "on", **events, "events-MAX_NUM_FORMS": "9"}
    )
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert not certificate.flagged_for_review
    assert certificate.revoked_at is None
    cleared = CertificateEvent.objects.get(kind=EventKind.FLAG_CLEARED)
    assert cleared.by == admin_user
