"""How quizzes plug into the course: loaded and exported with it, linked under lessons."""

from django.dispatch import receiver
from django.utils.translation import gettext

from lessons.course_files import CourseFileError
from lessons.hooks import NextStep
from lessons.signals import course_exported, course_loaded
from lessons.translation import shown_value
from quizzes.course_files import QuizFileError, export_quizzes, load_quizzes
from quizzes.models import Quiz


@receiver(course_loaded)
def load_course_quizzes(sender, course, directory, force, report, **kwargs):
    try:
        load_quizzes(directory, force=force, report=report)
    except QuizFileError as error:
        # Raised inside load_course's transaction, so the whole load is undone.
        raise CourseFileError(str(error)) from error


@receiver(course_exported)
def export_course_quizzes(sender, course, directory, report, **kwargs):
    report.extend(export_quizzes(directory, course))


def quizzes_after_lesson(lesson, user):
    take = gettext("Take the quiz: %(title)s")
    return [
        NextStep(label=take % {"title": shown_value(quiz, "title")}, url=quiz.get_absolute_url())
        for quiz in Quiz.objects.visible_to(user)
        .filter(lesson=lesson)
        .only("slug", "title", "translations")
    ]
