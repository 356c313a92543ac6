"""The club and federation reports: every figure on a small hand-counted federation
(tests/organisations/report_world.py), the months, the CSV, the sort and the query counts."""

import csv
import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Exists, OuterRef
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from organisations import reports
from organisations.models import Role
from organisations.services import grant_role
from quizzes.models import Attempt, AttemptState, GradingMethod
from quizzes.services import overall_result
from tests.factories import (
    add_single,
    make_club,
    make_group,
    make_lesson,
    make_quiz,
    make_trainee,
    make_user,
)
from tests.organisations.report_world import build_world
from tests.training.conftest import take
from training.progress import Status, group_progress
from training.reports import passing_attempt
from training.services import assign


@pytest.fixture
def world(db):
    return build_world()


def club_url(club, **query):
    return _with(reverse("organisation_reports:club", args=[club.slug]), query)


def federation_url(federation, **query):
    return _with(reverse("organisation_reports:federation", args=[federation.slug]), query)


def _with(url, query):
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def figures(world, *clubs):
    figures_, _ = reports.figures_for([club.pk for club in clubs])
    return figures_


M0, M2, M3, M11 = -1, -3, -4, -12  # indexes into world.months: this month, 2, 3, 11 back

NOW = {
    # key: (club A, club B, the federation's total)
    "trainees": (4, 1, 4),
    "groups": (2, 1, 3),
    "work": (9, 1, 10),
    # swimmer6 passed the quiz two months ago, then joined Alpha squad today: not Alpha's work
    # done (a group's attempts are those made in it, as its dashboard counts them).
    "work_done": (4, 0, 4),
    "work_overdue": (2, 1, 3),  # t6 joined A1 after L was due: not overdue for them
    "certificates_valid": (1, 0, 1),
    "certificates_expiring": (1, 0, 1),
    "certificates_lapsed": (1, 1, 1),
}
MONTHLY = {
    # key: {month index: (club A, club B, total)}; every other month 0
    "theory_passes": {M3: (1, 0, 1), M0: (1, 0, 1)},
    "practicals": {M2: (1, 0, 1), M0: (0, 1, 1)},
    "certificates_issued": {M3: (1, 0, 1), M11: (1, 0, 1)},
}


def test_every_figure_of_each_club_and_of_the_federation(world):
    counted = figures(world, world.a, world.b)
    for key, expected in NOW.items():
        got = tuple(counted[club, None, key] for club in (world.a.pk, world.b.pk, None))
        assert got == expected, key
    for key, by_month in MONTHLY.items():
        for index, month in enumerate(world.months):
            expected = by_month.get(index - len(world.months), (0, 0, 0))
            got = tuple(counted[club, month, key] for club in (world.a.pk, world.b.pk, None))
            assert got == expected, (key, month)
        totals = tuple(counted[club, None, key] for club in (world.a.pk, world.b.pk, None))
        assert totals == tuple(map(sum, zip(*by_month.values(), strict=True))), key


def test_the_months_are_the_last_twelve_oldest_first(world):
    months = world.months
    assert len(months) == 12
    assert all(month.day == 1 for month in months)
    assert months == sorted(months)
    assert months[-1] == reports.last_months(months[-1].replace(day=15))[-1]
    assert reports.last_months(months[-1].replace(month=2, day=3))[0].month == 3


def test_work_agrees_with_the_coach_dashboards(world):
    """Done and overdue (with Failed past its due date) as the dashboards count them."""
    counted = figures(world, world.a, world.b)
    for club, names in ((world.a, ["A1", "A2"]), (world.b, ["B1"])):
        cells = [
            cell
            for name in names
            for row in group_progress(world.groups[name]).rows
            for cell in row.cells
        ]
        # Past due and not done: the dashboard's Overdue, and its Failed once past due.
        late = {Status.OVERDUE, Status.FAILED}
        past_due = [c for name in names for c in _past_due_cells(world.groups[name]) if c in late]
        assert counted[club.pk, None, "work"] == len(cells)
        assert counted[club.pk, None, "work_done"] == sum(cell.done for cell in cells)
        assert counted[club.pk, None, "work_overdue"] == len(past_due)


def _past_due_cells(group):
    """The statuses of the group's cells on assignments already past due."""
    board = group_progress(group)
    now = timezone.now()
    return [
        row.cells[index].status
        for row in board.rows
        for index, column in enumerate(board.columns)
        if column.assignment.is_past_due(now)
    ]


HISTORIES = [
    # (percent, passed, must_pass_met) of each finished attempt, oldest first
    [(40, False, False)],
    [(80, True, True)],
    [(40, False, False), (80, True, True)],
    [(80, True, True), (40, False, False)],
    [(40, False, True), (40, False, False), (90, True, True)],
    [(70, False, False), (70, False, False)],  # the mean passes, no must-pass met
    [(50, False, True), (70, True, True)],  # the mean is exactly the pass mark
    [(59.99, False, True), (60, True, True)],  # the mean, 59.995, rounds to 60.00
    [(59.98, False, True), (60, True, True)],  # 59.99: short
]


