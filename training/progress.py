"""Where each trainee stands on each assignment, built from a fixed number of queries.

Status rules (the README repeats them for coaches):
- lesson: read once marked read; otherwise overdue once past due; in progress once opened.
- quiz: passed when the grade by the quiz's grading method passes; failed when finished
  attempts did not pass and no attempts are left; not passed yet when they did not pass, attempts
  are left and the due date has not passed; overdue when past due and not passed with attempts
  left; in progress with an open attempt.
An assignment counts as done when it is read or passed.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from crampcourse.numbers import MAX_ID, bounded_int
from lessons.models import LessonProgress
from quizzes.models import Attempt, AttemptState
from quizzes.services import overall_result
from training import hooks
from training.models import Assignment, QuizOverride, TrainingGroup


class Status(models.TextChoices):
    # Context: "Read" is a lesson read (a past participle), "Passed"/"Failed" a quiz's outcome.
    NOT_STARTED = "not_started", pgettext_lazy("status of an assignment", "Not started")
    IN_PROGRESS = "in_progress", pgettext_lazy("status of an assignment", "In progress")
    READ = "read", pgettext_lazy("status of a lesson", "Read")
    PASSED = "passed", pgettext_lazy("status of a quiz", "Passed")
    NOT_PASSED = "not_passed", pgettext_lazy("status of a quiz", "Not passed yet")
    FAILED = "failed", pgettext_lazy("status of a quiz", "Failed")
    OVERDUE = "overdue", pgettext_lazy("status of an assignment", "Overdue")


def status_labels():
    """{status: its label in the current language}: translated once for a whole table."""
    return {status.value: str(status.label) for status in Status}


DONE = {Status.READ, Status.PASSED}


class Cell(NamedTuple):
    """One trainee on one assignment. A tuple: a dashboard makes thousands of them."""

    status: Status
    percent: Decimal | None = None
    attempts: int = 0

    @property
    def done(self):
        return self.status in DONE

    @property
    def label(self):
        return Status(self.status).label


# The cells without a score, made once.
NOT_STARTED = Cell(Status.NOT_STARTED)
IN_PROGRESS = Cell(Status.IN_PROGRESS)
READ = Cell(Status.READ)
OVERDUE = Cell(Status.OVERDUE)


def lesson_status(read, past_due):
    """read: None when never opened, False when opened, True when marked read."""
    if read:
        return READ
    if past_due:
        return OVERDUE
    if read is not None:
        return IN_PROGRESS
    return NOT_STARTED


# A lesson's cell by (read, past due): six cells, worked out once rather than for each trainee.
LESSON_CELLS = {
    (read, past_due): lesson_status(read, past_due)
    for read in (None, False, True)
    for past_due in (False, True)
}


def quiz_status(quiz, attempts, past_due, *, attempts_allowed):
    """attempts: the trainee's attempts at the quiz; attempts_allowed: None for unlimited."""
    if not attempts:
        return OVERDUE if past_due else NOT_STARTED
    result = overall_result(quiz.grading_method, quiz.pass_mark, attempts)
    if result.passed:
        return Cell(Status.PASSED, result.percent, result.attempts)
    out_of_attempts = attempts_allowed is not None and len(attempts) >= attempts_allowed
    has_open = any(a.state == AttemptState.IN_PROGRESS for a in attempts)
    if result.attempts and not has_open and out_of_attempts:
        return Cell(Status.FAILED, result.percent, result.attempts)
    if result.attempts and not has_open and not past_due:
        return Cell(Status.NOT_PASSED, result.percent, result.attempts)
    if past_due:
        return Cell(Status.OVERDUE, result.percent, result.attempts)
    if has_open:
        return Cell(Status.IN_PROGRESS, result.percent, result.attempts)
    return NOT_STARTED


ATTEMPT_FIELDS = [
    "trainee_id", "quiz_id", "number", "state", "percent", "passed", "must_pass_met", "started_at",
]  # fmt: skip


def made_since(attempts, joined):
    """The attempts each trainee started since joining the group: {trainee_id: joined_at}.

    A group's attempts are those started while the trainee was in it (selectors.made_in_group,
    which the trainee's page, item statistics and reports use). For the group's current
    trainees that is "since they joined", read here from rows already in memory: a trainee
    who failed a quiz in another group and then joined this one has not started it here.
    """
    return {
        key: kept
        for key, rows in attempts.items()
        if (kept := [row for row in rows if row.started_at >= joined[key[0]]])
    }


