"""A regrade that turns a fail into a pass certifies as of then; one that turns a pass into a
fail keeps the certificate, flagged for the coach to review."""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from certification import renewal, services
from certification.models import (
    Certificate,
    CertificateEvent,
    Certification,
    EventKind,
    MarkResult,
    PracticalItem,
    add_months,
)
from certification.services import record_mark
from quizzes import regrade
from quizzes.models import GradingMethod
from tests.certification.conftest import passed_in_session, show_all
from tests.factories import add_escape_ordering, add_single, make_quiz, make_trainee
from tests.quizzes.test_regrade import correct_the_key, make_wrong_key_quiz, take
from tests.training.conftest import take as training_take

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


# Renewals found by a regrade: dated like issues, by the requirements of the renewal only ------


@pytest.fixture
def refresher(certification):
    """The refresher quiz, keyed wrong like the theory; the certificate it renews, issued
    eleven months and some days ago, is in its early-renewal window with a refresher given
    fifteen days ago."""
    quiz = make_wrong_key_quiz(slug="refresher", title="Refresher check", is_published=True)
    certification.refresher_quiz = quiz
    certification.save()
    return quiz


def issued_days_ago(trainee, certification, days):
    return services.issue_certificate(
        trainee, certification, now=timezone.now() - timedelta(days=days)
    )


@pytest.mark.parametrize("practical_last", [False, True])
def test_a_refresher_passed_by_a_regrade_renews_as_of_when_it_was_done(
    coach, trainee, group, certification, refresher, practical_last
):
    certificate = issued_days_ago(trainee, certification, 355)  # expires in about ten days
    assigned = timezone.now() - timedelta(days=15)
    (given,) = services.assign_refreshers(now=assigned)
    # Taken once for practice before the refresher was given: it does not count for it.
    take(refresher, trainee, "Calf", now=assigned - timedelta(days=3))
    attempt_at = assigned + timedelta(days=2)
    shown_at = attempt_at + (timedelta(days=1) if practical_last else -timedelta(days=1))
    show_all(coach, group, certification, trainee, now=shown_at)
    take(refresher, trainee, "Calf", now=attempt_at)  # truly right, marked wrong
    certificate.refresh_from_db()
    assert certificate.renewed_at is None

    correct_the_key(refresher)
    regrade_with_latest(refresher)

    certificate.refresh_from_db()
    done_at = max(attempt_at, shown_at)
    assert certificate.renewed_at == done_at
    # Renewed in the window: the new term runs on from the old expiry, whenever it was done.
    assert certificate.valid_until == add_months(given.expiring_on, 12)
    given.refresh_from_db()
    assert given.completed_at == done_at
    renewed = certificate.events.get(kind=EventKind.RENEWED)
    assert renewed.at == done_at


@pytest.mark.parametrize("practical_last", [False, True])
def test_the_full_course_passed_by_a_regrade_after_a_lapse_renews_as_of_when_it_was_done(
    coach, trainee, group, certification, theory, practical_last
):
    certificate = issued_days_ago(trainee, certification, 500)  # lapsed, grace long over
    grace_over = renewal.grace_until(certificate.valid_until, certification)
    # Taken in the grace period, before the full course was needed: it does not count.
    take(theory, trainee, "Calf", now=grace_over - timedelta(days=10))
    attempt_at = grace_over + timedelta(days=5)
    shown_at = attempt_at + (timedelta(days=3) if practical_last else -timedelta(days=2))
    show_all(coach, group, certification, trainee, now=shown_at)
    take(theory, trainee, "Calf", now=attempt_at)
    certificate.refresh_from_db()
    assert certificate.renewed_at is None

    correct_the_key(theory)
    regrade_with_latest(theory)

    certificate.refresh_from_db()
    done_at = max(attempt_at, shown_at)
    assert certificate.renewed_at == done_at
    # After a lapse the new term runs from the renewal.
    assert certificate.valid_until == add_months(done_at, 12)
    assert certificate.events.get(kind=EventKind.RENEWED).at == done_at


