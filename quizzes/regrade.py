"""Regrading: rescore a quiz's finished attempts after a question was corrected.

Attempts stay on the question versions they answered unless the regrade says otherwise
(Moodle's "regrade with the latest version"). With `use_latest_versions`, each attempt question
moves to its question's current version, keeping the points and must-pass it was asked with,
but only when every option the attempt showed or answered is still there and it shows no option
the attempt never saw; otherwise it stays where it was and the plan says why.

Worked example: a single-choice question keyed "Calf" when "Ear" was right is corrected in the
admin. Regrading with the latest versions raises the attempts that chose "Ear", lowers those
that chose "Calf", and leaves the ones that chose "Elbow" (0 either way) untouched. Regrading on
the answered versions changes nothing then: their frozen copies still say "Calf".
"""

import copy
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lessons.models import content_hash
from quizzes import hooks
from quizzes.models import (
    Attempt,
    AttemptQuestion,
    Question,
    QuestionType,
    QuestionVersion,
    Regrade,
    RegradeChange,
)
from quizzes.services import current_versions, freeze_question, grade_attempt

# Why an attempt question could not move to the latest version (shown in the dry run).
QUESTION_GONE = _(
    "The question was deleted or replaced by a course reload, so there is no later version."
)
TYPE_CHANGED = _("The question's type changed.")
OPTION_GONE = _("An option these attempts showed or chose was deleted.")
OPTION_ADDED = _("The question has options these attempts never showed.")
ANSWERS_CHANGED = _("The answers offered for matching changed.")

# Question types whose layout lists the option keys the attempt showed.
_LAYOUT_OPTIONS = {
    QuestionType.SINGLE,
    QuestionType.MULTIPLE,
    QuestionType.TRUE_FALSE,
    QuestionType.ORDERING,
}


class RegradeConflict(Exception):
    """A question changed during the regrade; nothing was saved."""


@dataclass(frozen=True)
class PlannedChange:
    """An attempt whose score or result the regrade changes: old and new."""

    attempt: Attempt
    old_score: Decimal
    new_score: Decimal
    old_percent: Decimal
    new_percent: Decimal
    old_passed: bool
    new_passed: bool

    @property
    def flips(self):
        return self.old_passed != self.new_passed


@dataclass(frozen=True)
class StuckQuestion:
    """A question that could not move to its latest version in some attempts, and why."""

    name: str
    reason: str
    attempts: int


@dataclass
class RegradePlan:
    changes: list = field(default_factory=list)  # [PlannedChange], by trainee and number
    stuck: list = field(default_factory=list)  # [StuckQuestion]
    attempts_checked: int = 0


@dataclass
class _Rescored:
    """One attempt rescored in memory: the graded copy and its slots, moved or not."""

    attempt: Attempt
    regraded: Attempt
    slots: list
    moved: list  # the slots now on a later version

    @property
    def changed(self):
        old, new = self.attempt, self.regraded
        return (old.score, old.percent, old.passed, old.must_pass_met) != (
            new.score,
            new.percent,
            new.passed,
            new.must_pass_met,
        )


def plan_regrade(quiz, *, use_latest_versions=False):
    """The finished attempts a regrade would change, and the questions that could not move to
    their latest version; nothing is written."""
    attempts = _finished_attempts(quiz)
    rescored, stuck = _rescore(attempts, use_latest_versions)
    return RegradePlan(changes=_changes(rescored), stuck=stuck, attempts_checked=len(attempts))


