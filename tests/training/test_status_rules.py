"""What the coach's dashboard says about each trainee on each assignment."""

from datetime import UTC, datetime, timedelta

import pytest

from lessons.services import mark_lesson_read, mark_lesson_started
from quizzes.models import GradingMethod
from tests.training.conftest import take
from training.progress import Status, progress_cells, work_of_trainee
from training.services import assign, set_override

# A fixed clock, passed to everything that reads one (not the time the module was imported,
# which a long run leaves behind).
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
PAST = NOW - timedelta(days=1)
FUTURE = NOW + timedelta(days=1)


@pytest.fixture(autouse=True)
def joined_long_ago(request):
    """The trainee joined the group a year ago: work due yesterday was due while they were in
    it (work due before someone joined is never overdue for them; tested at the end)."""
    if "group" in request.fixturenames:
        group = request.getfixturevalue("group")
        group.memberships.update(joined_at=NOW - timedelta(days=365))


def cell(trainee, assignment, now=NOW):
    return progress_cells([trainee.pk], [assignment], now=now)[trainee.pk, assignment.pk]


def my_cell(trainee, now=NOW):
    """The same cell as "my assignments" works it out (the reading comes with the assignment)."""
    [item] = work_of_trainee(trainee, now=now).items
    return item.cell


@pytest.mark.parametrize(
    ("reading", "due", "expected"),
    [
        (None, None, Status.NOT_STARTED),
        (None, FUTURE, Status.NOT_STARTED),
        (None, PAST, Status.OVERDUE),
        ("opened", None, Status.IN_PROGRESS),
        ("opened", PAST, Status.OVERDUE),
        ("read", PAST, Status.READ),
        ("read", None, Status.READ),
    ],
)
def test_lesson_status(group, trainee, lesson, reading, due, expected):
    if reading == "opened":
        mark_lesson_started(trainee, lesson)
    elif reading == "read":
        mark_lesson_read(trainee, lesson)
    assignment = assign(group, lesson, due_at=due)
    found = cell(trainee, assignment)
    assert found.status == expected
    assert found.done == (expected == Status.READ)
    assert my_cell(trainee) == found


def test_quiz_not_started_then_in_progress(group, trainee, quiz):
    assignment = assign(group, quiz, due_at=FUTURE)
    assert cell(trainee, assignment).status == Status.NOT_STARTED
    take(quiz, trainee, now=NOW, submit=False)
    assert cell(trainee, assignment).status == Status.IN_PROGRESS


def test_quiz_passed_shows_the_score(group, trainee, quiz):
    assignment = assign(group, quiz)
    take(quiz, trainee, now=NOW, right=(1, 2))
    found = cell(trainee, assignment)
    assert found.status == Status.PASSED
    assert found.percent == 100
    assert found.done


def test_failed_with_attempts_left_before_due_date_is_not_passed_yet(group, trainee, quiz):
    assignment = assign(group, quiz, due_at=FUTURE)
    take(quiz, trainee, now=NOW, right=(1,))
    found = cell(trainee, assignment)
    assert (found.status, found.percent, found.done) == (Status.NOT_PASSED, 20, False)
    assert found.label == "Not passed yet"


def test_failed_with_attempts_left_after_due_date_is_overdue(group, trainee, quiz):
    assignment = assign(group, quiz, due_at=PAST)
    take(quiz, trainee, now=NOW, right=(1,))
    assert cell(trainee, assignment).status == Status.OVERDUE


def test_failed_with_no_attempts_left_stays_failed_after_due_date(group, trainee, quiz):
    assignment = assign(group, quiz, due_at=PAST)
    take(quiz, trainee, now=NOW, right=(1,))
    take(quiz, trainee, now=NOW, right=(1,))
    assert cell(trainee, assignment).status == Status.FAILED


def test_an_extra_attempt_from_the_coach_turns_failed_into_overdue(group, trainee, quiz, coach):
    assignment = assign(group, quiz, due_at=PAST)
    take(quiz, trainee, now=NOW, right=(1,))
    take(quiz, trainee, now=NOW, right=(1,))
    assert my_cell(trainee).status == Status.FAILED
    set_override(assignment, trainee, extra_attempts=1, granted_by=coach)
    assert cell(trainee, assignment).status == Status.OVERDUE
    assert my_cell(trainee).status == Status.OVERDUE


