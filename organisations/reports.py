"""Reports for clubs and federations: counts per club and per month, never anyone's answers.

The figures come from the apps above (training, certification), which register report
providers in their AppConfig.ready(), so organisations imports neither of them:

    register_report_provider(provider, metrics)

    provider(club_ids, months, now) -> {(club_id, month, key): number}

- club_ids: the clubs reported on; months: the first day (a date) of each month in the report,
  oldest first; now: the moment the report is made (aware).
- club_id None: every club asked about together, for figures where adding the clubs up would
  count a person twice (a trainee in two clubs); left out, the clubs are added up.
- month None: the figure now (a "snapshot" metric); a monthly metric answers per month, and
  its total over the months is their sum.

Each provider answers for all the clubs in a fixed number of queries (GROUP BY club and
month), however many clubs, groups or trainees there are. The figures of one set of clubs are
kept in the shared cache for a few minutes: at a federation's size (thousands of groups) they
take far longer to count than to show, and nobody needs them to the second.
"""

import hashlib
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from organisations import access
from organisations.models import Kind, Organisation, Role, StaffRole

MONTHS = 12
# Certificates running out within this many days are "expiring" in the reports (the
# certification app's own warning, 30 days, is for trainees and coaches).
EXPIRING_DAYS = 60
# Part of the cache key: change it when what a figure counts changes.
CACHE_VERSION = 1


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    # One sentence for the page's "what the figures count".
    meaning: str
    monthly: bool = False
    # Shown as a share of another figure (done of the work assigned): its key, and the
    # sentence with a %(percent)s placeholder.
    share_of: str = ""
    share_note: str = ""


_providers = []


def register_report_provider(provider, metrics):
    if all(registered is not provider for registered, _ in _providers):
        _providers.append((provider, list(metrics)))


def metrics():
    return [metric for _, provided in _providers for metric in provided]


def last_months(today, count=MONTHS):
    """The first day of this month and of the count - 1 months before it, oldest first."""
    year, month = today.year, today.month
    months = []
    for _ in range(count):
        months.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def month_start(month):
    """The first moment of a month in the site's time zone."""
    return timezone.make_aware(datetime.combine(month, time.min))


def gather(club_ids, months, now):
    """{(club_id or None, month or None, key): number} from every provider, totals filled in."""
    figures = {}
    with transaction.atomic() if connection.vendor == "postgresql" else nullcontext():
        if connection.vendor == "postgresql":
            # These aggregates take a fraction of a second, but their correlated subqueries
            # make the planner's estimates so large that PostgreSQL would compile each plan
            # first (JIT), which alone took seconds (EXPLAIN ANALYZE at 10x data).
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        for provider, _ in _providers:
            figures.update(provider(club_ids, months, now))
    for metric in metrics():
        key = metric.key
        if metric.monthly:
            for club_id in [*club_ids, None]:
                for month in months:
                    if club_id is None and (None, month, key) not in figures:
                        figures[None, month, key] = sum(
                            figures.get((c, month, key), 0) for c in club_ids
                        )
                    figures.setdefault((club_id, month, key), 0)
                figures[club_id, None, key] = sum(figures[club_id, m, key] for m in months)
        else:
            for club_id in club_ids:
                figures.setdefault((club_id, None, key), 0)
            if (None, None, key) not in figures:
                figures[None, None, key] = sum(figures[c, None, key] for c in club_ids)
    return figures


def _cache_key(club_ids, today):
    clubs = ",".join(str(pk) for pk in sorted(club_ids))
    digest = hashlib.sha256(clubs.encode()).hexdigest()[:32]
    return f"organisation-report:{CACHE_VERSION}:{today.isoformat()}:{digest}"


