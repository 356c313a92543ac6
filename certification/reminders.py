"""Reminder mail: work due within 48 hours, overdue work, a certificate's renewal dates (its
early-renewal window opening, its expiry, its grace period ending), and a weekly digest for
coaches. Safe to run every 15 minutes on several servers:
each reminder has a key, claimed in SentReminder (unique) before its mail goes."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext, ngettext, pgettext

from certification import renewal
from certification.models import EXPIRY_WARNING_DAYS, Certificate, Certification, SentReminder
from certification.selectors import with_language
from certification.services import assign_refreshers
from crampcourse import verification
from crampcourse.languages import speaking_to
from training.models import Assignment, Membership, TrainingGroup
from training.progress import Status, cells_by_group

DUE_SOON = timedelta(hours=48)
# Work or certificates that ran out longer ago than this get no reminder: a first run on an
# old database should not mail about last year's homework.
LOOK_BACK = timedelta(days=7)
# The grace period's end is announced this long before it: time to book the re-check.
GRACE_ENDING_NOTICE = timedelta(days=7)


@dataclass
class Reminder:
    key: str
    user: object
    kind: str
    subject: str
    lines: list
    link: str
    extra: dict = field(default_factory=dict)


@dataclass
class SendReport:
    sent: list = field(default_factory=list)
    already_sent: int = 0
    failed: list = field(default_factory=list)
    refreshers: int = 0


def absolute(path):
    return settings.SITE_URL.rstrip("/") + path


def wants_mail(user):
    """Has a confirmed address and has not turned reminders off (no preference row: on)."""
    preference = getattr(user, "reminder_preference", None)
    return verification.is_verified(user) and (preference is None or preference.email_reminders)


def for_mail(path):
    """What to select_related (or prefetch) so the users at `path` come with all that wants_mail
    and speaking_to read: the reminder choice, the confirmed address, the saved language."""
    proof = verification.related_name()
    return [
        f"{path}__reminder_preference",
        *with_language(path),
        *([f"{path}__{proof}"] if proof else []),
    ]


def _stamp(moment):
    return timezone.localtime(moment).strftime("%Y%m%dT%H%M")


def _when(moment):
    """ "Monday 3 Jun 2026, 10:00", in the language spoken now (the reader's)."""
    # Translators: a date format (Django's "date" filter) for a date and time in a reminder;
    # in Russian, "j E Y, H:i" reads "3 июня 2026, 10:00" (after «до» too).
    return date_format(timezone.localtime(moment), pgettext("reminder date", "l j M Y, H:i"))


def _hours(hours):
    """CPD hours as the reader writes numbers: 6.0, or 6,0 in Russian."""
    return number_format(hours)


def assignment_reminders(now):
    """Due within 48 hours and not done; overdue (within the last week) and not done."""
    assignments = list(
        Assignment.objects.filter(due_at__gt=now - LOOK_BACK, due_at__lte=now + DUE_SOON)
        .select_related("lesson__course", "quiz", "group")
        .order_by("group_id", "due_at", "pk")
    )
    by_group = defaultdict(list)
    for assignment in assignments:
        by_group[assignment.group_id].append(assignment)
    memberships = (
        Membership.objects.active()
        .filter(group_id__in=by_group)
        .select_related(*for_mail("trainee"))
    )
    trainees = {}
    joined = defaultdict(dict)  # only those who take mail
    for membership in memberships:
        if wants_mail(membership.trainee):
            trainees[membership.trainee_id] = membership.trainee
            joined[membership.group_id][membership.trainee_id] = membership.joined_at
    # Each group's work as its dashboard shows it: attempts made since joining it.
    cells = cells_by_group(assignments, joined, now=now)
    reminders = []
    for group_id, group_assignments in by_group.items():
        for trainee_id in joined.get(group_id, ()):
            trainee = trainees[trainee_id]
            for assignment in group_assignments:
                cell = cells[group_id][trainee.pk, assignment.pk]
                if cell.done or cell.status == Status.FAILED:
                    continue
                overdue = assignment.due_at <= now
                kind = "overdue" if overdue else "due_soon"
                with speaking_to(trainee):
                    subject, lines = _assignment_mail(assignment, overdue)
                reminders.append(
                    Reminder(
                        key=f"{kind}:{assignment.pk}:{trainee.pk}:{_stamp(assignment.due_at)}",
                        user=trainee,
                        kind=kind,
                        subject=subject,
                        lines=lines,
                        link=absolute(assignment.item.get_absolute_url()),
                    )
                )
    return reminders


def _assignment_mail(assignment, overdue):
    """(subject, lines) of a reminder about one assignment, in the language spoken now."""
    values = {
        "title": assignment.title,
        "group": assignment.group.name,
        "when": _when(assignment.due_at),
    }
    if overdue:
        return gettext("Overdue: %(title)s") % values, [
            gettext("“%(title)s” for %(group)s was due %(when)s.") % values,
            gettext("It is still open for you: finish it as soon as you can."),
        ]
    return gettext("Due soon: %(title)s") % values, [
        gettext("“%(title)s” for %(group)s is due %(when)s.") % values,
        gettext("You have not finished it yet."),
    ]


def certificate_reminders(now):
    """A certificate's renewal dates (renewal.py), each its own reminder with its own key: the
    early-renewal window has opened ("expiring", the key it has always had), it has expired
    (within the last week), its grace period ends within GRACE_ENDING_NOTICE. A renewal moves
    the expiry, and with it every key, so the next term is reminded afresh."""
    widest = Certification.objects.aggregate(
        early=Max("early_renewal_days"), grace=Max("grace_days")
    )
    certificates = (
        Certificate.objects.active()
        .filter(
            valid_until__gt=now - LOOK_BACK - timedelta(days=widest["grace"] or 0),
            valid_until__lte=now + timedelta(days=widest["early"] or 0),
        )
        .select_related("certification", *for_mail("trainee"))
    )
    link = absolute(reverse("certification:my_certificates"))
    reminders = []
    for certificate in certificates:
        if not wants_mail(certificate.trainee):
            continue
        with speaking_to(certificate.trainee):
            due = _renewal_mail(certificate, now)
        for kind, subject, lines in due:
            reminders.append(
                Reminder(
                    key=f"{kind}:{certificate.pk}:{_stamp(certificate.valid_until)}",
                    user=certificate.trainee,
                    kind=kind,
                    subject=subject,
                    lines=lines,
                    link=link,
                )
            )
    return reminders


def _renewal_mail(certificate, now):
    """[(kind, subject, lines)] due for one certificate now, in the language spoken now."""
    certification = certificate.certification
    expires = certificate.valid_until
    grace_until = renewal.grace_until(expires, certification)
    phase = renewal.phase(expires, certification, now)
    values = {
        "title": certification.title,
        "expires": _when(expires),
        "grace_until": _when(grace_until),
    }
    cpd = (
        [
            gettext(
                "It also needs %(hours)s hours of logged training (CPD): see your progress on "
                "My certificates."
            )
            % {"hours": _hours(certification.cpd_hours_required)}
        ]
        if certification.cpd_hours_required is not None
        else []
    )
    due = []
    if phase == renewal.Phase.WINDOW:
        due.append(
            (
                "expiring",
                gettext("Your %(title)s certificate expires soon") % values,
                [
                    gettext(
                        "Your certificate “%(title)s” expires %(expires)s. You can renew it "
                        "now: pass the refresher quiz and show your coach the practical skills "
                        "again at the pool. Renewed before it expires, the new term runs from "
                        "that date, so you keep your anniversary."
                    )
                    % values,
                    *cpd,
                ],
            )
        )
    if expires <= now < expires + LOOK_BACK:
        after = (
            gettext(
                "You can still renew it until %(grace_until)s: pass the refresher quiz and show "
                "your coach the practical skills again at the pool. After that the full course "
                "is needed."
            )
            % values
            if grace_until > expires
            else gettext(
                "To renew it, take the course again: pass its quizzes and show the practical "
                "skills at the pool."
            )
        )
        due.append(
            (
                "expired",
                gettext("Your %(title)s certificate has expired") % values,
                [gettext("Your certificate “%(title)s” expired %(expires)s.") % values, after],
            )
        )
    if phase == renewal.Phase.GRACE and now >= grace_until - GRACE_ENDING_NOTICE:
        due.append(
            (
                "grace_ending",
                gettext("Last days to renew your %(title)s certificate") % values,
                [
                    gettext(
                        "The grace period of your certificate “%(title)s” ends "
                        "%(grace_until)s. Until then you can renew it: pass the refresher quiz "
                        "and show your coach the practical skills again at the pool."
                    )
                    % values,
                    gettext(
                        "After that the refresher no longer renews it: the full course is needed."
                    ),
                    *cpd,
                ],
            )
        )
    return due


def digest_reminders(now):
    """One digest a week per coach: overdue work, certificates running out, and trainees
    without an email address (who get no reminders)."""
    year, week, _ = timezone.localtime(now).isocalendar()
    suffix = f"{year}-W{week:02d}"
    # Runs every 15 minutes: only coaches whose digest for this week has not gone yet.
    done = SentReminder.objects.filter(kind="digest", key__endswith=f":{suffix}").values("user_id")
    coaches = get_user_model().objects.filter(coached_groups__isnull=False).exclude(pk__in=done)
    groups = list(
        TrainingGroup.objects.filter(coaches__in=coaches)
        .distinct()
        .prefetch_related(*for_mail("coaches"))
    )
    memberships = Membership.objects.active().filter(group__in=groups).select_related("trainee")
    trainees_by_group = defaultdict(list)
    joined = defaultdict(dict)
    for membership in memberships:
        trainees_by_group[membership.group_id].append(membership.trainee)
        joined[membership.group_id][membership.trainee_id] = membership.joined_at
    overdue = _overdue_counts(groups, joined, now)
    soon = now + timedelta(days=EXPIRY_WARNING_DAYS)
    running_out = defaultdict(list)
    for certificate in (
        Certificate.objects.active()
        .filter(valid_until__lte=soon, trainee__memberships__group__in=groups)
        .select_related("certification", "trainee")
        .distinct()
    ):
        running_out[certificate.trainee_id].append(certificate)
    waiting = set(coaches.values_list("pk", flat=True))
    by_coach = defaultdict(list)
    for group in groups:
        for coach in group.coaches.all():
            if coach.pk in waiting:
                by_coach[coach].append(group)
    reminders = []
    for coach, coach_groups in by_coach.items():
        if not wants_mail(coach):
            continue
        with speaking_to(coach):
            reminders.append(
                _digest(
                    coach,
                    coach_groups,
                    suffix,
                    week,
                    now,
                    trainees_by_group=trainees_by_group,
                    overdue=overdue,
                    running_out=running_out,
                )
            )
    return reminders


def _digest(coach, coach_groups, suffix, week, now, *, trainees_by_group, overdue, running_out):
    """One coach's weekly digest, in the language spoken now."""
    lines, sections = [], []
    for group in coach_groups:
        trainees = trainees_by_group[group.pk]
        late = [(t, overdue[group.pk, t.pk]) for t in trainees if overdue[group.pk, t.pk]]
        ending = [c for t in trainees for c in running_out[t.pk]]
        no_email = [t for t in trainees if not t.email]
        sections.append(
            {
                "group": group.name,
                "overdue": [
                    ngettext("%(name)s: %(count)d overdue", "%(name)s: %(count)d overdue", n)
                    % {"name": _name(t), "count": n}
                    for t, n in late
                ],
                "certificates": [_running_out_line(c, now) for c in ending],
                "no_email": [_name(t) for t in no_email],
            }
        )
    for section in sections:
        lines.append(f"{section['group']}:")
        lines += [f"  - {line}" for line in section["overdue"]] or [
            "  - " + gettext("nothing overdue")
        ]
        lines += [f"  - {line}" for line in section["certificates"]]
        if section["no_email"]:
            lines.append(
                "  - "
                + gettext("no email address (they get no reminders): %(names)s")
                % {"names": ", ".join(section["no_email"])}
            )
    return Reminder(
        key=f"digest:{coach.pk}:{suffix}",
        user=coach,
        kind="digest",
        subject=gettext("Your groups this week (week %(week)s)") % {"week": week},
        lines=lines,
        link=absolute(reverse("training:coach_groups")),
        extra={"sections": sections},
    )


def _running_out_line(certificate, now):
    values = {
        "name": _name(certificate.trainee),
        "title": certificate.certification.title,
        "when": _when(certificate.valid_until),
    }
    if certificate.valid_until <= now:
        return gettext("%(name)s: %(title)s expired %(when)s") % values
    return gettext("%(name)s: %(title)s expires %(when)s") % values


def _name(user):
    return user.get_full_name() or user.get_username()


def _overdue_counts(groups, joined, now):
    """{(group id, trainee id): overdue assignments}, in four queries whatever the numbers.

    joined: {group id: {trainee id: joined_at}}."""
    assignments = Assignment.objects.filter(group__in=groups, due_at__lt=now).select_related(
        "quiz", "lesson"
    )
    counts = defaultdict(int)
    for group_id, cells in cells_by_group(list(assignments), joined, now=now).items():
        for (trainee_id, _), cell in cells.items():
            counts[group_id, trainee_id] += cell.status == Status.OVERDUE
    return counts


def render_mail(reminder):
    context = {
        "reminder": reminder,
        "name": _name(reminder.user),
        "settings_link": absolute(reverse("certification:reminder_settings")),
    }
    with speaking_to(reminder.user):
        text = render_to_string("certification/email/reminder.txt", context)
        html = render_to_string("certification/email/reminder.html", context)
    message = EmailMultiAlternatives(reminder.subject, text, to=[reminder.user.email])
    message.attach_alternative(html, "text/html")
    return message


def claim(reminder, now):
    """True if this run may send it: the unique key lets one run, on one server, claim it."""
    try:
        with transaction.atomic():
            SentReminder.objects.create(
                key=reminder.key, user=reminder.user, kind=reminder.kind, sent_at=now
            )
    except IntegrityError:
        return False
    return True


def send_reminders(*, now=None):
    """Assign due refreshers, then send every reminder not sent before; returns a SendReport."""
    now = now or timezone.now()
    report = SendReport(refreshers=len(assign_refreshers(now=now)))
    reminders = assignment_reminders(now) + certificate_reminders(now) + digest_reminders(now)
    already = set(
        SentReminder.objects.filter(key__in=[r.key for r in reminders]).values_list(
            "key", flat=True
        )
    )
    with get_connection() as connection:
        for reminder in reminders:
            if reminder.key in already or not claim(reminder, now):
                report.already_sent += 1
                continue
            message = render_mail(reminder)
            message.connection = connection
            try:
                message.send()
            except OSError as error:
                # Not sent: release the claim so the next run tries again.
                SentReminder.objects.filter(key=reminder.key).delete()
                report.failed.append((reminder.key, str(error)))
                continue
            report.sent.append(reminder)
    return report