def apply_regrade(quiz, *, done_by, reason, use_latest_versions=False, now=None):
    """Rescore the quiz's finished attempts in one transaction and keep the record.

    Saves the attempts whose score or result changed (their question scores too, and versions
    when moved), writes one Regrade and a RegradeChange per changed attempt, and tells the
    regrade listeners about each pass that became a fail or the other way round. A run that
    changes nothing is still recorded, so the audit shows it happened."""
    reason = (reason or "").strip()
    if not reason:
        raise ValueError("A regrade needs a reason.")
    now = now or timezone.now()
    with transaction.atomic():
        # Locked: a coach's view or a late submit can't see half a regrade. Only the attempt
        # rows (of="self"): the trainee rows are locked later, by certification, if at all.
        attempts = _finished_attempts(
            quiz, Attempt.objects.select_for_update(of=("self",)).order_by("pk")
        )
        rescored_attempts, _stuck = _rescore(attempts, use_latest_versions)
        changed = [rescored for rescored in rescored_attempts if rescored.changed]
        changes = _changes(changed)  # old and new, read before the attempts take the new
        _save_later_versions([slot for rescored in changed for slot in rescored.moved])
        for rescored in changed:
            for name in ("score", "percent", "passed", "must_pass_met"):
                setattr(rescored.attempt, name, getattr(rescored.regraded, name))
        Attempt.objects.bulk_update(
            [rescored.attempt for rescored in changed],
            ["score", "percent", "passed", "must_pass_met"],
        )
        AttemptQuestion.objects.bulk_update(
            [slot for rescored in changed for slot in rescored.slots],
            ["fraction", "score", "version"],
        )
        regrade = Regrade.objects.create(
            quiz=quiz,
            done_by=done_by,
            done_at=now,
            reason=reason,
            use_latest_versions=use_latest_versions,
        )
        RegradeChange.objects.bulk_create(
            RegradeChange(
                regrade=regrade,
                attempt=change.attempt,
                old_score=change.old_score,
                new_score=change.new_score,
                old_percent=change.old_percent,
                new_percent=change.new_percent,
                old_passed=change.old_passed,
                new_passed=change.new_passed,
            )
            for change in changes
        )
        # Oldest first: a trainee whose two attempts now pass is certified as of the first.
        flips = sorted((c for c in changes if c.flips), key=_finished_first)
        for change in flips:
            hooks.attempt_regraded(change.attempt, change.old_passed)
    return regrade


def _finished_first(change):
    return (change.attempt.finished_at, change.attempt.pk)


def _finished_attempts(quiz, queryset=None):
    """The quiz's finished attempts with their slots and versions, in a fixed few queries.
    In-progress attempts are never regraded: they are scored when submitted."""
    queryset = Attempt.objects.order_by("pk") if queryset is None else queryset
    return list(
        queryset.finished()
        .filter(quiz=quiz)
        .select_related("trainee")
        .prefetch_related(
            Prefetch(
                "slots",
                queryset=AttemptQuestion.objects.select_related("version").order_by("position"),
            )
        )
    )


def _rescore(attempts, use_latest_versions):
    """Every attempt graded again in memory (the attempt itself is left as it was), and the
    questions that could not move to their latest version."""
    latest = _LatestVersions(attempts) if use_latest_versions else None
    results = []
    for attempt in attempts:
        slots = list(attempt.slots.all())
        moved = []
        if latest is not None:
            for slot in slots:
                version = latest.for_slot(slot)
                if version is not None:
                    slot.version = version
                    moved.append(slot)
        # A copy, so the old score stays readable; the pass mark is the one frozen at start.
        regraded = grade_attempt(copy.copy(attempt), slots)
        results.append(_Rescored(attempt, regraded, slots, moved))
    return results, (latest.stuck_questions() if latest is not None else [])


def _changes(rescored_attempts):
    """The changed attempts, old and new, by trainee and attempt number."""
    changes = [
        PlannedChange(
            attempt=r.attempt,
            old_score=r.attempt.score,
            new_score=r.regraded.score,
            old_percent=r.attempt.percent,
            new_percent=r.regraded.percent,
            old_passed=bool(r.attempt.passed),
            new_passed=bool(r.regraded.passed),
        )
        for r in rescored_attempts
        if r.changed
    ]
    changes.sort(key=lambda c: (c.attempt.trainee.get_username(), c.attempt.number))
    return changes


def _save_later_versions(moved):
    """Store the later versions the moved slots point at (unsaved while planning)."""
    pending = {}
    for slot in moved:
        if slot.version.pk is None:
            pending.setdefault((slot.version.question_id, slot.version.content_hash), []).append(
                slot
            )
    if not pending:
        return
    questions = {q.pk: q for q in _questions_now({question_id for question_id, _ in pending})}
    keys, overrides = [], []
    for (question_id, _hash), slots in pending.items():
        data = slots[0].version.data
        keys.append((question_id, _hash))
        overrides.append({"points": Decimal(data["points"]), "must_pass": data["must_pass"]})
    saved = current_versions([questions[question_id] for question_id, _ in keys], overrides)
    for key, version in zip(keys, saved, strict=True):
        if version.content_hash != key[1]:
            # Edited again since it was scored: stop rather than save scores of another text.
            raise RegradeConflict(
                "A question changed while its attempts were regraded; regrade again."
            )
        for slot in pending[key]:
            slot.version = version


