"""What a finished attempt shows: the trainee's answers, marks, the right answers,
explanations and overall feedback, each only from when the quiz's review options allow.

Every place that shows a trainee something of a finished attempt (the result page, the data
download) asks review_shows(); coaches of the trainee's groups and admins see everything.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from quizzes import hooks, scoring
from quizzes.media import image_url
from quizzes.models import Attempt, QuestionType, ReviewWhen
from quizzes.services import overall_result

# The review options in the order the result page explains them.
REVIEW_PARTS = [
    ("answers", gettext_lazy("Your answers")),
    ("marks", gettext_lazy("Marks for each question")),
    ("correct_answers", gettext_lazy("Right answers")),
    ("explanations", gettext_lazy("Explanations and feedback")),
    ("overall_feedback", gettext_lazy("Overall feedback")),
]


@dataclass
class ReviewShows:
    """Which parts of an attempt's review its viewer sees now; hidden: (part, when) pairs."""

    answers: bool = True
    marks: bool = True
    correct_answers: bool = True
    explanations: bool = True
    overall_feedback: bool = True
    hidden: list = field(default_factory=list)

    @property
    def any_question_detail(self):
        return self.answers or self.marks or self.correct_answers or self.explanations


SHOWS_EVERYTHING = ReviewShows()


def _when_done_text(allowed):
    if allowed is None:
        return _("Shown once you pass.")
    return ngettext(
        "Shown once you pass or have used your %(count)s attempt.",
        "Shown once you pass or have used all %(count)s attempts.",
        allowed,
    ) % {"count": allowed}


def _after_close_text(closes_at):
    if closes_at is None:
        return _("Shown after the quiz closes; it has no closing date.")
    when = date_format(timezone.localtime(closes_at), "DATETIME_FORMAT")
    # In brackets: an English time ends in "p.m.", and a full stop after it would double.
    return _("Shown after the quiz closes (%(date)s).") % {"date": when}


def review_shows_for_trainee(quiz, trainee, *, now=None):
    """What the trainee sees of their own finished attempts at this quiz, now."""
    return review_shows_for_quizzes([quiz], trainee, now=now)[quiz.pk]


def review_shows_for_quizzes(quizzes, trainee, *, now=None):
    """{quiz id: ReviewShows} for the trainee's own attempts, in a fixed number of queries.

    "Once passed or out of attempts" waits for a pass (by the quiz's grading method) or for
    every attempt, extra ones included, to be used; "after the quiz closes" waits for the
    latest of the quiz's closing time and the due dates of the assignments that set it.
    Quizzes whose options are all "after every attempt" cost no query.
    """
    now = now or timezone.now()
    timed = {
        quiz.pk: {part: getattr(quiz, f"review_{part}") for part, _label in REVIEW_PARTS}
        for quiz in quizzes
    }
    needs_standing = [q for q in quizzes if ReviewWhen.WHEN_DONE in timed[q.pk].values()]
    needs_closing = [q for q in quizzes if ReviewWhen.AFTER_CLOSE in timed[q.pk].values()]
    standing = _standings(needs_standing, trainee)
    closing = hooks.closing_times_of(needs_closing, trainee)
    found = {}
    for quiz in quizzes:
        shows = ReviewShows()
        for part, label in REVIEW_PARTS:
            when = timed[quiz.pk][part]
            if when == ReviewWhen.ALWAYS:
                continue
            if when == ReviewWhen.WHEN_DONE:
                passed, used, allowed = standing[quiz.pk]
                if passed or (allowed is not None and used >= allowed):
                    continue
                reason = _when_done_text(allowed)
            elif when == ReviewWhen.AFTER_CLOSE:
                closes_at = max(closing[quiz.pk], default=None)
                if closes_at is not None and now >= closes_at:
                    continue
                reason = _after_close_text(closes_at)
            else:
                reason = _("Not shown for this quiz.")
            setattr(shows, part, False)
            shows.hidden.append((label, reason))
        found[quiz.pk] = shows
    return found


def _standings(quizzes, trainee):
    """{quiz id: (passed the quiz, attempts used, attempts allowed or None)}."""
    if not quizzes:
        return {}
    attempts = defaultdict(list)
    for attempt in Attempt.objects.of(trainee).filter(quiz__in=quizzes):
        attempts[attempt.quiz_id].append(attempt)
    extra = hooks.allowances_for(quizzes, trainee)
    standings = {}
    for quiz in quizzes:
        result = overall_result(quiz.grading_method, quiz.pass_mark, attempts[quiz.pk])
        allowed = quiz.attempts_allowed
        if allowed is not None:
            allowed += extra[quiz.pk].extra_attempts
        standings[quiz.pk] = (result.passed, len(attempts[quiz.pk]), allowed)
    return standings


