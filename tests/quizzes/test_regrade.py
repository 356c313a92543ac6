"""Regrading a quiz's finished attempts after a question was corrected (quizzes/regrade.py)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from quizzes import regrade
from quizzes.models import (
    Attempt,
    AttemptQuestion,
    QuestionVersion,
    Regrade,
    RegradeChange,
)
from quizzes.services import save_answers, start_attempt, submit_attempt
from tests.factories import add_single, make_admin, make_quiz, make_trainee


def make_wrong_key_quiz(**fields):
    """Pass mark 60%: two single-choice questions of 1 point. "Where" is keyed "Ear" when
    "Calf" is right; everyone gets "Warm-up" right, so "Where" decides pass (100%) or fail."""
    fields.setdefault("pass_mark", 60)
    fields.setdefault("attempts_allowed", None)
    quiz = make_quiz(**fields)
    add_single(quiz, right="Ear", wrong=("Calf", "Elbow"), name="Where", text="Where?")
    add_single(quiz, right="Legs", wrong=("Arms",), name="Warm-up", text="Which kick?")
    return quiz


def correct_the_key(quiz):
    """What an admin does in the question's page: the right option gets 100, the other 0."""
    question = quiz.questions.get(name="Where")
    question.options.filter(text="Calf").update(weight=100)
    question.options.filter(text="Ear").update(weight=0)
    return question


def take(quiz, trainee, where, *, now=None, submit=True):
    """An attempt choosing `where` for "Where" and the right kick; submitted unless told."""
    attempt = start_attempt(quiz, trainee, now=now)
    responses = {}
    for slot in attempt.slots.select_related("version"):
        pick = where if slot.version.data["name"] == "Where" else "Legs"
        key = next(o["key"] for o in slot.version.data["options"] if o["text"] == pick)
        responses[slot.pk] = {"option": key}
    save_answers(attempt, responses, now=now)
    if submit:
        attempt = submit_attempt(attempt, now=now)[0]
    return attempt


def where_slot(attempt):
    return AttemptQuestion.objects.select_related("version").get(
        attempt=attempt, version__data__name="Where"
    )


def snapshot(attempt):
    """Everything a regrade may change on an attempt, to see that it did not."""
    attempt = Attempt.objects.get(pk=attempt.pk)
    slots = list(attempt.slots.order_by("position").values_list("version_id", "fraction", "score"))
    return (attempt.score, attempt.percent, attempt.passed, attempt.must_pass_met, slots)


@pytest.fixture
def quiz(db):
    return make_wrong_key_quiz()


def take_each_choice(quiz):
    """Calf (truly right, marked wrong), Ear (marked right, truly wrong), Elbow (wrong both)."""
    return {
        where: take(quiz, make_trainee(f"chose_{where.lower()}"), where)
        for where in ("Calf", "Ear", "Elbow")
    }


@pytest.fixture
def taken(quiz):
    return take_each_choice(quiz)


def test_attempts_as_taken_follow_the_wrong_key(taken):
    assert [(a.percent, a.passed) for a in taken.values()] == [
        (Decimal("50.00"), False),
        (Decimal("100.00"), True),
        (Decimal("50.00"), False),
    ]


def test_corrected_key_regrade_with_latest_versions_changes_only_attempts_that_chose_it(
    quiz, taken
):
    correct_the_key(quiz)
    admin = make_admin("regrader")
    untouched = snapshot(taken["Elbow"])
    before = timezone.now()

    done = regrade.apply_regrade(
        quiz,
        done_by=admin,
        reason="“Where” was keyed Ear; Calf is right.",
        use_latest_versions=True,
    )

    assert done.quiz == quiz
    assert done.done_by == admin
    assert done.done_at >= before
    assert done.reason == "“Where” was keyed Ear; Calf is right."
    assert done.use_latest_versions
    changes = {c.attempt_id: c for c in RegradeChange.objects.filter(regrade=done)}
    assert set(changes) == {taken["Calf"].pk, taken["Ear"].pk}
    calf, ear = changes[taken["Calf"].pk], changes[taken["Ear"].pk]
    assert (calf.old_score, calf.new_score) == (Decimal("1.00"), Decimal("2.00"))
    assert (calf.old_percent, calf.new_percent) == (Decimal("50.00"), Decimal("100.00"))
    assert (calf.old_passed, calf.new_passed) == (False, True)
    assert (ear.old_percent, ear.new_percent, ear.old_passed, ear.new_passed) == (
        Decimal("100.00"),
        Decimal("50.00"),
        True,
        False,
    )

    calf_attempt = Attempt.objects.get(pk=taken["Calf"].pk)
    assert (calf_attempt.score, calf_attempt.percent, calf_attempt.passed) == (
        Decimal("2.00"),
        Decimal("100.00"),
        True,
    )
    assert Attempt.objects.get(pk=taken["Ear"].pk).passed is False
    # The changed attempts moved to the corrected version, with their question scores.
    moved = where_slot(taken["Calf"])
    weights = {o["text"]: o["weight"] for o in moved.version.data["options"]}
    assert Decimal(weights["Calf"]) == 100
    assert (moved.fraction, moved.score) == (Decimal("1.0000"), Decimal("1.00"))
    assert where_slot(taken["Ear"]).score == 0
    # The attempt that chose a wrong option either way is exactly as it was.
    assert snapshot(taken["Elbow"]) == untouched


