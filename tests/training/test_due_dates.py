"""Due dates and quiz windows far outside the calendar we live in are a form error, in any
time zone (0001-01-01 00:00 in Tokyo is year 0 in UTC, which once overflowed on save)."""

import pytest
from django.urls import reverse

from quizzes.models import Quiz
from tests.factories import make_quiz


@pytest.fixture
def tokyo(settings):
    settings.TIME_ZONE = "Asia/Tokyo"


@pytest.mark.parametrize("due", ["0001-01-01T00:00", "1999-12-31T23:59", "2100-01-01T00:00",
                                 "9999-12-31T23:59"])  # fmt: skip
def test_a_due_date_outside_the_window_is_a_form_error(client, coach, group, tokyo, due):
    quiz = make_quiz(is_published=True)
    client.force_login(coach)
    response = client.post(
        reverse("training:assignment_create", args=[group.pk]),
        {"item": f"quiz:{quiz.pk}", "due_at": due},
    )
    assert response.status_code == 400
    assert "Enter a date between 2000 and 2099." in response.content.decode()
    assert not group.assignments.exists()


def test_a_due_date_inside_the_window_is_saved_in_tokyo(client, coach, group, tokyo):
    quiz = make_quiz(is_published=True)
    client.force_login(coach)
    response = client.post(
        reverse("training:assignment_create", args=[group.pk]),
        {"item": f"quiz:{quiz.pk}", "due_at": "2000-01-01T00:00"},
    )
    assert response.status_code == 302
    assert group.assignments.get().due_at.isoformat() == "1999-12-31T15:00:00+00:00"


def test_the_admin_refuses_a_quiz_closing_in_year_one(staff_client, tokyo):
    quiz = make_quiz("tokyo-quiz")
    url = reverse("admin:quizzes_quiz_change", args=[quiz.pk])
    form = staff_client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update({"closes_at": "0001-01-01T00:00", "slug": quiz.slug, "title": quiz.title})
    for prefix in ("feedback_bands", "questions"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "Enter a date between 2000 and 2099." in response.content.decode()
    assert Quiz.objects.get(pk=quiz.pk).closes_at is None
