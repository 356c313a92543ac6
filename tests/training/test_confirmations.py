"""Destructive coach actions ask first, on a page of their own (no JavaScript needed)."""

import pytest
from django.urls import reverse

from training.models import Assignment
from training.services import assign


@pytest.mark.parametrize(
    ("name", "question"),
    [
        ("join_code_renew", "Make a new join code for Dolphins?"),
        ("membership_remove", "Remove trainee_a from Dolphins?"),
        ("assignment_delete", "Stop assigning “Escape-Check” to Dolphins?"),
    ],
)
def test_destructive_actions_show_a_confirmation_that_changes_nothing(
    client, coach, group, trainee, quiz, name, question
):
    assignment = assign(group, quiz)
    code = group.join_code
    args = {
        "join_code_renew": [group.pk],
        "membership_remove": [group.pk, trainee.pk],
        "assignment_delete": [group.pk, assignment.pk],
    }[name]
    client.force_login(coach)
    response = client.get(reverse(f"training:{name}", args=args))
    page = response.content.decode()
    assert response.status_code == 200
    assert question in page
    assert 'class="button button-danger-solid"' in page
    group.refresh_from_db()
    assert group.join_code == code
    assert group.memberships.active().filter(trainee=trainee).exists()
    assert Assignment.objects.filter(pk=assignment.pk).exists()


def test_saved_allowance_is_confirmed_by_its_form_naming_trainee_and_quiz(
    client, coach, group, trainee, quiz
):
    assignment = assign(group, quiz)
    client.force_login(coach)
    url = reverse("training:override_set", args=[group.pk, trainee.pk, assignment.pk])
    prefix = f"a{assignment.pk}"
    response = client.post(url, {f"{prefix}-extra_attempts": "1", f"{prefix}-extra_minutes": "5"})
    assert response["Location"].endswith(f"?saved={assignment.pk}#allowance-{assignment.pk}")
    page = client.get(response["Location"]).content.decode()
    assert "Saved: trainee_a has 1 extra attempt and 5 extra minutes on “Escape-Check”." in page
