"""What a certificate states, read once when it is issued and kept on its row.

The paper, /verify/ and the lists show these facts, never the live account, certification or
marks: a trainee who renames themselves, a regrade or a new edition of the practical does not
change a certificate already issued (a new name is printed by a reissue).

The theory result, worked through: a quiz counts from the attempt that first made it pass by
its own grading method, and the certificate states the quiz's result at that moment and that
attempt's finish. Ada failed the final (highest grade) with 40% on 2 June and passed it with 80%
on 3 June: "80%, 3 June"; a later 100% changes nothing. With several quizzes the certificate
states the lowest of their results and the latest of their dates: the theory was complete then,
and the figure never flatters the weakest quiz.
"""

from typing import NamedTuple

from django.contrib.auth import get_user_model

from certification.models import MarkResult
from quizzes.models import Attempt, AttemptState
from quizzes.services import finished_in_order, overall_result


class TheoryResult(NamedTuple):
    percent: object  # Decimal
    passed_at: object  # datetime


def display_name(user):
    """The name the site shows for a person: their full name, else their username."""
    return user.get_full_name() or user.get_username()


def first_pass(grading_method, pass_mark, attempts):
    """The quiz's result when it first counted as passed, and that attempt's finish; None if
    the attempts never pass it. Works on any objects with an attempt's fields (migrations)."""
    finished = finished_in_order(attempts)
    for count in range(1, len(finished) + 1):
        result = overall_result(grading_method, pass_mark, finished[:count])
        if result.passed:
            return TheoryResult(result.percent, finished[count - 1].finished_at)
    return None


def combined_theory(passes):
    """Several quizzes' first passes as one: the lowest result, the latest date; None if
    there is no quiz or one is not passed."""
    if not passes or None in passes:
        return None
    return TheoryResult(min(p.percent for p in passes), max(p.passed_at for p in passes))


def theory_facts(trainee, certification):
    quizzes = list(certification.quizzes.all())
    attempts = Attempt.objects.filter(
        trainee=trainee, quiz__in=quizzes, state=AttemptState.FINISHED
    ).order_by("number")
    by_quiz = {}
    for attempt in attempts:
        by_quiz.setdefault(attempt.quiz_id, []).append(attempt)
    return combined_theory(
        [first_pass(q.grading_method, q.pass_mark, by_quiz.get(q.pk, [])) for q in quizzes]
    )


def practical_facts(trainee, certification):
    """(assessor, their name, the date of the practical, the skills' texts).

    Assessed in a session: the session's assessor, and when they found the swimmer competent.
    Else (a club's badge marked at practice) whoever made the latest standing "shown" mark on
    one of the skills the certificate needs, and when."""
    from certification.assessments import passing_result  # they issue with these facts
    from certification.services import standing_marks

    items = list(certification.items.required())
    if certification.assessed_in_session:
        result = passing_result(trainee, certification)
        skills = [item.text for item in items]
        if result is None:
            return None, "", None, skills
        assessor = result.session.assessor
        return assessor, display_name(assessor), result.decided_at, skills
    marks = standing_marks([trainee.pk], items)
    shown = [
        mark
        for mark in (marks.get((trainee.pk, item.pk)) for item in items)
        if mark is not None and mark.result == MarkResult.SHOWN
    ]
    skills = [item.text for item in items]
    if not shown:
        return None, "", None, skills
    latest = max(shown, key=lambda mark: mark.marked_at)
    assessor = None
    if latest.coach:
        User = get_user_model()
        assessor = User.objects.filter(**{User.USERNAME_FIELD: latest.coach}).first()
    return assessor, display_name(assessor) if assessor else "", latest.marked_at, skills


def issuer_names(issuer):
    """{issuer_name, issuer_federation_name} as the certificate states them."""
    if issuer is None:
        return {"issuer_name": "", "issuer_federation_name": ""}
    federation = issuer.federation.name if issuer.federation_id is not None else ""
    return {"issuer_name": issuer.name, "issuer_federation_name": federation}


def certificate_facts(trainee, certification, issuer):
    """The fields of a new certificate that say what it states."""
    theory = theory_facts(trainee, certification)
    assessor, assessor_name, practical_at, skills = practical_facts(trainee, certification)
    return {
        "holder_name": display_name(trainee),
        "certification_title": certification.title,
        **issuer_names(issuer),
        "assessor": assessor,
        "assessor_name": assessor_name,
        "theory_percent": theory.percent if theory else None,
        "theory_passed_at": theory.passed_at if theory else None,
        "practical_at": practical_at,
        "assessed": skills,
    }
