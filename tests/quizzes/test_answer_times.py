"""An answer is never stamped later than the finish of its attempt, even when a save and a
submit race: both read the clock only once they hold the attempt's lock."""

from contextlib import contextmanager
from datetime import timedelta

from django.db import connection
from django.urls import reverse
from django.utils import timezone

from quizzes.models import Attempt
from quizzes.services import save_answers, start_attempt, submit_attempt
from tests.factories import add_single, make_quiz


@contextmanager
def save_slips_in_before_the_submit_locks(attempt):
    """Save an answer the moment the submit asks for the attempt's lock, as a racing save would."""
    slot = attempt.slots.select_related("version").get()
    fired = []

    def wrapper(execute, sql, params, many, context):
        # Inside the service's transaction (a savepoint in the test's): the locking read.
        if not fired and connection.savepoint_ids and 'FROM "quizzes_attempt"' in sql:
            fired.append(True)
            save_answers(attempt, {slot.pk: {"option": slot.version.data["options"][0]["key"]}})
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield
    assert fired, "the racing save never ran"


def answer_times(attempt):
    return list(attempt.slots.exclude(answered_at=None).values_list("answered_at", flat=True))


def test_a_save_that_wins_the_lock_is_not_stamped_after_the_finish(trainee):
    quiz = make_quiz()
    add_single(quiz)
    attempt = start_attempt(quiz, trainee)
    with save_slips_in_before_the_submit_locks(attempt):
        finished, _ = submit_attempt(attempt)
    assert answer_times(finished)
    assert max(answer_times(finished)) <= finished.finished_at


def test_the_submit_button_finishes_after_every_saved_answer(client, trainee):
    quiz = make_quiz()
    add_single(quiz)
    attempt = start_attempt(quiz, trainee)
    client.force_login(trainee)
    with save_slips_in_before_the_submit_locks(attempt):
        response = client.post(reverse("quizzes:attempt_submit", args=[attempt.pk]))
    assert response.status_code == 302
    finished = Attempt.objects.get(pk=attempt.pk)
    assert finished.is_finished
    assert max(answer_times(finished)) <= finished.finished_at


def test_an_answer_in_the_grace_counts_as_given_by_the_deadline(trainee, settings):
    quiz = make_quiz(time_limit_minutes=5)
    add_single(quiz)
    started = timezone.now() - timedelta(minutes=5, seconds=10)
    attempt = start_attempt(quiz, trainee, now=started)
    assert settings.QUIZ_DEADLINE_GRACE_SECONDS > 10
    slot = attempt.slots.select_related("version").get()
    save_answers(attempt, {slot.pk: {"option": slot.version.data["options"][0]["key"]}})
    # Time runs out for good (grace over): the server finishes the attempt at its deadline.
    later = attempt.deadline + timedelta(seconds=settings.QUIZ_DEADLINE_GRACE_SECONDS + 1)
    finished, _ = submit_attempt(attempt, now=later, timed_out=True)
    assert finished.finished_at == attempt.deadline
    assert answer_times(finished) == [attempt.deadline]