def test_dry_run_lists_the_changes_and_writes_nothing(quiz, taken):
    correct_the_key(quiz)
    versions = QuestionVersion.objects.count()
    before = {pk: snapshot(a) for pk, a in ((a.pk, a) for a in taken.values())}

    plan = regrade.plan_regrade(quiz, use_latest_versions=True)

    assert plan.attempts_checked == 3
    assert [(c.attempt.pk, c.old_passed, c.new_passed) for c in plan.changes] == [
        (taken["Calf"].pk, False, True),
        (taken["Ear"].pk, True, False),
    ]
    assert [(c.old_percent, c.new_percent) for c in plan.changes] == [
        (Decimal("50.00"), Decimal("100.00")),
        (Decimal("100.00"), Decimal("50.00")),
    ]
    assert plan.stuck == []
    assert not Regrade.objects.exists()
    assert QuestionVersion.objects.count() == versions  # not even the new version is saved
    assert {pk: snapshot(a) for pk, a in ((a.pk, a) for a in taken.values())} == before


def test_regrade_on_answered_versions_changes_nothing_when_scoring_is_unchanged(quiz, taken):
    correct_the_key(quiz)  # a corrected question is not reached without the latest versions
    before = [snapshot(a) for a in taken.values()]

    assert regrade.plan_regrade(quiz).changes == []
    done = regrade.apply_regrade(quiz, done_by=make_admin(), reason="Checking the marks.")

    assert [snapshot(a) for a in taken.values()] == before
    assert not done.use_latest_versions
    assert done.changes.count() == 0  # the run is still on record
    assert Regrade.objects.count() == 1


def test_regrade_on_answered_versions_fixes_a_score_an_old_rule_got_wrong(quiz, taken):
    # As if an earlier scoring rule had given the Elbow attempt a mark it never earned.
    slot = where_slot(taken["Elbow"])
    AttemptQuestion.objects.filter(pk=slot.pk).update(fraction=1, score=1)
    Attempt.objects.filter(pk=taken["Elbow"].pk).update(score=2, percent=100, passed=True)

    done = regrade.apply_regrade(quiz, done_by=make_admin(), reason="Scoring rule fixed.")

    change = done.changes.get()
    assert change.attempt_id == taken["Elbow"].pk
    assert (change.old_percent, change.new_percent) == (Decimal("100.00"), Decimal("50.00"))
    elbow = Attempt.objects.get(pk=taken["Elbow"].pk)
    assert (elbow.score, elbow.passed) == (Decimal("1.00"), False)
    assert where_slot(taken["Elbow"]).version_id == slot.version_id  # same version as answered


def test_a_question_whose_option_was_deleted_cannot_move_and_the_dry_run_says_why(quiz, taken):
    question = correct_the_key(quiz)
    question.options.filter(text="Elbow").delete()  # every attempt was shown it
    before = [snapshot(a) for a in taken.values()]

    plan = regrade.plan_regrade(quiz, use_latest_versions=True)

    assert plan.changes == []
    assert plan.stuck == [regrade.StuckQuestion("Where", str(regrade.OPTION_GONE), 3)]
    regrade.apply_regrade(quiz, done_by=make_admin(), reason="Fix", use_latest_versions=True)
    assert [snapshot(a) for a in taken.values()] == before


def test_a_question_with_an_option_the_attempts_never_showed_cannot_move(quiz, taken):
    question = correct_the_key(quiz)
    question.options.create(text="Neck", weight=0, order=9)

    plan = regrade.plan_regrade(quiz, use_latest_versions=True)

    assert plan.changes == []
    assert plan.stuck == [regrade.StuckQuestion("Where", str(regrade.OPTION_ADDED), 3)]


def test_a_question_deleted_or_reloaded_since_keeps_its_version_and_says_so(quiz, taken):
    quiz.questions.get(name="Where").delete()  # load_course replaces questions like this

    plan = regrade.plan_regrade(quiz, use_latest_versions=True)

    assert plan.changes == []
    assert plan.stuck == [regrade.StuckQuestion("Where", str(regrade.QUESTION_GONE), 3)]


def test_in_progress_attempts_are_never_touched(quiz, taken):
    open_attempt = take(quiz, make_trainee("still_swimming"), "Calf", submit=False)
    before = snapshot(open_attempt)
    correct_the_key(quiz)

    plan = regrade.plan_regrade(quiz, use_latest_versions=True)
    done = regrade.apply_regrade(quiz, done_by=None, reason="Fix", use_latest_versions=True)

    assert plan.attempts_checked == 3
    assert open_attempt.pk not in [c.attempt.pk for c in plan.changes]
    assert not done.changes.filter(attempt=open_attempt).exists()
    assert snapshot(open_attempt) == before
    assert Attempt.objects.get(pk=open_attempt.pk).score is None


def test_regrade_keeps_the_pass_mark_each_attempt_started_with(quiz, taken):
    correct_the_key(quiz)
    quiz.pass_mark = 40  # 50% would pass now, but these attempts started at 60%
    quiz.save()

    regrade.apply_regrade(quiz, done_by=None, reason="Fix", use_latest_versions=True)

    ear = Attempt.objects.get(pk=taken["Ear"].pk)
    assert (ear.percent, ear.pass_mark, ear.passed) == (Decimal("50.00"), 60, False)


def test_apply_needs_a_reason(quiz, taken):
    with pytest.raises(ValueError, match="reason"):
        regrade.apply_regrade(quiz, done_by=None, reason="  ")
    assert not Regrade.objects.exists()


@pytest.mark.parametrize("size", [3, 12])
def test_dry_run_reads_a_fixed_number_of_queries(quiz, django_assert_max_num_queries, size):
    start = timezone.now() - timedelta(days=1)
    for number in range(size):
        take(quiz, make_trainee(), ("Calf", "Ear", "Elbow")[number % 3], now=start)
    correct_the_key(quiz)
    with django_assert_max_num_queries(6):
        plan = regrade.plan_regrade(quiz, use_latest_versions=True)
    assert len(plan.changes) == 2 * size // 3
