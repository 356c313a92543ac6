"""A stored answer can never stick an attempt: every scorer returns a score for any stored value,
numbers out of range are refused as they are typed, and an attempt past its deadline finishes.

(Once, `1e999999999` in a numerical question raised decimal.Overflow on every later page.)
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from quizzes import scoring
from quizzes.models import Attempt, AttemptQuestion
from quizzes.services import finish_expired_attempts, start_attempt, submit_attempt
from tests.factories import add_escape_ordering, add_question, add_single, make_quiz
from tests.quizzes.test_scoring import MATCHING, MULTIPLE, NUMERICAL, ORDERING, SHORT, SINGLE

EVERY_TYPE = [SINGLE, MULTIPLE, ORDERING, MATCHING, NUMERICAL, SHORT]
TRUE_FALSE = {**SINGLE, "type": "truefalse"}

HUGE_NUMBERS = ["1e999999999", "-1e999999999", "9" * 40, "1e-999999999", "1E+13", "0e99999999"]


def json_values(storable=False):
    """storable: only what a database's JSON column takes (no NaN, no NUL character and no lone
    surrogate in text; the answer form refuses NUL, and Django decodes a request's invalid UTF-8
    to replacement characters, so no surrogate arrives by HTTP)."""
    letters = (
        st.characters(codec="utf-8", exclude_characters="\x00") if storable else st.characters()
    )
    scalars = (
        st.none()
        | st.booleans()
        | st.integers()
        | st.floats(allow_nan=not storable, allow_infinity=not storable)
        | st.text(letters, max_size=20)
        | st.sampled_from([*HUGE_NUMBERS, "0", "1", "2", "3", "NaN", "Infinity", "-0"])
    )
    return st.recursive(
        scalars,
        lambda inner: (
            st.lists(inner, max_size=5) | st.dictionaries(st.text(letters, max_size=5), inner)
        ),
        max_leaves=10,
    )


def stored_responses(storable=False):
    """What a slot's JSON response could hold: anything, and anything under each answer key."""
    values = json_values(storable)
    keyed = st.fixed_dictionaries(
        {},
        optional=dict.fromkeys(("option", "options", "order", "matches", "value", "text"), values),
    )
    return values | keyed


@settings(max_examples=300, deadline=None)
@given(data=st.sampled_from([*EVERY_TYPE, TRUE_FALSE]), response=stored_responses())
@example(data=NUMERICAL, response={"value": "1e999999999"})
@example(data=MULTIPLE, response={"options": [["0"], {"1": 2}]})
@example(data=ORDERING, response={"order": [0, 1, 2, 3]})
def test_every_scorer_returns_a_score_for_any_stored_response(data, response):
    fraction = scoring.score_response(data, response)
    assert Decimal(0) <= fraction <= Decimal(1)
    assert isinstance(scoring.wrong_answers(data, response), list)


@pytest.mark.parametrize("text", HUGE_NUMBERS)
def test_numbers_out_of_range_are_not_marked(text):
    assert scoring.parse_number(text) is None
    assert scoring.score_response(NUMERICAL, {"value": text}) == 0


@pytest.mark.parametrize(
    ("text", "number"),
    [("200", "200"), (" 2,5 ", "2.5"), ("1 500", "1500"), ("-3", "-3"), ("2.5e2", "250")],
)
def test_numbers_as_phones_type_them_are_read(text, number):
    assert scoring.read_number(text) == Decimal(number)


# The answer form -------------------------------------------------------------------------------


@pytest.fixture
def quiz(db):
    quiz = make_quiz("numbers", questions_per_page=10, attempts_allowed=None, time_limit_minutes=20)
    add_single(quiz)  # q1
    add_question(quiz, "numerical", [{"value": "4", "tolerance": "0", "weight": 100}])  # q2
    return quiz


def answer_page(client, attempt, fields):
    url = reverse("quizzes:attempt_page", args=[attempt.pk])
    markers = {"q1-shown": "1", "q2-shown": "1", "page": "1", "action": "save"}
    return client.post(url, {**markers, **fields})


def saved(attempt):
    return list(attempt.slots.order_by("position").values_list("response", flat=True))


typed_numbers = st.one_of(
    # Huge and tiny exponents.
    st.from_regex(r"\A-?[1-9][0-9]{0,2}([.,][0-9]{1,3})?[eE][+-]?[0-9]{2,12}\Z"),
    # Long strings of digits, with or without a point.
    st.from_regex(r"\A-?[1-9][0-9]{12,38}\Z"),
    st.from_regex(r"\A0[.,][0-9]{11,30}[1-9]\Z"),
    # Thousands separators and decimal commas as other countries write them.
    st.from_regex(r"\A[1-9][0-9]{0,2}([ .,’'][0-9]{3}){1,4}([.,][0-9]{1,2})?\Z"),
    st.sampled_from(["1.234,5", "1,234.5", "١٢٣", "１２", "1_000", "1 234,5", "∞", "0x10"]),
)


