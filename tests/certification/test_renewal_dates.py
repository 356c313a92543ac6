"""Hypothesis over renewal dates: early, on time, in grace, lapsed; in several time zones (one
with a half-hour offset, one across the date line) and across leap years. The rules of
certification/renewal.py hold for any of them."""

import calendar
import zoneinfo
from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from certification.models import Certificate, Refresher, add_months
from certification.renewal import Phase, grace_until, phase, renewed_until, window_opens
from certification.services import RenewalRefused, renew_certificate

ZONES = ["UTC", "Pacific/Auckland", "America/St_Johns", "Europe/London", "Asia/Kathmandu"]

# Expiry moments on the wall clock, 2023-2030, 29 February and month ends well represented.
local_expiry = st.one_of(
    st.datetimes(min_value=datetime(2023, 1, 1), max_value=datetime(2030, 12, 31)),
    st.sampled_from([2024, 2028]).map(lambda year: datetime(year, 2, 29, 12, 0)),
    st.tuples(st.integers(2023, 2030), st.integers(1, 12)).map(
        lambda ym: datetime(*ym, calendar.monthrange(*ym)[1], 23, 30)
    ),
)
rules = st.fixed_dictionaries(
    {
        "validity_months": st.sampled_from([1, 12, 24, 36]),
        "early_renewal_days": st.integers(0, 120),
        "grace_days": st.integers(0, 90),
    }
)
# When the renewal happens, relative to the expiry: early, on time, in grace, lapsed.
offset = st.one_of(
    st.integers(-200, 200).map(lambda days: timedelta(days=days)),
    st.just(timedelta(0)),
    st.integers(-3600, 3600).map(lambda seconds: timedelta(seconds=seconds)),
)


class Rules:
    def __init__(self, validity_months, early_renewal_days, grace_days):
        self.validity_months = validity_months
        self.early_renewal_days = early_renewal_days
        self.grace_days = grace_days


def on_wall_clock(local, zone):
    return timezone.make_aware(local, zoneinfo.ZoneInfo(zone))


@given(zone=st.sampled_from(ZONES), local=local_expiry, spec=rules, shift=offset)
def test_renewal_dates_follow_the_rules(zone, local, spec, shift):
    certification = Rules(**spec)
    with timezone.override(zone):
        expires = on_wall_clock(local, zone)
        now = expires + shift
        current = phase(expires, certification, now)
        new = renewed_until(expires, certification, now)
        # The phases partition time at the window, the expiry and the end of grace.
        assert (current == Phase.BEFORE_WINDOW) == (now < window_opens(expires, certification))
        assert (current in (Phase.GRACE, Phase.LAPSED)) == (now >= expires)
        assert (current == Phase.LAPSED) == (now >= grace_until(expires, certification))
        # A renewal never ends before the old expiry, nor before a full term from now.
        assert new > expires
        assert new > now
        if now < expires:  # early: the anniversary is kept
            assert new == add_months(expires, certification.validity_months)
        else:  # on time, in grace or after a lapse: a term from the day of renewal
            assert new == add_months(now, certification.validity_months)
        # Months fall on the wall clock: the same day (or the month's last), the same time.
        start = timezone.localtime(expires if now < expires else now)
        end = timezone.localtime(new)
        months = (end.year - start.year) * 12 + end.month - start.month
        assert months == certification.validity_months
        last = calendar.monthrange(end.year, end.month)[1]
        assert end.day == min(start.day, last)
        assert (end.hour, end.minute) == (start.hour, start.minute) or _in_a_gap(end)


def _in_a_gap(moment):
    """The wall time did not exist that day (clocks went forward): an hour on, as zoneinfo
    reads it."""
    return moment.utcoffset() != (moment - timedelta(hours=2)).utcoffset()


def test_29_february_plus_twelve_months_is_28_february():
    with timezone.override("Pacific/Auckland"):
        leap = on_wall_clock(datetime(2024, 2, 29, 0, 30), "Pacific/Auckland")
        moved = timezone.localtime(add_months(leap, 12))
        assert (moved.year, moved.month, moved.day, moved.hour) == (2025, 2, 28, 0)
        # In UTC this moment is still 28 February 2024: counted there it would end a day early.
        assert leap.astimezone(zoneinfo.ZoneInfo("UTC")).day == 28


@pytest.mark.django_db
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(zone=st.sampled_from(ZONES), local=local_expiry, spec=rules, shift=offset)
def test_renewing_a_certificate_row_follows_the_rules(
    certification, trainee, zone, local, spec, shift
):
    """Through renew_certificate: the refresher renews in the window and the grace period
    only, the full course after the lapse only; a second renewal is refused; a refusal
    changes nothing."""
    for field, value in spec.items():
        setattr(certification, field, value)
    certification.save()
    with timezone.override(zone):
        expires = on_wall_clock(local, zone)
        now = expires + shift
        Certificate.objects.filter(trainee=trainee).delete()
        certificate = Certificate.objects.create(
            certification=certification,
            trainee=trainee,
            issued_at=add_months(expires, -spec["validity_months"]),
            valid_until=expires,
        )
        refresher = Refresher.objects.create(
            certificate=certificate,
            expiring_on=expires,
            assigned_at=window_opens(expires, certification),
        )
        current = phase(expires, certification, now)
        by_refresher = current in (Phase.WINDOW, Phase.GRACE)
        if by_refresher:
            renewed = renew_certificate(certificate, refresher, now=now)
            assert renewed.valid_until == renewed_until(expires, certification, now)
            assert renewed.valid_until > expires
        else:
            with pytest.raises(RenewalRefused):
                renew_certificate(certificate, refresher, now=now)
            certificate.refresh_from_db()
            assert certificate.valid_until == expires
            assert not certificate.events.exists()
        # The full course renews a lapsed certificate, and nothing else.
        if current == Phase.LAPSED:
            renewed = renew_certificate(certificate, None, now=now)
            assert renewed.valid_until == add_months(now, spec["validity_months"])
        else:
            with pytest.raises(RenewalRefused):
                renew_certificate(certificate, None, now=now)
        # Whatever happened, the same refresher never renews twice.
        with pytest.raises(RenewalRefused):
            renew_certificate(certificate, refresher, now=now)
