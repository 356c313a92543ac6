"""Reads shared by views: which lessons a user sees, with their reading state."""

from dataclasses import dataclass

from django.db.models import OuterRef, Subquery
from django.shortcuts import get_object_or_404

from lessons.models import Course, Lesson, LessonProgress


def visible_courses(user):
    return Course.objects.all() if user.is_staff else Course.objects.published()


def get_course_for(user, slug):
    return get_object_or_404(visible_courses(user), slug=slug)


def lessons_with_progress(user, course):
    """The course's lessons the user may see, each annotated with started_at and completed_at."""
    progress = LessonProgress.objects.filter(lesson=OuterRef("pk"), trainee=user)
    return (
        Lesson.objects.visible_to(user)
        .filter(course=course)
        .select_related("course")
        .annotate(
            started_at=Subquery(progress.values("started_at")[:1]),
            completed_at=Subquery(progress.values("completed_at")[:1]),
        )
        .defer("body", "body_html")
    )


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
