"""Recertification rules: when a certificate may be renewed, by what, and until when.

A certificate that expires at E (its valid_until), of a certification with an early-renewal
window of W days, a grace period of G days and a validity of V months, is in one phase:

    before the window   now < E - W          nothing to do yet
    window              E - W <= now < E     the refresher renews; new expiry E + V months
    grace               E <= now < E + G     the refresher still renews; new expiry
                                             now + V months
    lapsed              E + G <= now         only the full course (the certification's quizzes
                                             and practical, done from E + G on) renews; new
                                             expiry now + V months

The refresher is the refresher quiz and a practical re-check, both done after the refresher
was assigned (when the window opened). When the certification asks for CPD hours, a renewal by
the refresher also needs that many confirmed hours done within the term that is ending: from
E - V months to the day of renewal (cpd.py). The full course after a lapse needs none: it is
the whole course again.

Worked example (V = 12, W = 30, G = 30; Red Cross-style grace). Ada's certificate expires on
10 June 2026; the window opens on 11 May 2026 and the grace period ends on 10 July 2026.
- Renewed on 20 May 2026 (window): valid until 10 June 2027. Her anniversary is kept, and
  renewing early costs her nothing (Lifesaving Society).
- Renewed on 25 June 2026 (grace): valid until 25 June 2027, from the day of renewal, as the
  Red Cross counts it: she was not certified from 10 to 25 June (the public check said
  "expired", the audit trail keeps it), and a term from the old date would hide that gap.
- Not renewed by 10 July 2026: lapsed. The refresher no longer renews; she passes the final
  again and shows every skill again (marks from 10 July on), say on 2 August 2026: valid until
  2 August 2027, on the same certificate row (a RENEWED event says why), because a trainee
  holds one current certificate per certification and its number is what people quote.

Days are whole days of 24 hours from the expiry moment; months are counted on the site's wall
clock (models.add_months: 29 February plus 12 months is 28 February).
"""

from dataclasses import dataclass, field
from datetime import UTC, timedelta
from decimal import Decimal

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certification.models import add_months


class Phase(models.TextChoices):
    BEFORE_WINDOW = "before_window", _("Valid")
    WINDOW = "window", _("Renewal open")
    GRACE = "grace", _("Expired: in the grace period")
    LAPSED = "lapsed", _("Lapsed: the full course is needed")


def _days_from(moment, days):
    """`days` whole days of 24 hours from the moment. In UTC: Python adds a timedelta to an
    aware datetime on its own wall clock, so the same instant read in St John's or in UTC
    would give answers an hour apart across a change of summer time (Hypothesis found it)."""
    return moment.astimezone(UTC) + timedelta(days=days)


def window_opens(valid_until, certification):
    return _days_from(valid_until, -certification.early_renewal_days)


def grace_until(valid_until, certification):
    return _days_from(valid_until, certification.grace_days)


def term_start(valid_until, certification):
    """When the term ending at valid_until began: what CPD hours are counted from."""
    return add_months(valid_until, -certification.validity_months)


def phase(valid_until, certification, now):
    if now < window_opens(valid_until, certification):
        return Phase.BEFORE_WINDOW
    if now < valid_until:
        return Phase.WINDOW
    if now < grace_until(valid_until, certification):
        return Phase.GRACE
    return Phase.LAPSED


def renewed_until(valid_until, certification, now):
    """The new expiry of a renewal made at `now`: from the old expiry in the window (the
    anniversary kept), from `now` after it (in grace, or by the full course after a lapse)."""
    start = valid_until if now < valid_until else now
    return add_months(start, certification.validity_months)


@dataclass
class Standing:
    """What My certificates says of one certificate's renewal."""

    phase: str
    window_opens: object
    expires: object
    grace_until: object
    cpd_required: Decimal | None = None
    cpd_done: Decimal = Decimal(0)
    pending: list = field(default_factory=list)  # pool sessions waiting for the trainee

    @property
    def has_grace(self):
        return self.grace_until > self.expires

    @property
    def cpd_missing(self):
        if self.cpd_required is None:
            return Decimal(0)
        return max(self.cpd_required - self.cpd_done, Decimal(0))


def standing(certificate, now=None):
    """The certificate's renewal dates and phase (its certification loaded with it)."""
    now = now or timezone.now()
    certification = certificate.certification
    return Standing(
        phase=phase(certificate.valid_until, certification, now),
        window_opens=window_opens(certificate.valid_until, certification),
        expires=certificate.valid_until,
        grace_until=grace_until(certificate.valid_until, certification),
        cpd_required=certification.cpd_hours_required,
    )