@pytest.mark.parametrize("method", list(GradingMethod.values))
def test_a_pass_in_sql_is_a_pass_by_the_quiz_grading_method(db, method):
    quiz = make_quiz(grading_method=method, pass_mark=60, attempts_allowed=None)
    expected = {}
    for number, history in enumerate(HISTORIES):
        trainee = make_trainee(f"history{number}")
        attempts = [
            Attempt.objects.create(
                quiz=quiz, trainee=trainee, number=index, state=AttemptState.FINISHED,
                percent=Decimal(str(percent)), passed=passed, must_pass_met=must_pass,
                pass_mark=60,
            )
            for index, (percent, passed, must_pass) in enumerate(history, start=1)
        ]  # fmt: skip
        # An open attempt after them changes nothing.
        Attempt.objects.create(quiz=quiz, trainee=trainee, number=len(history) + 1, pass_mark=60)
        expected[trainee.pk] = overall_result(method, quiz.pass_mark, attempts).passed
    deciding = Attempt.objects.filter(passing_attempt())
    assert set(deciding.values_list("trainee_id", flat=True)) == {
        pk for pk, passed in expected.items() if passed
    }
    # At most one deciding attempt per trainee and quiz.
    assert deciding.count() == sum(expected.values())
    # With only the methods in use, as the reports build it: the same attempts.
    assert set(Attempt.objects.filter(passing_attempt({method}))) == set(deciding)
    # As the reports ask whether work is done: does a passing attempt exist?
    for first_only in (True, False):
        passed = Attempt.objects.filter(
            passing_attempt({method}, first_only=first_only), trainee_id=OuterRef("pk"), quiz=quiz
        )
        users = get_user_model().objects.filter(pk__in=expected).annotate(passed=Exists(passed))
        assert {user.pk: user.passed for user in users} == expected


def test_club_page_shows_the_club_and_no_trainee(client, world):
    client.force_login(world.people["club_admin_a"])
    response = client.get(club_url(world.a))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Report: Alpha SC" in page
    assert '<span class="report-number">9</span>' in page  # work assigned
    assert "44% of the work assigned" in page  # 4 of 9 done
    assert "22% of the work assigned" in page  # 2 of 9 overdue
    assert '<svg viewBox="0 0 480 220" role="img"' in page
    assert "<desc" in page
    assert "Theory passes" in page
    for trainee in world.trainees.values():
        assert trainee.username not in page


def test_federation_page_has_a_row_per_club_and_the_totals(client, world):
    client.force_login(world.people["federation_admin"])
    response = client.get(federation_url(world.federation))
    page = response.content.decode()
    assert response.status_code == 200
    assert [row.club for row in response.context["rows"]] == [world.a, world.b]
    assert world.c.name not in page
    cells = '<td class="num">{}</td>' * 5
    assert response.context["table"][0].cells.startswith(cells.format(4, 2, 9, 4, 2))
    assert response.context["total_cells"].startswith(cells.format(4, 3, 10, 4, 3))
    assert club_url(world.a) in page  # each club's own report, a click away
    for trainee in world.trainees.values():
        assert trainee.username not in page
        assert trainee.first_name not in page or not trainee.first_name


@pytest.mark.parametrize(
    ("sort", "first"), [("trainees", "a"), ("work_overdue", "a"), ("practicals", "a")]
)
def test_federation_table_sorts_by_a_figure_biggest_first(client, world, sort, first):
    client.force_login(world.people["federation_admin"])
    rows = client.get(federation_url(world.federation, sort=sort)).context["rows"]
    assert rows[0].club == getattr(world, first)


def test_federation_table_sorts_by_name_unless_asked_for_a_known_column(client, world):
    make_club("Aardvark SC", federation=world.federation)
    client.force_login(world.people["federation_admin"])
    for sort in ["", "name", "password", "club__name", "-trainees"]:
        response = client.get(federation_url(world.federation, sort=sort))
        assert [row.club.name for row in response.context["rows"]] == [
            "Aardvark SC",
            "Alpha SC",
            "Bravo SC",
        ]
        assert response.context["sort"] == "name"
    page = client.get(federation_url(world.federation, sort="groups")).content.decode()
    assert 'aria-sort="descending"' in page