def progress_cells(trainee_ids, assignments, *, now=None, joined=None):
    """{(trainee_id, assignment_id): Cell} in two or three queries, whatever the numbers.

    joined: {trainee_id: when they joined the group}, to count only the attempts made in it."""
    lesson_ids = {a.lesson_id for a in assignments if a.lesson_id}
    quiz_ids = {a.quiz_id for a in assignments if a.quiz_id}
    attempts = attempts_at(trainee_ids, quiz_ids)
    if joined is not None:
        attempts = made_since(attempts, joined)
    return cells_from(
        trainee_ids,
        assignments,
        reading=lessons_read(trainee_ids, lesson_ids),
        attempts=attempts,
        extra_attempts=extra_attempts_on(*out_of_attempts(assignments, attempts)),
        now=now,
        joined=joined,
    )


def cells_by_group(assignments, members, *, now=None):
    """{group_id: {(trainee_id, assignment_id): Cell}} for many groups in three queries or
    fewer, each group's cells as its dashboard has them (progress_cells): counting only the
    attempts made since joining that group.

    members: {group_id: {trainee_id: joined_at}}, the trainees wanted of each group."""
    trainee_ids = {trainee_id for joined in members.values() for trainee_id in joined}
    attempts = attempts_at(trainee_ids, {a.quiz_id for a in assignments if a.quiz_id})
    reading = lessons_read(trainee_ids, {a.lesson_id for a in assignments if a.lesson_id})
    # Read for everyone who used up a quiz's attempts in any group: a grant only matters
    # where they are used up, so the rest are never looked at.
    extra_attempts = extra_attempts_on(*out_of_attempts(assignments, attempts))
    of_group = defaultdict(list)
    for assignment in assignments:
        of_group[assignment.group_id].append(assignment)
    # By trainee, so that each group looks only at its own members' attempts, not at everyone's
    # once per group (a federation's run holds thousands of groups).
    of_trainee = defaultdict(dict)
    for key, rows in attempts.items():
        of_trainee[key[0]][key] = rows
    cells = {}
    for group_id, joined in members.items():
        in_group = {
            key: rows
            for trainee_id in joined
            for key, rows in of_trainee.get(trainee_id, {}).items()
        }
        cells[group_id] = cells_from(
            list(joined),
            of_group[group_id],
            reading=reading,
            attempts=made_since(in_group, joined),
            extra_attempts=extra_attempts,
            now=now,
            joined=joined,
        )
    return cells


def out_of_attempts(assignments, attempts):
    """(trainee ids, quiz ids) of the trainees who have used every attempt a quiz allows.

    Only there can extra attempts a coach granted change a status (from failed to not passed
    yet), so only theirs are read: on most pages nobody's, and no query.
    """
    limits = {
        a.quiz_id: a.quiz.attempts_allowed
        for a in assignments
        if a.quiz_id and a.quiz.attempts_allowed is not None
    }
    used_up = [
        (trainee_id, quiz_id)
        for (trainee_id, quiz_id), rows in attempts.items()
        if quiz_id in limits and len(rows) >= limits[quiz_id]
    ]
    return {trainee_id for trainee_id, _ in used_up}, {quiz_id for _, quiz_id in used_up}


def lessons_read(trainee_ids, lesson_ids):
    """{(trainee_id, lesson_id): read}: True when marked read, False when only opened."""
    if not (trainee_ids and lesson_ids):
        return {}
    # Whether each lesson was read, not when: reading thousands of dates costs more than the
    # query.
    rows = (
        LessonProgress.objects.filter(trainee_id__in=trainee_ids, lesson_id__in=lesson_ids)
        .annotate(read=Q(completed_at__isnull=False))
        .values_list("trainee_id", "lesson_id", "read")
    )
    return {(trainee_id, lesson_id): read for trainee_id, lesson_id, read in rows}


def attempts_at(trainee_ids, quiz_ids):
    """{(trainee_id, quiz_id): [attempt rows]}."""
    attempts = defaultdict(list)
    if trainee_ids and quiz_ids:
        # Plain rows, not model instances, in no order (the grading sorts them by number): a
        # dashboard reads thousands of them.
        for attempt in (
            Attempt.objects.filter(trainee_id__in=trainee_ids, quiz_id__in=quiz_ids)
            .order_by()
            .values_list(*ATTEMPT_FIELDS, named=True)
        ):
            attempts[attempt.trainee_id, attempt.quiz_id].append(attempt)
    return attempts


