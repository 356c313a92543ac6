"""Moodle's quiz statistics over a set of finished attempts, computed in Python in one pass.

Each attempt's marks are taken as a percentage of that attempt's maximum, so a question's mark
and the rest of the test add up to the attempt's percentage (with every attempt worth the same
maximum, as in Moodle, this is Moodle's figures exactly: they are all ratios). With S attempts,
x a question's mark in each attempt and X the mark on the rest of the test (total - x):

- facility: the mean of x as a fraction of the question's points.
- standard deviation: sqrt(sum((x - mean)^2) / (S - 1)), as a fraction of the points.
- random guess score: the fraction a trainee earns on average picking at random.
- discrimination index: 100 * C(x, X) / sqrt(V(x) * V(X)), with the sample covariance and
  variances (divided by S - 1): the correlation with the rest of the test, as a percentage.
- discriminative efficiency: 100 * C(x, X) / Cmax(x, X), where Cmax pairs the sorted x with the
  sorted X: the highest covariance these same marks could have had.

A question drawn into a quiz slot is a variant of that slot: the slot is one row (its mark is
whatever it drew) with a row per question it drew beneath. Moodle correlates a drawn question
with the whole test; here a variant, like every row, is correlated with the rest of the test,
so its own mark is not counted on both sides.

For the quiz, with T each attempt's percentage, m_k = sum((T - mean)^k) / S, k2 = S m2 / (S-1),
k3 = S^2 m3 / ((S-1)(S-2)), k4 = S^2 ((S+1) m4 - 3 (S-1) m2^2) / ((S-1)(S-2)(S-3)):
skewness = k3 / k2^(3/2), kurtosis = k4 / k2^2; coefficient of internal consistency (Cronbach's
alpha) CIC = 100 P / (P-1) * (1 - sum of the items' variances / k2) over P items (the slots,
or the questions of a quiz without slots); error ratio ER = 100 sqrt(1 - CIC/100); standard
error SE = ER * SD / 100. Worked examples are in tests/quizzes/test_statistics.py.
"""

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lessons import regions
from lessons.translation import content_language
from quizzes import scoring
from quizzes.models import QuestionType

# Which attempts the report reads, as Moodle offers it: each trainee's first one (the default:
# later attempts build on the review of the first), or all of them.
FIRST_ATTEMPTS = "first"
ALL_ATTEMPTS = "all"

MIN_ATTEMPTS_FOR_DISCRIMINATION = 3
# Figures are shown from this many attempts: below it a single trainee's lucky guess swings
# discrimination from one end to the other, and alpha or skewness mean nothing.
STATISTICS_SHOWN_FROM = 10
WRONG_ANSWERS_SHOWN = 3

# A question writer should look at a question answered (almost) always right or wrong, or one
# that strong and weak trainees score alike on.
FACILITY_TOO_HIGH = 0.95
FACILITY_TOO_LOW = 0.2
DISCRIMINATION_TOO_LOW = 0.2  # a fraction: Moodle's discrimination index of 20%

TOO_EASY = "too_easy"
TOO_HARD = "too_hard"
DISCRIMINATES_POORLY = "discriminates_poorly"
FLAG_LABELS = {
    TOO_EASY: gettext_lazy("Almost everyone gets it right (facility above %(limit)s%%)"),
    TOO_HARD: gettext_lazy("Almost no one gets it right (facility below %(limit)s%%)"),
    DISCRIMINATES_POORLY: gettext_lazy(
        "Strong and weak trainees score alike on it (discrimination index below %(limit)s%%)"
    ),
}
FLAG_LIMITS = {
    TOO_EASY: FACILITY_TOO_HIGH,
    TOO_HARD: FACILITY_TOO_LOW,
    DISCRIMINATES_POORLY: DISCRIMINATION_TOO_LOW,
}


def attempt_set(value):
    """The attempt set a request asks for; anything but "all" is the default, first attempts."""
    return ALL_ATTEMPTS if value == ALL_ATTEMPTS else FIRST_ATTEMPTS