def test_extra_attempts_are_read_only_for_a_trainee_out_of_attempts(
    group, trainee, quiz, coach, django_assert_num_queries
):
    assignment = assign(group, quiz, due_at=PAST)  # two attempts allowed
    set_override(assignment, trainee, extra_attempts=1, granted_by=coach)
    take(quiz, trainee, now=NOW, right=(1,))
    with django_assert_num_queries(1):  # the attempts: one is left, so the extra cannot matter
        assert cell(trainee, assignment).status == Status.OVERDUE
    take(quiz, trainee, now=NOW, right=(1,))
    with django_assert_num_queries(2):  # both used: the extra one decides
        assert cell(trainee, assignment).status == Status.OVERDUE
    assert my_cell(trainee).status == Status.OVERDUE


def test_passing_late_counts_as_passed(group, trainee, quiz):
    assignment = assign(group, quiz, due_at=PAST)
    take(quiz, trainee, now=NOW, right=(1, 2))
    assert cell(trainee, assignment).status == Status.PASSED


@pytest.mark.parametrize(
    ("method", "status", "percent"),
    [
        (GradingMethod.HIGHEST, Status.PASSED, 100),
        (GradingMethod.FIRST, Status.PASSED, 100),
        (GradingMethod.LAST, Status.FAILED, 20),
        (GradingMethod.AVERAGE, Status.PASSED, 60),
    ],
)
def test_grading_method_decides_status_and_score(group, trainee, quiz, method, status, percent):
    """First attempt 100%, second 20% (the escape steps left blank)."""
    quiz.grading_method = method
    quiz.save()
    assignment = assign(group, quiz)
    take(quiz, trainee, now=NOW, right=(1, 2))
    take(quiz, trainee, now=NOW, right=(1,))
    found = cell(trainee, assignment)
    assert (found.status, found.percent) == (status, percent)


def test_average_needs_the_must_pass_question_right_once(group, trainee, quiz):
    """20% clears a 10% pass mark, but the escape steps (must pass) were never right."""
    quiz.grading_method = GradingMethod.AVERAGE
    quiz.pass_mark = 10
    quiz.save()
    assignment = assign(group, quiz)
    take(quiz, trainee, now=NOW, right=(1,), reverse_order=True)
    found = cell(trainee, assignment)
    assert found.percent == 20
    assert found.status == Status.NOT_PASSED  # one attempt of two: not failed for good yet


def test_work_due_before_someone_joined_is_not_overdue_for_them(client, coach, group, lesson):
    from django.urls import reverse

    from tests.factories import make_trainee
    from training.progress import group_progress

    assignment = assign(group, lesson, due_at=PAST - timedelta(days=10))
    newcomer = make_trainee("newcomer")
    group.memberships.create(trainee=newcomer)  # joined today, after the due date
    old_hand = group.memberships.exclude(trainee=newcomer).get().trainee
    group.memberships.filter(trainee=old_hand).update(joined_at=PAST - timedelta(days=30))
    rows = {row.trainee.username: row for row in group_progress(group, now=NOW).rows}
    assert rows["newcomer"].overdue == 0
    assert rows[old_hand.username].overdue == 1
    [item] = work_of_trainee(newcomer, now=NOW).items
    assert item.cell.status == Status.NOT_STARTED  # to do, not red
    # The coach hears at once that the date they chose has passed.
    client.force_login(coach)
    response = client.post(
        reverse("training:assignment_create", args=[group.pk]),
        {"item": f"lesson:{lesson.pk}", "due_at": "2020-01-01T10:00"},
        follow=True,
    )
    assert "Its due date has passed already" in response.content.decode()
    assert assignment.pk


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (PAST, Status.NOT_STARTED),
        (PAST + timedelta(seconds=1), Status.OVERDUE),
    ],
)
def test_work_is_overdue_only_after_its_due_moment(group, trainee, lesson, now, expected):
    """Due at 09:00 yesterday: at 09:00:00 it is still to do; a second later it is late."""
    assignment = assign(group, lesson, due_at=PAST)
    assert cell(trainee, assignment, now=now).status == expected
    assert my_cell(trainee, now=now).status == expected