def review_shows(attempt, viewer, *, now=None):
    """What this viewer may see of a finished attempt's review now."""
    if attempt.trainee_id != viewer.pk:
        return SHOWS_EVERYTHING  # the coaches of its groups and admins (checked by the view)
    return review_shows_for_trainee(attempt.quiz, attempt.trainee, now=now)


def _options(data):
    return {option["key"]: option for option in data["options"]}


_words = scoring.option_words


def _number(text):
    if text is None:
        return ""
    number = scoring.parse_number(text)
    return str(text) if number is None else format(number.normalize(), "f")


def _keys(value):
    """The option keys in a stored list; anything else in it is not an answer."""
    return [key for key in value if isinstance(key, str)] if isinstance(value, list) else []


def response_summary(data, response):
    """The trainee's answer in words (stored JSON of any shape reads as what it can)."""
    if not isinstance(response, dict):
        return _("No answer")
    options = _options(data)
    kind = data["type"]
    if kind in (QuestionType.SINGLE, QuestionType.TRUE_FALSE):
        chosen = response.get("option")
        return (
            _words(options[chosen])
            if isinstance(chosen, str) and chosen in options
            else _("No answer")
        )
    if kind == QuestionType.MULTIPLE:
        return "; ".join(_words(options[k]) for k in _keys(response.get("options")) if k in options)
    if kind == QuestionType.ORDERING:
        return " → ".join(_words(options[k]) for k in _keys(response.get("order")) if k in options)
    if kind == QuestionType.MATCHING:
        matches = response.get("matches")
        matches = matches if isinstance(matches, dict) else {}
        labels = data.get("answer_labels") or {}
        return "; ".join(
            f"{_words(options[k])} → {labels.get(v, v)}" for k, v in matches.items() if k in options
        )
    if kind == QuestionType.NUMERICAL:
        return f"{response.get('value', '')} {data.get('unit', '')}".strip()
    return str(response.get("text", ""))


def right_answer_summary(data):
    """The full-marks answer in words."""
    kind = data["type"]
    options = data["options"]
    if kind in (QuestionType.SINGLE, QuestionType.TRUE_FALSE, QuestionType.MULTIPLE):
        best = [_words(o) for o in options if float(o["weight"]) > 0]
        return "; ".join(best)
    if kind == QuestionType.ORDERING:
        return " → ".join(_words(o) for o in options)
    if kind == QuestionType.MATCHING:
        labels = data.get("answer_labels") or {}
        return "; ".join(
            f"{_words(o)} → {labels.get(o['match_text'], o['match_text'])}"
            for o in scoring.matching_items(data)
        )
    if kind == QuestionType.NUMERICAL:
        unit = data.get("unit", "")
        answers = []
        for o in options:
            if float(o["weight"]) < 100:
                continue
            tolerance = scoring.parse_number(o.get("tolerance") or "0")
            plus_minus = f" ± {_number(o['tolerance'])}" if tolerance else ""
            answers.append(f"{_number(o['value'])}{plus_minus} {unit}".strip())
        return _either(answers)
    return _either(o["text"] for o in options if float(o["weight"]) >= 100)


def _either(answers):
    """Right answers, any one of which is right: "2 or two"."""
    return pgettext("between answers any one of which is right", " or ").join(answers)


def _chosen_options(data, response):
    """The options the trainee chose (for per-option feedback)."""
    if not isinstance(response, dict) or not response:
        return []
    options = _options(data)
    kind = data["type"]
    if kind in (QuestionType.SINGLE, QuestionType.TRUE_FALSE):
        keys = _keys([response.get("option")])
    elif kind == QuestionType.MULTIPLE:
        keys = _keys(response.get("options"))
    elif kind == QuestionType.SHORT_ANSWER:
        given = scoring.normalise_text(response.get("text", ""))
        keys = [o["key"] for o in data["options"] if scoring.normalise_text(o["text"]) == given]
    elif kind == QuestionType.NUMERICAL:
        # As Moodle: the first answer the number falls within gives its feedback.
        keys = [o["key"] for o in data["options"] if scoring.is_within(o, response)][:1]
    else:
        return []
    return [options[k] for k in keys if k in options]


