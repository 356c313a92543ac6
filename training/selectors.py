"""Reads that decide what a user may see; every view goes through these."""

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404

from training.models import TrainingGroup


def groups_coached_by(user):
    """The coach's groups with the number of active trainees in each."""
    return TrainingGroup.objects.coached_by(user).annotate(
        trainee_count=Count("memberships", filter=Q(memberships__removed_at__isnull=True))
    )


def get_group_for_coach(user, pk):
    """A group the user coaches, or 404: someone else's group does not exist for them."""
    return get_object_or_404(TrainingGroup.objects.coached_by(user), pk=pk)


def groups_of_trainee(user):
    return TrainingGroup.objects.filter(
        memberships__trainee=user, memberships__removed_at__isnull=True
    )
