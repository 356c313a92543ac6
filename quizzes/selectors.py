"""Reads that decide what a user may see of quizzes and attempts."""

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404

from lessons.models import Lesson
from quizzes import hooks
from quizzes.models import Attempt, AttemptQuestion, Quiz


def visible_quizzes(user):
    return Quiz.objects.visible_to(user)


def get_quiz_for(user, slug):
    return get_object_or_404(visible_quizzes(user), slug=slug)


def quizzes_with_attempts(user, quizzes=None):
    """Quizzes the user sees, each with .my_attempts: their attempts, oldest first."""
    quizzes = quizzes if quizzes is not None else visible_quizzes(user)
    return quizzes.prefetch_related(
        Prefetch(
            "attempts",
            queryset=Attempt.objects.of(user).order_by("number"),
            to_attr="my_attempts",
        )
    )


def get_own_attempt(user, pk):
    """An attempt of the user's own, to answer or submit: anyone else's is a 404."""
    return get_object_or_404(Attempt.objects.select_related("quiz"), pk=pk, trainee=user)


def get_attempt_to_view(user, pk):
    """An attempt the user may look at: their own, any for admins, their trainees' for coaches."""
    attempt = get_object_or_404(Attempt.objects.select_related("quiz", "trainee"), pk=pk)
    if not hooks.may_view_attempt(user, attempt):
        raise Http404("No such attempt.")
    return attempt


def slots_of(attempt):
    return list(
        AttemptQuestion.objects.filter(attempt=attempt)
        .select_related("version")
        .order_by("position")
    )


def next_lesson_after(quiz, user):
    """The lesson after the quiz's own in its course: where a trainee goes after passing."""
    if quiz.lesson is None:
        return None
    return (
        Lesson.objects.visible_to(user)
        .filter(course_id=quiz.lesson.course_id, order__gt=quiz.lesson.order)
        .order_by("order", "pk")
        .first()
    )
