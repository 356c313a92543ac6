"""Run in a child process against the load-test database: replay what each trainee sent
through the answer form and the scoring functions, and compare with what the server stored.

Usage: python check_attempts.py SENT.json QUIZ_SLUG   (prints one JSON report per trainee)
       python check_attempts.py --describe QUIZ_SLUG USERNAME...   (their attempts, rescored)
       python check_attempts.py --census   (counts, and every attempt that is not whole)
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import django

django.setup()

from decimal import Decimal  # noqa: E402

from django.http import QueryDict  # noqa: E402

from quizzes import scoring  # noqa: E402
from quizzes.forms import AttemptPageForm  # noqa: E402
from quizzes.models import Attempt, AttemptQuestion, AttemptState  # noqa: E402
from quizzes.selectors import slots_of  # noqa: E402


def replay(attempt, pages_sent):
    """The responses the server should have stored for these posts, and the score they earn."""
    data = QueryDict(mutable=True)
    for page in pages_sent:
        for name, values in page.items():
            data.setlist(name, values)
    slots = slots_of(attempt)
    form = AttemptPageForm(slots, data)
    valid = form.is_valid()
    expected = Decimal(0)
    mismatched = []
    for slot in slots:
        response = form.responses.get(slot.pk) if valid else None
        fraction = scoring.score_response(slot.version.data, response)
        expected += scoring.points_for(slot.version.data, fraction)
        if response != slot.response:
            mismatched.append(slot.position)
    return valid, expected, mismatched


def main(sent_path, quiz_slug):
    sent = json.loads(Path(sent_path).read_text())
    reports = {}
    for username, pages_sent in sent.items():
        attempts = list(Attempt.objects.filter(trainee__username=username, quiz__slug=quiz_slug))
        report = {"attempts": len(attempts)}
        if len(attempts) == 1:
            attempt = attempts[0]
            valid, expected, mismatched = replay(attempt, pages_sent)
            report.update(
                finished=attempt.is_finished,
                stored_score=str(attempt.score),
                expected_score=str(expected),
                form_valid=valid,
                mismatched_questions=mismatched,
            )
        reports[username] = report
    print(json.dumps(reports))


def rescore(slots):
    return sum(
        (
            scoring.points_for(
                slot.version.data, scoring.score_response(slot.version.data, slot.response)
            )
            for slot in slots
        ),
        Decimal(0),
    )


def census():
    """Users, attempts and answers, and the attempts that are not whole: question positions
    other than 1..n, or a finished attempt whose score is not the score of its answers."""
    from django.contrib.auth import get_user_model

    broken = []
    for attempt in Attempt.objects.all():
        slots = slots_of(attempt)
        whole = [slot.position for slot in slots] == list(range(1, len(slots) + 1)) and slots
        if not whole or (attempt.is_finished and attempt.score != rescore(slots)):
            broken.append(attempt.pk)
    print(
        json.dumps(
            {
                "users": get_user_model().objects.count(),
                "attempts": Attempt.objects.count(),
                "finished": Attempt.objects.filter(state=AttemptState.FINISHED).count(),
                "answers": AttemptQuestion.objects.count(),
                "broken_attempts": broken,
            }
        )
    )


def describe(quiz_slug, *usernames):
    """Each trainee's attempts, with the score their stored answers earn when scored again."""
    reports = {}
    for username in usernames:
        reports[username] = []
        for attempt in Attempt.objects.filter(trainee__username=username, quiz__slug=quiz_slug):
            rescored = rescore(slots_of(attempt))
            reports[username].append(
                {
                    "pk": attempt.pk,
                    "state": attempt.state,
                    "score": str(attempt.score),
                    "rescored": str(rescored),
                    "finished_at": str(attempt.finished_at),
                }
            )
    print(json.dumps(reports))


if __name__ == "__main__":
    if sys.argv[1] == "--describe":
        describe(*sys.argv[2:])
    elif sys.argv[1] == "--census":
        census()
    else:
        main(*sys.argv[1:])