def figures_for(club_ids, *, now=None):
    """(figures, when they were counted) for these clubs, counted again after a few minutes."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    months = last_months(today)
    seconds = settings.REPORTS_CACHE_SECONDS
    key = _cache_key(club_ids, today)
    if seconds:
        kept = cache.get(key)
        if kept is not None:
            return kept
    counted = (gather(list(club_ids), months, now), now)
    if seconds:
        cache.set(key, counted, seconds)
    return counted


# What the pages show ------------------------------------------------------------------------


@dataclass
class Row:
    """One club (or every club together) in a report: figures now and per month."""

    club: Organisation | None
    values: dict  # key -> number now (monthly metrics: over the report's months)
    monthly: dict  # key -> [number per month]

    def __getitem__(self, key):
        return self.values[key]

    def share(self, key, of):
        """A whole percentage of one figure in another (done of the work assigned)."""
        total = self.values.get(of) or 0
        return round(100 * self.values.get(key, 0) / total) if total else 0


@dataclass
class Report:
    clubs: list  # [Row], one per club
    total: Row
    months: list
    counted_at: datetime
    metrics: list = field(default_factory=list)

    @property
    def snapshot_metrics(self):
        return [metric for metric in self.metrics if not metric.monthly]

    @property
    def monthly_metrics(self):
        return [metric for metric in self.metrics if metric.monthly]


def _row(club, club_id, figures, months, every):
    values = {metric.key: figures.get((club_id, None, metric.key), 0) for metric in every}
    monthly = {
        metric.key: [figures.get((club_id, month, metric.key), 0) for month in months]
        for metric in every
        if metric.monthly
    }
    return Row(club, values, monthly)


def build_report(clubs, *, now=None):
    """The report of these clubs: a row per club (in the order given) and the total."""
    clubs = list(clubs)
    figures, counted_at = figures_for([club.pk for club in clubs], now=now)
    months = last_months(timezone.localdate(counted_at))
    every = metrics()
    return Report(
        clubs=[_row(club, club.pk, figures, months, every) for club in clubs],
        total=_row(None, None, figures, months, every),
        months=months,
        counted_at=counted_at,
        metrics=every,
    )


@dataclass(frozen=True)
class Figure:
    """One figure now, as the page shows it: the number and, for some, its share of another."""

    metric: Metric
    value: int
    note: str = ""


def figures_now(report, row):
    """The figures now (not the monthly ones) of one row, with their shares in words."""
    return [
        Figure(
            metric,
            row.values[metric.key],
            str(metric.share_note) % {"percent": row.share(metric.key, metric.share_of)}
            if metric.share_of
            else "",
        )
        for metric in report.snapshot_metrics
    ]


# The federation's table sorts by its club's name or by one figure, biggest first.
SORT_BY_NAME = "name"


def sort_keys():
    return [SORT_BY_NAME, *(metric.key for metric in metrics())]


def sorted_rows(rows, sort):
    """Rows by club name, or by a figure (biggest first, then name); anything else: by name."""
    by_name = sorted(rows, key=lambda row: row.club.name.casefold())
    if sort == SORT_BY_NAME or sort not in sort_keys():
        return by_name
    return sorted(by_name, key=lambda row: -row.values[sort])


# Who may read what ----------------------------------------------------------------------------


def get_club_for_report(user, slug):
    """A club whose report the person may read (its club admins, its federation's admins), or
    404: every other club does not exist for them."""
    return get_object_or_404(access.reportable_clubs(user).select_related("federation"), slug=slug)


def get_federation_for_report(user, slug):
    """A federation the person is a federation admin of now, or 404."""
    administered = access.organisations_where(user, Role.FEDERATION_ADMIN)
    return get_object_or_404(
        Organisation.objects.federations().filter(pk__in=administered), slug=slug
    )


def clubs_of(federation):
    return list(Organisation.objects.clubs().filter(federation=federation).order_by("name"))


# The staff register ---------------------------------------------------------------------------

# Who runs the organisation first: federation admins, club admins, coaches, assessors.
ROLE_ORDER = [Role.FEDERATION_ADMIN, Role.CLUB_ADMIN, Role.COACH, Role.ASSESSOR]


def staff_register(organisation):
    """Every role held in the organisation, running and ended; a federation's register holds
    its own roles and its clubs', the federation first, then the clubs by name."""
    if organisation.kind == Kind.FEDERATION:
        where = Q(organisation=organisation) | Q(organisation__federation=organisation)
    else:
        where = Q(organisation=organisation)
    roles = list(
        StaffRole.objects.filter(where)
        .select_related("person", "organisation")
        .only(
            "role", "granted_at", "ended_at", "organisation__name", "organisation__kind",
            "person__username", "person__first_name", "person__last_name",
        )
    )  # fmt: skip
    rank = {role: index for index, role in enumerate(ROLE_ORDER)}
    roles.sort(
        key=lambda r: (
            r.organisation.kind != Kind.FEDERATION,
            r.organisation.name.casefold(),
            r.organisation_id,
            rank.get(r.role, len(rank)),
            r.ended_at is not None,
            (r.person.get_full_name() or r.person.username).casefold(),
            r.granted_at,
        )
    )
    return roles
