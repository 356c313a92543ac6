"""Recertification rules (certification/renewal.py): the early-renewal window keeps the
anniversary, the grace period renews from the day, after it only the full course renews;
overlapping renewals are refused with nothing half-saved."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from certification.cpd import progress_of
from certification.models import (
    Certificate,
    CertificateEvent,
    CPDEntry,
    CPDKind,
    EventKind,
    Refresher,
    add_months,
)
from certification.renewal import Phase, grace_until, phase, window_opens
from certification.services import (
    RenewalRefused,
    assign_refreshers,
    issue_certificate,
    reissue_certificate,
    renew_certificate,
    revoke_certificate,
    suspend_certificate,
)
from tests.certification.conftest import show_all
from tests.factories import make_trainee
from tests.training.conftest import take

T0 = timezone.make_aware(timezone.datetime(2026, 3, 10, 9, 0), timezone.get_fixed_timezone(0))


@pytest.fixture
def held(coach, trainee, group, certification, final):
    """Certified at T0: the final passed and every skill shown."""
    take(final, trainee, right=(1, 2), now=T0)
    show_all(coach, group, certification, trainee, T0)
    return Certificate.objects.get(trainee=trainee)


def refresh(coach, group, certification, trainee, refresher_quiz, now):
    """The refresher's work at `now`: the refresher quiz and the practical re-check."""
    take(refresher_quiz, trainee, right=(1,), now=now)
    show_all(coach, group, certification, trainee, now)


def test_renewed_in_the_early_window_keeps_the_anniversary(
    coach, trainee, group, certification, refresher_quiz, held
):
    expires = held.valid_until
    assert held.valid_until == add_months(T0, 12)
    early = expires - timedelta(days=10)
    [refresher] = assign_refreshers(now=early)
    refresh(coach, group, certification, trainee, refresher_quiz, early)
    held.refresh_from_db()
    assert held.valid_until == add_months(expires, 12)
    refresher.refresh_from_db()
    assert refresher.completed_at == early
    event = held.events.get(kind=EventKind.RENEWED)
    assert "old expiry" in event.reason
    assert (event.at, event.valid_until) == (early, held.valid_until)


def test_a_renewal_closes_only_its_own_certificates_open_refresher(
    coach, trainee, group, certification, refresher_quiz, held
):
    other = issue_certificate(make_trainee("other"), certification, now=T0)
    first_round = held.valid_until - timedelta(days=10)
    assign_refreshers(now=first_round)  # one each
    refresh(coach, group, certification, trainee, refresher_quiz, first_round)
    [other_open, first] = Refresher.objects.order_by("certificate__trainee__username")
    assert other_open.certificate == other
    assert other_open.completed_at is None  # someone else's renewal is not theirs
    # A year on, the next renewal leaves the first refresher's date as it was.
    held.refresh_from_db()
    second_round = held.valid_until - timedelta(days=10)
    assign_refreshers(now=second_round)
    refresh(coach, group, certification, trainee, refresher_quiz, second_round)
    first.refresh_from_db()
    assert first.completed_at == first_round
    assert held.events.filter(kind=EventKind.RENEWED).count() == 2


def test_the_refresher_quiz_passed_after_the_re_check_renews_and_practice_does_not(
    coach, trainee, group, certification, refresher_quiz, held
):
    early = held.valid_until - timedelta(days=10)
    take(refresher_quiz, trainee, right=(1,), now=early - timedelta(days=30))  # practice
    held.refresh_from_db()
    assert held.renewed_at is None
    [_refresher] = assign_refreshers(now=early)
    show_all(coach, group, certification, trainee, early)  # the re-check first
    held.refresh_from_db()
    assert held.renewed_at is None  # the quiz since the refresher is still to do
    take(refresher_quiz, trainee, right=(1,), now=early + timedelta(hours=1))
    held.refresh_from_db()
    assert held.renewed_at == early + timedelta(hours=1)
    assert held.valid_until == add_months(add_months(T0, 12), 12)


def test_the_refresher_is_given_when_the_certifications_window_opens(certification, held, trainee):
    certification.early_renewal_days = 60
    certification.save()
    assert assign_refreshers(now=held.valid_until - timedelta(days=61)) == []
    assert len(assign_refreshers(now=held.valid_until - timedelta(days=59))) == 1
    assert assign_refreshers(now=held.valid_until - timedelta(days=58)) == []  # one per expiry