# The two refusals, written out here rather than read from the code under test.
NOT_A_NUMBER = "Enter a number, for example 200 or 2.5."
OUT_OF_RANGE = (
    "Enter a number smaller than a million million, with at most 10 digits after the point."
)


def typed(client, trainee, quiz, text):
    """The page's answer to a typed number, and what the attempt holds before and after."""
    attempt = start_attempt(quiz, trainee)
    client.force_login(trainee)
    assert answer_page(client, attempt, {"q1": "0", "q2": "4"}).status_code == 302
    before = saved(attempt)
    response = answer_page(client, attempt, {"q1": "1", "q2": text})
    return attempt, before, response


@pytest.mark.parametrize(
    ("text", "refusal"),
    [
        ("200", None),
        (" 2,5 ", None),
        ("1 500", None),
        ("１２", None),  # full-width digits from a Japanese keyboard are still digits
        ("0.0000000001", None),  # ten places: the most kept
        ("999999999999", None),
        ("two hundred", NOT_A_NUMBER),
        ("0x10", NOT_A_NUMBER),
        ("∞", NOT_A_NUMBER),
        ("NaN", NOT_A_NUMBER),
        ("1.234,5", NOT_A_NUMBER),
        ("0.00000000001", OUT_OF_RANGE),  # eleven places
        ("1000000000000", OUT_OF_RANGE),  # a million million
        ("1e999999999", OUT_OF_RANGE),
        ("0e99999999", OUT_OF_RANGE),
    ],
)
def test_a_typed_number_is_kept_or_refused_in_plain_words(client, trainee, quiz, text, refusal):
    attempt, before, response = typed(client, trainee, quiz, text)
    if refusal:
        assert response.status_code == 400
        assert refusal in response.content.decode().replace("&#x27;", "'")
        assert saved(attempt) == before
    else:
        assert response.status_code == 302
        assert saved(attempt)[1] == {"value": text.strip()}


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=typed_numbers)
@example(text="1e999999999")
def test_a_typed_number_is_kept_or_refused_with_a_clear_400(client, trainee, quiz, text):
    attempt, before, response = typed(client, trainee, quiz, text)
    if response.status_code == 400:
        page = response.content.decode().replace("&#x27;", "'")
        assert NOT_A_NUMBER in page or OUT_OF_RANGE in page
        assert saved(attempt) == before  # nothing of the page is lost or half saved
    else:
        assert response.status_code == 302
        assert saved(attempt)[1] == {"value": text.strip()}
    finished, _ = submit_attempt(attempt)
    assert finished.is_finished
    assert finished.score is not None


# Past the deadline ----------------------------------------------------------------------------


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(responses=st.lists(stored_responses(storable=True), min_size=6, max_size=6))
@example(responses=[{"value": "1e999999999"}] * 6)
def test_an_attempt_past_its_deadline_always_finishes(client, trainee, responses):
    quiz = make_quiz(time_limit_minutes=10, attempts_allowed=None, questions_per_page=10)
    add_single(quiz)
    add_escape_ordering(quiz)
    for options in ([{"value": "4", "tolerance": "0", "weight": 100}],):
        add_question(quiz, "numerical", options)
    add_question(quiz, "shortanswer", [{"text": "Calf", "weight": 100}])
    add_question(quiz, "multiple", [{"text": "A", "weight": 100}, {"text": "B", "weight": -50}])
    add_question(quiz, "matching", [
        {"text": "Calf", "match_text": "Leg"},
        {"text": "Toes", "match_text": "Foot"},
    ])  # fmt: skip
    attempt = start_attempt(quiz, trainee, now=timezone.now() - timedelta(hours=1))
    for slot, response in zip(attempt.slots.order_by("position"), responses, strict=True):
        AttemptQuestion.objects.filter(pk=slot.pk).update(response=response)

    client.force_login(trainee)
    assert client.get(reverse("quizzes:quiz_detail", args=[quiz.slug])).status_code == 200
    attempt = Attempt.objects.get(pk=attempt.pk)
    assert attempt.is_finished
    assert attempt.timed_out
    assert attempt.score is not None
    assert client.get(reverse("quizzes:attempt_result", args=[attempt.pk])).status_code == 200
    assert finish_expired_attempts(trainee=trainee) == []
