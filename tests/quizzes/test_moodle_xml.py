"""Reading and writing Moodle XML question banks, hostile files included."""

import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest

from quizzes.moodle import QuestionFileError
from quizzes.moodle.xml import parse_moodle_xml, to_moodle_xml
from tests.factories import ESCAPE_STEPS
from tests.quizzes.moodle_checks import moodle_xml_problems

SAMPLE = Path(__file__).parent / "samples" / "every-type.xml"


def quiz_xml(*questions, declaration='<?xml version="1.0" encoding="UTF-8"?>'):
    return f"{declaration}\n<quiz>{''.join(questions)}</quiz>".encode()


def only(data):
    (question,) = parse_moodle_xml(data)
    return question


@pytest.fixture(scope="module")
def sample():
    return {q.where: q for q in parse_moodle_xml(SAMPLE.read_bytes())}


def test_sample_file_gives_each_supported_type_and_reports_the_essay(sample):
    assert [(where, q.spec and q.spec["type"]) for where, q in sample.items()] == [
        ("question 1 (Escape algorithm)", "ordering"),
        ("question 2 (Safer option)", "single"),
        ("question 3 (Doctor's checks)", "multiple"),
        ("question 4 (Medicines)", "truefalse"),
        ("question 5 (Who is at risk)", "matching"),
        ("question 6 (Steps)", "numerical"),
        ("question 7 (Muscle)", "shortanswer"),
        ("question 8 (Your own cramp)", None),
    ]
    assert sample["question 8 (Your own cramp)"].problem == (
        "not supported: essay questions need a person to mark them"
    )


def test_ordering_items_keep_the_order_of_the_file_and_the_must_pass_tag(sample):
    spec = sample["question 1 (Escape algorithm)"].spec
    assert spec["items"] == ESCAPE_STEPS
    assert spec["must_pass"] is True
    assert spec["points"] == 4
    assert spec["text"] == (
        "<p>Your calf cramps in deep water and you are able to go under. "
        "<strong>Put the escape steps in order.</strong></p>"
    )
    assert spec["explanation"] == "<p>Fill your lungs first, then tuck, grab and pull.</p>"


def test_html_is_cleaned_for_the_text_and_flattened_for_answers(sample):
    spec = sample["question 2 (Safer option)"].spec
    assert "onerror" not in spec["text"]
    assert spec["options"][0] == {
        "text": "Float on your back & call for help",
        "weight": 100,
        "feedback": "Yes.",
    }
    assert spec["options"][2]["weight"] == -50


def test_single_false_means_multiple_response_with_moodles_weights(sample):
    spec = sample["question 3 (Doctor's checks)"].spec
    assert [o["weight"] for o in spec["options"]] == [
        Decimal("33.33333"),
        Decimal("33.33333"),
        Decimal("33.33333"),
        -100,
    ]
    assert spec["options"][3]["feedback"] == "Not for cramps."


def test_true_false_answers_and_their_feedback(sample):
    spec = sample["question 4 (Medicines)"].spec
    assert spec["correct"] is True
    assert (spec["feedback_true"], spec["feedback_false"]) == ("Right.", "Ask a doctor first.")


def test_matching_subquestions_and_the_empty_one_as_distractor(sample):
    spec = sample["question 5 (Who is at risk)"].spec
    assert spec["pairs"] == [
        {"item": "A hairdresser", "answer": "Long hours standing"},
        {"item": "A skier who trains in the cold", "answer": "Heavy work at low temperatures"},
    ]
    assert spec["distractors"] == ["The growing baby uses up calcium"]


def test_numerical_tolerance_unit_and_the_catch_all_left_out(sample):
    question = sample["question 6 (Steps)"]
    assert [(a["value"], a["tolerance"], a["weight"]) for a in question.spec["answers"]] == [
        (4, 0, 100),
        (4, 1, 50),
    ]
    assert question.spec["unit"] == "steps"
    assert question.warnings == ["the catch-all answer * and its feedback are left out"]


@pytest.mark.parametrize(
    ("qtype", "reason"),
    [
        ("essay", "essay"),
        ("description", "description"),
        ("calculated", "calculated"),
        ("calculatedsimple", "calculated"),
        ("multianswer", "cloze"),
        ("ddwtos", "drag-and-drop"),
        ("gapselect", "missing-words"),
        ("cloze-of-the-future", "'cloze-of-the-future'"),
    ],
)
def test_types_we_cannot_represent_are_reported_by_name(qtype, reason):
    question = only(
        quiz_xml(f'<question type="{qtype}"><name><text>Tricky one</text></name></question>')
    )
    assert question.where == "question 1 (Tricky one)"
    assert question.problem.startswith("not supported:")
    assert reason in question.problem