def choose_attempts(attempts, which=FIRST_ATTEMPTS):
    """The attempts of the set: all of them, or each trainee's earliest among them."""
    attempts = list(attempts)
    if which == ALL_ATTEMPTS:
        return attempts
    first = {}
    for attempt in attempts:
        kept = first.get(attempt.trainee_id)
        if kept is None or attempt.number < kept.number:
            first[attempt.trainee_id] = attempt
    chosen = {id(attempt) for attempt in first.values()}
    return [attempt for attempt in attempts if id(attempt) in chosen]


@dataclass
class QuestionStats:
    """One row of the report: a question, a slot, or a question drawn into a slot (variant)."""

    name: str
    text: str
    type: str
    answered: int = 0
    attempts: int = 0
    facility: float | None = None
    # The discrimination index as a fraction rounded to 2 places, for the coach's words.
    discrimination: float | None = None
    wrong_answers: list = field(default_factory=list)
    must_pass: bool = False
    slot_number: int | None = None
    sd: float | None = None
    random_guess: float | None = None
    discrimination_index: float | None = None  # a percentage, as Moodle shows it
    discriminative_efficiency: float | None = None  # a percentage
    variants: list = field(default_factory=list)
    is_variant: bool = False

    @property
    def type_label(self):
        """ "True / false", not the stored "truefalse"; empty for a slot of mixed types."""
        return QuestionType(self.type).label if self.type in QuestionType.values else ""

    @property
    def facility_percent(self):
        return None if self.facility is None else round(self.facility * 100)

    @property
    def sd_percent(self):
        return None if self.sd is None else self.sd * 100

    @property
    def random_guess_percent(self):
        return None if self.random_guess is None else self.random_guess * 100

    @property
    def how_hard(self):
        """Facility in a coach's words: most marks earned is easy."""
        percent = self.facility_percent
        if percent is None:
            return _("not answered yet")
        if percent >= 80:
            return _("easy")
        return _("medium") if percent >= 40 else _("hard")

    @property
    def is_meaningful(self):
        """Enough attempts for discrimination, spread and flags to say something."""
        return self.attempts >= STATISTICS_SHOWN_FROM

    @property
    def separates(self):
        """Discrimination in a coach's words; None while there are too few attempts."""
        if self.discrimination is None or not self.is_meaningful:
            return None
        if self.discrimination >= 0.3:
            return _("well")
        if self.discrimination >= 0.2:
            return _("somewhat")
        if self.discrimination >= 0:
            return _("hardly: strong and weak trainees score alike")
        return _("the wrong way: weaker trainees do better; check the question and its answer")

    @property
    def flags(self):
        """What a question writer should look at, from STATISTICS_SHOWN_FROM attempts."""
        if not self.is_meaningful or self.facility is None:
            return []
        found = []
        if self.facility > FACILITY_TOO_HIGH:
            found.append(TOO_EASY)
        if self.facility < FACILITY_TOO_LOW:
            found.append(TOO_HARD)
        index = self.discrimination_index
        if index is not None and index / 100 < DISCRIMINATION_TOO_LOW:
            found.append(DISCRIMINATES_POORLY)
        return found

    @property
    def flag_labels(self):
        return [
            FLAG_LABELS[flag] % {"limit": round(FLAG_LIMITS[flag] * 100)} for flag in self.flags
        ]

    @property
    def must_pass_flagged(self):
        """A must-pass question with a flag: it fails trainees, so it is looked at first."""
        return self.must_pass and bool(self.flags)


@dataclass
class QuizStats:
    """Figures for the whole quiz; percentages of the quiz's marks, as Moodle shows them."""

    attempts: int = 0
    items: int = 0
    mean: float | None = None
    median: float | None = None
    sd: float | None = None
    skewness: float | None = None
    kurtosis: float | None = None
    cic: float | None = None
    error_ratio: float | None = None
    standard_error: float | None = None


