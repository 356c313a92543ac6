"""What a finished attempt shows: the trainee's answers, the right ones and explanations,
each only as far as the quiz's review options allow."""

from dataclasses import dataclass

from quizzes import scoring
from quizzes.models import QuestionType


def _options(data):
    return {option["key"]: option for option in data["options"]}


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
        return "No answer"
    options = _options(data)
    kind = data["type"]
    if kind in (QuestionType.SINGLE, QuestionType.TRUE_FALSE):
        chosen = response.get("option")
        return (
            options[chosen]["text"]
            if isinstance(chosen, str) and chosen in options
            else "No answer"
        )
    if kind == QuestionType.MULTIPLE:
        return "; ".join(options[k]["text"] for k in _keys(response.get("options")) if k in options)
    if kind == QuestionType.ORDERING:
        return " → ".join(options[k]["text"] for k in _keys(response.get("order")) if k in options)
    if kind == QuestionType.MATCHING:
        matches = response.get("matches")
        matches = matches if isinstance(matches, dict) else {}
        return "; ".join(f"{options[k]['text']} → {v}" for k, v in matches.items() if k in options)
    if kind == QuestionType.NUMERICAL:
        return f"{response.get('value', '')} {data.get('unit', '')}".strip()
    return str(response.get("text", ""))


def right_answer_summary(data):
    """The full-marks answer in words."""
    kind = data["type"]
    options = data["options"]
    if kind in (QuestionType.SINGLE, QuestionType.TRUE_FALSE, QuestionType.MULTIPLE):
        best = [o["text"] for o in options if float(o["weight"]) > 0]
        return "; ".join(best)
    if kind == QuestionType.ORDERING:
        return " → ".join(o["text"] for o in options)
    if kind == QuestionType.MATCHING:
        return "; ".join(f"{o['text']} → {o['match_text']}" for o in scoring.matching_items(data))
    if kind == QuestionType.NUMERICAL:
        unit = data.get("unit", "")
        answers = []
        for o in options:
            if float(o["weight"]) < 100:
                continue
            tolerance = scoring.parse_number(o.get("tolerance") or "0")
            plus_minus = f" ± {_number(o['tolerance'])}" if tolerance else ""
            answers.append(f"{_number(o['value'])}{plus_minus} {unit}".strip())
        return " or ".join(answers)
    return " or ".join(o["text"] for o in options if float(o["weight"]) >= 100)


def chosen_feedback(data, response):
    """Per-option feedback for what the trainee chose."""
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
    else:
        return []
    return [options[k]["feedback"] for k in keys if k in options and options[k]["feedback"]]


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

    @property
    def outcome(self):
        return outcome_of(self.fraction)

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


def outcome_of(fraction):
    if fraction is None or fraction <= 0:
        return "wrong"
    return "right" if fraction >= 1 else "partly right"


def review_attempt(attempt, slots):
    """Rows for the review page, following the quiz's review options."""
    quiz = attempt.quiz
    rows = []
    for slot in slots:
        data = slot.version.data
        must_pass_missed = data.get("must_pass") and not slot.is_fully_right
        rows.append(
            ReviewedQuestion(
                number=slot.position,
                data=data,
                fraction=slot.fraction,
                score=slot.score,
                your_answer=response_summary(data, slot.response) if quiz.review_answers else None,
                right_answer=right_answer_summary(data) if quiz.review_correct_answers else None,
                feedback=chosen_feedback(data, slot.response) if quiz.review_answers else [],
                show_explanation=quiz.review_explanations,
                show_feedback=quiz.review_answers,
                misplaced=(
                    scoring.misplaced_items(data, slot.response)
                    if must_pass_missed and data["type"] == QuestionType.ORDERING
                    else []
                ),
                must_pass=bool(data.get("must_pass")),
            )
        )
    return rows


def must_pass_misses(slots):
    """Must-pass questions not answered fully right, with the steps out of place."""
    return [
        {
            "number": slot.position,
            "name": slot.version.data.get("name") or f"Question {slot.position}",
            "text_html": slot.version.data.get("text_html", ""),
            "misplaced": scoring.misplaced_items(slot.version.data, slot.response)
            if slot.version.data["type"] == QuestionType.ORDERING
            else [],
        }
        for slot in slots
        if slot.version.data.get("must_pass") and not slot.is_fully_right
    ]


def check_preview(slots, form):
    """A staff member's try in the preview, scored like an attempt but never stored: sets
    .checked = (outcome, right answer) on each question of the form."""
    responses = form.responses if form.is_valid() else form.valid_responses()
    for question in form.questions:
        data = question.data
        fraction = scoring.score_response(data, responses.get(question.slot.pk))
        question.checked = (outcome_of(fraction), right_answer_summary(data))
    return True
