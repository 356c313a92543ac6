"""Slots and timed review options written in course files and in the admin."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from lessons.course_files import export_course, load_course
from quizzes.course_files import quiz_to_dict
from quizzes.models import Question, Quiz, QuizSlot, ReviewWhen
from tests.factories import add_single, make_quiz
from tests.quizzes.test_course_quizzes import write_quiz_file

POOLED = """
slug: pooled
title: Pooled
attempts_allowed: 3
review:
  correct_answers: when_done
  explanations: when_done
  marks: true
  overall_feedback: never
slots:
  - question: Warm-up
  - category: first-response
    points: 2
    must_pass: true
questions:
  - type: truefalse
    name: Warm-up
    text: A cramp is a muscle tightening on its own.
    correct: true
  - type: single
    name: Scenario A
    category: first-response
    text: Twenty metres from the wall, your calf locks. First?
    options:
      - {text: Hold the lane rope or float on your back, correct: true}
      - {text: Sprint for the wall, correct: false}
  - type: single
    name: Scenario B
    category: first-response
    text: In the sea, your calf locks. First?
    options:
      - {text: Float on your back and get your breath, correct: true}
      - {text: Dive down to grab your toes, correct: false}
"""


@pytest.fixture
def course_dir(tmp_path, db):
    (tmp_path / "lessons").mkdir()
    (tmp_path / "course.md").write_text("---\nslug: small\ntitle: Small\n---\nHi\n")
    (tmp_path / "lessons" / "01-a.md").write_text("---\nslug: a\ntitle: A\norder: 1\n---\nBody\n")
    write_quiz_file(tmp_path, POOLED)
    return tmp_path


def test_a_course_file_writes_slots_and_review_times(course_dir):
    load_course(course_dir)
    quiz = Quiz.objects.get(slug="pooled")
    slots = list(quiz.slots.all())
    assert [s.question.name if s.question else s.category for s in slots] == [
        "Warm-up",
        "first-response",
    ]
    assert slots[1].must_pass
    assert slots[1].points == 2
    assert quiz.review_correct_answers == ReviewWhen.WHEN_DONE
    assert quiz.review_explanations == ReviewWhen.WHEN_DONE
    assert quiz.review_answers == ReviewWhen.ALWAYS  # left out: shown after every attempt
    assert quiz.review_overall_feedback == ReviewWhen.NEVER


def test_slots_and_review_times_export_and_load_back_the_same(course_dir, tmp_path_factory):
    course, _ = load_course(course_dir)
    before = quiz_to_dict(Quiz.objects.get(slug="pooled"))
    assert before["slots"][1] == {
        "category": "first-response",
        "draw": 1,
        "points": 2,
        "must_pass": True,
    }
    out = tmp_path_factory.mktemp("export")
    export_course(course, out)
    Quiz.objects.all().delete()
    load_course(out)
    assert quiz_to_dict(Quiz.objects.get(slug="pooled")) == before


def test_a_quiz_without_the_new_options_keeps_its_fingerprint(db):
    """Files written before marks and overall feedback existed say nothing of them."""
    quiz = make_quiz()
    review = quiz_to_dict(quiz)["review"]
    assert review == {"answers": True, "correct_answers": True, "explanations": True}
    assert "slots" not in quiz_to_dict(quiz)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("  - category: first-response\n", "  - category: first-response\n    draw: 3\n",
         r"Slot 2: the category \"first-response\" holds 2 questions to draw, but .* 3"),
        ("  - category: first-response\n", "  - category: nowhere\n",
         r'Slot 2: the category "nowhere" has no questions to draw'),
        ("    category: first-response\n    text: In the sea", "    text: In the sea",
         r"Slot 2: a must-pass slot of a quiz with retakes needs at least 2 questions"),
        ("  - question: Warm-up\n", "  - question: Warm-down\n",
         r"slot 1: no single question named 'Warm-down'"),
        ("attempts_allowed: 3\n", "attempts_allowed: 3\ndraw_count: 1\n",
         r"draw_count and slots don't go together"),
        ("  correct_answers: when_done\n", "  correct_answers: sometimes\n",
         r"review: correct_answers: write true, false or one of"),
        ("  - question: Warm-up\n", "  - question: Warm-up\n    category: x\n",
         r"slot 1: give either question"),
    ],
)  # fmt: skip
def test_an_impossible_slot_refuses_the_whole_course_naming_file_and_slot(
    course_dir, old, new, message
):
    path = course_dir / "quizzes" / "01-check.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(CommandError, match=message) as refused:
        call_command("load_course", str(course_dir))
    assert "01-check.yaml" in str(refused.value)
    assert not Quiz.objects.exists()
    assert not Question.objects.exists()
    assert not QuizSlot.objects.exists()


def slot_form(quiz, slots, **quiz_fields):
    """The admin's change form of the quiz, with the slots inline filled in."""
    data = {
        "title": quiz.title,
        "slug": quiz.slug,
        "order": 0,
        "description": "",
        "is_published": "on",
        "pass_mark": 70,
        "attempts_allowed": quiz_fields.get("attempts_allowed", 3),
        "grading_method": "highest",
        "questions_per_page": 5,
        "shuffle_options": "on",
        "review_answers": "always",
        "review_marks": "always",
        "review_correct_answers": "when_done",
        "review_explanations": "when_done",
        "review_overall_feedback": "always",
        "feedback_bands-TOTAL_FORMS": 0,
        "feedback_bands-INITIAL_FORMS": 0,
        "questions-TOTAL_FORMS": 0,
        "questions-INITIAL_FORMS": 0,
        "slots-TOTAL_FORMS": len(slots),
        "slots-INITIAL_FORMS": 0,
    }
    for index, slot in enumerate(slots):
        for key, value in slot.items():
            data[f"slots-{index}-{key}"] = value
        data.setdefault(f"slots-{index}-draw", 1)
        data.setdefault(f"slots-{index}-order", index + 1)
    return data