def test_renewed_in_the_grace_period_runs_from_the_day_of_renewal(
    coach, trainee, group, certification, refresher_quiz, held
):
    expires = held.valid_until
    late = expires + timedelta(days=12)
    [_refresher] = assign_refreshers(now=late)  # the run that missed the window gives it now
    refresh(coach, group, certification, trainee, refresher_quiz, late)
    held.refresh_from_db()
    assert held.valid_until == add_months(late, 12)
    assert held.valid_until > add_months(expires, 12)


def test_after_the_grace_period_only_the_full_course_renews(
    coach, trainee, group, certification, final, refresher_quiz, held
):
    expires = held.valid_until
    assign_refreshers(now=expires - timedelta(days=5))  # given, never done
    lapse = grace_until(expires, certification)
    assert lapse == expires + timedelta(days=30)
    assert assign_refreshers(now=lapse + timedelta(days=1)) == []  # none for a lapsed one
    # The final passed during the grace period is not the full course done after the lapse.
    take(final, trainee, right=(1, 2), now=expires + timedelta(days=20))
    refresh(coach, group, certification, trainee, refresher_quiz, lapse + timedelta(days=1))
    held.refresh_from_db()
    assert held.valid_until == expires  # the refresher and re-check renew nothing now
    renewed_on = lapse + timedelta(days=2)
    take(final, trainee, right=(1, 2), now=renewed_on)
    held.refresh_from_db()
    assert held.valid_until == add_months(renewed_on, 12)
    # Same row, its history in the trail, and the stale refresher closed.
    assert Certificate.objects.filter(trainee=trainee).count() == 1
    assert "full course" in held.events.get(kind=EventKind.RENEWED).reason
    assert not Refresher.objects.filter(certificate=held, completed_at__isnull=True).exists()


def test_no_grace_means_the_full_course_from_the_day_it_expires(certification, held):
    certification.grace_days = 0
    certification.save()
    assert phase(held.valid_until, certification, held.valid_until) == Phase.LAPSED
    assert assign_refreshers(now=held.valid_until + timedelta(minutes=1)) == []


def test_a_second_renewal_for_the_same_expiry_is_refused_and_changes_nothing(certification, held):
    now = held.valid_until - timedelta(days=3)
    [refresher] = assign_refreshers(now=now)
    renewed = renew_certificate(held, refresher, now=now)
    trail = list(CertificateEvent.objects.values_list("pk", flat=True))
    with pytest.raises(RenewalRefused, match="already renewed for this expiry"):
        renew_certificate(held, refresher, now=now + timedelta(minutes=1))
    # The stale copy of the certificate (what a second request read) is refused as well.
    stale = Refresher.objects.get(pk=refresher.pk)
    stale.completed_at = None
    with pytest.raises(RenewalRefused, match="already renewed"):
        renew_certificate(held, stale, now=now + timedelta(minutes=1))
    held.refresh_from_db()
    assert held.valid_until == renewed.valid_until
    assert list(CertificateEvent.objects.values_list("pk", flat=True)) == trail


def open_refresher(held):
    return Refresher.objects.create(certificate=held, expiring_on=held.valid_until, assigned_at=T0)


def revoked(held):
    revoke_certificate(held, reason="Cheated on the theory")
    return open_refresher(held)


def suspended(held):
    suspend_certificate(held, reason="An inquiry")
    return open_refresher(held)


def superseded(held):
    refresher = open_refresher(held)
    reissue_certificate(held, reason="Name changed")
    return refresher  # now the new certificate's


def closed(held):
    refresher = open_refresher(held)
    Refresher.objects.filter(pk=refresher.pk).update(completed_at=T0)
    return Refresher.objects.get(pk=refresher.pk)


def for_another_expiry(held):
    """Still open, but given for an expiry date the certificate no longer has."""
    return Refresher.objects.create(
        certificate=held, expiring_on=held.valid_until - timedelta(days=365), assigned_at=T0
    )


@pytest.mark.parametrize(
    ("make_refresher", "days", "message"),
    [
        (revoked, -1, "A revoked certificate is not renewed."),
        (suspended, -1, "A suspended certificate is not renewed until it is reinstated."),
        (superseded, -1, "This certificate was reissued: renew the new one."),
        (closed, -1, "This certificate was already renewed for this expiry date."),
        (for_another_expiry, -1, "This certificate was already renewed for this expiry date."),
        # The window opens 30 days before the expiry of 10 Mar 2027.
        (open_refresher, -40, "Renewal opens on 8 Feb 2027."),
        (open_refresher, 31, "The grace period is over: the full course renews it now."),
        (lambda held: None, 3, "Only a lapsed certificate is renewed by the full course."),
    ],
)
def test_each_refused_renewal_says_why_and_changes_nothing(held, make_refresher, days, message):
    refresher = make_refresher(held)
    trail = list(CertificateEvent.objects.values_list("pk", flat=True))
    with pytest.raises(RenewalRefused) as refused:
        renew_certificate(held, refresher, now=held.valid_until + timedelta(days=days))
    assert str(refused.value) == message
    held.refresh_from_db()
    assert (held.valid_until, held.renewed_at) == (add_months(T0, 12), None)
    assert list(CertificateEvent.objects.values_list("pk", flat=True)) == trail


