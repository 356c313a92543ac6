"""What training adds to quizzes: coaches' overrides, and coaches looking at attempts."""

from training.models import QuizOverride
from training.progress import allowance_from
from training.selectors import memberships_covering


def quiz_allowance(quiz, trainee):
    """Extra attempts or minutes granted in the groups the trainee is in now (the larger counts)."""
    return allowance_from(
        QuizOverride.objects.active().filter(assignment__quiz=quiz, trainee=trainee)
    )


def coach_may_view_attempt(user, attempt):
    """Only an attempt at a quiz assigned in a group the user coaches, made while a member."""
    return (
        memberships_covering(attempt)
        .filter(group__coaches=user, group__assignments__quiz_id=attempt.quiz_id)
        .exists()
    )
