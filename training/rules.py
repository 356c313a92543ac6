"""What training adds to quizzes: coaches' overrides, and coaches looking at attempts."""

from training.models import QuizOverride, TrainingGroup
from training.progress import allowance_from


def quiz_allowance(quiz, trainee):
    """Extra attempts or minutes a coach granted this trainee on this quiz."""
    return allowance_from(QuizOverride.objects.filter(assignment__quiz=quiz, trainee=trainee))


def coach_may_view_attempt(user, attempt):
    """A coach may look at the attempts of anyone who is, or was, in a group they coach."""
    return TrainingGroup.objects.filter(
        coaches=user, memberships__trainee=attempt.trainee_id
    ).exists()
