"""Reading progress: the writes. Views, commands and other apps call these."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from lessons.models import LessonProgress


def _progress(trainee, lesson):
    try:
        with transaction.atomic():
            return LessonProgress.objects.get_or_create(trainee=trainee, lesson=lesson)[0]
    except IntegrityError:  # another tab created it a moment ago
        return LessonProgress.objects.get(trainee=trainee, lesson=lesson)


def mark_lesson_started(trainee, lesson):
    """Record that the trainee opened the lesson (once; later visits change nothing)."""
    return _progress(trainee, lesson)


def mark_lesson_read(trainee, lesson, *, when=None):
    """Mark the lesson read; marking it again keeps the first time it was read."""
    progress = _progress(trainee, lesson)
    if progress.completed_at is None:
        progress.completed_at = when or timezone.now()
        progress.save(update_fields=["completed_at"])
    return progress


def mark_lesson_unread(trainee, lesson):
    LessonProgress.objects.filter(trainee=trainee, lesson=lesson).update(completed_at=None)
