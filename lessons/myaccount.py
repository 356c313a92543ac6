"""What lessons keeps about a person, for My account (accounts gathers every app's module)."""

from lessons.models import LessonProgress


def personal_data(user):
    reading = LessonProgress.objects.filter(trainee=user).select_related("lesson__course")
    return {
        "reading": [
            {
                "course": progress.lesson.course.title,
                "lesson": progress.lesson.title,
                "opened_at": progress.started_at,
                "marked_read_at": progress.completed_at,
            }
            for progress in reading.order_by("started_at", "pk")
        ]
    }


def forget(user):
    """Reading stays, tied to the anonymised account: it names no one once the account is gone."""
