"""Practical assessment sessions, as plain functions.

Coaches mark practice freely; those marks never certify a certification whose practical is
assessed in a session (Certification.assessed_in_session, the shipped one). An assessor opens a
session for a group (date, venue, water, depth, conditions), marks each swimmer's skills and
finishes them: the outcome against the pass standard (standard.py) is decided then, once, and
kept. A swimmer who is not yet competent is reassessed in a later session; every session stays.

Who may be assessed, worked through: Bea assesses the Dolphins' squad on 3 June. Ada passed the
theory on 1 June: Bea may assess her. Ben passed it on 5 June: not in this session (a practical
dated before the theory it follows). Cy trains in Bea's own Tuesday group: when the
certification wants an independent assessor (the default), another assessor must do it.
"""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

from certification import frozen, standard
from certification.models import AssessmentResult, AssessmentSession
from organisations.access import holds
from organisations.models import Role
from training.models import Membership, TrainingGroup


class AssessmentRefused(Exception):
    """The assessment step cannot be taken; the message says why, and nothing was saved."""


def may_assess_in(user, group):
    """An assessor of the group's club, now."""
    return holds(user, Role.ASSESSOR, group.club)


def open_session(*, assessor, group, certification, held_on, today=None, **conditions):
    """A new session; refused for someone who is not an assessor of the group's club or for a
    date still to come (a session records what happened)."""
    today = today or timezone.localdate()
    if not may_assess_in(assessor, group):
        raise AssessmentRefused(gettext("Only an assessor of the group's club can assess it."))
    if held_on > today:
        raise AssessmentRefused(gettext("An assessment cannot be dated in the future."))
    return AssessmentSession.objects.create(
        assessor=assessor, group=group, certification=certification, held_on=held_on, **conditions
    )


def close_session(session, *, now=None):
    """Closed sessions take no more marks; until then the skills' criteria cannot change."""
    if session.closed_at is None:
        session.closed_at = now or timezone.now()
        session.save(update_fields=["closed_at"])
    return session


def coached_by(trainee_ids):
    """{trainee_id: {coach ids}}: who coaches each of them in a group they are in now."""
    coaching = {}
    rows = TrainingGroup.coaches.through.objects.filter(
        traininggroup__memberships__trainee_id__in=trainee_ids,
        traininggroup__memberships__removed_at__isnull=True,
    ).values_list("traininggroup__memberships__trainee_id", "user_id")
    for trainee_id, coach_id in rows:
        coaching.setdefault(trainee_id, set()).add(coach_id)
    return coaching


def theory_dates(trainee_ids, certification):
    """{trainee_id: the local date the theory was passed} for those who passed it (a
    certification with no quiz has no theory: it counts as passed long ago)."""
    if not certification.quizzes.exists():
        return dict.fromkeys(trainee_ids, date.min)
    dates = {}
    for trainee_id in trainee_ids:
        theory = frozen.theory_facts(trainee_id, certification)
        if theory is not None:
            dates[trainee_id] = timezone.localtime(theory.passed_at).date()
    return dates


def why_not(session, trainee, *, coaches, theory_on, result=None):
    """Why the session's assessor may not assess this swimmer now, or "" if they may.

    coaches: the swimmer's coaches' ids (coached_by); theory_on: the date the swimmer passed
    the theory, or None; result: their AssessmentResult in this session, if any."""
    name = frozen.display_name(trainee)
    if result is not None:
        return gettext("%(name)s was finished in this session: %(outcome)s") % {
            "name": name,
            "outcome": result.summary,
        }
    if session.closed_at is not None:
        return gettext("This session is closed: open a new one to assess.")
    if session.certification.independent_assessor and session.assessor_id in coaches:
        return gettext(
            "You coach %(name)s: another assessor must assess them (this certification "
            "needs an assessor who did not train the candidate)."
        ) % {"name": name}
    if theory_on is None:
        return gettext("%(name)s has not passed the theory yet: the practical follows it.") % {
            "name": name
        }
    if theory_on > session.held_on:
        return gettext(
            "%(name)s passed the theory on %(date)s, after this session's date: assess them "
            "in a later session."
        ) % {"name": name, "date": date_format(theory_on, "j M Y")}
    return ""


