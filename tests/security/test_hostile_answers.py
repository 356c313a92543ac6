"""Whatever a curious teenager sends to the answer handler: a 4xx or a form error, no 500,
and nothing changes that should not."""

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizzes.models import Attempt, AttemptQuestion
from quizzes.services import start_attempt
from tests.factories import add_escape_ordering, add_question, add_single, make_quiz, make_trainee
from tests.training.conftest import take


@pytest.fixture
def quiz(db):
    quiz = make_quiz("hostile", questions_per_page=10, attempts_allowed=None)
    add_single(quiz)  # q1
    add_escape_ordering(quiz)  # q2-0 .. q2-3
    add_question(
        quiz, "multiple", [{"text": "Calf", "weight": 100}, {"text": "Ear", "weight": -50}]
    )
    add_question(quiz, "numerical", [{"value": "4", "tolerance": "0", "weight": 100}])  # q4
    add_question(quiz, "matching", [
        {"text": "Calf", "match_text": "Leg"},
        {"text": "Toes", "match_text": "Foot"},
    ])  # fmt: skip
    return quiz


@pytest.fixture
def attempt(quiz, trainee):
    return start_attempt(quiz, trainee)


def snapshot(*attempts):
    rows = []
    for attempt in Attempt.objects.filter(pk__in=[a.pk for a in attempts]).order_by("pk"):
        slots = AttemptQuestion.objects.filter(attempt=attempt).order_by("position")
        answers = list(slots.values_list("position", "response", "score"))
        rows.append((attempt.pk, attempt.state, attempt.score, answers))
    return rows


def post(client, attempt, fields):
    markers = {f"q{n}-shown": "1" for n in range(1, 6)}
    url = reverse("quizzes:attempt_page", args=[attempt.pk])
    return client.post(url, {"page": "1", "action": "save", **markers, **fields})


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"q1": "7"}, "Choose one of the answers shown."),  # an option of another question
        ({"q1": "-1"}, "Choose one of the answers shown."),
        ({"q1": "abc"}, "Choose one of the answers shown."),
        ({"q3": ["0", "9"]}, "Choose one of the answers shown."),
        ({"q2-0": "1", "q2-1": "1", "q2-2": "2", "q2-3": "3"}, "its own position"),
        ({"q2-0": "1", "q2-1": "2"}, "its own position"),
        ({"q2-0": "5"}, "Choose one of the answers shown."),
        ({"q4": "NaN"}, "Enter a number"),
        ({"q4": "four"}, "Enter a number"),
        ({"q5-0": "9"}, "Choose one of the answers shown."),
    ],
)
def test_bad_answers_get_a_400_with_a_clear_message_and_change_nothing(
    client, trainee, attempt, fields, message
):
    client.force_login(trainee)
    before = snapshot(attempt)
    response = post(client, attempt, fields)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert snapshot(attempt) == before


def test_the_page_comes_back_with_the_answers_as_typed(client, trainee, attempt):
    client.force_login(trainee)
    response = post(client, attempt, {"q4": "four", "q1": "0"})
    html = response.content.decode()
    assert 'value="four"' in html
    assert 'value="0" checked' in html or 'checked value="0"' in html or "checked" in html


def test_missing_fields_are_not_an_error(client, trainee, attempt):
    client.force_login(trainee)
    response = client.post(reverse("quizzes:attempt_page", args=[attempt.pk]), {})
    assert response.status_code == 302


def test_someone_elses_attempt_is_a_404_and_unchanged(client, attempt):
    other = make_trainee("other")
    client.force_login(other)
    before = snapshot(attempt)
    assert post(client, attempt, {"q1": "0"}).status_code == 404
    url = reverse("quizzes:attempt_submit", args=[attempt.pk])
    assert client.post(url).status_code == 404
    assert snapshot(attempt) == before


def test_an_oversized_body_is_a_400(client, trainee, attempt):
    client.force_login(trainee)
    before = snapshot(attempt)
    response = post(client, attempt, {"q4": "9" * 3_000_000})
    assert response.status_code == 400
    assert snapshot(attempt) == before


def test_too_many_fields_is_a_400(client, trainee, attempt):
    client.force_login(trainee)
    response = post(client, attempt, {f"junk{n}": "x" for n in range(1500)})
    assert response.status_code == 400


def test_missing_csrf_token_is_refused(trainee, attempt):
    client = Client(enforce_csrf_checks=True)
    client.force_login(trainee)
    before = snapshot(attempt)
    assert post(client, attempt, {"q1": "0"}).status_code == 403
    assert snapshot(attempt) == before


FIELD_NAMES = [
    *["q1", "q2-0", "q2-1", "q2-2", "q2-3", "q3", "q4", "q5-0", "q5-1", "q99"],
    *["page", "action", "q1-shown", "q2-shown", "q3-shown", "q4-shown", "q5-shown"],
]
VALUES = st.one_of(
    st.text(max_size=30),
    st.integers(min_value=-10, max_value=10).map(str),
    st.sampled_from(["", "0", "1", "2", "3", "NaN", "1e999", "-0", "finish", "next", "save"]),
)


@pytest.fixture
def bystanders(quiz, trainee):
    """The trainee's finished attempt at another quiz, and a classmate's open attempt."""
    other_quiz = make_quiz("other", attempts_allowed=None)
    add_single(other_quiz)
    return take(other_quiz, trainee, right=(1,)), start_attempt(quiz, make_trainee("neighbour"))


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(payload=st.dictionaries(st.sampled_from(FIELD_NAMES), st.lists(VALUES, max_size=3)))
def test_random_payloads_never_cause_a_500_or_touch_other_attempts(
    client, trainee, attempt, bystanders, payload
):
    before = snapshot(*bystanders)
    client.force_login(trainee)
    response = client.post(reverse("quizzes:attempt_page", args=[attempt.pk]), payload)
    assert response.status_code in (302, 400)
    assert snapshot(*bystanders) == before