def test_a_regrade_dates_a_certificate_assessed_in_a_session_when_the_assessor_decided(
    coach, trainee, group, theory
):
    certification = Certification.objects.create(
        assessed_in_session=True, slug="first-response", title="First response"
    )
    certification.quizzes.add(theory)
    PracticalItem.objects.create(certification=certification, order=1, text="Signals for help")
    attempt = take(theory, trainee, "Calf", now=timezone.now() - LONG_AGO)
    decided_at = attempt.finished_at + timedelta(days=3)  # found competent after the quiz
    passed_in_session(certification, trainee, group, decided_at)
    assert not Certificate.objects.exists()

    correct_the_key(theory)
    regrade_with_latest(theory)

    certificate = Certificate.objects.get(certification=certification)
    assert certificate.issued_at == decided_at
    assert certificate.valid_until == add_months(decided_at, 12)


def test_a_renewal_whose_refresher_attempt_a_regrade_fails_is_flagged(
    coach, trainee, group, certification, theory, refresher
):
    issued_at = timezone.now() - timedelta(days=355)
    show_all(coach, group, certification, trainee, now=issued_at - timedelta(days=1))
    take(theory, trainee, "Ear", now=issued_at)  # the theory keeps its key: still passed
    assigned = timezone.now() - timedelta(days=15)
    services.assign_refreshers(now=assigned)
    # Practice before the refresher: a pass once regraded, but it renews nothing.
    take(refresher, trainee, "Calf", now=assigned - timedelta(days=3))
    show_all(coach, group, certification, trainee, now=assigned + timedelta(days=1))
    take(refresher, trainee, "Ear", now=assigned + timedelta(days=2))  # renews it
    certificate = Certificate.objects.get()
    assert certificate.renewed_at == assigned + timedelta(days=2)

    correct_the_key(refresher)
    regrade_with_latest(refresher)

    certificate.refresh_from_db()
    assert certificate.flagged_for_review
    assert "Refresher check" in certificate.flag_reason


def test_a_certificate_never_renewed_is_judged_by_its_theory_alone(
    coach, trainee, group, certification, theory, refresher
):
    then = timezone.now() - LONG_AGO
    show_all(coach, group, certification, trainee, now=then - timedelta(days=1))
    take(theory, trainee, "Calf", now=then)
    take(theory, trainee, "Ear", now=then + timedelta(days=1))  # certified by this one

    correct_the_key(theory)
    regrade_with_latest(theory)

    certificate = Certificate.objects.get()
    assert not certificate.flagged_for_review  # the refresher quiz was never part of it


def test_a_quiz_graded_by_average_certifies_when_the_average_first_reached_the_mark(
    coach, trainee, group, certification, theory
):
    theory.grading_method = GradingMethod.AVERAGE
    theory.pass_mark = 80
    theory.save()
    then = timezone.now() - LONG_AGO
    show_all(coach, group, certification, trainee, now=then - timedelta(days=1))
    # Someone else's attempts, and another quiz's, say nothing about this trainee's theory.
    other = make_trainee("other")
    take(theory, other, "Calf", now=then - timedelta(days=2))
    practice = make_wrong_key_quiz(slug="practice", title="Practice", is_published=True)
    take(practice, trainee, "Ear", now=then - timedelta(days=2))
    # After the regrade: 50%, 100% (average 75) and 100% (average 83.3, the mark reached).
    take(theory, trainee, "Elbow", now=then)  # wrong by either key
    take(theory, trainee, "Calf", now=then + timedelta(days=1))
    third = take(theory, trainee, "Calf", now=then + timedelta(days=2))
    assert not Certificate.objects.exists()

    correct_the_key(theory)
    regrade_with_latest(theory)

    assert Certificate.objects.get(trainee=trainee).issued_at == third.finished_at


def first_aid(theory):
    """One critical skill and any one of two others, after the theory."""
    certification = Certification.objects.create(
        assessed_in_session=False, slug="first-aid", title="First aid", pass_min_others=1
    )
    certification.quizzes.add(theory)
    items = [
        PracticalItem.objects.create(
            certification=certification, order=order, text=text, critical=order == 1
        )
        for order, text in enumerate(["Floats", "Signals for help", "Stretches"], start=1)
    ]
    return certification, items


def mark_shown(coach, group, trainee, item, at):
    record_mark(
        key=uuid.uuid4(), coach=coach, group=group, trainee=trainee, item=item,
        result=MarkResult.SHOWN, now=at,
    )  # fmt: skip