def refusal_for(session, trainee):
    """why_not, reading what it needs (three small queries)."""
    return why_not(
        session,
        trainee,
        coaches=coached_by([trainee.pk]).get(trainee.pk, set()),
        theory_on=theory_dates([trainee.pk], session.certification).get(trainee.pk),
        result=AssessmentResult.objects.filter(session=session, trainee=trainee).first(),
    )


def candidate_membership(session, trainee_pk):
    """The swimmer's membership of the session's group now, or None."""
    return (
        Membership.objects.active()
        .filter(group=session.group_id, trainee_id=trainee_pk)
        .select_related("trainee")
        .first()
    )


def record_assessment_mark(session, trainee, item, *, key, result, note="", marked_at=None):
    """One of the assessor's marks (services.record_mark, tied to the session); refused with
    the reason when the swimmer may not be assessed in it. A mark resent with its key is the
    same mark, even after the swimmer was finished."""
    from certification import services  # services reads sessions' results for the practical

    existing = services.existing_mark(key, trainee, item)
    if existing is not None:
        return existing, False
    reason = refusal_for(session, trainee)
    if reason:
        raise AssessmentRefused(reason)
    return services.record_mark(
        key=key,
        coach=session.assessor,
        group=session.group,
        session=session,
        trainee=trainee,
        item=item,
        result=result,
        note=note,
        marked_at=marked_at,
    )


def session_marks(session, trainee_ids, items):
    """{(trainee_id, item_id): StandingMark} of the marks made in this session only."""
    from certification import services

    return services.standing_marks(trainee_ids, items, session=session)


def outcome_in(session, trainee, items, marks=None):
    """(outcome against the pass standard, how many required skills are still unmarked)."""
    from certification import services

    marks = session_marks(session, [trainee.pk], items) if marks is None else marks
    required = standard.counted(items)
    unmarked = sum(marks.get((trainee.pk, item.pk)) is None for item in required)
    shown = services.shown_marks(marks, trainee.pk)
    pass_min_others = session.certification.pass_min_others
    return standard.outcome(required, shown, pass_min_others=pass_min_others), unmarked


def finish(session, trainee, *, now=None):
    """Decide the swimmer's outcome in the session, once: every required skill must carry a
    mark. A pass certifies when the theory is done (services.check_certification). Two
    devices finishing at once: the second gets the first's result."""
    from certification import services

    now = now or timezone.now()
    with transaction.atomic():
        services.lock_trainee(trainee)
        existing = AssessmentResult.objects.filter(session=session, trainee=trainee).first()
        if existing is not None:
            return existing
        reason = refusal_for(session, trainee)
        if reason:
            raise AssessmentRefused(reason)
        items = list(session.certification.items.required())
        outcome, unmarked = outcome_in(session, trainee, items)
        if unmarked:
            raise AssessmentRefused(
                ngettext(
                    "Mark every skill first: %(count)d is not marked yet.",
                    "Mark every skill first: %(count)d are not marked yet.",
                    unmarked,
                )
                % {"count": unmarked}
            )
        summary = gettext("Competent.") if outcome.passed else str(standard.describe(outcome))
        try:
            with transaction.atomic():
                result = AssessmentResult.objects.create(
                    session=session,
                    trainee=trainee,
                    passed=outcome.passed,
                    summary=summary,
                    decided_at=now,
                )
        except IntegrityError:  # finished a moment ago from another device
            return AssessmentResult.objects.get(session=session, trainee=trainee)
        if outcome.passed:
            services.check_certification(trainee, session.certification, now=now)
    return result


def passing_result(trainee, certification, *, since=None):
    """The latest session result in which the swimmer was found competent (decided since
    `since`, for a refresher's re-check), with its session and assessor; or None."""
    results = AssessmentResult.objects.filter(
        trainee=trainee, session__certification=certification, passed=True
    )
    if since is not None:
        results = results.filter(decided_at__gte=since)
    return results.select_related("session__assessor", "session__group").first()


def criteria_locked(certification):
    """While an assessment is open its skills, criteria and pass standard stay as they are:
    a swimmer is judged against what the assessor was reading."""
    if certification.pk is None:
        return False
    return AssessmentSession.objects.open().filter(certification=certification).exists()
