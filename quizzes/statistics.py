"""Item analysis and score distribution over a set of finished attempts.

facility: the share of the question's marks earned, over the attempts that had it.
discrimination: Pearson correlation between the mark on the question and the mark on the rest
of the quiz, across attempts (as in Moodle's quiz statistics). Near 1: strong trainees get it
right and weak ones wrong; near 0 or below: the question does not separate them, or misleads.
It is left blank when fewer than three attempts or when either side is the same for everyone.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from statistics import StatisticsError, correlation

from quizzes import scoring

MIN_ATTEMPTS_FOR_DISCRIMINATION = 3
# Coaches see "separates strong from weak" only from this many attempts: below it a single
# trainee's lucky guess swings the number from one end to the other.
DISCRIMINATION_SHOWN_FROM = 10
WRONG_ANSWERS_SHOWN = 3


@dataclass
class QuestionStats:
    name: str
    text: str
    type: str
    answered: int = 0
    attempts: int = 0
    facility: float | None = None
    discrimination: float | None = None
    wrong_answers: list = field(default_factory=list)

    @property
    def facility_percent(self):
        return None if self.facility is None else round(self.facility * 100)

    @property
    def how_hard(self):
        """Facility in a coach's words: most marks earned is easy."""
        percent = self.facility_percent
        if percent is None:
            return "not answered yet"
        if percent >= 80:
            return "easy"
        return "medium" if percent >= 40 else "hard"

    @property
    def separates(self):
        """Discrimination in a coach's words; None while there are too few attempts."""
        if self.discrimination is None or self.attempts < DISCRIMINATION_SHOWN_FROM:
            return None
        if self.discrimination >= 0.3:
            return "well"
        if self.discrimination >= 0.2:
            return "somewhat"
        if self.discrimination >= 0:
            return "hardly: strong and weak trainees score alike"
        return "the wrong way: weaker trainees do better; check the question and its answer"


def item_analysis(attempts):
    """One QuestionStats per question, in the order the questions were written.

    attempts: finished attempts with slots and their versions prefetched.
    """
    marks = defaultdict(list)  # question key -> [(fraction, rest of the quiz's fraction)]
    stats = {}
    wrong = defaultdict(Counter)
    for attempt in attempts:
        slots = sorted(attempt.slots.all(), key=lambda s: s.position)
        total = sum(float(slot.score or 0) for slot in slots)
        maximum = sum(float(slot.version.data["points"]) for slot in slots)
        for slot in slots:
            data = slot.version.data
            key = slot.version.question_id or f"v{slot.version_id}"
            if key not in stats:
                stats[key] = QuestionStats(data.get("name") or "", data["text"], data["type"])
            entry = stats[key]
            entry.attempts += 1
            entry.answered += slot.response is not None
            points = float(data["points"])
            rest_max = maximum - points
            rest = (total - float(slot.score or 0)) / rest_max if rest_max else 0.0
            marks[key].append((float(slot.fraction or 0), rest))
            wrong[key].update(scoring.wrong_answers(data, slot.response))
    for key, entry in stats.items():
        fractions = [fraction for fraction, _ in marks[key]]
        entry.facility = sum(fractions) / len(fractions)
        entry.discrimination = _discrimination(marks[key])
        entry.wrong_answers = wrong[key].most_common(WRONG_ANSWERS_SHOWN)
    return [stats[key] for key in sorted(stats, key=_written_order)]


def _written_order(key):
    # Questions are numbered as they are written; a version without its question goes last.
    return (0, key) if isinstance(key, int) else (1, int(key[1:]))


def _discrimination(pairs):
    if len(pairs) < MIN_ATTEMPTS_FOR_DISCRIMINATION:
        return None
    question, rest = zip(*pairs, strict=True)
    try:
        return round(correlation(question, rest), 2)
    except StatisticsError:  # everyone scored the same on one side
        return None


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
