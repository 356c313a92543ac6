"""Reading and writing GIFT, Moodle's plain-text question format."""

from decimal import Decimal
from pathlib import Path

import pytest

from quizzes.moodle import QuestionFileError
from quizzes.moodle.gift import decode_gift, parse_gift, to_gift
from tests.quizzes.moodle_checks import gift_problems

SAMPLE = Path(__file__).parent / "samples" / "every-feature.gift"


def only(text):
    """The one question of a GIFT text."""
    (question,) = parse_gift(text)
    return question


def spec_of(text):
    question = only(text)
    assert question.problem == "", question.problem
    return question.spec


@pytest.fixture(scope="module")
def sample():
    return {q.spec["name"]: q for q in parse_gift(SAMPLE.read_text(encoding="utf-8"))}


def test_sample_file_is_read_question_by_question_with_line_numbers(sample):
    assert [(q.where, q.spec["type"]) for q in sample.values()] == [
        ("line 9 (Where)", "single"),
        ("line 17 (Habits)", "multiple"),
        ("line 24 (Clonic)", "truefalse"),
        ("line 26 (Match causes)", "matching"),
        ("line 34 (Steps)", "numerical"),
        ("line 36 (Pi)", "numerical"),
        ("line 38 (Water temperature)", "numerical"),
        ("line 43 (Muscle)", "shortanswer"),
        ("line 49 (Escapes: all of them)", "truefalse"),
        ("line 51", "truefalse"),
    ]
    assert all(not q.problem and not q.warnings for q in sample.values())


def test_single_choice_keeps_weights_feedback_explanation_and_metadata_comment(sample):
    spec = sample["Where"].spec
    assert spec["text"] == "Where do swimmers **cramp** most often?"
    assert spec["options"] == [
        {
            "text": "The calf",
            "weight": 100,
            "feedback": "Right: the calf works hardest when kicking.",
        },
        {"text": "The ear", "weight": 0, "feedback": "Ears do not cramp."},
        {"text": "The elbow", "weight": Decimal("-50"), "feedback": "Elbows rarely cramp."},
    ]
    assert spec["explanation"] == "The calf and the foot cramp most, because they work hardest."
    assert spec["points"] == 2
    assert spec["must_pass"] is True


def test_tilde_weights_without_an_equals_answer_make_multiple_response(sample):
    spec = sample["Habits"].spec
    assert [(o["text"], o["weight"]) for o in spec["options"]] == [
        ("Warming up first", 50),
        ("Drinking water", 50),
        ("Skipping the warm-up", -100),
    ]


def test_html_text_is_cleaned_and_html_answers_become_plain_text(sample):
    spec = sample["Habits"].spec
    assert spec["text"] == "<p>Which habits <b>help</b> prevent cramps?</p>"
    assert "script" not in spec["text"]
    assert "style" not in spec["text"]
    assert spec["options"][1]["feedback"] == "Good: salts and water matter."
    assert spec["explanation"] == "<p>Warm up and drink.</p>"


def test_true_false_feedback_goes_to_the_option_it_belongs_to(sample):
    spec = sample["Clonic"].spec
    # {F#shown for a wrong answer#shown for the right one}: the right answer here is False.
    assert spec["correct"] is False
    assert spec["feedback_true"] == "No: tonic cramps are the stronger kind."
    assert spec["feedback_false"] == "Right: clonic cramps are short."
    assert spec["explanation"] == "Tonic cramps can last more than three minutes."


def test_matching_pairs_and_distractor(sample):
    spec = sample["Match causes"].spec
    assert spec["pairs"][0] == {
        "item": "Heavy sweating without drinking",
        "answer": "Water and salt balance",
    }
    assert len(spec["pairs"]) == 3
    assert spec["distractors"] == ["Eyesight"]


def test_numerical_tolerance_range_and_partial_credit(sample):
    steps = sample["Steps"].spec
    assert steps["answers"] == [{"value": 4, "tolerance": 0, "weight": 100, "feedback": ""}]
    assert steps["unit"] == "steps"
    assert steps["points"] == Decimal("1.5")
    (pi,) = sample["Pi"].spec["answers"]
    assert (pi["value"], pi["tolerance"]) == (Decimal("3.1415"), Decimal("0.0005"))
    assert [
        (a["value"], a["tolerance"], a["weight"], a["feedback"])
        for a in sample["Water temperature"].spec["answers"]
    ] == [(20, 0, 100, "Exactly."), (20, 2, 50, "Close enough for half the marks.")]


def test_short_answers_with_weights(sample):
    assert [(a["text"], a["weight"]) for a in sample["Muscle"].spec["answers"]] == [
        ("calf", 100),
        ("calves", 50),
        ("gastrocnemius", 100),
    ]


def test_escaped_control_characters_are_read_as_themselves(sample):
    spec = sample["Escapes: all of them"].spec
    assert spec["text"] == "Escaped characters: ~ = # { } \\ and a new line\nhere."
    assert spec["explanation"] == "General feedback with a # hash."


def test_a_question_without_a_name_is_named_from_its_text_as_moodle_does(sample):
    spec = sample["A question in Moodle's auto-format, with no name."].spec
    assert spec["text"] == "A question in Moodle's auto-format, with no name."
    assert spec["text_format"] == "moodle"
    long = spec_of(f"{'Which muscle cramps most often ' * 4}in swimmers?{{=calf}}")
    assert (
        long["name"]
        == "Which muscle cramps most often Which muscle cramps most often Which muscle..."
    )
    assert len(long["name"]) <= 80


