"""Attempt state: start, save answers, submit, time out, and the grade across attempts."""

import math
import random
from datetime import timedelta
from decimal import Decimal
from typing import NamedTuple

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext, ngettext

from lessons.models import content_hash
from quizzes import hooks, scoring
from quizzes.models import (
    Attempt,
    AttemptQuestion,
    AttemptState,
    GradingMethod,
    QuestionType,
    QuestionVersion,
)
from quizzes.slots import draw_questions
from quizzes.text_formats import render_parts, render_text
from quizzes.translation import frozen_translations

_rng = random.SystemRandom()


class AttemptRefused(Exception):
    """The trainee may not start an attempt now; the message says why in plain words."""


class AttemptClosed(Exception):
    """The attempt no longer takes answers (finished, or past its deadline)."""


def _combined_feedback(question):
    """Moodle's combined feedback and hints, rendered, only when the question has them."""
    data = {
        f"{field}_html": str(render_text(getattr(question, field), question.text_format))
        for field in ("correct_feedback", "partly_correct_feedback", "incorrect_feedback")
        if getattr(question, field)
    }
    hints = [str(render_text(hint, question.text_format)) for hint in question.hints or []]
    return {**data, **({"hints_html": hints} if hints else {})}


OPTION_IMAGES = ("images", "feedback_images")


def freeze_question(question, *, points=None, must_pass=None):
    """Everything an attempt needs of a question, as plain JSON-able data.

    A quiz slot may set the points and must-pass of whatever it asks: they are frozen with the
    question, so scoring, review and statistics read them from the version as before."""
    lesson = question.lesson
    parts = render_parts(question.text, question.text_format)
    options = list(question.options.all())
    translations = frozen_translations(question, options)
    return {
        "type": question.type,
        "name": question.name,
        "text": question.text,
        "text_format": question.text_format,
        "text_html": str(render_text(question.text, question.text_format)),
        # A missing-word text: the HTML before and after its blank.
        **({"text_parts": list(parts)} if parts else {}),
        "points": str(question.points if points is None else points),
        "must_pass": question.must_pass if must_pass is None else must_pass,
        "explanation": question.explanation,
        "explanation_html": str(render_text(question.explanation, question.text_format)),
        **_combined_feedback(question),
        "lesson": {"title": lesson.title, "url": lesson.get_absolute_url()} if lesson else None,
        "unit": question.unit,
        "options": [
            {
                "key": str(option.pk),
                "text": option.text,
                "match_text": option.match_text,
                "weight": str(option.weight),
                "value": None if option.value is None else str(option.value),
                "tolerance": None if option.tolerance is None else str(option.tolerance),
                "feedback": option.feedback,
                # Only when it has some, so versions frozen before images keep their hash.
                **{
                    key: list(getattr(option, key)) for key in OPTION_IMAGES if getattr(option, key)
                },
            }
            for option in options
        ],
        # Only when there are some, so versions of untranslated questions keep their hash.
        **({"translations": translations} if translations else {}),
    }


def current_versions(questions, overrides=None):
    """The QuestionVersion of each question as it is now, creating the missing ones.

    overrides: for each question (same order), None or {"points": …, "must_pass": …} that a
    quiz slot sets; a question asked with other points is a version of its own."""
    overrides = overrides or [None] * len(questions)
    frozen = [
        freeze_question(question, **(override or {}))
        for question, override in zip(questions, overrides, strict=True)
    ]
    keys = [(q.pk, content_hash(data)) for q, data in zip(questions, frozen, strict=True)]
    QuestionVersion.objects.bulk_create(
        [
            QuestionVersion(question_id=pk, content_hash=h, data=data)
            for (pk, h), data in dict(zip(keys, frozen, strict=True)).items()
        ],
        ignore_conflicts=True,  # versions already frozen by earlier attempts stay as they are
    )
    versions = QuestionVersion.objects.filter(
        question_id__in={pk for pk, _ in keys}, content_hash__in={h for _, h in keys}
    )
    by_key = {(v.question_id, v.content_hash): v for v in versions}
    return [by_key[key] for key in keys]


