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
