import random

import pytest
from django.urls import reverse

from quizzes.models import Attempt, Question, QuestionVersion
from quizzes.services import layout_for
from tests.factories import add_escape_ordering, add_single, make_quiz


def question_form(quiz, kind, options, **fields):
    data = {
        "quiz": quiz.pk,
        "order": 1,
        "type": kind,
        "name": "",
        "text": "Which?",
        "points": "1",
        "explanation": "",
        "unit": "",
        "text_format": "markdown",
        "hints": "[]",
        "options-TOTAL_FORMS": str(len(options)),
        "options-INITIAL_FORMS": "0",
        "options-MIN_NUM_FORMS": "0",
        "options-MAX_NUM_FORMS": "1000",
        **fields,
    }
    for i, option in enumerate(options):
        data.update(
            {
                f"options-{i}-order": i,
                f"options-{i}-text": option.get("text", ""),
                f"options-{i}-match_text": option.get("match_text", ""),
                f"options-{i}-weight": option.get("weight", 0),
                f"options-{i}-value": option.get("value", ""),
                f"options-{i}-tolerance": option.get("tolerance", ""),
                f"options-{i}-feedback": "",
            }
        )
    return data


@pytest.mark.parametrize(
    ("kind", "options", "message"),
    [
        (
            "single",
            [{"text": "A", "weight": 100}, {"text": "B", "weight": 100}],
            "exactly one correct option",
        ),
        ("ordering", [{"text": "A"}, {"text": "B"}], "at least three items"),
        (
            "multiple",
            [{"text": "A", "weight": 50}, {"text": "B", "weight": -50}],
            "must add up to 100",
        ),
        ("numerical", [{"value": "200", "weight": 50}], "answer worth 100 percent"),
    ],
)
def test_admin_rejects_unfair_questions_with_a_clear_message(
    client, admin_user, db, kind, options, message
):
    quiz = make_quiz()
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:quizzes_question_add"), question_form(quiz, kind, options)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Question.objects.exists()


def test_admin_saves_a_valid_question(client, admin_user, db):
    quiz = make_quiz()
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:quizzes_question_add"),
        question_form(quiz, "single", [{"text": "Calf", "weight": 100}, {"text": "Ear"}]),
    )
    assert response.status_code == 302
    assert Question.objects.get().options.count() == 2


def test_admin_pages_open(client, admin_user, db):
    quiz = make_quiz()
    add_single(quiz)
    client.force_login(admin_user)
    for url in [
        reverse("admin:quizzes_quiz_changelist"),
        reverse("admin:quizzes_quiz_change", args=[quiz.pk]),
        reverse("admin:quizzes_question_changelist"),
        reverse("admin:quizzes_attempt_changelist"),
    ]:
        assert client.get(url).status_code == 200, url


def test_preview_shows_the_quiz_as_a_trainee_sees_it(client, admin_user, trainee, db):
    quiz = make_quiz(is_published=False)
    add_single(quiz, text="Where do cramps strike?", explanation="SECRET")
    add_escape_ordering(quiz)
    client.force_login(admin_user)
    page = client.get(reverse("quizzes:quiz_preview", args=[quiz.slug])).content.decode()
    assert "Where do cramps strike?" in page
    assert "Choose a position" in page
    assert "SECRET" not in page
    client.force_login(trainee)
    assert client.get(reverse("quizzes:quiz_preview", args=[quiz.slug])).status_code == 302


def test_preview_can_be_answered_and_checked_without_counting(client, admin_user, db):
    quiz = make_quiz(is_published=False, shuffle_options=True)
    add_single(quiz, text="Where do cramps strike?")
    client.force_login(admin_user)
    url = reverse("quizzes:quiz_preview", args=[quiz.slug])
    page = client.get(url).content.decode()
    seed = page.split('name="seed" value="')[1].split('"')[0]
    assert "Check my answers" in page
    # The page's seed gives the order shown, so the index sent back means that option.
    version = QuestionVersion.objects.get()
    keys = layout_for(version.data, True, random.Random(int(seed)))["options"]
    texts = {o["key"]: o["text"] for o in version.data["options"]}
    calf = str([texts[k] for k in keys].index("Calf"))
    checked = client.post(url, {"seed": seed, "q1-shown": "1", "q1": calf}).content.decode()
    assert "Question 1: Right." in checked
    assert "Right answer: Calf" in checked
    assert "Checked below, question by question. Nothing was saved." in checked
    assert not Attempt.objects.exists()


def test_a_preview_seed_of_five_thousand_digits_is_a_new_seed_not_a_500(client, admin_user, db):
    quiz = make_quiz(is_published=False, shuffle_options=True)
    add_single(quiz, text="Where do cramps strike?")
    client.force_login(admin_user)
    url = reverse("quizzes:quiz_preview", args=[quiz.slug])
    checked = client.post(url, {"seed": "9" * 5000, "q1-shown": "1", "q1": "0"})
    assert checked.status_code == 200
    assert "Where do cramps strike?" in checked.content.decode()


def test_a_question_added_from_a_quiz_goes_last(staff_client, db):
    quiz = make_quiz()
    add_single(quiz, order=7)
    page = staff_client.get(reverse("admin:quizzes_question_add") + f"?quiz={quiz.pk}")
    assert 'name="order" value="8"' in page.content.decode()