def layout_for(data, shuffle_options, rng=_rng):
    """The order this attempt shows the options in; fixed when the attempt starts."""
    keys = [option["key"] for option in data["options"]]
    kind = data["type"]
    if kind in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        if shuffle_options:
            rng.shuffle(keys)
        return {"options": keys}
    if kind == QuestionType.TRUE_FALSE:
        return {"options": keys}
    if kind == QuestionType.ORDERING:
        shuffled = keys[:]
        # Always shuffled, and never shown already in the right order.
        for _ in range(10):
            rng.shuffle(shuffled)
            if shuffled != keys or len(keys) < 2:
                break
        return {"options": shuffled}
    if kind == QuestionType.MATCHING:
        items = [option["key"] for option in scoring.matching_items(data)]
        answers = scoring.matching_answers(data)
        if shuffle_options:
            rng.shuffle(items)
        rng.shuffle(answers)
        return {"items": items, "answers": answers}
    return {}


def attempts_used(quiz, trainee):
    return Attempt.objects.filter(quiz=quiz, trainee=trainee).count()


def attempts_allowed_for(quiz, trainee):
    """How many attempts this trainee has in all (None: unlimited), overrides included."""
    if quiz.attempts_allowed is None:
        return None
    return quiz.attempts_allowed + hooks.allowance_for(quiz, trainee).extra_attempts


def out_of_attempts(results, trainee):
    """The ids of the quizzes, among (quiz, result) pairs, that are failed: not passed with no
    attempt left. With attempts left a quiz is only not passed yet.

    Extra attempts from a coach are looked up, in one go, only for the quizzes whose own
    attempts are used up and not passed."""
    used_up = [
        (quiz, result)
        for quiz, result in results
        if not result.passed
        and quiz.attempts_allowed is not None
        and result.attempts >= quiz.attempts_allowed
    ]
    extra = hooks.allowances_for([quiz for quiz, _ in used_up], trainee)
    return {
        quiz.pk
        for quiz, result in used_up
        if result.attempts >= quiz.attempts_allowed + extra[quiz.pk].extra_attempts
    }


class TimeLimit(NamedTuple):
    """A trainee's time limit on a quiz in minutes, and the quiz's own that it was made from."""

    minutes: int
    usual: int
    multiplier: Decimal = Decimal(1)
    extra_minutes: int = 0


def time_limit_of(quiz, trainee):
    """The quiz's time limit for this trainee (None: untimed), with a coach's allowance.

    The usual limit times the multiplier, rounded up to a whole minute, plus the extra
    minutes: x1.25 on 10 minutes is 13 minutes; x1.5 on 20 minutes with 5 extra is 35.
    """
    if not quiz.time_limit_minutes:
        return None
    allowance = hooks.allowance_for(quiz, trainee)
    stretched = math.ceil(quiz.time_limit_minutes * allowance.time_multiplier)
    return TimeLimit(
        stretched + allowance.extra_minutes,
        quiz.time_limit_minutes,
        allowance.time_multiplier,
        allowance.extra_minutes,
    )


def time_limit_for(quiz, trainee):
    limit = time_limit_of(quiz, trainee)
    return limit.minutes if limit else None


def time_limit_note(limit):
    """How a coach's allowance made the time limit, to follow it in brackets; "" if it did not."""
    if limit is None or limit.minutes == limit.usual:
        return ""
    values = {
        "multiplier": number_format(limit.multiplier.normalize()),
        "usual": limit.usual,
        "extra": limit.extra_minutes,
    }
    if limit.multiplier == 1:
        note = ngettext(
            "the usual %(usual)d minute, plus %(extra)d more from your coach",
            "the usual %(usual)d minutes, plus %(extra)d more from your coach",
            limit.usual,
        )
    elif limit.extra_minutes:
        note = ngettext(
            "your coach gave you %(multiplier)s times the usual %(usual)d minute, plus "
            "%(extra)d more",
            "your coach gave you %(multiplier)s times the usual %(usual)d minutes, plus "
            "%(extra)d more",
            limit.usual,
        )
    else:
        note = ngettext(
            "your coach gave you %(multiplier)s times the usual %(usual)d minute",
            "your coach gave you %(multiplier)s times the usual %(usual)d minutes",
            limit.usual,
        )
    return note % values


