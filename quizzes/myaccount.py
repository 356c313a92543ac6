"""What quizzes keeps about a person, for My account (accounts gathers every app's module)."""

from django.db.models import Prefetch

from quizzes.models import Attempt, AttemptQuestion
from quizzes.review import review_shows_for_quizzes


def personal_data(user):
    slots = AttemptQuestion.objects.select_related("version").order_by("position")
    attempts = (
        Attempt.objects.of(user)
        .select_related("quiz")
        .prefetch_related(Prefetch("slots", queryset=slots))
        .order_by("started_at", "pk")
    )
    attempts = list(attempts)
    # Marks per question say which answers were right: they follow the quiz's review options
    # here as on the result page (a download is no way round them).
    quizzes = {attempt.quiz_id: attempt.quiz for attempt in attempts}
    shows = review_shows_for_quizzes(list(quizzes.values()), user)
    return {
        "attempts": [
            {
                "quiz": attempt.quiz.title,
                "number": attempt.number,
                "state": attempt.state,
                "started_at": attempt.started_at,
                "finished_at": attempt.finished_at,
                "percent": attempt.percent,
                "passed": attempt.passed,
                # The person's own answers; never the option weights, which would give away
                # the right answers of an attempt still open.
                "answers": [
                    {
                        "position": slot.position,
                        "question": slot.version.data.get("text", ""),
                        "answer": slot.response,
                        "score": slot.score
                        if attempt.is_finished and shows[attempt.quiz_id].marks
                        else None,
                    }
                    for slot in attempt.slots.all()
                ],
            }
            for attempt in attempts
        ]
    }


def forget(user):
    """Attempts stay, tied to the anonymised account, so groups' and quizzes' statistics stay
    true; they name no one once the account is gone."""
