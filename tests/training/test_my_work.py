"""My assignments (work_of_trainee) and the coach's dashboard (group_progress) with more than
one of everything: two lessons, two groups, three trainees, so that mixing them up shows."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from lessons.services import mark_lesson_read
from tests.factories import (
    add_escape_ordering,
    add_single,
    make_group,
    make_lesson,
    make_quiz,
    make_trainee,
)
from tests.training.conftest import take
from training.progress import Status, group_progress, work_of_trainee
from training.services import assign, set_override

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def titles(work):
    return [item.assignment.lesson.title for item in work.items]


def test_two_lessons_are_two_cards_each_with_its_own_status(group, trainee):
    stretching = make_lesson(title="Stretching", is_published=True)
    warming_up = make_lesson(title="Warming up", is_published=True)
    assign(group, stretching)
    assign(group, warming_up)
    mark_lesson_read(trainee, warming_up)
    work = work_of_trainee(trainee, now=NOW)
    assert [(item.assignment.lesson.title, item.cell.status) for item in work.items] == [
        ("Stretching", Status.NOT_STARTED),
        ("Warming up", Status.READ),  # done work goes last
    ]
    assert (work.done, work.percent) == (1, 50)


def test_the_same_lesson_from_two_groups_is_one_card_naming_both(group, trainee):
    lesson = make_lesson(title="Stretching", is_published=True)
    sharks = make_group("Sharks", trainees=[trainee])
    assign(group, lesson, due_at=NOW + timedelta(days=5))
    assign(sharks, lesson, due_at=NOW + timedelta(days=2))
    [item] = work_of_trainee(trainee, now=NOW).items
    assert item.due_at == NOW + timedelta(days=2)  # the earlier of the two
    assert sorted(g.name for g in item.groups) == ["Dolphins", "Sharks"]


def test_dated_work_comes_before_undated_work_soonest_first(group, trainee):
    undated = make_lesson(title="Undated", is_published=True)
    later = make_lesson(title="Due in a week", is_published=True)
    sooner = make_lesson(title="Due tomorrow", is_published=True)
    assign(group, undated)
    assign(group, later, due_at=NOW + timedelta(days=7))
    assign(group, sooner, due_at=NOW + timedelta(days=1))
    assert titles(work_of_trainee(trainee, now=NOW)) == ["Due tomorrow", "Due in a week", "Undated"]


@pytest.mark.parametrize("larger_first", [True, False])
def test_the_larger_of_two_groups_extra_attempts_counts(group, trainee, quiz, larger_first):
    """Two attempts allowed; one group grants 2 more, the other 1: after three failed
    attempts one is left, so the quiz is not passed yet rather than failed, whichever group's
    override was granted last."""
    sharks = make_group("Sharks", trainees=[trainee])
    grants = [(assign(group, quiz), 2), (assign(sharks, quiz), 1)]
    for assignment, extra in grants if larger_first else reversed(grants):
        set_override(assignment, trainee, extra_attempts=extra)
    for _ in range(3):
        take(quiz, trainee, right=(1,))
    [item] = work_of_trainee(trainee).items
    assert (item.cell.status, item.cell.attempts) == (Status.NOT_PASSED, 3)
    for row in (group_progress(group).rows[0], group_progress(sharks).rows[0]):
        assert row.cells[0].status == Status.NOT_PASSED


def test_two_quizzes_are_two_cards_each_with_its_own_status(group, trainee, quiz):
    second = make_quiz("second-check", title="Second check", attempts_allowed=2)
    add_single(second)
    assign(group, quiz)
    assign(group, second)
    take(quiz, trainee, right=(1, 2))
    work = work_of_trainee(trainee, now=NOW)
    assert [(item.assignment.quiz.slug, item.cell.status) for item in work.items] == [
        ("second-check", Status.NOT_STARTED),
        ("escape-check", Status.PASSED),  # done work goes last
    ]
    assert (work.done, work.percent) == (1, 50)


def test_my_assignments_lists_my_groups_only(client, group, trainee):
    make_group("Sharks", trainees=[trainee])
    make_group("Seals", trainees=[make_trainee("other")])
    client.force_login(trainee)
    page = client.get(reverse("training:my_assignments")).content.decode()
    groups = page.split("My groups")[1]
    # In no particular order (the groups are read unsorted).
    assert sorted(re.findall(r"<li>([^<]+)</li>", groups)) == ["Dolphins", "Sharks"]


@pytest.fixture
def three_on_a_quiz(group, trainee, quiz):
    """Dolphins: a lesson and the quiz. trainee_a passes the quiz (100%), bea fails it once
    (20%), cal does not start it; trainee_a and cal read the lesson."""
    lesson = make_lesson(title="Stretching", is_published=True)
    reading = assign(group, lesson)
    quiz_work = assign(group, quiz)
    bea, cal = make_trainee("bea"), make_trainee("cal")
    for member in (bea, cal):
        group.memberships.create(trainee=member)
    take(quiz, trainee, right=(1, 2))
    take(quiz, bea, right=(1,))
    for reader in (trainee, cal):
        mark_lesson_read(reader, lesson)
    return reading, quiz_work


def test_each_assignment_counts_the_trainees_who_have_done_it(group, three_on_a_quiz):
    reading, quiz_work = three_on_a_quiz
    columns = group_progress(group).columns
    assert [(c.assignment, c.done, c.total, c.percent) for c in columns] == [
        (reading, 2, 3, 67),
        (quiz_work, 1, 3, 33),
    ]


def test_sorting_by_an_assignment_puts_done_then_best_scores_first(group, three_on_a_quiz):
    reading, quiz_work = three_on_a_quiz
    by_quiz = group_progress(group, sort=f"a{quiz_work.pk}").rows
    assert [(row.trainee.username, row.cells[1].percent) for row in by_quiz] == [
        ("trainee_a", 100),  # passed
        ("bea", 20),  # a score beats none
        ("cal", None),
    ]
    # By the lesson: the two who read it (by name), then the one who has not.
    by_lesson = group_progress(group, sort=f"a{reading.pk}").rows
    assert [row.trainee.username for row in by_lesson] == ["cal", "trainee_a", "bea"]
    # An assignment of another group's is no sort at all: by name.
    unknown = group_progress(group, sort=f"a{quiz_work.pk + 1000}").rows
    assert [row.trainee.username for row in unknown] == ["bea", "cal", "trainee_a"]
    # Only "a" names an assignment: another letter before its id is no sort either.
    other_letter = group_progress(group, sort=f"x{quiz_work.pk}").rows
    assert [row.trainee.username for row in other_letter] == ["bea", "cal", "trainee_a"]


def test_sorting_by_a_quiz_puts_even_a_1_percent_score_before_none(group, trainee):
    """One point of a hundred: 1%, still ahead of those who never finished an attempt."""
    quiz = make_quiz("hundred-points", pass_mark=60, attempts_allowed=2, is_published=True)
    add_single(quiz)  # 1 point
    add_escape_ordering(quiz, points=99)
    assignment = assign(group, quiz)
    abe, zed = make_trainee("abe"), make_trainee("zed")
    for member in (abe, zed):
        group.memberships.create(trainee=member)
    take(quiz, zed, right=(1,))
    rows = group_progress(group, sort=f"a{assignment.pk}").rows
    assert [(row.trainee.username, row.cells[0].percent) for row in rows] == [
        ("zed", 1),
        ("abe", None),  # no score: by name
        ("trainee_a", None),
    ]


def test_nothing_to_count_is_0_percent(group, trainee):
    """A group with nothing assigned, and an assignment in a group nobody is in yet."""
    [row] = group_progress(group).rows
    assert (row.done, row.percent) == (0, 0)
    empty = make_group("Seals")
    assign(empty, make_lesson(title="Stretching", is_published=True))
    [column] = group_progress(empty).columns
    assert (column.done, column.total, column.percent) == (0, 0, 0)
    assert work_of_trainee(make_trainee("loner")).percent == 0


def card_button(client):
    page = client.get(reverse("training:my_assignments")).content.decode()
    return re.search(r'<a class="button[^"]*" href="[^"]*">([^<]+)<span', page).group(1)


def test_an_overdue_quiz_says_start_before_any_attempt_and_retake_after(
    client, group, trainee, quiz
):
    assign(group, quiz, due_at=timezone.now() - timedelta(days=1))
    client.force_login(trainee)
    assert card_button(client) == "Start"
    take(quiz, trainee, right=(1,))  # 20%, one attempt of two left
    assert card_button(client) == "Retake"