def extra_attempts_on(trainee_ids, quiz_ids):
    """{(trainee_id, quiz_id): extra attempts}, the most any of their groups granted."""
    extra = {}
    if trainee_ids and quiz_ids:
        for trainee_id, quiz_id, granted in (
            QuizOverride.objects.active()
            .filter(trainee_id__in=trainee_ids, assignment__quiz_id__in=quiz_ids)
            .values_list("trainee_id", "assignment__quiz_id", "extra_attempts")
        ):
            extra[trainee_id, quiz_id] = max(granted, extra.get((trainee_id, quiz_id), 0))
    return extra


def cells_from(
    trainee_ids, assignments, *, reading, attempts, extra_attempts, now=None, joined=None
):
    """The cells from what lessons_read, attempts_at and extra_attempts_on return.

    joined: {trainee_id: when they joined}: work that was due before someone joined is never
    overdue for them (a new member is not met with red "Overdue" for last month's lesson); it is
    to do, as work with no due date is."""
    now = now or timezone.now()
    joined = joined or {}
    # Read each assignment's fields once, not once per trainee.
    plan = [
        (a.pk, a.lesson_id, a.quiz_id, a.quiz if a.quiz_id else None,
         a.due_at if a.due_at is not None and now > a.due_at else None)
        for a in assignments
    ]  # fmt: skip
    no_attempts = ()
    cells = {}
    for trainee_id in trainee_ids:
        joined_at = joined.get(trainee_id)
        for pk, lesson_id, quiz_id, quiz, due_at in plan:
            past_due = due_at is not None and (joined_at is None or due_at > joined_at)
            if lesson_id:
                cell = LESSON_CELLS[reading.get((trainee_id, lesson_id)), past_due]
            else:
                key = (trainee_id, quiz_id)
                allowed = quiz.attempts_allowed
                if allowed is not None:
                    allowed += extra_attempts.get(key, 0)
                cell = quiz_status(
                    quiz, attempts.get(key, no_attempts), past_due, attempts_allowed=allowed
                )
            cells[trainee_id, pk] = cell
    return cells


def share(done, total):
    return round(100 * done / total) if total else 0


@dataclass
class TraineeRow:
    trainee: object  # the user, with the fields TRAINEE_FIELDS names and time_multiplier
    cells: list
    done: int = 0
    overdue: int = 0
    extra: list = field(default_factory=list)  # ColumnCell per extra column (hooks)

    @property
    def percent(self):
        return share(self.done, len(self.cells))


@dataclass
class AssignmentColumn:
    assignment: Assignment
    done: int = 0
    total: int = 0

    @property
    def percent(self):
        return share(self.done, self.total)


@dataclass
class GroupProgress:
    group: object
    columns: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    extra_columns: list = field(default_factory=list)

    @property
    def width(self):
        """Columns in the table: trainee, done, the extra ones and one per assignment."""
        return 2 + len(self.extra_columns) + len(self.columns)


SORTS = {
    "name": lambda row: (row.trainee.get_full_name() or row.trainee.username).casefold(),
    "progress": lambda row: (-row.percent, row.trainee.username),
    "overdue": lambda row: (-row.overdue, row.trainee.username),
}


TRAINEE_FIELDS = ["username", "first_name", "last_name", "email"]


def group_progress(group, *, now=None, sort="name", only_overdue=False, filters=None):
    """The coach's dashboard: one row per active trainee, one column per assignment, plus the
    columns other apps add (hooks); filters: {column key: state} keeps matching rows only."""
    now = now or timezone.now()
    # No lesson links on a dashboard: the lessons' courses stay unread.
    assignments = list(Assignment.objects.for_group(group).with_items(links=False))
    # The users, not their memberships: half the rows to build, and the page needs no more
    # than the membership's time multiplier, read through the same join.
    trainees = list(
        get_user_model()
        .objects.filter(memberships__group=group, memberships__removed_at__isnull=True)
        .annotate(
            time_multiplier=F("memberships__time_multiplier"),
            joined_at=F("memberships__joined_at"),
        )
        .only(*TRAINEE_FIELDS)
        .order_by("username")
    )
    trainee_ids = [trainee.pk for trainee in trainees]
    joined = {trainee.pk: trainee.joined_at for trainee in trainees}
    cells = progress_cells(trainee_ids, assignments, now=now, joined=joined)
    extra_columns = hooks.dashboard_columns(group, trainee_ids, now)
    columns = [AssignmentColumn(a, total=len(trainees)) for a in assignments]
    assignment_ids = [a.pk for a in assignments]
    rows = []
    overdue = Status.OVERDUE  # looked up once: reading an enum member costs as much as a test
    for trainee, trainee_id in zip(trainees, trainee_ids, strict=True):
        row_cells = [cells[trainee_id, pk] for pk in assignment_ids]
        done = [cell.done for cell in row_cells]
        row = TraineeRow(
            trainee,
            row_cells,
            done=sum(done),
            overdue=sum([cell.status == overdue for cell in row_cells]),
            extra=[column.cell_for(trainee_id) for column in extra_columns],
        )
        for column, cell_done in zip(columns, done, strict=True):
            column.done += cell_done
        rows.append(row)
    if only_overdue:
        rows = [row for row in rows if row.overdue]
    for index, column in enumerate(extra_columns):
        wanted = (filters or {}).get(column.key)
        if wanted in dict(column.states):
            rows = [row for row in rows if row.extra[index].state == wanted]
    rows.sort(key=_sort_key(sort, assignments))
    return GroupProgress(group, columns, rows, extra_columns)