def test_the_admin_saves_slots_and_review_times(client, admin_user, db):
    quiz = make_quiz()
    fixed = add_single(quiz, category="warm-up")
    for _ in range(2):
        add_single(quiz, category="scenarios")
    client.force_login(admin_user)
    url = reverse("admin:quizzes_quiz_change", args=[quiz.pk])
    response = client.post(
        url,
        slot_form(
            quiz,
            [{"question": fixed.pk}, {"category": "scenarios", "must_pass": "on", "points": 2}],
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    quiz.refresh_from_db()
    assert quiz.review_correct_answers == ReviewWhen.WHEN_DONE
    assert [(s.question_id, s.category, s.must_pass) for s in quiz.slots.all()] == [
        (fixed.pk, "", False),
        (None, "scenarios", True),
    ]


def test_the_admin_refuses_a_must_pass_slot_that_a_retake_would_repeat(client, admin_user, db):
    quiz = make_quiz()
    add_single(quiz, category="scenarios")
    client.force_login(admin_user)
    url = reverse("admin:quizzes_quiz_change", args=[quiz.pk])
    response = client.post(url, slot_form(quiz, [{"category": "scenarios", "must_pass": "on"}]))
    assert response.status_code == 200
    assert "needs at least 2 questions" in response.content.decode()
    assert not QuizSlot.objects.exists()


def test_the_admin_offers_only_the_quizs_own_questions_for_a_fixed_slot(client, admin_user, db):
    quiz = make_quiz()
    own = add_single(quiz, text="Our own question")
    add_single(make_quiz(), text="Someone else's question")
    client.force_login(admin_user)
    page = client.get(reverse("admin:quizzes_quiz_change", args=[quiz.pk])).content.decode()
    assert f'<option value="{own.pk}">' in page
    assert "Someone else&#x27;s question" not in page


def pooled_for_admin():
    """A quiz whose one slot draws both questions of "scenarios"."""
    quiz = make_quiz(title="Pool check", attempts_allowed=1)
    questions = [add_single(quiz, category="scenarios") for _ in range(2)]
    QuizSlot.objects.create(quiz=quiz, order=1, category="scenarios", draw=2)
    return quiz, questions


SHORT_OF_ONE = (
    "The slots of “Pool check” need mending: Slot 1: the category &quot;scenarios&quot; holds 1 "
    "question to draw, but the slots ask for 2."
)


def test_deleting_a_question_a_slot_draws_warns_which_quiz_to_mend(staff_client):
    quiz, (first, _) = pooled_for_admin()
    url = reverse("admin:quizzes_question_delete", args=[first.pk])
    page = staff_client.post(url, {"post": "yes"}, follow=True).content.decode()
    assert SHORT_OF_ONE in page
    assert quiz.questions.count() == 1  # the deletion stands


def test_deleting_questions_from_the_list_warns_too(staff_client):
    _, (first, _) = pooled_for_admin()
    page = staff_client.post(
        reverse("admin:quizzes_question_changelist"),
        {"action": "delete_selected", "_selected_action": [first.pk], "post": "yes"},
        follow=True,
    ).content.decode()
    assert SHORT_OF_ONE in page


def test_moving_a_question_to_another_quiz_warns_of_the_quiz_it_left(staff_client):
    from tests.quizzes.test_admin import question_form

    _, (first, _) = pooled_for_admin()
    elsewhere = make_quiz(title="Elsewhere")
    options = [{"text": "Float", "weight": 100}, {"text": "Sprint", "weight": 0}]
    response = staff_client.post(
        reverse("admin:quizzes_question_change", args=[first.pk]),
        question_form(elsewhere, "single", options, category="scenarios"),
        follow=True,
    )
    assert SHORT_OF_ONE in response.content.decode()
    first.refresh_from_db()
    assert first.quiz == elsewhere


def test_a_change_that_leaves_the_slots_whole_warns_of_nothing(staff_client):
    quiz, (first, _) = pooled_for_admin()
    add_single(quiz, category="scenarios")
    url = reverse("admin:quizzes_question_delete", args=[first.pk])
    page = staff_client.post(url, {"post": "yes"}, follow=True).content.decode()
    assert "need mending" not in page
