"""Extension point: apps built on lessons (quizzes) add links shown under a lesson.

A provider is a function (lesson, user) -> list of NextStep; it is registered from the
providing app's AppConfig.ready(), so lessons never imports the apps built on it.
"""

from dataclasses import dataclass

_next_step_providers = []


@dataclass(frozen=True)
class NextStep:
    label: str
    url: str
    note: str = ""


def register_next_step_provider(provider):
    if provider not in _next_step_providers:
        _next_step_providers.append(provider)


def next_steps(lesson, user):
    return [step for provider in _next_step_providers for step in provider(lesson, user)]
