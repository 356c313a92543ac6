"""CPD: hours of training logged towards a certification's renewal (renewal.py).

Quizzes count by themselves: a passed attempt at one of the certification's quizzes or at its
refresher quiz is an entry of settings.CPD_QUIZ_HOURS, confirmed at once, one per attempt (its
source_attempt is unique). A pool session is entered by a coach of the trainee's group and
counts once the trainee has confirmed it: hours someone else typed in do not renew anything
until the person they are about agrees.
"""

from collections import defaultdict
from datetime import date
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext

from certification import renewal
from certification.models import CPD_MAX_HOURS, CPDEntry, CPDKind


class CPDRefused(Exception):
    """The entry cannot be stored or confirmed; the message says why."""


def counted_from(certificate):
    """The first day whose hours count towards renewing this certificate."""
    return timezone.localdate(
        renewal.term_start(certificate.valid_until, certificate.certification)
    )


def hours_done(certificate, *, now=None):
    """Confirmed hours done within the certificate's current term, up to today."""
    now = now or timezone.now()
    total = (
        CPDEntry.objects.confirmed()
        .filter(
            trainee_id=certificate.trainee_id,
            certification_id=certificate.certification_id,
            done_on__gte=counted_from(certificate),
            done_on__lte=timezone.localdate(now),
        )
        .aggregate(total=Sum("hours"))["total"]
    )
    return total or Decimal(0)


def cpd_met(certificate, *, now=None):
    required = certificate.certification.cpd_hours_required
    return required is None or hours_done(certificate, now=now) >= required


def log_quiz_attempt(attempt, certifications):
    """An entry per certification with a CPD rule that the passed attempt counts towards;
    returns the new entries. Called again for the same attempt (a regrade), it adds none."""
    hours = Decimal(str(settings.CPD_QUIZ_HOURS))
    if not attempt.passed or hours <= 0:
        return []
    created = []
    for certification in certifications:
        if certification.cpd_hours_required is None:
            continue
        refresher = certification.refresher_quiz_id == attempt.quiz_id
        try:
            with transaction.atomic():
                entry, made = CPDEntry.objects.get_or_create(
                    source_attempt=attempt,
                    defaults={
                        "trainee_id": attempt.trainee_id,
                        "certification": certification,
                        "hours": hours,
                        "what": attempt.quiz.title[:200],
                        "kind": CPDKind.ONLINE_REFRESHER if refresher else CPDKind.COURSE_QUIZ,
                        "done_on": timezone.localdate(attempt.finished_at),
                        "confirmed_at": attempt.finished_at,
                    },
                )
        except IntegrityError:  # logged a moment ago by another request
            continue
        if made:
            created.append(entry)
        # An attempt counts once: for the first certification it was logged towards.
        break
    return created


def check_hours(value):
    """The hours of one entry as a Decimal, or CPDRefused saying what is wrong."""
    try:
        hours = Decimal(str(value))
    except (InvalidOperation, ValueError) as error:
        raise CPDRefused(gettext("Give the hours as a number, e.g. 1.5.")) from error
    if not hours.is_finite() or hours <= 0:
        raise CPDRefused(gettext("Give the hours as more than 0."))
    if hours > CPD_MAX_HOURS:
        raise CPDRefused(
            gettext("One entry is at most %(hours)s hours: log each day on its own.")
            % {"hours": CPD_MAX_HOURS}
        )
    return hours.quantize(Decimal("0.1"))


def check_done_on(done_on, now=None):
    today = timezone.localdate(now or timezone.now())
    if not isinstance(done_on, date) or done_on > today:
        raise CPDRefused(gettext("The session cannot be dated in the future."))
    return done_on


def log_pool_session(*, coach, trainee, certification, hours, what, done_on, now=None):
    """A pool session a coach enters for a trainee, waiting for the trainee to confirm it."""
    now = now or timezone.now()
    if certification.cpd_hours_required is None:
        raise CPDRefused(gettext("This certification does not ask for logged hours."))
    entry = CPDEntry(
        trainee=trainee,
        certification=certification,
        hours=check_hours(hours),
        what=what,
        kind=CPDKind.POOL_SESSION,
        done_on=check_done_on(done_on, now),
        entered_by=coach,
        entered_at=now,
    )
    entry.full_clean()  # the one-line rule on `what`, the field bounds
    entry.save()
    return entry


def confirm_pool_session(entry, *, now=None):
    """The trainee agrees the session happened: its hours now count, and may be what a
    renewal was waiting for. Confirming twice changes nothing."""
    from certification.services import check_certification  # services imports this module

    now = now or timezone.now()
    with transaction.atomic():
        locked = (
            CPDEntry.objects.select_for_update().select_related("certification").get(pk=entry.pk)
        )
        if locked.confirmed_at is not None:
            return locked
        locked.confirmed_at = now
        locked.save(update_fields=["confirmed_at"])
        check_certification(locked.trainee, locked.certification, now=now)
    return locked


def progress_of(trainee, certificates, now=None):
    """{certificate id: renewal.Standing} with CPD hours done and pool sessions to confirm,
    for the trainee's certificates (their certifications loaded); one query."""
    now = now or timezone.now()
    standings = {c.pk: renewal.standing(c, now) for c in certificates}
    with_rule = [c for c in certificates if c.certification.cpd_hours_required is not None]
    if not with_rule:
        return standings
    entries = defaultdict(list)
    for entry in CPDEntry.objects.filter(
        trainee=trainee, certification_id__in={c.certification_id for c in with_rule}
    ).select_related("entered_by"):
        entries[entry.certification_id].append(entry)
    today = timezone.localdate(now)
    for certificate in with_rule:
        first = counted_from(certificate)
        standing = standings[certificate.pk]
        for entry in entries[certificate.certification_id]:
            if entry.confirmed_at is None:
                standing.pending.append(entry)
            elif first <= entry.done_on <= today:
                standing.cpd_done += entry.hours
    return standings