def test_other_ordering_grading_and_case_sensitive_answers_are_imported_with_a_warning():
    ordering, short = parse_moodle_xml(
        quiz_xml(
            '<question type="ordering"><questiontext><text>Order</text></questiontext>'
            "<gradingtype>ABSOLUTE_POSITION</gradingtype>"
            "<answer><text>A</text></answer><answer><text>B</text></answer>"
            "<answer><text>C</text></answer></question>",
            '<question type="shortanswer"><questiontext><text>Muscle?</text></questiontext>'
            '<usecase>1</usecase><answer fraction="100"><text>Calf</text></answer></question>',
        )
    )
    assert "not by ABSOLUTE_POSITION" in ordering.warnings[0]
    assert "ignoring case" in short.warnings[0]


def test_a_declared_encoding_other_than_utf8_is_read():
    data = quiz_xml(
        '<question type="truefalse"><questiontext><text>Café water is cold.</text>'
        '</questiontext><answer fraction="100"><text>true</text></answer>'
        '<answer fraction="0"><text>false</text></answer></question>',
        declaration='<?xml version="1.0" encoding="ISO-8859-1"?>',
    )
    data = data.decode().encode("latin-1")
    assert only(data).spec["text"] == "Café water is cold."


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE quiz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<quiz><question type="shortanswer"><questiontext><text>&lol3;</text></questiontext>
</question></quiz>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE quiz [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<quiz><question type="shortanswer"><questiontext><text>&secret;</text></questiontext>
</question></quiz>"""
EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE quiz SYSTEM "http://example.invalid/evil.dtd">
<quiz></quiz>"""


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (BILLION_LAUGHS, "declares a DTD"),
        (EXTERNAL_ENTITY, "declares a DTD"),
        (EXTERNAL_DTD, "declares a DTD"),
        (b"<quiz>" + b"<a>" * 5000 + b"</a>" * 5000 + b"</quiz>", "nested more than 16"),
        (b"<quiz><question></quiz>", "not well-formed XML: mismatched tag: line 1"),
        ('<?xml version="1.0"?><quiz>caf\xe9</quiz>'.encode("latin-1"), "encoding"),
        (b"<quiz>\x00</quiz>", "not well-formed"),
        (b"<html><body>Hello</body></html>", "outer element must be <quiz>"),
    ],
)
def test_hostile_or_broken_files_get_a_clear_error(data, message):
    with pytest.raises(QuestionFileError, match=message):
        parse_moodle_xml(data)


# Writing -------------------------------------------------------------------------------------


def test_ordering_is_written_as_qtype_ordering_with_items_in_order():
    question = {
        "type": "ordering",
        "name": "Escape",
        "text": "Put the steps in order.",
        "points": 4,
        "must_pass": True,
        "items": ESCAPE_STEPS,
    }
    text, warnings = to_moodle_xml([question], category="$course$/top/escape")
    assert warnings == []
    assert moodle_xml_problems(text) == []
    root = ET.fromstring(text.encode())
    category, element = root.findall("question")
    assert category.get("type") == "category"
    assert element.get("type") == "ordering"
    assert element.findtext("gradingtype") == "LONGEST_ORDERED_SUBSET"
    answers = element.findall("answer")
    assert [a.findtext("text") for a in answers] == ESCAPE_STEPS
    assert [a.get("fraction") for a in answers] == ["1", "2", "3", "4"]
    assert element.findtext("tags/tag/text") == "must-pass"
    assert element.findtext("defaultgrade") == "4"
    assert element.find("questiontext").get("format") == "markdown"


def test_written_xml_reads_back_the_same_text_whatever_it_holds():
    question = {
        "type": "shortanswer",
        "name": "<Odd> & name",
        "text": "Which ]]> muscle <b>cramps</b>?\n\nSecond paragraph.",
        "explanation": "The calf & foot.",
        "answers": [{"text": "calf*", "weight": 100, "feedback": "Yes <really>"}],
    }
    text, _ = to_moodle_xml([question], heading="A -- tricky heading")
    assert moodle_xml_problems(text) == []
    spec = only(text.encode()).spec
    assert spec["name"] == question["name"]
    assert spec["text"] == question["text"]
    assert spec["explanation"] == question["explanation"]
    # A star in our answers is literal; Moodle reads \* as a star.
    assert spec["answers"] == [{"text": "calf*", "weight": 100, "feedback": "Yes <really>"}]