def test_cpd_hours_count_up_to_the_day_of_the_renewal(certification, held, trainee):
    """Hours done by the day the renewal is checked count, even when that day is not today
    (a regrade renews as of an earlier day; tests run ahead of the calendar)."""
    certification.cpd_hours_required = 3
    certification.save()
    renewing_on = held.valid_until - timedelta(days=3)
    refresher = open_refresher(held)

    def done(hours, on):
        CPDEntry.objects.create(
            trainee=trainee, certification=certification, hours=hours, what="Deep-end float",
            kind=CPDKind.POOL_SESSION, done_on=on.date(), confirmed_at=on,
        )  # fmt: skip

    done("1", T0 + timedelta(days=30))
    done("0.5", renewing_on - timedelta(days=1))
    done("4", renewing_on + timedelta(days=1))  # after the renewal's day: does not count yet
    with pytest.raises(RenewalRefused) as refused:
        renew_certificate(held, refresher, now=renewing_on)
    assert str(refused.value) == "1.5 more CPD hours are needed to renew."

    done("1.5", renewing_on - timedelta(days=1))
    renewed = renew_certificate(held, refresher, now=renewing_on)
    assert renewed.valid_until == add_months(T0, 24)


def test_window_dates(certification, trainee):
    certificate = issue_certificate(trainee, certification, now=T0)
    expires = certificate.valid_until
    assert window_opens(expires, certification) == expires - timedelta(days=30)
    assert phase(expires, certification, expires - timedelta(days=31)) == Phase.BEFORE_WINDOW
    assert phase(expires, certification, expires - timedelta(days=30)) == Phase.WINDOW
    assert phase(expires, certification, expires) == Phase.GRACE
    assert phase(expires, certification, expires + timedelta(days=30)) == Phase.LAPSED


def test_a_lapsed_certificates_refresher_is_no_longer_offered(client, trainee, held):
    from django.urls import reverse

    from certification import selectors

    expiry = held.valid_until
    assign_refreshers(now=window_opens(expiry, held.certification) + timedelta(hours=1))
    in_grace = expiry + timedelta(days=1)
    assert len(selectors.renewable_refreshers_of(trainee, in_grace)) == 1
    lapsed = grace_until(expiry, held.certification) + timedelta(days=1)
    assert selectors.renewable_refreshers_of(trainee, lapsed) == []
    # The pages read the clock: a certificate already past its grace period shows no
    # refresher to do on My assignments, and My certificates says the full course is needed.
    held.valid_until = timezone.now() - timedelta(days=held.certification.grace_days + 1)
    held.save()
    Refresher.objects.update(expiring_on=held.valid_until)
    client.force_login(trainee)
    assignments = client.get(reverse("training:my_assignments")).content.decode()
    assert "Refresher: " not in assignments
    certificates = client.get(reverse("certification:my_certificates")).content.decode()
    assert "Lapsed: the full course is needed" in certificates


def test_my_certificates_gives_the_renewal_dates(client, trainee, held):
    # Certified on 10 Mar 2026 for 12 months; the certification's window and grace: 30 days.
    client.force_login(trainee)
    page = client.get(reverse("certification:my_certificates")).content.decode()
    assert "Renewal opens on 8 Feb 2027" in page
    assert "Expires on 10 Mar 2027" in page
    assert "Grace period until 9 Apr 2027" in page


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2027, 2, 8, 8, 59, tzinfo=UTC), Phase.BEFORE_WINDOW),
        (datetime(2027, 2, 8, 9, 0, tzinfo=UTC), Phase.WINDOW),
        (datetime(2027, 3, 10, 9, 0, tzinfo=UTC), Phase.GRACE),
        (datetime(2027, 4, 9, 9, 0, tzinfo=UTC), Phase.LAPSED),
    ],
)
def test_the_standing_is_read_at_the_moment_given(trainee, held, moment, expected):
    standing = progress_of(trainee, [held], now=moment)[held.pk]
    assert standing.phase == expected