def read_csv(response):
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_federation_csv_has_a_header_a_row_per_club_and_month_and_the_totals(client, world):
    client.force_login(world.people["federation_admin"])
    response = client.get(federation_url(world.federation, format="csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = read_csv(response)
    header = rows[0]
    assert header[:2] == ["club", "month"]
    assert set(header[2:]) == {metric.key for metric in reports.metrics()}
    lines = {(row[0], row[1]): dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert len(rows) == 1 + 3 * 13  # A, B and all clubs: now and 12 months each
    assert lines["Alpha SC", ""]["work"] == "9"
    assert lines["All clubs", ""]["trainees"] == "4"
    this_month = world.months[-1].strftime("%Y-%m")
    assert lines["Bravo SC", this_month]["practicals"] == "1"
    assert lines["Bravo SC", this_month]["trainees"] == ""  # a figure now has no month
    assert lines["All clubs", world.months[M3].strftime("%Y-%m")]["theory_passes"] == "1"


def test_club_csv_is_the_clubs_lines_only(client, world):
    client.force_login(world.people["club_admin_b"])
    rows = read_csv(client.get(club_url(world.b, format="csv")))
    assert {row[0] for row in rows[1:]} == {"Bravo SC"}
    assert len(rows) == 1 + 13


def test_csv_cells_a_spreadsheet_would_run_are_quoted(client, world):
    world.a.name = '=HYPERLINK("http://evil.example","Alpha")'
    world.a.save()
    client.force_login(world.people["federation_admin"])
    rows = read_csv(client.get(federation_url(world.federation, format="csv")))
    names = {row[0] for row in rows[1:]}
    assert "'" + world.a.name in names
    assert not any(name.startswith(("=", "+", "-", "@")) for name in names)


def test_figures_are_kept_for_a_few_minutes_then_counted_again(client, world, settings):
    settings.REPORTS_CACHE_SECONDS = 300
    client.force_login(world.people["club_admin_b"])
    assert client.get(club_url(world.b)).context["report"].clubs[0]["trainees"] == 1
    make_group("Bravo juniors", club=world.b, trainees=[make_trainee()])
    # Kept: the same figures, with the time they were counted on the page.
    assert client.get(club_url(world.b)).context["report"].clubs[0]["trainees"] == 1
    settings.REPORTS_CACHE_SECONDS = 0
    assert client.get(club_url(world.b)).context["report"].clubs[0]["trainees"] == 2


# Query counts -----------------------------------------------------------------------------------


def grow(world, clubs, groups_per_club, trainees_per_group):
    """More clubs in the federation, each with groups, trainees, work and passes."""
    lesson = make_lesson(is_published=True)
    quiz = make_quiz(attempts_allowed=None, is_published=True)
    add_single(quiz)
    for c in range(clubs):
        club = make_club(f"Extra club {c}", federation=world.federation)
        grant_role(make_user(), club, Role.CLUB_ADMIN)
        for _g in range(groups_per_club):
            trainees = [make_trainee() for _ in range(trainees_per_group)]
            group = make_group(club=club, trainees=trainees)
            assign(group, lesson)
            assign(group, quiz)
            for trainee in trainees[::2]:
                take(quiz, trainee, right=(1,))


def page_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


@pytest.mark.parametrize("size", ["small", "large"])
def test_reports_take_the_same_number_of_queries_however_many_clubs(
    client, world, settings, django_assert_max_num_queries, size
):
    if size == "large":
        grow(world, clubs=4, groups_per_club=3, trainees_per_group=4)  # 6 clubs, 14 groups
    client.force_login(world.people["federation_admin"])
    settings.REPORTS_CACHE_SECONDS = 0
    # PostgreSQL counts in a transaction of its own with JIT off: three statements more.
    counting = 3 if connection.vendor == "postgresql" else 0
    pages = {
        # The session, the user, their roles, the organisation (and the federation's clubs),
        # then twelve queries of counting: six from training, six from certification.
        federation_url(world.federation): 17 + counting,
        federation_url(world.federation, format="csv", sort="work"): 17 + counting,
        club_url(world.a): 16 + counting,
        reverse("organisation_reports:federation_register", args=[world.federation.slug]): 5,
        reverse("organisation_reports:club_register", args=[world.a.slug]): 5,
    }
    for url, most in pages.items():
        with django_assert_max_num_queries(most):
            assert client.get(url).status_code == 200
    # Kept figures: the page reads them in one query instead of counting.
    settings.REPORTS_CACHE_SECONDS = 300
    page_queries(client, federation_url(world.federation))
    with django_assert_max_num_queries(6):
        assert client.get(federation_url(world.federation)).status_code == 200


def test_query_count_does_not_grow_with_clubs_groups_or_trainees(client, world, settings):
    settings.REPORTS_CACHE_SECONDS = 0
    client.force_login(world.people["federation_admin"])
    url = federation_url(world.federation)
    before = page_queries(client, url)
    grow(world, clubs=4, groups_per_club=2, trainees_per_group=3)
    assert page_queries(client, url) == before