@pytest.mark.parametrize(
    ("read", "past_due", "expected"),
    [
        (None, False, Status.NOT_STARTED),
        (None, True, Status.OVERDUE),
        (False, False, Status.IN_PROGRESS),
        (False, True, Status.OVERDUE),
        (True, False, Status.READ),
        (True, True, Status.READ),
    ],
)
def test_lesson_status_by_reading_and_due_date(read, past_due, expected):
    """The rule itself (the dashboard uses a table of it made when the module is imported)."""
    from training.progress import lesson_status

    assert lesson_status(read, past_due).status == expected


def test_a_pass_after_a_failure_shows_the_score_and_both_attempts(group, trainee, quiz):
    assignment = assign(group, quiz, due_at=FUTURE)
    take(quiz, trainee, now=NOW, right=(1,))  # 20%
    take(quiz, trainee, now=NOW, right=(1, 2))  # 100%
    found = cell(trainee, assignment)
    assert (found.status, found.percent, found.attempts) == (Status.PASSED, 100, 2)
    assert my_cell(trainee) == found


def test_failed_for_good_shows_the_best_score_and_both_attempts(group, trainee, quiz):
    assignment = assign(group, quiz, due_at=FUTURE)
    take(quiz, trainee, now=NOW, right=(1,))  # 20%
    take(quiz, trainee, now=NOW, right=())  # 0%
    found = cell(trainee, assignment)
    assert (found.status, found.percent, found.attempts) == (Status.FAILED, 20, 2)
    assert my_cell(trainee) == found


def test_overdue_after_a_failed_attempt_keeps_its_score_and_attempt(group, trainee, quiz):
    assignment = assign(group, quiz, due_at=PAST)
    take(quiz, trainee, now=PAST - timedelta(hours=1), right=(1,))  # 20%, one attempt left
    found = cell(trainee, assignment)
    assert (found.status, found.percent, found.attempts) == (Status.OVERDUE, 20, 1)
    assert my_cell(trainee) == found


def test_a_second_attempt_under_way_keeps_the_first_ones_score(group, trainee, quiz):
    assignment = assign(group, quiz, due_at=FUTURE)
    take(quiz, trainee, now=NOW, right=(1,))  # 20%
    take(quiz, trainee, now=NOW, submit=False)  # the second and last, still open
    found = cell(trainee, assignment)
    assert (found.status, found.percent, found.attempts) == (Status.IN_PROGRESS, 20, 1)
    assert my_cell(trainee) == found


def test_extra_minutes_alone_give_no_attempt_back(group, trainee, quiz, coach):
    """Both attempts used and failed; the coach's override gives time, not an attempt."""
    assignment = assign(group, quiz, due_at=FUTURE)
    take(quiz, trainee, now=NOW, right=(1,))
    take(quiz, trainee, now=NOW, right=(1,))
    set_override(assignment, trainee, extra_minutes=15, granted_by=coach)
    assert cell(trainee, assignment).status == Status.FAILED
    assert my_cell(trainee).status == Status.FAILED


def test_the_dashboard_judges_due_dates_by_the_clock_it_is_given(group, trainee, lesson):
    """Due the day after NOW (long past by the machine's clock): not late at NOW."""
    from training.progress import group_progress

    assign(group, lesson, due_at=FUTURE)
    [row] = group_progress(group, now=NOW).rows
    assert (row.cells[0].status, row.overdue) == (Status.NOT_STARTED, 0)
    [row] = group_progress(group, now=FUTURE + timedelta(seconds=1)).rows
    assert (row.cells[0].status, row.overdue) == (Status.OVERDUE, 1)


def test_an_attempt_started_the_moment_someone_joined_counts_in_the_group(group, trainee, quiz):
    from training.progress import group_progress

    group.memberships.update(joined_at=PAST)
    assign(group, quiz, due_at=FUTURE)
    take(quiz, trainee, now=PAST, right=(1,))  # 20%, started as they joined
    [row] = group_progress(group, now=NOW).rows
    found = row.cells[0]
    assert (found.status, found.percent, found.attempts) == (Status.NOT_PASSED, 20, 1)
    assert my_cell(trainee) == found


def test_work_due_the_moment_someone_joined_is_not_overdue_for_them(group, trainee, lesson):
    from training.progress import group_progress

    group.memberships.update(joined_at=PAST)
    assign(group, lesson, due_at=PAST)
    assert my_cell(trainee).status == Status.NOT_STARTED
    [row] = group_progress(group, now=NOW).rows
    assert (row.cells[0].status, row.overdue) == (Status.NOT_STARTED, 0)
