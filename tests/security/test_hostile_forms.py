"""Coach and trainee forms refuse junk with a 400 and a message, and change nothing."""

import pytest
from django.urls import reverse

from training.models import Assignment, Membership, QuizOverride, TrainingGroup
from training.services import assign


def counts():
    return [m.objects.count() for m in (TrainingGroup, Membership, Assignment, QuizOverride)]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("training:group_create", {}, "This field is required."),
        ("training:group_create", {"name": "x" * 500}, "Ensure this value has at most"),
        ("training:group_members", {}, "This field is required."),
        ("training:group_members", {"email": "' OR 1=1 --"}, "A coach cannot put an existing"),
        ("training:assignment_create", {}, "Tick at least one lesson or quiz."),
        ("training:assignment_create", {"item": "quiz:1", "due_at": "tomorrow"}, "Enter a valid"),
    ],
)
def test_coach_forms(client, coach, group, name, data, message):
    client.force_login(coach)
    before = counts()
    url = reverse(name) if name == "training:group_create" else reverse(name, args=[group.pk])
    response = client.post(url, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert counts() == before


def test_allowance_form_with_missing_fields(client, coach, group, trainee, db):
    from tests.factories import add_single, make_quiz

    quiz = make_quiz(is_published=True)
    add_single(quiz)
    assignment = assign(group, quiz)
    client.force_login(coach)
    url = reverse("training:override_set", args=[group.pk, trainee.pk, assignment.pk])
    response = client.post(url, {})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not QuizOverride.objects.exists()


@pytest.mark.parametrize("data", [{}, {"code": ""}, {"code": "x" * 200}, {"code": "<script>"}])
def test_join_form(client, trainee, group, data):
    client.force_login(trainee)
    before = counts()
    response = client.post(reverse("training:join"), data)
    assert response.status_code == 400
    assert "<script>" not in response.content.decode()
    assert counts() == before
