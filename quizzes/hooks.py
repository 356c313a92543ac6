"""Extension points for apps built on quizzes (training), registered from their AppConfig.ready().

- Policy providers: (quiz, trainee) -> AttemptAllowance, e.g. a coach's override giving one
  trainee extra time or extra attempts. Allowances from all providers add up.
- Attempt viewers: (user, attempt) -> bool, e.g. the coach of the trainee's group may see an
  attempt. The trainee who owns it and admins always may.
- Finish listeners: (attempt, now) called inside the transaction that scores an attempt, so
  what they write (e.g. a certificate earned by passing) commits or rolls back with the score.
"""

from dataclasses import dataclass

_policy_providers = []
_attempt_viewers = []
_finish_listeners = []


@dataclass(frozen=True)
class AttemptAllowance:
    extra_attempts: int = 0
    extra_minutes: int = 0


def register_policy_provider(provider):
    if provider not in _policy_providers:
        _policy_providers.append(provider)


def register_attempt_viewer(rule):
    if rule not in _attempt_viewers:
        _attempt_viewers.append(rule)


def allowance_for(quiz, trainee):
    allowances = [provider(quiz, trainee) for provider in _policy_providers]
    return AttemptAllowance(
        extra_attempts=sum(a.extra_attempts for a in allowances),
        extra_minutes=sum(a.extra_minutes for a in allowances),
    )


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
