"""What training adds to quizzes: coaches' allowances (overrides, time multipliers), and coaches
looking at attempts."""

from django.db.models import Count, FilteredRelation, Max, Q
from django.utils.translation import gettext

from organisations.services import StaffRuleBroken
from quizzes.hooks import AttemptAllowance
from training.models import Assignment, TrainingGroup
from training.selectors import memberships_covering


def quiz_allowances(quiz_ids, trainee):
    """What the coaches of the groups the trainee is in now granted on each of the quizzes, in
    one query: extra attempts and minutes on the quiz, and the time multiplier of each group
    that assigns it. When two groups assign one quiz the larger of each counts, never the sum.
    """
    # One row per assignment of the quizzes in the trainee's groups: the membership (one per
    # group and trainee) gives the multiplier, and the trainee's override, if any, the extras.
    rows = (
        Assignment.objects.filter(
            quiz_id__in=quiz_ids,
            group__memberships__trainee=trainee,
            group__memberships__removed_at__isnull=True,
        )
        .annotate(theirs=FilteredRelation("overrides", condition=Q(overrides__trainee=trainee)))
        .order_by()  # the model's order would join the groups for their names
        .values_list(
            "quiz_id",
            "group__memberships__time_multiplier",
            "theirs__extra_attempts",
            "theirs__extra_minutes",
        )
    )
    allowances = {}
    for quiz_id, multiplier, attempts, minutes in rows:
        found = allowances.get(quiz_id, AttemptAllowance())
        allowances[quiz_id] = AttemptAllowance(
            extra_attempts=max(found.extra_attempts, attempts or 0),
            extra_minutes=max(found.extra_minutes, minutes or 0),
            time_multiplier=max(found.time_multiplier, multiplier),
        )
    return allowances


def coach_may_view_attempt(user, attempt):
    """Only an attempt at a quiz assigned in a group the user coaches, made while a member."""
    return (
        memberships_covering(attempt)
        .filter(
            group__in=TrainingGroup.objects.run_by(user),
            group__assignments__quiz_id=attempt.quiz_id,
        )
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


def before_coach_leaves(staff_role, club_keeps_an_admin):
    """A coach leaving a club stops coaching its groups; the groups and their data stay. With
    no club admin left to run them, a group whose only coach this is keeps them (refused)."""
    groups = list(
        TrainingGroup.objects.filter(club=staff_role.organisation, coaches=staff_role.person)
        .annotate(coach_count=Count("coaches"))
        # GROUP BY drops Meta.ordering; the refusal names the groups, so in a stable order.
        .order_by("name", "pk")
    )
    alone = [group.name for group in groups if group.coach_count == 1]
    if alone and not club_keeps_an_admin:
        raise StaffRuleBroken(
            gettext("%(groups)s would be left with no coach and the club has no admin.")
            % {"groups": ", ".join(alone)}
        )
    for group in groups:
        group.coaches.remove(staff_role.person)