def chosen_feedback(data, response):
    """Per-option feedback for what the trainee chose."""
    return [option["feedback"] for option in _chosen_options(data, response) if option["feedback"]]


def chosen_feedback_images(data, response):
    """The images of the per-option feedback for what the trainee chose, each with its
    address: {"file", "alt", "url"}."""
    return [
        {**image, "url": image_url(image)}
        for option in _chosen_options(data, response)
        for image in option.get("feedback_images", [])
    ]


@dataclass
class ReviewedQuestion:
    number: int
    data: dict
    fraction: object
    score: object
    your_answer: str | None
    right_answer: str | None
    feedback: list
    show_explanation: bool
    misplaced: list
    must_pass: bool = False
    show_feedback: bool = False
    shows_marks: bool = True
    # The per-option feedback's images: shown with the feedback, so only with explanations.
    feedback_images: list = field(default_factory=list)

    @property
    def outcome(self):
        return outcome_of(self.fraction) if self.shows_marks else None

    @property
    def outcome_label(self):
        return OUTCOME_LABELS.get(self.outcome, "")

    @property
    def combined_feedback_html(self):
        """Moodle's combined feedback for the outcome: correct, partly correct or incorrect."""
        if not self.show_feedback:
            return ""
        field = {"right": "correct", "partly right": "partly_correct", "wrong": "incorrect"}
        return self.data.get(f"{field[self.outcome]}_feedback_html", "")

    @property
    def hints_html(self):
        return self.data.get("hints_html", []) if self.show_explanation else []


OUTCOME_LABELS = {
    "right": gettext_lazy("Right"),
    "partly right": gettext_lazy("Partly right"),
    "wrong": gettext_lazy("Wrong"),
}


def outcome_of(fraction):
    if fraction is None or fraction <= 0:
        return "wrong"
    return "right" if fraction >= 1 else "partly right"


def review_attempt(slots, shows=SHOWS_EVERYTHING):
    """Rows for the review page, with only what `shows` allows in them."""
    rows = []
    for slot in slots:
        data = slot.version.data
        must_pass_missed = data.get("must_pass") and not slot.is_fully_right
        rows.append(
            ReviewedQuestion(
                number=slot.position,
                data=data,
                fraction=slot.fraction if shows.marks else None,
                score=slot.score if shows.marks else None,
                your_answer=response_summary(data, slot.response) if shows.answers else None,
                right_answer=right_answer_summary(data) if shows.correct_answers else None,
                feedback=chosen_feedback(data, slot.response) if shows.explanations else [],
                feedback_images=(
                    chosen_feedback_images(data, slot.response) if shows.explanations else []
                ),
                show_explanation=shows.explanations,
                show_feedback=shows.explanations and shows.marks,
                misplaced=(
                    scoring.misplaced_items(data, slot.response)
                    if shows.marks and must_pass_missed and data["type"] == QuestionType.ORDERING
                    else []
                ),
                must_pass=bool(data.get("must_pass")),
                shows_marks=shows.marks,
            )
        )
    return rows


def must_pass_misses(slots, shows=SHOWS_EVERYTHING):
    """Must-pass questions not answered fully right, with the steps out of place.

    Without marks shown, which question was missed would say which answer was wrong: the
    count stays (it is why the attempt failed), the names and steps go."""
    missed = [
        slot for slot in slots if slot.version.data.get("must_pass") and not slot.is_fully_right
    ]
    if not shows.marks:
        return [{"number": None, "name": "", "text_html": "", "misplaced": []} for _ in missed]
    return [
        {
            "number": slot.position,
            "name": slot.version.data.get("name")
            or _("Question %(number)s") % {"number": slot.position},
            "text_html": slot.version.data.get("text_html", ""),
            "misplaced": scoring.misplaced_items(slot.version.data, slot.response)
            if slot.version.data["type"] == QuestionType.ORDERING
            else [],
        }
        for slot in missed
    ]


def check_preview(slots, form):
    """A staff member's try in the preview, scored like an attempt but never stored: sets
    .checked = (outcome, right answer, outcome in words) on each question of the form."""
    responses = form.responses if form.is_valid() else form.valid_responses()
    for question in form.questions:
        data = question.data
        fraction = scoring.score_response(data, responses.get(question.slot.pk))
        outcome = outcome_of(fraction)
        question.checked = (outcome, right_answer_summary(data), OUTCOME_LABELS[outcome])
    return True
