"""Extension points for apps built on quizzes (training), registered from their AppConfig.ready().

- Policy providers: (quiz_ids, trainee) -> {quiz_id: AttemptAllowance}, e.g. a coach's override
  giving one trainee extra time or extra attempts. Providers answer for many quizzes at once so a
  list of quizzes costs one lookup, not one per quiz. Allowances from all providers add up.
- Attempt viewers: (user, attempt) -> bool, e.g. the coach of the trainee's group may see an
  attempt. The trainee who owns it and admins always may.
- Finish listeners: (attempt, now) called inside the transaction that scores an attempt, so
  what they write (e.g. a certificate earned by passing) commits or rolls back with the score.
- Review closers: (quiz_ids, trainee) -> {quiz_id: datetime}, when a quiz closes for this trainee
  besides its own closes_at (e.g. the due date of the assignment that set it). Review options
  "after the quiz closes" wait for the latest of them.
- Regrade listeners: (attempt, was_passed) called inside the transaction of a regrade for every
  attempt whose pass or fail it changed, e.g. to certify a trainee who now passes, as of then.
- Result notes: (attempt) -> [str], lines for the trainee's own result page about what the
  attempt means elsewhere, e.g. "the certificate still needs the practical".
"""

from dataclasses import dataclass
from decimal import Decimal

_policy_providers = []
_attempt_viewers = []
_finish_listeners = []
_review_closers = []
_regrade_listeners = []
_result_notes = []


@dataclass(frozen=True)
class AttemptAllowance:
    extra_attempts: int = 0
    extra_minutes: int = 0
    # A coach's time multiplier for a trainee who needs longer (x1.25, x1.5, x2).
    time_multiplier: Decimal = Decimal(1)


def register_policy_provider(provider):
    if provider not in _policy_providers:
        _policy_providers.append(provider)


def register_attempt_viewer(rule):
    if rule not in _attempt_viewers:
        _attempt_viewers.append(rule)


def allowances_for(quizzes, trainee):
    """{quiz id: AttemptAllowance} for every quiz given; one call to each provider."""
    totals = {quiz.pk: AttemptAllowance() for quiz in quizzes}
    if not totals:
        return totals
    for provider in _policy_providers:
        for quiz_id, extra in provider(list(totals), trainee).items():
            total = totals[quiz_id]
            totals[quiz_id] = AttemptAllowance(
                extra_attempts=total.extra_attempts + extra.extra_attempts,
                extra_minutes=total.extra_minutes + extra.extra_minutes,
                # Multipliers don't compound: the largest one granted counts.
                time_multiplier=max(total.time_multiplier, extra.time_multiplier),
            )
    return totals


def allowance_for(quiz, trainee):
    return allowances_for([quiz], trainee)[quiz.pk]


def may_view_attempt(user, attempt):
    if attempt.trainee_id == user.pk or user.is_staff:
        return True
    return any(rule(user, attempt) for rule in _attempt_viewers)


def register_finish_listener(listener):
    if listener not in _finish_listeners:
        _finish_listeners.append(listener)


def attempt_finished(attempt, now):
    for listener in _finish_listeners:
        listener(attempt, now)


def register_review_closer(closer):
    if closer not in _review_closers:
        _review_closers.append(closer)


def closing_times_of(quizzes, trainee):
    """{quiz id: [times]}: when each quiz closes for this trainee, its own closes_at and the
    closers' times (one call to each closer for all the quizzes)."""
    times = {quiz.pk: [quiz.closes_at] if quiz.closes_at else [] for quiz in quizzes}
    if not times:
        return times
    for closer in _review_closers:
        for quiz_id, found in closer(list(times), trainee).items():
            if found:
                times[quiz_id].append(found)
    return times


def register_regrade_listener(listener):
    if listener not in _regrade_listeners:
        _regrade_listeners.append(listener)


def attempt_regraded(attempt, was_passed):
    for listener in _regrade_listeners:
        listener(attempt, was_passed)


def register_result_note(provider):
    if provider not in _result_notes:
        _result_notes.append(provider)


def result_notes(attempt):
    return [note for provider in _result_notes for note in provider(attempt)]
