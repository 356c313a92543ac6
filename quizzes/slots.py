"""What an attempt asks: a quiz's slots, each a fixed question or questions drawn from a
category (Moodle's random question from a category), and the rules that keep a pool fair.

A retake prefers questions this trainee has not been asked yet, then the ones asked longest
ago, so copying the answers of one attempt into the next does not work while the pool lasts.
"""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from quizzes.models import AttemptQuestion


@dataclass(frozen=True)
class Drawn:
    """One question as an attempt will ask it, with what its slot sets."""

    question: object
    slot_number: int | None
    points: object = None
    must_pass: bool | None = None

    @property
    def overrides(self):
        found = {}
        if self.points is not None:
            found["points"] = self.points
        if self.must_pass is not None:
            found["must_pass"] = self.must_pass
        return found or None


@dataclass(frozen=True)
class SlotSpec:
    """A slot as plain values, so files and admin forms are checked by the same rules."""

    number: int
    question: object = None  # a fixed slot: the question (or its name in a file)
    category: str = ""
    draw: int = 1
    must_pass: bool = False


def allows_retakes(attempts_allowed):
    return attempts_allowed is None or attempts_allowed > 1


def slot_problems(slots, categories, *, attempts_allowed, fixed_categories=None):
    """Why these slots cannot make an attempt, as sentences naming the slot; [] when they can.

    slots: SlotSpec list. categories: {category: number of questions in it}. fixed_categories:
    {category: number of its questions used by fixed slots}, which a drawn slot never asks.
    """
    fixed_categories = fixed_categories or {}
    problems = []
    asked = Counter()
    fixed = Counter()
    for slot in slots:
        if slot.question is not None:
            fixed[slot.question] += 1
            if fixed[slot.question] == 2:
                problems.append(
                    _("Slot %(number)s: this question is already in another slot.")
                    % {"number": slot.number}
                )
            continue
        if slot.draw < 1:
            problems.append(
                _("Slot %(number)s: a slot draws at least one question.") % {"number": slot.number}
            )
            continue
        pool = categories.get(slot.category, 0) - fixed_categories.get(slot.category, 0)
        asked[slot.category] += slot.draw
        if pool <= 0:
            problems.append(
                _('Slot %(number)s: the category "%(category)s" has no questions to draw.')
                % {"number": slot.number, "category": slot.category}
            )
        elif asked[slot.category] > pool:
            problems.append(
                ngettext(
                    'Slot %(number)s: the category "%(category)s" holds %(pool)s question to '
                    "draw, but the slots ask for %(asked)s.",
                    'Slot %(number)s: the category "%(category)s" holds %(pool)s questions to '
                    "draw, but the slots ask for %(asked)s.",
                    pool,
                )
                % {
                    "number": slot.number,
                    "category": slot.category,
                    "pool": pool,
                    "asked": asked[slot.category],
                }
            )
        elif slot.must_pass and allows_retakes(attempts_allowed) and pool < 2:
            problems.append(
                _(
                    "Slot %(number)s: a must-pass slot of a quiz with retakes needs at least 2 "
                    'questions in "%(category)s", so a retake does not ask the same one.'
                )
                % {"number": slot.number, "category": slot.category}
            )
    return problems


def problems_of_quiz(quiz):
    """slot_problems for a quiz as it is in the database."""
    slots = list(quiz.slots.all())
    if not slots:
        return []
    questions = list(quiz.questions.only("pk", "category"))
    by_pk = {q.pk: q for q in questions}
    fixed_categories = Counter(
        by_pk[s.question_id].category for s in slots if s.question_id in by_pk
    )
    specs = [
        SlotSpec(
            number=number,
            question=slot.question_id,
            category=slot.category,
            draw=slot.draw,
            must_pass=slot.must_pass,
        )
        for number, slot in enumerate(slots, start=1)
    ]
    return slot_problems(
        specs,
        Counter(q.category for q in questions),
        attempts_allowed=quiz.attempts_allowed,
        fixed_categories=fixed_categories,
    )


def questions_per_attempt(quiz):
    """How many questions an attempt asks."""
    slots = list(quiz.slots.all())
    if slots:
        return sum(1 if slot.question_id else slot.draw for slot in slots)
    total = quiz.questions.count()
    return min(quiz.draw_count, total) if quiz.draw_count else total


def last_asked(quiz, trainee):
    """{question id: the number of the trainee's latest attempt that asked it}, one query."""
    rows = (
        AttemptQuestion.objects.filter(attempt__quiz=quiz, attempt__trainee=trainee)
        .values("version__question_id")
        .annotate(latest=Max("attempt__number"))
        .values_list("version__question_id", "latest")
    )
    return dict(rows)


def draw_questions(quiz, questions, trainee, rng):
    """The questions an attempt asks, in slot order (shuffled later if the quiz says so).

    questions: the quiz's questions. Without slots: all of them, or draw_count at random.
    With slots: each fixed slot's question, and for each drawn slot the questions of its
    category this trainee saw least recently (never seen first), ties broken at random.
    """
    slots = list(quiz.slots.all())
    seen = last_asked(quiz, trainee) if any(s.is_drawn for s in slots) else {}
    return draw(quiz, slots, questions, seen, rng)


def draw(quiz, slots, questions, seen, rng):
    """draw_questions on what it has read: slots, questions, {question id: last attempt}."""
    if not slots:
        if quiz.draw_count and quiz.draw_count < len(questions):
            drawn = {q.pk for q in rng.sample(questions, quiz.draw_count)}
            questions = [q for q in questions if q.pk in drawn]
        return [Drawn(question, None) for question in questions]

    by_pk = {q.pk: q for q in questions}
    fixed = {s.question_id for s in slots if s.question_id}
    used = set()
    asked = []
    for number, slot in enumerate(slots, start=1):
        if not slot.is_drawn:
            question = by_pk[slot.question_id]
            # A fixed slot marks its question must-pass if either says so.
            must_pass = True if slot.must_pass else None
            asked.append(Drawn(question, number, slot.points, must_pass))
            continue
        pool = [
            q
            for q in questions
            if q.category == slot.category and q.pk not in fixed and q.pk not in used
        ]
        rng.shuffle(pool)
        pool.sort(key=lambda q: seen.get(q.pk, 0))  # stable: random among equally fresh
        for question in pool[: slot.draw]:
            used.add(question.pk)
            # A drawn slot decides must-pass for whatever it draws, so no draw changes the rule.
            asked.append(Drawn(question, number, slot.points, slot.must_pass))
    return asked


def every_way_asked(slots, questions):
    """Every question as some attempt could ask it: per slot, each question it may draw, with
    the slot's points and must-pass (to freeze all versions at once when seeding attempts)."""
    if not slots:
        return [Drawn(question, None) for question in questions]
    fixed = {s.question_id for s in slots if s.question_id}
    found = []
    for number, slot in enumerate(slots, start=1):
        if not slot.is_drawn:
            question = next(q for q in questions if q.pk == slot.question_id)
            found.append(Drawn(question, number, slot.points, True if slot.must_pass else None))
            continue
        found += [
            Drawn(q, number, slot.points, slot.must_pass)
            for q in questions
            if q.category == slot.category and q.pk not in fixed
        ]
    return found