def test_a_regrade_dates_it_when_the_pass_standard_was_met_not_every_skill(
    coach, trainee, group, theory
):
    """One critical skill and any one of two others: the third skill is never shown."""
    certification, (floats, signals, _stretch) = first_aid(theory)
    attempt = take(theory, trainee, "Calf", now=timezone.now() - LONG_AGO)
    shown = attempt.finished_at + timedelta(days=2)
    for item in (floats, signals):
        mark_shown(coach, group, trainee, item, shown)

    correct_the_key(theory)
    regrade_with_latest(theory)

    assert Certificate.objects.get(certification=certification).issued_at == shown


def test_a_renewal_still_passed_by_another_refresher_attempt_is_not_flagged(
    coach, trainee, group, certification, theory, refresher
):
    issued_at = timezone.now() - timedelta(days=355)
    show_all(coach, group, certification, trainee, now=issued_at - timedelta(days=1))
    take(theory, trainee, "Ear", now=issued_at)
    assigned = timezone.now() - timedelta(days=15)
    services.assign_refreshers(now=assigned)
    show_all(coach, group, certification, trainee, now=assigned + timedelta(days=1))
    take(refresher, trainee, "Calf", now=assigned + timedelta(days=2))  # passes once regraded
    take(refresher, trainee, "Ear", now=assigned + timedelta(days=3))  # renews it; fails then

    correct_the_key(refresher)
    regrade_with_latest(refresher)

    certificate = Certificate.objects.get()
    assert certificate.renewed_at == assigned + timedelta(days=3)
    assert not certificate.flagged_for_review  # the refresher quiz is still passed


def test_after_a_lapse_a_skill_shown_before_it_does_not_date_the_renewal(
    coach, trainee, group, theory
):
    """A critical skill and any one of two others. Before the lapse the first other skill was
    shown; after it the critical skill, then the theory (a fail until the regrade), then the
    second other skill: the standard was met again only with that one."""
    certification, (floats, signals, stretches) = first_aid(theory)
    certificate = services.issue_certificate(
        trainee, certification, now=timezone.now() - timedelta(days=500)
    )
    lapse = renewal.grace_until(certificate.valid_until, certification)

    mark_shown(coach, group, trainee, signals, lapse - timedelta(days=20))
    mark_shown(coach, group, trainee, floats, lapse + timedelta(days=1))
    take(theory, trainee, "Calf", now=lapse + timedelta(days=2))
    mark_shown(coach, group, trainee, stretches, lapse + timedelta(days=3))
    certificate.refresh_from_db()
    assert certificate.renewed_at is None

    correct_the_key(theory)
    regrade_with_latest(theory)

    certificate.refresh_from_db()
    assert certificate.renewed_at == lapse + timedelta(days=3)


def test_a_regrade_of_an_attempt_from_before_the_window_renews_nothing(trainee, theory):
    """A theory-only certificate with no refresher quiz: its refresher asks for nothing more,
    but an old attempt passed by a regrade is dated before the window opened."""
    certification = Certification.objects.create(slug="theory-only", title="Cramp theory")
    certification.quizzes.add(theory)
    take(theory, trainee, "Ear", now=timezone.now() - timedelta(days=356))  # certified
    late = take(theory, trainee, "Calf", now=timezone.now() - timedelta(days=200))
    certificate = Certificate.objects.get()
    services.assign_refreshers(now=timezone.now() - timedelta(days=5))

    correct_the_key(theory)
    regrade_with_latest(theory)

    certificate.refresh_from_db()
    assert late.finished_at < renewal.window_opens(certificate.valid_until, certification)
    assert certificate.renewed_at is None


def test_a_regrade_dates_it_by_a_second_quiz_passed_only_on_average(
    coach, trainee, group, certification, theory
):
    """The second quiz: pass mark 50%, by the average; 80% without its must-pass question,
    then 20% with it: passed together, though neither attempt passed on its own."""
    second = make_quiz("average-check", pass_mark=50, attempts_allowed=None, is_published=True)
    second.grading_method = GradingMethod.AVERAGE
    second.save()
    add_single(second, must_pass=True)
    add_escape_ordering(second, points=4)
    certification.quizzes.add(second)
    then = timezone.now() - LONG_AGO
    show_all(coach, group, certification, trainee, now=then - timedelta(days=1))
    take(theory, trainee, "Calf", now=then)  # failed until the regrade
    training_take(second, trainee, right=(2,), now=then + timedelta(days=1))
    averaged = training_take(second, trainee, right=(1,), now=then + timedelta(days=2))
    assert not Certificate.objects.exists()

    correct_the_key(theory)
    regrade_with_latest(theory)

    assert Certificate.objects.get().issued_at == averaged.finished_at
