"""Moodle's list of grades: the only answer weights Moodle accepts, so the only ones we keep.

Moodle stores an answer's grade as a fraction with seven decimals and, on import, refuses any
that is not within 0.00001 of a grade of its list (question_bank::fraction_options_full and
match_grade_options in lib/questionlib.php), stopping the whole import. We keep weights in
percent with five decimals, so 1/3 is 33.33333 and Moodle reads back exactly its 0.3333333.
"""

from decimal import Decimal

from django.utils.translation import gettext

_POSITIVE = [
    "100", "90", "83.33333", "80", "75", "70", "66.66667", "60", "50", "40", "33.33333",
    "30", "25", "20", "16.66667", "14.28571", "12.5", "11.11111", "10", "5",
]  # fmt: skip
MOODLE_GRADES = [Decimal(g) for g in _POSITIVE] + [Decimal(0)] + [-Decimal(g) for g in _POSITIVE]
# Moodle's 0.00001 on a fraction, in percent.
MATCH_TOLERANCE = Decimal("0.001")


def nearest_grade(weight):
    """The grade of Moodle's list nearest to a weight in percent."""
    weight = Decimal(str(weight))
    return min(MOODLE_GRADES, key=lambda grade: (abs(grade - weight), -grade))


def moodle_grade(weight):
    """The grade of the list that Moodle would take the weight for, or None."""
    grade = nearest_grade(weight)
    return grade if abs(grade - Decimal(str(weight))) < MATCH_TOLERANCE else None


def grade_list_text():
    return ", ".join(format(grade.normalize(), "f") for grade in MOODLE_GRADES if grade >= 0)


def off_list_problem(weight):
    """Why a weight is refused, naming the nearest grade; None when Moodle accepts it."""
    if moodle_grade(weight) is not None:
        return None
    nearest = format(nearest_grade(weight).normalize(), "f")
    shown = format(Decimal(str(weight)).normalize(), "f")
    return gettext(
        "The weight %(weight)s is not one of Moodle's grades; the nearest is %(nearest)s."
    ) % {
        "weight": shown,
        "nearest": nearest,
    }


def grade_list_problem(weights):
    """One message for every weight off Moodle's list, with the list; empty when all are on it."""
    problems = list(dict.fromkeys(filter(None, map(off_list_problem, weights))))
    if problems:
        problems.append(
            gettext("Moodle's grades are %(grades)s and their negatives.")
            % {"grades": grade_list_text()}
        )
    return problems