def _sort_key(sort, assignments):
    """name, progress, overdue, or a<assignment id> (best score on that assignment first)."""
    wanted = bounded_int(sort[1:], low=1, high=MAX_ID) if sort.startswith("a") else None
    if wanted is not None:
        index = next((i for i, a in enumerate(assignments) if a.pk == wanted), None)
        if index is not None:
            return lambda row: (
                not row.cells[index].done,
                -(row.cells[index].percent or -1),
                row.trainee.username,
            )
    return SORTS.get(sort, SORTS["name"])


@dataclass
class TraineeAssignment:
    """One lesson or quiz on a trainee's list, however many of their groups assign it."""

    assignment: Assignment
    cell: Cell
    groups: list = field(default_factory=list)

    @property
    def due_at(self):
        return self.assignment.due_at


@dataclass
class TraineeWork:
    """A trainee's groups and everything assigned in them."""

    groups: list
    items: list

    @property
    def done(self):
        return sum(item.cell.done for item in self.items)

    @property
    def percent(self):
        return share(self.done, len(self.items))


def work_of_trainee(trainee, *, now=None):
    """The groups a trainee is in now and their assignments there, soonest due first."""
    groups = list(
        TrainingGroup.objects.filter(
            memberships__trainee=trainee, memberships__removed_at__isnull=True
        ).annotate(joined_at=F("memberships__joined_at"))
    )
    groups_by_id = {group.pk: group for group in groups}
    # By group id rather than a join through memberships: the groups are read already. The
    # trainee's reading comes with the assignments.
    assignments = list(
        Assignment.objects.filter(group_id__in=groups_by_id)
        .with_items()
        .with_reading_of(trainee)
        .order_by()  # sorted below, by due date across groups
    )
    reading = {}
    for assignment in assignments:
        assignment.group = groups_by_id[assignment.group_id]
        if assignment.read is not None:
            reading[trainee.pk, assignment.lesson_id] = assignment.read
    quiz_ids = {a.quiz_id for a in assignments if a.quiz_id}
    attempts = attempts_at([trainee.pk], quiz_ids)
    extra_attempts = extra_attempts_on(*out_of_attempts(assignments, attempts))
    # Each group's work counts the attempts made in that group, as its coaches see them.
    cells = {}
    for group in groups:
        cells |= cells_from(
            [trainee.pk],
            [a for a in assignments if a.group_id == group.pk],
            reading=reading,
            attempts=made_since(attempts, {trainee.pk: group.joined_at}),
            extra_attempts=extra_attempts,
            now=now,
            joined={trainee.pk: group.joined_at},
        )
    # The same lesson or quiz set by two groups is one piece of work: one card, under the
    # earliest due date, naming every group that set it.
    by_item = {}
    for assignment in sorted(assignments, key=_due_first):
        key = (
            ("lesson", assignment.lesson_id)
            if assignment.lesson_id
            else ("quiz", assignment.quiz_id)
        )
        item = by_item.get(key)
        if item is None:
            item = by_item[key] = TraineeAssignment(assignment, cells[trainee.pk, assignment.pk])
        item.groups.append(assignment.group)
    items = list(by_item.values())
    items.sort(key=lambda i: (i.cell.done, *_due_first(i.assignment)))
    return TraineeWork(groups, items)


def _due_first(assignment):
    return (assignment.due_at is None, assignment.due_at, assignment.pk)