@dataclass
class Report:
    which: str
    attempts: list  # the chosen set
    questions: list
    quiz: QuizStats

    @property
    def attempt_count(self):
        return len(self.attempts)

    @property
    def trainee_count(self):
        return len({attempt.trainee_id for attempt in self.attempts})

    @property
    def is_meaningful(self):
        return self.attempt_count >= STATISTICS_SHOWN_FROM

    @property
    def shows_all_attempts(self):
        return self.which == ALL_ATTEMPTS

    @property
    def shown_from(self):
        return STATISTICS_SHOWN_FROM

    @property
    def rows(self):
        """Every row, variants after their slot."""
        for question in self.questions:
            yield question
            yield from question.variants

    @property
    def must_pass_flagged(self):
        return [row for row in self.rows if row.must_pass_flagged]

    @property
    def flagged(self):
        return [row for row in self.rows if row.flags and not row.must_pass_flagged]


def quiz_statistics(attempts, which=FIRST_ATTEMPTS):
    """The report over the chosen set of `attempts` (finished, slots and versions prefetched)."""
    chosen = choose_attempts(attempts, which)
    questions, quiz = _analyse(chosen)
    return Report(which=which, attempts=chosen, questions=questions, quiz=quiz)


def item_analysis(attempts):
    """One QuestionStats per question (or slot), over every attempt given."""
    return _analyse(list(attempts))[0]


def random_guess_score(data):
    """The fraction earned on average by answering at random; None where Moodle says none.

    Single choice and true/false: the mean of the options' weights (each as scoring clamps it
    to 0-100%), as Moodle averages the choices' fractions; weights 100, 0, 0, 0 give 0.25.
    Multiple response: None, as Moodle leaves it (a random tick pattern has no agreed score).
    Matching: 1 / the number of answers to choose from (distractors included), as Moodle does.
    Ordering, numerical, short answer: 0, Moodle's default (nothing can be typed at random
    into a right answer, and an order at random is almost never right).
    """
    kind = data["type"]
    options = data.get("options") or []
    if kind in ("single", "truefalse"):
        if not options:
            return None
        weights = [min(100.0, max(0.0, float(Decimal(o["weight"])))) / 100 for o in options]
        return math.fsum(weights) / len(weights)
    if kind == "multiple":
        return None
    if kind == "matching":
        answers = scoring.matching_answers(data)
        return 1 / len(answers) if answers else None
    return 0.0


class _Row:
    """What one row gathers over the attempts: per attempt, the fraction of its points
    earned, its mark and the rest of the test (both in percent of the attempt's maximum)."""

    def __init__(self, data, slot_number=None, is_variant=False):
        self.data = data
        self.slot_number = slot_number
        self.is_variant = is_variant
        self.fractions = []
        self.marks = []
        self.rests = []
        self.guess_total = 0.0  # None once a question without a random guess score is in
        self.answered = 0
        self.must_pass = False
        self.wrong = Counter()
        self.variants = {}

    def add(self, fraction, mark, total, *, answered, guess, must_pass):
        self.fractions.append(fraction)
        self.marks.append(mark)
        self.rests.append(total - mark)
        self.guess_total = (
            None if guess is None or self.guess_total is None else self.guess_total + guess
        )
        self.answered += answered
        self.must_pass = self.must_pass or must_pass

    def stats(self):
        data = self.data
        entry = QuestionStats(
            name=data.get("name") or "",
            # The question as written (one row for every language it was read in), with the
            # regional facts of the reader's language where it says {emergency}.
            text=regions.fill(data.get("text") or "", content_language()),
            type=data.get("type") or "",
            answered=self.answered,
            attempts=len(self.fractions),
            must_pass=self.must_pass,
            slot_number=self.slot_number,
            is_variant=self.is_variant,
        )
        variants = [self.variants[key].stats() for key in sorted(self.variants, key=_written)]
        if self.variants:
            self.wrong = sum((self.variants[key].wrong for key in self.variants), Counter())
            if len(variants) > 1:
                # A slot that drew several questions is named by its number, not by one of them.
                entry.name = entry.text = ""
                kinds = {variant.type for variant in variants}
                entry.type = kinds.pop() if len(kinds) == 1 else ""
                entry.variants = variants
        entry.wrong_answers = [
            (regions.fill(label, content_language()), count)
            for label, count in self.wrong.most_common(WRONG_ANSWERS_SHOWN)
        ]
        count = len(self.fractions)
        if not count:
            return entry
        entry.facility = math.fsum(self.fractions) / count
        entry.sd = _sample_sd(self.fractions)
        if self.guess_total is not None:
            entry.random_guess = self.guess_total / count
        entry.discrimination_index, entry.discriminative_efficiency = _discrimination(
            self.marks, self.rests
        )
        if entry.discrimination_index is not None and count >= MIN_ATTEMPTS_FOR_DISCRIMINATION:
            entry.discrimination = round(entry.discrimination_index / 100, 2)
        return entry


