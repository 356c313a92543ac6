"""Reads shared by views: which lessons a user sees, with their reading state."""

from dataclasses import dataclass

from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext

from lessons.models import Course, Lesson, LessonProgress


def visible_courses(user):
    return Course.objects.all() if user.is_staff else Course.objects.published()


def get_course_for(user, slug):
    return get_object_or_404(visible_courses(user), slug=slug)


def lessons_with_progress(user, course=None, *, course_slug=None):
    """The course's lessons the user may see, each annotated with started_at and completed_at.

    Give the course, or its slug to read the course with the lessons in the same query.
    """
    progress = LessonProgress.objects.filter(lesson=OuterRef("pk"), trainee=user)
    lessons = Lesson.objects.visible_to(user)
    if course is not None:
        lessons = lessons.filter(course=course)
    else:
        lessons = lessons.filter(course__slug=course_slug)
        if not user.is_staff:
            lessons = lessons.filter(course__is_published=True)
    return (
        lessons.select_related("course")
        .annotate(
            started_at=Subquery(progress.values("started_at")[:1]),
            completed_at=Subquery(progress.values("completed_at")[:1]),
        )
        .defer("body", "body_html")
    )


def lesson_with_siblings(user, course_slug, lesson_slug):
    """(lesson with its body, all lessons of its course in order) in one query, or 404."""
    lessons = list(lessons_with_progress(user, course_slug=course_slug).defer(None))
    lesson = next((lesson for lesson in lessons if lesson.slug == lesson_slug), None)
    if lesson is None:
        raise Http404(gettext("No such lesson."))
    return lesson, lessons


@dataclass
class CourseProgress:
    read: int
    total: int

    @property
    def percent(self):
        return round(100 * self.read / self.total) if self.total else 0


def course_progress(lessons):
    """Progress over lessons annotated by lessons_with_progress."""
    return CourseProgress(
        read=sum(1 for lesson in lessons if lesson.completed_at), total=len(lessons)
    )
