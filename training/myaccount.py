"""What training keeps about a person, for My account (accounts gathers every app's module)."""

from training.models import ManagedAccount, Membership, QuizOverride
from training.services import remove_trainee


def personal_data(user):
    memberships = Membership.objects.filter(trainee=user).select_related("group")
    overrides = QuizOverride.objects.filter(trainee=user).select_related(
        "assignment__group", "assignment__quiz"
    )
    managed = ManagedAccount.objects.filter(user=user).select_related("group").first()
    return {
        "memberships": [
            {
                "group": m.group.name,
                "joined_at": m.joined_at,
                "left_at": m.removed_at,
                "time_multiplier": m.time_multiplier,
            }
            for m in memberships.order_by("joined_at", "pk")
        ],
        "extra_time_or_attempts": [
            {
                "group": o.assignment.group.name,
                "quiz": o.assignment.quiz.title if o.assignment.quiz_id else "",
                "extra_attempts": o.extra_attempts,
                "extra_minutes": o.extra_minutes,
            }
            for o in overrides.order_by("pk")
        ],
        "account_made_by_roster_of": managed.group.name if managed else None,
    }


def forget(user):
    """Leave every group (allowances end with it) and drop the roster's record of the name.

    Invitations a coach e-mailed to the account's address stay: they are the coach's, and the
    address may be anyone's; they expire on their own after INVITATION_DAYS."""
    for membership in Membership.objects.active().filter(trainee=user):
        remove_trainee(membership)
    ManagedAccount.objects.filter(user=user).delete()
