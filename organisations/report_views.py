"""The reports of a club and of a federation, and the staff register, as pages and CSV.

Who may read which is decided once, in organisations/reports.py (get_club_for_report,
get_federation_for_report): anybody else gets a 404. The reports hold counts only, never a
trainee's name or answers; the register names staff, which is what it is for.
"""

import csv
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, pgettext
from django.views.decorators.http import require_safe

from crampcourse.routers import stale_reads_ok
from organisations import access, charts, reports
from organisations.models import Role

# Spreadsheets run cells starting with these as formulas (a club named "=HYPERLINK(…)").
CSV_INJECTION_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value):
    """A cell as text, quoted with an apostrophe when a spreadsheet would run it."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(CSV_INJECTION_PREFIXES) else text


def _csv_response(filename, header, rows):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # A byte order mark first: Excel otherwise reads UTF-8 as Latin-1 and mangles "Ääkkönen".
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([csv_safe(cell) for cell in header])
    for row in rows:
        writer.writerow([csv_safe(cell) for cell in row])
    return response


def _wants_csv(request):
    return request.GET.get("format") == "csv"


# The reports ------------------------------------------------------------------------------------


def _monthly_charts(report, row):
    labels = [date_format(month, "M") for month in report.months]
    names = [date_format(month, "YEAR_MONTH_FORMAT") for month in report.months]
    return [
        charts.bar_chart(metric.key, metric.label, row.monthly[metric.key], labels, names)
        for metric in report.monthly_metrics
    ]


def _month_rows(report, row):
    """[(month, [value per monthly metric])] for the table under the charts."""
    return [
        (month, [row.monthly[metric.key][index] for metric in report.monthly_metrics])
        for index, month in enumerate(report.months)
    ]


def _report_csv(report, rows, *, filename, with_total):
    """One line per club with the figures now (monthly ones: their total over the months), then
    one per club and month; then the same for every club together."""
    header = ["club", "month", *(metric.key for metric in report.metrics)]
    lines = []
    everyone = gettext("All clubs")
    for row in [*rows, *([report.total] if with_total else [])]:
        name = row.club.name if row.club is not None else everyone
        lines.append([name, "", *(row.values[metric.key] for metric in report.metrics)])
        for index, month in enumerate(report.months):
            lines.append(
                [
                    name,
                    month.strftime("%Y-%m"),
                    *(
                        row.monthly[metric.key][index] if metric.monthly else ""
                        for metric in report.metrics
                    ),
                ]
            )
    return _csv_response(filename, header, lines)


def _stamp():
    return timezone.localdate().isoformat()


@login_required
@require_safe
def club_report(request, slug):
    club = reports.get_club_for_report(request.user, slug)
    # Who may see it was just read from the primary; the figures may be a moment old.
    with stale_reads_ok():
        report = reports.build_report([club])
    (row,) = report.clubs
    if _wants_csv(request):
        filename = f"report-{club.slug}-{_stamp()}.csv"
        return _report_csv(report, [row], filename=filename, with_total=False)
    federation_link = club.federation_id is not None and access.holds(
        request.user, Role.FEDERATION_ADMIN, club.federation
    )
    return render(
        request,
        "organisations/reports/club.html",
        {
            "club": club,
            "report": report,
            "figures": reports.figures_now(report, row),
            "federation_link": federation_link,
            "charts": _monthly_charts(report, row),
            "month_rows": _month_rows(report, row),
            "expiring_days": reports.EXPIRING_DAYS,
        },
    )


@dataclass(frozen=True)
class _Column:
    key: str
    label: str
    numeric: bool = True
    monthly: bool = False

    @property
    def direction(self):
        """How the table is sorted by this column (aria-sort): names A to Z, figures biggest
        first."""
        return "descending" if self.numeric else "ascending"


@dataclass(frozen=True)
class _TableRow:
    club: object
    url: str
    cells: str  # the row's figures as table cells


def _columns(report):
    return [
        _Column(reports.SORT_BY_NAME, gettext("Club"), numeric=False),
        *(_Column(m.key, m.label, monthly=m.monthly) for m in report.metrics),
    ]


def _cells(report, row):
    """The row's figures as <td> cells, written here in one go: a federation's table is
    hundreds of numbers, which the template engine would render one variable at a time."""
    # Safe: whole numbers only.
    return mark_safe(
        "".join(f'<td class="num">{int(row.values[metric.key])}</td>' for metric in report.metrics)
    )


def _table(report, rows):
    # The club's address with a stand-in slug, filled in per club: one reverse() for all.
    pattern = reverse("organisation_reports:club", args=["club-slug"])
    return [
        _TableRow(row.club, pattern.replace("club-slug", row.club.slug), _cells(report, row))
        for row in rows
    ]


@login_required
@require_safe
def federation_report(request, slug):
    federation = reports.get_federation_for_report(request.user, slug)
    with stale_reads_ok():
        report = reports.build_report(reports.clubs_of(federation))
    sort = request.GET.get("sort", reports.SORT_BY_NAME)
    if sort not in reports.sort_keys():
        sort = reports.SORT_BY_NAME
    rows = reports.sorted_rows(report.clubs, sort)
    if _wants_csv(request):
        filename = f"report-{federation.slug}-{_stamp()}.csv"
        return _report_csv(report, rows, filename=filename, with_total=True)
    return render(
        request,
        "organisations/reports/federation.html",
        {
            "federation": federation,
            "report": report,
            "figures": reports.figures_now(report, report.total),
            "rows": rows,
            "columns": _columns(report),
            "table": _table(report, rows),
            "total_cells": _cells(report, report.total),
            "sort": sort,
            "charts": _monthly_charts(report, report.total),
            "month_rows": _month_rows(report, report.total),
            "expiring_days": reports.EXPIRING_DAYS,
        },
    )


# The staff register -------------------------------------------------------------------------


def _register(request, organisation):
    roles = reports.staff_register(organisation)
    if _wants_csv(request):
        # The register's columns are words a club reads (the reports' are figures' keys).
        header = [
            pgettext("CSV column", "organisation"),
            pgettext("CSV column", "name"),
            pgettext("CSV column", "username"),
            pgettext("CSV column", "role"),
            pgettext("CSV column", "since"),
            pgettext("CSV column", "until"),
        ]
        lines = [
            [
                staff_role.organisation.name,
                staff_role.person.get_full_name(),
                staff_role.person.username,
                staff_role.get_role_display(),
                timezone.localdate(staff_role.granted_at).isoformat(),
                timezone.localdate(staff_role.ended_at).isoformat() if staff_role.ended_at else "",
            ]
            for staff_role in roles
        ]
        filename = f"staff-register-{organisation.slug}-{_stamp()}.csv"
        return _csv_response(filename, header, lines)
    return render(
        request,
        "organisations/reports/register.html",
        {
            "organisation": organisation,
            "roles": roles,
            "running": sum(staff_role.ended_at is None for staff_role in roles),
        },
    )


@login_required
@require_safe
def club_register(request, slug):
    return _register(request, reports.get_club_for_report(request.user, slug))


@login_required
@require_safe
def federation_register(request, slug):
    return _register(request, reports.get_federation_for_report(request.user, slug))
