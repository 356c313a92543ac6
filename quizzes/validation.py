"""Rules a question must meet to be fair and scorable; the admin and the file loader share them.

Options are plain dicts with the Option fields: text, match_text, weight, value, tolerance.
"""

from decimal import Decimal

from django.utils.translation import gettext as _

from quizzes.grades import MATCH_TOLERANCE, grade_list_problem
from quizzes.models import QuestionType

# Weights that are positions or nothing, not grades.
_UNGRADED = {QuestionType.ORDERING, QuestionType.MATCHING}


def _weight(option):
    return Decimal(str(option.get("weight") or 0))


def question_problems(kind, options):
    """A list of messages, empty when the question is fine."""
    problems = []
    weights = [_weight(o) for o in options]
    if any(w < -100 or w > 100 for w in weights):
        problems.append(_("Weights must be between -100 and 100 percent."))
    elif kind not in _UNGRADED:
        # Moodle refuses a whole file for one weight off its list, so we never keep one.
        problems += grade_list_problem(weights)
    if kind in (QuestionType.SINGLE, QuestionType.TRUE_FALSE):
        if len(options) < 2:
            problems.append(_("A choice question needs at least two options."))
        if sum(1 for w in weights if w == 100) != 1:
            problems.append(
                _("A single-choice question needs exactly one correct option (weight 100).")
            )
    elif kind == QuestionType.MULTIPLE:
        if len(options) < 2:
            problems.append(_("A multiple-response question needs at least two options."))
        # Three thirds of 33.33333 make 99.99999: full marks, as in Moodle.
        if abs(sum(w for w in weights if w > 0) - 100) >= MATCH_TOLERANCE * len(weights):
            problems.append(
                _(
                    "The positive weights of a multiple-response question must add up to 100, "
                    "so full marks can be reached."
                )
            )
    elif kind == QuestionType.ORDERING:
        if len(options) < 3:
            problems.append(_("An ordering question needs at least three items."))
        if any(not str(o.get("text", "")).strip() for o in options):
            problems.append(_("Every ordering item needs a text."))
    elif kind == QuestionType.MATCHING:
        items = [o for o in options if str(o.get("text", "")).strip()]
        if len(items) < 2:
            problems.append(_("A matching question needs at least two items with an answer each."))
        if any(not str(o.get("match_text", "")).strip() for o in options):
            problems.append(_("Every matching item and distractor needs an answer text."))
    elif kind == QuestionType.NUMERICAL:
        if any(o.get("value") in (None, "") for o in options):
            problems.append(_("Every numerical answer needs a value."))
        if any(Decimal(str(o.get("tolerance") or 0)) < 0 for o in options):
            problems.append(_("A tolerance cannot be negative."))
        if not any(w == 100 for w in weights):
            problems.append(_("A numerical question needs an answer worth 100 percent."))
    elif kind == QuestionType.SHORT_ANSWER:
        accepted = [o for o, w in zip(options, weights, strict=True) if w == 100]
        if not any(str(o.get("text", "")).strip() for o in accepted):
            problems.append(
                _("A short-answer question needs an accepted answer worth 100 percent.")
            )
    return problems