def test_an_equals_answer_makes_single_choice_even_with_partial_weights():
    spec = spec_of("Best answer?{=Float on your back ~%50%Tread water ~Swim hard}")
    assert spec["type"] == "single"
    assert [o["weight"] for o in spec["options"]] == [100, 50, 0]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Describe your last cramp.{}", "essay"),
        ("This part is about the calf.", "description"),
        ("The {=calf} and the {=foot}", "second {...} block"),
        ("Order the steps {>4 ALL\nBreathe\nGo under\nGrab\nPull\n}", "Moodle XML"),
    ],
)
def test_what_we_cannot_represent_is_reported_with_its_line(text, reason):
    question = only(f"// a comment first\n\n\n{text}")
    assert question.spec is None
    assert question.where == "line 4"
    assert question.problem.startswith("not supported")
    assert reason in question.problem


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("Where?{=calf ~ear", "braces do not match"),
        ("Where?}=calf{", "braces do not match"),
        ("::Unclosed name Where?{T}", "not closed"),
        ("Match{=calf -> leg =ear}", "item -> answer"),
        ("How many?{#four}", "'four' is not a number"),
    ],
)
def test_broken_questions_are_reported(text, problem):
    question = only(text)
    assert question.spec is None
    assert problem in question.problem


def test_numerical_catch_all_feedback_is_left_out_with_a_warning():
    question = only("How many steps?{#=4:0#Right. ~#Count again.}")
    assert question.spec["answers"] == [
        {"value": 4, "tolerance": 0, "weight": 100, "feedback": "Right."}
    ]
    assert question.warnings == ["the feedback for any other answer (~) is left out"]


def test_short_answer_wildcards_are_refused_and_catch_alls_left_out():
    assert "wildcard" in only("Which muscle?{=calf*}").problem
    question = only("Which muscle?{=calf =%0%*#Think of the leg.}")
    assert [a["text"] for a in question.spec["answers"]] == ["calf"]
    assert "catch-all" in question.warnings[0]


def test_category_lines_and_comments_are_ignored():
    questions = parse_gift("$CATEGORY: $course$/top/Safety\n\n// note\nCold water helps?{F}\n")
    assert [q.spec["text"] for q in questions] == ["Cold water helps?"]


def test_a_question_glued_to_a_category_line_is_reported_not_lost():
    (question,) = parse_gift("$CATEGORY: $course$/top/Safety\nCold water helps?{F}\n")
    assert question.problem == "put a blank line after the $CATEGORY: line"


def test_decoding_refuses_bytes_that_are_not_utf8_naming_the_line():
    with pytest.raises(QuestionFileError, match=r"byte 0xe9 on line 3"):
        decode_gift("Where?{=calf}\n\nCaf\xe9?{T}".encode("latin-1"))


def test_decoding_refuses_control_characters():
    with pytest.raises(QuestionFileError, match="control character on line 1"):
        decode_gift(b"Where?\x00{=calf ~ear}")


def test_decoding_accepts_a_byte_order_mark():
    assert decode_gift("\ufeffWhere?{T}".encode()) == "Where?{T}"


# Writing -------------------------------------------------------------------------------------


def test_written_text_escapes_every_control_character_and_reads_back_the_same():
    question = {
        "type": "single",
        "name": "Odd: {name} #1",
        "text": "Line one ~ = # { } : \\ end\nline two",
        "explanation": "Because ####",
        "points": 2,
        "options": [
            {"text": "A = b", "weight": 100, "feedback": "Yes # indeed"},
            {"text": "%5 off", "weight": 0},
            {"text": "C: ~", "weight": -50},
        ],
    }
    text, warnings = to_gift([question])
    assert warnings == []
    assert gift_problems(text) == []
    spec = spec_of(text)
    assert spec["name"] == question["name"]
    assert spec["text"] == question["text"]
    assert spec["explanation"] == question["explanation"]
    assert [(o["text"], o["weight"], o["feedback"]) for o in spec["options"]] == [
        ("A = b", 100, "Yes # indeed"),
        ("%5 off", 0, ""),
        ("C: ~", -50, ""),
    ]


def test_ordering_questions_are_left_out_of_gift_with_a_warning_and_a_comment():
    ordering = {"type": "ordering", "name": "Escape", "text": "Order", "items": ["A", "B", "C"]}
    single = {
        "type": "single",
        "text": "Where?",
        "options": [{"text": "Calf", "correct": True}, {"text": "Ear", "correct": False}],
    }
    text, warnings = to_gift([ordering, single])
    assert gift_problems(text) == []
    assert warnings == [
        "Question 1 (Escape) is left out: GIFT has no ordering questions; "
        "export the quiz as Moodle XML to keep it."
    ]
    assert f"// {warnings[0]}" in text
    assert [q.spec["type"] for q in parse_gift(text)] == ["single"]


def test_points_unit_and_must_pass_travel_in_a_comment_moodle_ignores():
    question = {
        "type": "numerical",
        "text": "How many steps?",
        "points": 1.5,
        "must_pass": True,
        "unit": "steps",
        "answers": [{"value": 4, "tolerance": 0, "weight": 100}],
    }
    text, _ = to_gift([question])
    assert gift_problems(text) == []
    assert "// [points:1.5] [unit:steps] [tag:must-pass]" in text
    spec = spec_of(text)
    assert (spec["points"], spec["unit"], spec["must_pass"]) == (Decimal("1.5"), "steps", True)
