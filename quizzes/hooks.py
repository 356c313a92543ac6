"""Extension points for apps built on quizzes (training), registered from their AppConfig.ready().

- Policy providers: (quiz_ids, trainee) -> {quiz_id: AttemptAllowance}, e.g. a coach's override
  giving one trainee extra time or extra attempts. Providers answer for many quizzes at once so a
  list of quizzes costs one lookup, not one per quiz. Allowances from all providers add up.
- Attempt viewers: (user, attempt) -> bool, e.g. the coach of the trainee's group may see an
  attempt. The trainee who owns it and admins always may.
"""

from dataclasses import dataclass

_policy_providers = []
_attempt_viewers = []


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
            )
    return totals


def allowance_for(quiz, trainee):
    return allowances_for([quiz], trainee)[quiz.pk]


def may_view_attempt(user, attempt):
    if attempt.trainee_id == user.pk or user.is_staff:
        return True
    return any(rule(user, attempt) for rule in _attempt_viewers)
