"""Reads that decide what a user may see; every view goes through these."""

from django.db.models import Count, Exists, F, OuterRef, Q
from django.shortcuts import get_object_or_404

from quizzes.models import Attempt
from training.models import Assignment, Invitation, Membership, TrainingGroup


def groups_coached_by(user):
    """The groups the person runs (coaches, or administers the club of), with the number of
    active trainees in each, by name."""
    return (
        TrainingGroup.objects.run_by(user)
        .select_related("club")
        .annotate(
            trainee_count=Count(
                "memberships", filter=Q(memberships__removed_at__isnull=True), distinct=True
            ),
            assignment_count=Count("assignments", distinct=True),
        )
        # Written out: Django drops Meta.ordering from a query with GROUP BY, and the counts
        # make this one, so the list came in whatever order the database chose.
        .order_by("name", "pk")
    )


def get_group_for_coach(user, pk):
    """A group the user coaches or whose club they administer, or 404: any other group does
    not exist for them."""
    return get_object_or_404(TrainingGroup.objects.run_by(user), pk=pk)


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


def memberships_covering(attempt):
    """The trainee's memberships that were running when the attempt started."""
    return Membership.objects.filter(
        Q(removed_at__isnull=True) | Q(removed_at__gte=attempt.started_at),
        trainee_id=attempt.trainee_id,
        joined_at__lte=attempt.started_at,
    )


def made_in_group(group):
    """A filter for attempts a group's coaches may see: at a quiz assigned in the group, started
    while the trainee was a member. Other groups' work is not theirs to read."""
    during_membership = Membership.objects.filter(
        Q(removed_at__isnull=True) | Q(removed_at__gte=OuterRef("started_at")),
        group=group,
        trainee=OuterRef("trainee"),
        joined_at__lte=OuterRef("started_at"),
    )
    return Q(
        Exists(during_membership),
        quiz__in=Assignment.objects.filter(group=group, quiz__isnull=False).values("quiz_id"),
    )


def attempts_of_trainee_in_group(trainee, group):
    """The coach's view of a trainee's attempts, newest first, with their quiz."""
    return (
        Attempt.objects.of(trainee)
        .filter(made_in_group(group))
        .select_related("quiz")
        .order_by("-started_at")
    )


def group_quiz_attempts(group, quiz):
    """Finished attempts of the group's current trainees at a quiz, with their answers."""
    return (
        Attempt.objects.finished()
        .filter(
            made_in_group(group),
            quiz=quiz,
            trainee__memberships__group=group,
            trainee__memberships__removed_at__isnull=True,
        )
        # Versions by prefetch, not select_related: forty attempts share a few dozen versions,
        # and joining them would decode each version's JSON once per answer.
        .prefetch_related("slots__version")
    )


def pending_invitations(group):
    """Invitations not yet accepted, newest first: the coach sees the addresses they typed."""
    return Invitation.objects.pending().filter(group=group).order_by("-created_at")


def groups_of_trainee(trainee):
    """The groups the person is in now, with their coaches (My account, leave a group)."""
    return (
        TrainingGroup.objects.filter(
            memberships__trainee=trainee, memberships__removed_at__isnull=True
        )
        .prefetch_related("coaches")
        .order_by("name")
    )