def _written(key):
    # Questions are numbered as they are written; a version without its question goes last.
    return (0, key) if isinstance(key, int) else (1, int(key[1:]))


def _analyse(attempts):
    rows = {}  # ("slot", number) or ("question", key) -> _Row
    totals = []
    items = []  # per attempt: {item: mark}; the items are the slots, or the questions
    versions = {}  # version id -> what the rows need of it, read from its JSON once
    placed = {}  # (version id, slot number) -> (its row, its item): one look-up per answer
    wrong_answers = scoring.wrong_answers
    for attempt in attempts:
        asked = []
        for aq in attempt.slots.all():
            known = versions.get(aq.version_id)
            if known is None:
                known = versions[aq.version_id] = _version_facts(aq.version)
            asked.append((aq, known, float(aq.score or 0)))
        maximum = math.fsum(known.points for _, known, _ in asked)
        scale = 100 / maximum if maximum else 0.0
        total = math.fsum(score for _, _, score in asked) * scale
        in_slots = {}  # slot number -> [mark, score, points, guess x points, answered, must pass]
        item_marks = defaultdict(float)
        for aq, known, score in asked:
            number = aq.slot_number
            where = placed.get((aq.version_id, number))
            if where is None:
                where = placed[(aq.version_id, number)] = _place(rows, known, number)
            row, item = where
            mark = score * scale
            response = aq.response
            answered = response is not None
            if number is not None:
                part = in_slots.get(number)
                if part is None:
                    part = in_slots[number] = [0.0, 0.0, 0.0, 0.0, False, False]
                part[0] += mark
                part[1] += score
                part[2] += known.points
                if known.guess is None or part[3] is None:
                    part[3] = None
                else:
                    part[3] += known.guess * known.points
                part[4] = part[4] or answered
                part[5] = part[5] or known.must_pass
            row.add(
                float(aq.fraction or 0),
                mark,
                total,
                answered=answered,
                guess=known.guess,
                must_pass=known.must_pass,
            )
            if answered:  # a blank answer has nothing wrong to show
                wrong = wrong_answers(known.data, response)
                if wrong:
                    row.wrong.update(wrong)
            item_marks[item] += mark
        for number, (mark, score, points, guess, answered, must_pass) in in_slots.items():
            rows[("slot", number)].add(
                score / points if points else 0.0,
                mark,
                total,
                answered=answered,
                guess=None if guess is None or not points else guess / points,
                must_pass=must_pass,
            )
        totals.append(total)
        items.append(item_marks)
    slots = sorted(key for key in rows if key[0] == "slot")
    questions = sorted((key for key in rows if key[0] == "question"), key=lambda k: _written(k[1]))
    return [rows[key].stats() for key in slots + questions], _quiz_stats(totals, items)


def _place(rows, known, number):
    """The row a question's answers go to, and the item (for alpha) its marks count in."""
    if number is None:
        item = ("question", known.key)
        row = rows.get(item)
        if row is None:
            row = rows[item] = _Row(known.data)
        return row, item
    item = ("slot", number)
    slot = rows.get(item)
    if slot is None:
        slot = rows[item] = _Row(known.data, number)
    row = slot.variants.get(known.key)
    if row is None:
        row = slot.variants[known.key] = _Row(known.data, number, is_variant=True)
    return row, item


@dataclass(frozen=True)
class _VersionFacts:
    data: dict
    key: object
    points: float
    guess: float | None
    must_pass: bool


