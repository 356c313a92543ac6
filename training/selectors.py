"""Reads that decide what a user may see; every view goes through these."""

from django.db.models import Count, F, Q
from django.shortcuts import get_object_or_404

from quizzes.models import Attempt
from training.models import Assignment, Membership, TrainingGroup


def groups_coached_by(user):
    """The coach's groups with the number of active trainees in each."""
    return TrainingGroup.objects.coached_by(user).annotate(
        trainee_count=Count(
            "memberships", filter=Q(memberships__removed_at__isnull=True), distinct=True
        ),
        assignment_count=Count("assignments", distinct=True),
    )


def get_group_for_coach(user, pk):
    """A group the user coaches, or 404: someone else's group does not exist for them."""
    return get_object_or_404(TrainingGroup.objects.coached_by(user), pk=pk)


def get_membership_for_coach(user, group, trainee_pk):
    """A trainee who is or was in the coach's group (history stays visible), or 404."""
    return get_object_or_404(
        Membership.objects.select_related("trainee"), group=group, trainee_id=trainee_pk
    )


def get_assignment_for_coach(user, group, pk):
    return get_object_or_404(Assignment.objects.with_items(), group=group, pk=pk)


def memberships_of(group):
    """Everyone who is or was in the group, current members first."""
    return group.memberships.select_related("trainee").order_by(
        F("removed_at").asc(nulls_first=True), "trainee__username"
    )


def attempts_of_trainee(trainee, quizzes=None):
    """A trainee's attempts, newest first, with their quiz."""
    attempts = Attempt.objects.of(trainee).select_related("quiz").order_by("-started_at")
    return attempts.filter(quiz__in=quizzes) if quizzes is not None else attempts


def group_quiz_attempts(group, quiz):
    """Finished attempts of the group's current trainees at a quiz, with their answers."""
    return (
        Attempt.objects.finished()
        .filter(
            quiz=quiz,
            trainee__memberships__group=group,
            trainee__memberships__removed_at__isnull=True,
        )
        # Versions by prefetch, not select_related: forty attempts share a few dozen versions,
        # and joining them would decode each version's JSON once per answer.
        .prefetch_related("slots__version")
    )
