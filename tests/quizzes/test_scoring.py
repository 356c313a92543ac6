"""Each scoring rule: full, partial, zero and hostile answers."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from quizzes import scoring
from quizzes.services import overall_result


def question(kind, options, points="1.00", **extra):
    return {
        "type": kind,
        "points": points,
        "options": [
            {"key": str(i), "text": "", "match_text": "", "weight": "0", "value": None,
             "tolerance": None, "feedback": "", **option}
            for i, option in enumerate(options)
        ],
        **extra,
    }  # fmt: skip


SINGLE = question("single", [{"text": "Calf", "weight": "100"}, {"text": "Ear"}])
MULTIPLE = question(
    "multiple",
    [
        {"text": "Dehydration", "weight": "50"},
        {"text": "Cold water", "weight": "50"},
        {"text": "Sunglasses", "weight": "-50"},
        {"text": "Red hair", "weight": "-100"},
    ],
)
ORDERING = question("ordering", [{"text": t} for t in "ABCD"])
MATCHING = question(
    "matching",
    [
        {"text": "Furosemide", "match_text": "Loop diuretic"},
        {"text": "Acetazolamide", "match_text": "Carbonic anhydrase inhibitor"},
        {"text": "Bumetanide", "match_text": "Loop diuretic"},
        {"text": "", "match_text": "Vitamin"},
    ],
)
NUMERICAL = question(
    "numerical",
    [
        {"value": "200", "tolerance": "50", "weight": "100"},
        {"value": "500", "tolerance": "100", "weight": "25"},
    ],
)
SHORT = question(
    "shortanswer", [{"text": "Calf muscle", "weight": "100"}, {"text": "Leg", "weight": "50"}]
)


@pytest.mark.parametrize(
    ("response", "fraction"),
    [({"option": "0"}, "1"), ({"option": "1"}, "0"), ({"option": "99"}, "0"), ({"option": 0}, "0")],
)
def test_single_choice(response, fraction):
    assert scoring.score_response(SINGLE, response) == Decimal(fraction)


@pytest.mark.parametrize(
    ("chosen", "fraction"),
    [
        (["0", "1"], "1"),  # both right
        (["0"], "0.5"),  # half the marks
        (["0", "2"], "0"),  # a wrong tick costs what a right one earned
        (["0", "1", "2"], "0.5"),
        (["3"], "0"),  # never below zero
        (["0", "0", "0"], "0.5"),  # a repeated tick counts once
        (["0", "1", "nope"], "1"),
    ],
)
def test_multiple_response_weights(chosen, fraction):
    assert scoring.score_response(MULTIPLE, {"options": chosen}) == Decimal(fraction)


@pytest.mark.parametrize(
    ("order", "fraction"),
    [
        ("ABCD", "1"),
        ("ABDC", "0.75"),
        ("BACD", "0.75"),
        ("ACBD", "0.75"),
        ("BADC", "0.5"),
        ("DCBA", "0"),  # a lone item in place earns nothing
    ],
)
def test_ordering_longest_run_in_relative_order(order, fraction):
    keys = [str("ABCD".index(letter)) for letter in order]
    assert scoring.score_response(ORDERING, {"order": keys}) == Decimal(fraction)


@pytest.mark.parametrize(
    "response",
    [
        {"order": ["0", "1", "2"]},  # an item missing
        {"order": ["0", "0", "1", "2"]},  # a duplicate
        {"order": ["0", "1", "2", "9"]},  # an unknown item
        {"order": "0123"},
        {"order": None},
        {},
        "garbage",
    ],
)
def test_ordering_hostile_answers_score_zero(response):
    assert scoring.score_response(ORDERING, response) == 0


def test_single_choice_partial_weight_earns_its_share():
    half_right = question(
        "single",
        [{"text": "Calf", "weight": "100"}, {"text": "Foot", "weight": "50"}, {"text": "Ear"}],
    )
    assert scoring.score_response(half_right, {"option": "1"}) == Decimal("0.5")
    # A partly right choice is still listed as wrong in the item analysis; the right one is not.
    assert scoring.wrong_answers(half_right, {"option": "1"}) == ["Foot"]
    assert scoring.wrong_answers(half_right, {"option": "0"}) == []


def test_numerical_without_a_tolerance_needs_the_exact_value():
    exact = question("numerical", [{"value": "10", "weight": "100"}])
    assert scoring.score_response(exact, {"value": "10"}) == 1
    assert scoring.score_response(exact, {"value": "10.0001"}) == 0
    assert scoring.score_response(exact, {"value": "9.5"}) == 0


@pytest.mark.parametrize(
    ("order", "misplaced"),
    [
        ("BADC", ["A", "C"]),  # two swaps: B and D keep their order, A and C are out of place
        ("ACDB", ["B"]),  # one step moved to the end: the other three are in order
        ("CDAB", ["A", "B"]),
        ("DCBA", ["A", "B", "C", "D"]),  # a lone step in order counts as none
    ],
)
def test_misplaced_steps_after_more_than_one_swap(order, misplaced):
    keys = [str("ABCD".index(letter)) for letter in order]
    assert scoring.misplaced_items(ORDERING, {"order": keys}) == misplaced


def test_misplaced_steps_are_named():
    assert scoring.misplaced_items(ORDERING, {"order": ["0", "1", "3", "2"]}) in (["C"], ["D"])
    assert scoring.misplaced_items(ORDERING, {"order": ["0", "1", "2", "3"]}) == []
    assert scoring.misplaced_items(ORDERING, None) == ["A", "B", "C", "D"]


def test_matching_share_of_items_right():
    right = {"0": "Loop diuretic", "1": "Carbonic anhydrase inhibitor", "2": "Loop diuretic"}
    assert scoring.score_response(MATCHING, {"matches": right}) == 1
    two_of_three = {**right, "2": "Vitamin"}
    assert scoring.score_response(MATCHING, {"matches": two_of_three}) == Decimal("0.6667")
    assert scoring.score_response(MATCHING, {"matches": {"3": "Vitamin"}}) == 0
    assert scoring.score_response(MATCHING, {"matches": ["x"]}) == 0


@pytest.mark.parametrize(
    ("value", "fraction"),
    [
        ("200", "1"),
        ("150", "1"),  # the edge of the tolerance counts
        ("250.0", "1"),
        ("251", "0"),
        ("450", "0.25"),  # a partly right answer
        ("2,0e2", "1"),  # a decimal comma from a phone keyboard
        (" 200 ", "1"),
        ("two hundred", "0"),
        ("NaN", "0"),
        ("Infinity", "0"),
        (None, "0"),
    ],
)
def test_numerical_tolerance(value, fraction):
    assert scoring.score_response(NUMERICAL, {"value": value}) == Decimal(fraction)


@pytest.mark.parametrize(
    ("text", "fraction"),
    [("calf muscle", "1"), ("  CALF   Muscle ", "1"), ("leg", "0.5"), ("arm", "0"), ("", "0")],
)
def test_short_answer_ignores_case_and_spaces(text, fraction):
    assert scoring.score_response(SHORT, {"text": text}) == Decimal(fraction)


def test_no_response_scores_zero():
    for data in (SINGLE, MULTIPLE, ORDERING, MATCHING, NUMERICAL, SHORT):
        assert scoring.score_response(data, None) == 0


def test_points_follow_the_fraction():
    assert scoring.points_for({"points": "4.00"}, Decimal("0.75")) == Decimal("3.00")
    assert scoring.percent_of(Decimal("7"), Decimal("8")) == Decimal("87.50")


def attempt(number, percent, passed=None, must_pass_met=True):
    return SimpleNamespace(
        number=number,
        percent=Decimal(percent),
        passed=Decimal(percent) >= 70 and must_pass_met if passed is None else passed,
        must_pass_met=must_pass_met,
        state="finished",
    )


@pytest.mark.parametrize(
    ("method", "percent", "passed"),
    [
        ("highest", "90", True),
        ("first", "50", False),
        ("last", "80", True),
        ("average", "73.33", True),
    ],
)
def test_grading_methods(method, percent, passed):
    attempts = [attempt(1, "50"), attempt(2, "90"), attempt(3, "80")]
    result = overall_result(method, 70, attempts)
    assert result.percent == Decimal(percent)
    assert result.passed is passed
    assert result.attempts == 3


def test_highest_prefers_a_passed_attempt_over_a_higher_failed_one():
    attempts = [attempt(1, "95", must_pass_met=False), attempt(2, "85")]
    result = overall_result("highest", 70, attempts)
    assert result.percent == Decimal("85")
    assert result.passed


def test_average_needs_must_pass_met_once():
    attempts = [attempt(1, "95", must_pass_met=False), attempt(2, "90", must_pass_met=False)]
    assert not overall_result("average", 70, attempts).passed


def test_no_finished_attempt_means_no_grade():
    result = overall_result("highest", 70, [])
    assert result.percent is None
    assert not result.passed


# Edges the mutation run found untested (docs/mutation-report.md) --------------------------------


def test_matching_offers_each_answer_once_distractors_included():
    assert scoring.matching_answers(MATCHING) == [
        "Loop diuretic",
        "Carbonic anhydrase inhibitor",
        "Vitamin",
    ]


def test_ties_round_half_up_not_to_even():
    odd_weight = question("single", [{"text": "Calf", "weight": "12.345"}])
    assert scoring.score_response(odd_weight, {"option": "0"}) == Decimal("0.1235")
    assert scoring.points_for({"points": "1.00"}, Decimal("0.125")) == Decimal("0.13")
    assert scoring.percent_of(Decimal("0.01"), Decimal("8")) == Decimal("0.13")


def test_full_marks_response_ticks_small_positive_weights_and_survives_no_options():
    mostly = question("multiple", [{"text": "A", "weight": "99.5"}, {"text": "B", "weight": "0.5"}])
    assert scoring.full_marks_response(mostly) == {"options": ["0", "1"]}
    assert scoring.score_response(mostly, scoring.full_marks_response(mostly)) == 1
    assert scoring.full_marks_response({"type": "ordering", "options": []}) == {"order": []}
    assert scoring.misplaced_items({"options": []}, {"order": []}) == []


def test_a_numerical_option_without_a_value_is_skipped_not_the_end():
    data = question("numerical", [{"value": None}, {"value": "200", "weight": "100"}])
    assert scoring.score_response(data, {"value": "200"}) == 1


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (True, "Enter a number, for example 200 or 2.5."),
        (None, "Enter a number, for example 200 or 2.5."),
        ("two", "Enter a number, for example 200 or 2.5."),
        ("NaN", "Enter a number, for example 200 or 2.5."),
        (10**12, "Enter a number smaller than a million million"),
        (-(10**12), "Enter a number smaller than a million million"),
        ("1000000000000", "Enter a number smaller than a million million"),
        ("-1000000000000", "Enter a number smaller than a million million"),
        ("0.00000000001", "Enter a number smaller than a million million"),
        ("0e12", "Enter a number smaller than a million million"),  # zero, but no phone types it
    ],
)
def test_read_number_refuses_in_plain_words(value, message):
    with pytest.raises(scoring.NumberRefused) as refused:
        scoring.read_number(value)
    assert str(refused.value).startswith(message)


@pytest.mark.parametrize(
    ("value", "number"),
    [(999_999_999_999, "999999999999"), (-999_999_999_999, "-999999999999"), ("1 500", "1500")],
)
def test_read_number_keeps_the_largest_numbers_allowed(value, number):
    assert scoring.read_number(value) == Decimal(number)


def test_wrong_answer_lists_leave_out_blanks_and_small_positive_weights():
    ticks = question(
        "multiple",
        [{"text": "A", "weight": "99.5"}, {"text": "B", "weight": "0.5"}, {"text": "C"}],
    )
    assert scoring.wrong_answers(ticks, {"options": ["1", "2"]}) == ["C"]  # 0 is wrong, 0.5 not
    assert scoring.wrong_answers(MATCHING, {"matches": {"0": "", "1": "Vitamin"}}) == [
        "Acetazolamide → Vitamin"
    ]
    assert scoring.wrong_answers(SHORT, {"text": ""}) == []
    assert scoring.wrong_answers(SHORT, {"text": "Arm"}) == ["arm"]