def _questions_now(question_ids):
    return (
        Question.objects.filter(pk__in=question_ids)
        .select_related("lesson__course")
        .prefetch_related("options")
    )


class _LatestVersions:
    """The current version of each answered question, as freeze_question makes it, found or
    built in memory (nothing is written); and which attempt questions may move to it."""

    def __init__(self, attempts):
        slots = [slot for attempt in attempts for slot in attempt.slots.all()]
        question_ids = {slot.version.question_id for slot in slots} - {None}
        self.questions = {q.pk: q for q in _questions_now(question_ids)}
        self.frozen = {}  # (question id, points, must_pass) -> (data, hash)
        for slot in slots:
            self._freeze(slot.version)
        hashes = {h for _data, h in self.frozen.values()}
        existing = QuestionVersion.objects.filter(
            question_id__in=self.questions, content_hash__in=hashes
        )
        self.versions = {(v.question_id, v.content_hash): v for v in existing}
        self.stuck = {}  # (version's question label, reason) -> attempt ids

    def _override_key(self, old):
        return (old.question_id, str(old.data["points"]), bool(old.data.get("must_pass")))

    def _freeze(self, old):
        key = self._override_key(old)
        question = self.questions.get(old.question_id)
        if question is None or key in self.frozen:
            return
        # The slot's points and must-pass stay those the attempt was asked with.
        data = freeze_question(question, points=Decimal(key[1]), must_pass=key[2])
        self.frozen[key] = (data, content_hash(data))

    def for_slot(self, slot):
        """The later version this slot moves to; None when it stays (and why is noted)."""
        old = slot.version
        frozen = self.frozen.get(self._override_key(old))
        if frozen is None:
            self._note(slot, QUESTION_GONE)
            return None
        data, hash_ = frozen
        if hash_ == old.content_hash:
            return None  # already on the current version
        problem = _move_problem(old.data, data, slot.layout or {}, slot.response)
        if problem:
            self._note(slot, problem)
            return None
        version = self.versions.get((old.question_id, hash_))
        if version is None:
            version = QuestionVersion(question_id=old.question_id, content_hash=hash_, data=data)
            self.versions[old.question_id, hash_] = version
        return version

    def _note(self, slot, reason):
        data = slot.version.data
        label = data.get("name") or data.get("text", "")[:80]
        self.stuck.setdefault((label, str(reason)), set()).add(slot.attempt_id)

    def stuck_questions(self):
        return [
            StuckQuestion(name=label, reason=reason, attempts=len(attempt_ids))
            for (label, reason), attempt_ids in sorted(self.stuck.items())
        ]


def _move_problem(old, new, layout, response):
    """Why an attempt question can't move from the old data to the new (None: it can)."""
    if old["type"] != new["type"]:
        return TYPE_CHANGED
    kind = old["type"]
    response = response if isinstance(response, dict) else {}
    new_keys = {option["key"] for option in new["options"]}
    old_keys = {option["key"] for option in old["options"]}
    if kind in _LAYOUT_OPTIONS:
        shown = set(_keys(layout.get("options"))) if "options" in layout else old_keys
        chosen = set(_keys([response.get("option")]))
        chosen |= set(_keys(response.get("options"))) | set(_keys(response.get("order")))
        if not shown | chosen <= new_keys:
            return OPTION_GONE
        if not new_keys <= shown:
            return OPTION_ADDED
    elif kind == QuestionType.MATCHING:
        new_items = {option["key"] for option in new["options"] if option["text"]}
        old_items = {option["key"] for option in old["options"] if option["text"]}
        shown = set(_keys(layout.get("items"))) if "items" in layout else old_items
        matches = response.get("matches")
        chosen = set(_keys(list(matches))) if isinstance(matches, dict) else set()
        if not shown | chosen <= new_keys:
            return OPTION_GONE
        if not new_items <= shown:
            return OPTION_ADDED
        offered = layout.get("answers")
        old_answers = offered if isinstance(offered, list) else _matching_answers(old)
        if set(old_answers) != set(_matching_answers(new)):
            return ANSWERS_CHANGED
    return None


def _keys(values):
    return [value for value in values if isinstance(value, str)] if isinstance(values, list) else []


def _matching_answers(data):
    return [option["match_text"] for option in data["options"] if option["match_text"]]