def _version_facts(version):
    data = version.data
    return _VersionFacts(
        data=data,
        key=version.question_id or f"v{version.pk}",
        points=float(Decimal(data["points"])),
        guess=random_guess_score(data),
        must_pass=bool(data.get("must_pass")),
    )


def _sample_sd(values):
    if len(values) < 2:
        return None
    mean = math.fsum(values) / len(values)
    return math.sqrt(math.fsum((v - mean) ** 2 for v in values) / (len(values) - 1))


def _discrimination(marks, rests):
    """Moodle's discrimination index and discriminative efficiency, as percentages."""
    count = len(marks)
    if count < 2:
        return None, None
    mark_mean = math.fsum(marks) / count
    rest_mean = math.fsum(rests) / count
    covariance = math.fsum(
        (m - mark_mean) * (r - rest_mean) for m, r in zip(marks, rests, strict=True)
    )
    index = efficiency = None
    # Same marks for everyone on either side: no spread to correlate (Moodle leaves it blank).
    if min(marks) != max(marks) and min(rests) != max(rests):
        mark_var = math.fsum((m - mark_mean) ** 2 for m in marks)
        rest_var = math.fsum((r - rest_mean) ** 2 for r in rests)
        index = 100 * covariance / math.sqrt(mark_var * rest_var)
        best = math.fsum(
            (m - mark_mean) * (r - rest_mean)
            for m, r in zip(sorted(marks), sorted(rests), strict=True)
        )
        efficiency = 100 * covariance / best if best else None
    # The sums are all over the same S - 1, which cancels in both ratios.
    return index, efficiency


def _quiz_stats(totals, items):
    count = len(totals)
    every_item = set().union(*items) if items else set()
    stats = QuizStats(attempts=count, items=len(every_item))
    if not count:
        return stats
    ordered = sorted(totals)
    middle = count // 2
    stats.mean = math.fsum(totals) / count
    stats.median = ordered[middle] if count % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    if count < 2:
        return stats
    deviations = [total - stats.mean for total in totals]
    power2 = math.fsum(d**2 for d in deviations)
    stats.sd = math.sqrt(power2 / (count - 1))
    if count < 3:
        return stats
    m2 = power2 / count
    m3 = math.fsum(d**3 for d in deviations) / count
    m4 = math.fsum(d**4 for d in deviations) / count
    k2 = count * m2 / (count - 1)
    k3 = count * count * m3 / ((count - 1) * (count - 2))
    if min(totals) == max(totals):  # k2 is 0: every attempt scored the same
        return stats
    stats.skewness = k3 / k2**1.5
    if count > 3:
        k4 = (
            count
            * count
            * ((count + 1) * m4 - 3 * (count - 1) * m2 * m2)
            / ((count - 1) * (count - 2) * (count - 3))
        )
        stats.kurtosis = k4 / (k2 * k2)
    items_count = len(every_item)
    # Alpha needs every item in every attempt: a quiz that drew some of its questions per
    # attempt (draw count without slots), or was changed between attempts, has none.
    if items_count > 1 and all(len(marks) == items_count for marks in items):
        item_variance = math.fsum(
            _sample_sd([marks[item] for marks in items]) ** 2 for item in every_item
        )
        stats.cic = 100 * items_count / (items_count - 1) * (1 - item_variance / k2)
        stats.error_ratio = 100 * math.sqrt(max(0.0, 1 - stats.cic / 100))
        stats.standard_error = stats.error_ratio * stats.sd / 100
    return stats


@dataclass(frozen=True)
class Bar:
    low: int
    high: int
    count: int


def score_histogram(percents, width=10):
    """Counts of scores in bands of `width` percent: 0-9, 10-19, ... and 90-100."""
    bands = [Bar(low, min(low + width - 1, 100), 0) for low in range(0, 100, width)]
    counts = Counter(min(int(p) // width, len(bands) - 1) for p in percents)
    return [
        Bar(b.low, 100 if i == len(bands) - 1 else b.high, counts[i]) for i, b in enumerate(bands)
    ]
