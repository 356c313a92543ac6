"""Certification's figures in the club and federation reports (organisations/reports.py), for
every club at once in six queries, however many clubs, groups or trainees.

- certificates valid / expiring / lapsed: certificates held now by people in a group of the
  club, not revoked: valid for more than 60 days, running out within 60 days, or past their
  valid-until date and not renewed. Someone in two clubs counts in both; the federation's total
  counts each certificate once.
- certificates issued, per month: those certificates, in the month they were first issued.
- practicals completed, per month: for a certification assessed in a session, each result in
  which an assessor found the swimmer competent, in the month it was decided, for the club of
  the session's group (a swimmer reassessed and passed twice counts twice: two assessments).
  For a club badge marked at practice: a trainee's practical meeting its pass standard (every
  critical skill and enough of the others with their standing mark "shown", undos applied, as
  services.practical_done reads them; practised-only skills count for nothing), in the month
  of the "shown" that met it (standard.deciding_mark), for the club whose group that mark was
  made in.
"""

from collections import defaultdict
from datetime import timedelta

from django.db.models import Case, Count, DateField, Q, When
from django.db.models.functions import Cast, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certification.models import (
    AssessmentResult,
    Certificate,
    MarkResult,
    PracticalItem,
    PracticalMark,
)
from certification.services import standing_marks
from certification.standard import Skill, deciding_mark
from organisations.reports import EXPIRING_DAYS, Metric, month_start
from training.models import TrainingGroup

METRICS = [
    Metric(
        "practicals",
        _("Practicals completed"),
        _("Practical checklists completed at the pool, in the month of the last skill shown."),
        monthly=True,
    ),
    Metric(
        "certificates_issued",
        _("Certificates issued"),
        _("Certificates of the club’s trainees, in the month they were first issued."),
        monthly=True,
    ),
    Metric(
        "certificates_valid",
        _("Certificates valid"),
        _("Held by the club’s trainees and valid for more than 60 days."),
    ),
    Metric(
        "certificates_expiring",
        _("Certificates expiring within 60 days"),
        _("Held by the club’s trainees and running out within 60 days."),
    ),
    Metric(
        "certificates_lapsed",
        _("Certificates lapsed"),
        _("Held by the club’s trainees, past their valid-until date and not renewed."),
    ),
]
STATES = ["certificates_valid", "certificates_expiring", "certificates_lapsed"]


def figures(club_ids, months, now):
    """{(club_id or None, month or None, key): number} for the report's clubs and months."""
    out = defaultdict(int)
    _certificates(out, club_ids, months, now)
    _practicals(out, club_ids, months)
    return dict(out)


def _certificates(out, club_ids, months, now):
    soon = now + timedelta(days=EXPIRING_DAYS)
    # Each certificate falls in one bucket: the month it was issued in, or none (earlier), so
    # the states add up over the buckets and the issued ones are the dated buckets.
    held = (
        Certificate.objects.filter(
            revoked_at__isnull=True,
            superseded_at__isnull=True,  # a reissue replaces it: count the certificate once
            trainee__memberships__removed_at__isnull=True,
            trainee__memberships__group__club_id__in=club_ids,
        )
        .annotate(
            month=Case(
                When(
                    issued_at__gte=month_start(months[0]),
                    # Cast, not only an output field: inside a CASE, PostgreSQL hands back
                    # DATE_TRUNC's timestamp and no converter turns it into a date.
                    then=Cast(TruncMonth("issued_at"), DateField()),
                ),
                output_field=DateField(),
            )
        )
        .order_by()
    )
    states = {
        "certificates_valid": Count("pk", distinct=True, filter=Q(valid_until__gt=soon)),
        "certificates_expiring": Count(
            "pk", distinct=True, filter=Q(valid_until__gt=now, valid_until__lte=soon)
        ),
        "certificates_lapsed": Count("pk", distinct=True, filter=Q(valid_until__lte=now)),
        "certificates_issued": Count("pk", distinct=True),
    }
    club = "trainee__memberships__group__club_id"
    by_club = held.values(club, "month").annotate(**states).values_list(club, "month", *states)
    for club_id, month, *counts in by_club:
        _add(out, club_id, month, counts)
    # Every club together: each certificate once, whoever trains in two of the clubs.
    for month, *counts in held.values("month").annotate(**states).values_list("month", *states):
        _add(out, None, month, counts)


def _add(out, club_id, month, counts):
    *state_counts, issued = counts
    for key, count in zip(STATES, state_counts, strict=True):
        out[club_id, None, key] += count
    if month is not None:
        out[club_id, month, "certificates_issued"] += issued


def _practicals(out, club_ids, months):
    window = set(months)
    assessed = (
        AssessmentResult.objects.filter(
            passed=True,
            session__group__club_id__in=club_ids,
            session__certification__is_published=True,
            session__certification__assessed_in_session=True,
        )
        .annotate(month=Cast(TruncMonth("decided_at"), DateField()))
        .order_by()  # grouped by club and month only, not by the default ordering
        .values_list("session__group__club_id", "month")
        .annotate(count=Count("pk"))
    )
    for club_id, month, count in assessed:
        if month in window:
            out[club_id, month, "practicals"] += count
    rows = (
        PracticalItem.objects.required()
        .filter(certification__is_published=True, certification__assessed_in_session=False)
        .values_list("pk", "critical", "certification_id", "certification__pass_min_others")
    )
    skills, pass_min_others = defaultdict(list), {}
    for item_id, critical, certification_id, min_others in rows:
        skills[certification_id].append(Skill(item_id, critical))
        pass_min_others[certification_id] = min_others
    # Everyone marked in the clubs' groups; each skill's standing mark, wherever it was made.
    marked = PracticalMark.objects.filter(group__club_id__in=club_ids).values("trainee_id")
    item_ids = [
        skill.pk for certification_skills in skills.values() for skill in certification_skills
    ]
    marks = standing_marks(marked, item_ids)
    shown = defaultdict(dict)
    for (trainee_id, item_id), mark in marks.items():
        if mark.result == MarkResult.SHOWN:
            shown[trainee_id][item_id] = mark
    club_of_group = dict(
        TrainingGroup.objects.filter(club_id__in=club_ids).values_list("pk", "club_id")
    )
    for trainee_shown in shown.values():
        for certification_id, certification_skills in skills.items():
            last = deciding_mark(
                certification_skills,
                trainee_shown,
                pass_min_others=pass_min_others[certification_id],
            )
            if last is None:
                continue
            club_id = club_of_group.get(last.group_id)
            month = timezone.localtime(last.marked_at).date().replace(day=1)
            if club_id is not None and month in window:
                out[club_id, month, "practicals"] += 1
