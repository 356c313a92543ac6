"""What training adds to quizzes: coaches' overrides, and coaches looking at attempts."""

from collections import defaultdict

from django.db.models import F, Max

from quizzes.hooks import AttemptAllowance
from training.models import Assignment, QuizOverride
from training.selectors import memberships_covering


def allowance_from(overrides):
    """One trainee's overrides on one quiz (one per group): the most generous one counts."""
    overrides = list(overrides)
    return AttemptAllowance(
        extra_attempts=max((o.extra_attempts for o in overrides), default=0),
        extra_minutes=max((o.extra_minutes for o in overrides), default=0),
    )


def quiz_allowances(quiz_ids, trainee):
    """Extra attempts or minutes granted in the groups the trainee is in now (the larger counts),
    for each of the quizzes, in one query."""
    overrides = (
        QuizOverride.objects.active()
        .filter(assignment__quiz_id__in=quiz_ids, trainee=trainee)
        .annotate(quiz_id=F("assignment__quiz_id"))
    )
    by_quiz = defaultdict(list)
    for override in overrides:
        by_quiz[override.quiz_id].append(override)
    return {quiz_id: allowance_from(found) for quiz_id, found in by_quiz.items()}


def coach_may_view_attempt(user, attempt):
    """Only an attempt at a quiz assigned in a group the user coaches, made while a member."""
    return (
        memberships_covering(attempt)
        .filter(group__coaches=user, group__assignments__quiz_id=attempt.quiz_id)
        .exists()
    )


def quiz_due_dates(quiz_ids, trainee):
    """When each quiz closes for review in the trainee's groups: the latest due date of the
    assignments that set it (undated assignments set none), in one query."""
    assignments = (
        Assignment.objects.filter(
            quiz_id__in=quiz_ids,
            due_at__isnull=False,
            group__memberships__trainee=trainee,
            group__memberships__removed_at__isnull=True,
        )
        .values("quiz_id")
        .annotate(latest=Max("due_at"))
    )
    return {row["quiz_id"]: row["latest"] for row in assignments}