def open_attempt(quiz, trainee):
    return Attempt.objects.in_progress().filter(quiz=quiz, trainee=trainee).first()


def start_attempt(quiz, trainee, *, now=None, rng=_rng):
    """Start an attempt, or return the trainee's open one (a second tab resumes it)."""
    now = now or timezone.now()
    finish_expired_attempts(now=now, quiz=quiz, trainee=trainee)
    existing = open_attempt(quiz, trainee)
    if existing:
        return existing
    if quiz.opens_at and now < quiz.opens_at:
        opens = date_format(timezone.localtime(quiz.opens_at), "DATETIME_FORMAT")
        raise AttemptRefused(gettext("This quiz opens on %(date)s.") % {"date": opens})
    if quiz.closes_at and now >= quiz.closes_at:
        raise AttemptRefused(gettext("This quiz has closed."))
    used = attempts_used(quiz, trainee)
    allowed = attempts_allowed_for(quiz, trainee)
    if allowed is not None and used >= allowed:
        raise AttemptRefused(
            ngettext(
                "You have used all %(count)s attempts at this quiz.",
                "You have used all %(count)s attempts at this quiz.",
                allowed,
            )
            % {"count": allowed}
        )

    questions = list(quiz.questions.select_related("lesson__course").prefetch_related("options"))
    asked = draw_questions(quiz, questions, trainee, rng) if questions else []
    if not asked:
        raise AttemptRefused(gettext("This quiz has no questions yet."))
    if quiz.shuffle_questions:
        rng.shuffle(asked)
    versions = current_versions([d.question for d in asked], [d.overrides for d in asked])

    deadline = None
    minutes = time_limit_for(quiz, trainee)
    if minutes:
        deadline = now + timedelta(minutes=minutes)
    if quiz.closes_at:
        deadline = min(deadline or quiz.closes_at, quiz.closes_at)

    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(
                quiz=quiz,
                trainee=trainee,
                number=used + 1,
                started_at=now,
                deadline=deadline,
                pass_mark=quiz.pass_mark,
                max_score=sum((Decimal(v.data["points"]) for v in versions), Decimal(0)),
            )
            AttemptQuestion.objects.bulk_create(
                AttemptQuestion(
                    attempt=attempt,
                    version=version,
                    position=position,
                    layout=layout_for(version.data, quiz.shuffle_options, rng),
                    slot_number=drawn.slot_number,
                )
                for position, (version, drawn) in enumerate(
                    zip(versions, asked, strict=True), start=1
                )
            )
    except IntegrityError as error:
        # Another tab started one a moment ago: the constraint let only one through.
        existing = open_attempt(quiz, trainee)
        if existing:
            return existing
        raise AttemptRefused(
            gettext("Another attempt was started at the same time. Please try again.")
        ) from error
    return attempt


def save_answers(attempt, responses, *, flags=None, now=None):
    """Store responses ({slot id: response}) and review flags ({slot id: bool}) of an open
    attempt; AttemptClosed if too late. The page form and the autosave both come here."""
    flags = flags or {}
    with transaction.atomic():
        locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
        # The time is read once the lock is held, so no answer is stamped after a submit that
        # finished the attempt before this save got its turn.
        now = now or timezone.now()
        if not locked.accepts_answers_at(now):
            raise AttemptClosed
        # An answer arriving in the grace after the deadline counts as given by the deadline,
        # which is when a timed-out attempt finishes.
        answered_at = min(now, locked.deadline) if locked.deadline else now
        slots = list(locked.slots.filter(pk__in=set(responses) | set(flags)))
        for slot in slots:
            if slot.pk in responses:
                slot.response = responses[slot.pk]
                slot.answered_at = answered_at if slot.response is not None else None
            slot.flagged = flags.get(slot.pk, slot.flagged)
        AttemptQuestion.objects.bulk_update(slots, ["response", "answered_at", "flagged"])
    return len(slots)


def note_page(attempt, page):
    """Remember the page the trainee is on, so any device resumes there."""
    if attempt.last_page != page:
        attempt.last_page = page
        Attempt.objects.filter(pk=attempt.pk).update(last_page=page)


