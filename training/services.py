"""Group, assignment and override writes. Views, admin and commands call these."""

from django.contrib.auth.models import Group as AuthGroup
from django.db import IntegrityError, transaction
from django.utils import timezone

from training.models import (
    Assignment,
    Membership,
    QuizOverride,
    TrainingGroup,
    generate_join_code,
)
from training.roles import TRAINEE


class JoinRefused(Exception):
    """The trainee cannot join; the message says why in plain words."""


def create_group(coach, name, description=""):
    group = TrainingGroup.objects.create(name=name, description=description)
    group.coaches.add(coach)
    return group


def renew_join_code(group):
    """A new code (and invitation link): the old one stops working at once."""
    group.join_code = generate_join_code()
    group.save(update_fields=["join_code"])
    return group.join_code


def add_trainee(group, trainee):
    """Put the trainee in the group, or back in it after a removal; history is kept."""
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(group=group, trainee=trainee)
        if not created and membership.removed_at is not None:
            membership.removed_at = None
            membership.joined_at = timezone.now()
            membership.save(update_fields=["removed_at", "joined_at"])
        trainee.groups.add(AuthGroup.objects.get(name=TRAINEE))
    return membership


def join_group(trainee, code):
    """Join with the code the coach shared; raises JoinRefused with a reason."""
    code = "".join(code.split()).upper()
    group = TrainingGroup.objects.filter(join_code=code).first()
    if group is None:
        raise JoinRefused("No group has that code. Check it with your coach.")
    if group.coaches.filter(pk=trainee.pk).exists():
        raise JoinRefused("You coach this group, so you cannot join it as a trainee.")
    try:
        return add_trainee(group, trainee)
    except IntegrityError:  # joined from two tabs at once: the other one won
        return Membership.objects.get(group=group, trainee=trainee)


def remove_trainee(membership, *, now=None):
    """End the membership; the trainee's reading and attempts stay on record."""
    if membership.removed_at is None:
        membership.removed_at = now or timezone.now()
        membership.save(update_fields=["removed_at"])
    return membership


def assign(group, item, *, due_at=None, assigned_by=None):
    """Assign a lesson or a quiz to the group; assigning it again updates the due date."""
    field = "lesson" if item._meta.model_name == "lesson" else "quiz"
    assignment, created = Assignment.objects.get_or_create(
        group=group,
        **{field: item},
        defaults={"due_at": due_at, "assigned_by": assigned_by},
    )
    if not created and assignment.due_at != due_at:
        assignment.due_at = due_at
        assignment.save(update_fields=["due_at"])
    return assignment


def set_override(assignment, trainee, *, extra_attempts=0, extra_minutes=0, granted_by=None):
    """Give one trainee extra attempts or minutes on an assigned quiz; zero and zero removes it."""
    if not extra_attempts and not extra_minutes:
        QuizOverride.objects.filter(assignment=assignment, trainee=trainee).delete()
        return None
    override, _ = QuizOverride.objects.update_or_create(
        assignment=assignment,
        trainee=trainee,
        defaults={
            "extra_attempts": extra_attempts,
            "extra_minutes": extra_minutes,
            "granted_by": granted_by,
        },
    )
    return override