def grade_slots(slots):
    """Score each slot from its frozen question; returns (score, must-pass met)."""
    must_pass_met = True
    for slot in slots:
        slot.fraction = scoring.score_response(slot.version.data, slot.response)
        slot.score = scoring.points_for(slot.version.data, slot.fraction)
        if slot.version.data.get("must_pass") and slot.fraction < 1:
            must_pass_met = False
    total = sum((slot.score for slot in slots), Decimal(0))
    return total, must_pass_met


def grade_attempt(attempt, slots):
    """Score the slots and set the attempt's score, percent and pass (not saved)."""
    score, must_pass_met = grade_slots(slots)
    attempt.score = score
    attempt.percent = scoring.percent_of(score, attempt.max_score)
    attempt.must_pass_met = must_pass_met
    attempt.passed = must_pass_met and attempt.percent >= attempt.pass_mark
    return attempt


def submit_attempt(attempt, *, now=None, timed_out=False):
    """Finish and score an attempt once; returns (attempt, True) or (attempt, False) if it
    was already finished (a double click or a resent form scores once).

    timed_out=None decides from the deadline, at the time read under the lock.
    """
    with transaction.atomic():
        locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
        now = now or timezone.now()  # under the lock: never before an answer saved under it
        if locked.is_finished:
            return locked, False
        if timed_out is None:
            timed_out = not locked.accepts_answers_at(now)
        slots = list(locked.slots.select_related("version"))
        grade_attempt(locked, slots)
        AttemptQuestion.objects.bulk_update(slots, ["fraction", "score"])
        locked.state = AttemptState.FINISHED
        locked.timed_out = timed_out
        locked.finished_at = min(now, locked.deadline) if timed_out and locked.deadline else now
        locked.save()
        hooks.attempt_finished(locked, now)
    return locked, True


def finish_expired_attempts(*, now=None, **filters):
    """Finish open attempts past their deadline (and grace) with the answers they saved."""
    now = now or timezone.now()
    grace = timedelta(seconds=settings.QUIZ_DEADLINE_GRACE_SECONDS)
    expired = Attempt.objects.past_deadline(now - grace).filter(**filters)
    return [submit_attempt(attempt, now=now, timed_out=True)[0] for attempt in expired]


class QuizResult(NamedTuple):
    """A trainee's standing on a quiz across finished attempts, by the quiz's grading method.

    A tuple: a coach's dashboard works one out for every trainee and quiz."""

    percent: Decimal | None
    passed: bool
    attempts: int


NO_RESULT = QuizResult(None, False, 0)


def finished_in_order(attempts):
    return sorted((a for a in attempts if a.state == AttemptState.FINISHED), key=_number)


def _number(attempt):
    return attempt.number


def graded_attempt(grading_method, attempts):
    """The finished attempt the grade comes from (for average: the latest); None if none."""
    finished = finished_in_order(attempts)
    return _graded(grading_method, finished) if finished else None


def _graded(grading_method, finished):
    if grading_method == GradingMethod.FIRST:
        return finished[0]
    if grading_method in (GradingMethod.LAST, GradingMethod.AVERAGE):
        return finished[-1]
    return max(finished, key=_best_first)


def _best_first(attempt):
    return (bool(attempt.passed), attempt.percent)


def overall_result(grading_method, pass_mark, attempts):
    """Combine finished attempts (oldest first) by the grading method.

    highest: the best attempt, a passed one before a failed one with more marks;
    first / last: that attempt; average: the mean percent, passed when it reaches the pass
    mark and at least one attempt got every must-pass question fully right.
    """
    finished = finished_in_order(attempts)
    if not finished:
        return NO_RESULT
    if grading_method == GradingMethod.AVERAGE:
        mean = sum((a.percent for a in finished), Decimal(0)) / len(finished)
        mean = mean.quantize(scoring.POINT_PLACES)
        passed = mean >= pass_mark and any(a.must_pass_met for a in finished)
        return QuizResult(mean, passed, len(finished))
    chosen = _graded(grading_method, finished)
    return QuizResult(chosen.percent, bool(chosen.passed), len(finished))
