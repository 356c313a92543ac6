"""The quizzes shipped with the course, and loading quizzes from course files."""

import re
import textwrap
from collections import Counter
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from lessons.course_files import export_course, load_course
from quizzes import scoring
from quizzes.models import Question, QuestionType, Quiz, ReviewWhen
from quizzes.services import save_answers, start_attempt, submit_attempt
from quizzes.slots import questions_per_attempt

FINAL_STEPS = [
    "Breathe in fully",
    "Go under and bring your knees to your chest",
    "Take hold of the big toe of the cramped leg",
    "Straighten the leg and pull the toes steadily toward your shin",
    "Let go, surface and breathe",
]
MUST_PASS_POOLS = ["first-response", "helping-others"]


@pytest.fixture
def course(db):
    return load_course()[0]


def take(quiz, trainee, *, wrong_order=False, wrong_first_response=False, wrong_in=()):
    """Answer everything right, except the escape order, the first-response decision (the
    first edition's question named "First response", or any question of the pool
    "first-response"), or every question drawn from the pools named in wrong_in."""
    attempt = start_attempt(quiz, trainee)
    responses = {}
    for slot in attempt.slots.select_related("version__question"):
        data = slot.version.data
        question = slot.version.question
        category = question.category if question else ""
        response = scoring.full_marks_response(data)
        if wrong_order and "order" in response:
            response = {"order": list(reversed(response["order"]))}
        first_response = data.get("name") == "First response" or category == "first-response"
        if (wrong_first_response and first_response) or category in wrong_in:
            wrong = next(o for o in data["options"] if Decimal(o["weight"]) <= 0)
            response = {"option": wrong["key"]}
        responses[slot.pk] = response
    save_answers(attempt, responses)
    return submit_attempt(attempt)[0]


def test_course_ships_enough_quizzes_of_every_type(course):
    questions = Question.objects.filter(quiz__is_published=True)
    assert questions.count() >= 40
    used = set(questions.values_list("type", flat=True))
    expected = {"single", "multiple", "truefalse", "ordering", "matching", "numerical"}
    assert expected <= used
    lessons = set(course.lessons.values_list("pk", flat=True))
    followed = set(Quiz.objects.exclude(lesson=None).values_list("lesson", flat=True))
    assert followed == lessons, "every lesson is followed by a quiz"


def test_every_explanation_points_back_to_a_lesson(course):
    for question in Question.objects.all():
        assert question.explanation.strip(), question
        assert question.lesson_id is not None, question


def test_final_draws_two_must_pass_slots_from_pools_of_scenarios(course):
    """The swimmer's own first response and helping someone else, each from at least three
    scenarios; every other slot from at least two; the bank twice what an attempt asks."""
    final = Quiz.objects.get(slug="final-assessment")
    slots = list(final.slots.all())
    pools = Counter(final.questions.values_list("category", flat=True))
    assert [s.category for s in slots if s.must_pass] == MUST_PASS_POOLS
    for slot in slots:
        assert slot.is_drawn, slot
        assert pools[slot.category] >= (3 if slot.must_pass else 2) * slot.draw, slot.category
    assert final.questions.count() >= 2 * questions_per_attempt(final)
    assert not final.questions.filter(must_pass=True).exists()
    for question in final.questions.filter(category__in=MUST_PASS_POOLS):
        assert question.type == QuestionType.SINGLE
        right = question.options.get(weight=100).text.lower()
        for under in ("go under", "tuck", "toes"):
            assert under not in right, right
    technique = final.questions.filter(type=QuestionType.ORDERING)
    assert set(technique.values_list("category", flat=True)).isdisjoint(MUST_PASS_POOLS)
    steps = [[o.text for o in question.options.order_by("order")] for question in technique]
    assert FINAL_STEPS in steps
    assert final.review_correct_answers == ReviewWhen.WHEN_DONE
    assert final.review_explanations == ReviewWhen.WHEN_DONE
    assert final.attempts_allowed >= 2


def test_lesson_six_quiz_asks_the_same_things_in_other_words(course):
    final = Quiz.objects.get(slug="final-assessment")
    lesson_quiz = Quiz.objects.get(slug="escape-algorithm-quiz")
    final_texts = set(final.questions.values_list("options__text", flat=True))
    lesson_texts = set(lesson_quiz.questions.values_list("options__text", flat=True))
    assert not (final_texts & lesson_texts) - {"True", "False"}
    ordering = lesson_quiz.questions.get(type=QuestionType.ORDERING)
    steps = [o.text.lower() for o in ordering.options.order_by("order")]
    assert len(steps) == len(FINAL_STEPS)
    assert "straight" in steps[3]
    assert "steadily" in steps[3]
    first = lesson_quiz.questions.filter(type=QuestionType.SINGLE).order_by("order").first()
    right = first.options.get(weight=100).text.lower()
    assert right.index("lane rope") < right.index("call")


def test_true_false_statements_carry_no_give_away_words(course):
    give_away = re.compile(r"\b(always|never|only)\b", re.IGNORECASE)
    statements = Question.objects.filter(type=QuestionType.TRUE_FALSE)
    assert statements.exists()
    for question in statements:
        assert not give_away.search(question.text), question.text


def test_a_numerical_item_accepts_a_sensible_range(course):
    tolerant = [
        option
        for question in Question.objects.filter(type=QuestionType.NUMERICAL)
        for option in question.options.all()
        if option.tolerance and 0 < option.tolerance <= option.value / 4
    ]
    assert tolerant


def test_after_the_cramp_is_no_longer_an_ordering_item(course):
    for question in Question.objects.filter(type=QuestionType.ORDERING):
        assert not any("lifeguard" in o.text.lower() for o in question.options.all()), question


def test_every_shipped_quiz_can_be_taken_and_passed(course, trainee):
    for quiz in Quiz.objects.published():
        attempt = take(quiz, trainee)
        assert attempt.percent == 100, quiz
        assert attempt.passed, quiz


def test_getting_the_stretch_steps_wrong_does_not_fail_the_final_on_its_own(course, trainee):
    """No pass hinges on going under: the tuck-and-stretch is asked, but not must-pass."""
    final = Quiz.objects.get(slug="final-assessment")
    attempt = take(final, trainee, wrong_order=True)
    assert attempt.must_pass_met
    assert attempt.percent >= final.pass_mark
    assert attempt.passed


@pytest.mark.parametrize("pool", MUST_PASS_POOLS)
def test_a_wrong_answer_in_a_must_pass_pool_fails_the_final_whatever_the_score(
    course, trainee, pool
):
    final = Quiz.objects.get(slug="final-assessment")
    attempt = take(final, trainee, wrong_in=[pool])
    assert attempt.percent >= final.pass_mark
    assert not attempt.must_pass_met
    assert not attempt.passed


def test_a_retake_asks_other_scenarios_in_both_must_pass_slots(course, trainee):
    final = Quiz.objects.get(slug="final-assessment")
    first = take(final, trainee, wrong_first_response=True)
    retake = take(final, trainee)
    assert retake.passed

    def asked(attempt):
        return {
            slot.version.question_id
            for slot in attempt.slots.select_related("version__question")
            if slot.version.question.category in MUST_PASS_POOLS
        }

    assert len(asked(first)) == len(asked(retake)) == 2
    assert asked(first).isdisjoint(asked(retake))


def test_loading_the_course_twice_duplicates_no_quiz(course):
    count = Question.objects.count()
    _, report = load_course()
    assert Question.objects.count() == count
    assert all(line.startswith("unchanged") for line in report.lines())


def write_quiz_file(folder, body):
    path = folder / "quizzes" / "01-check.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(body).lstrip(), encoding="utf-8")
    return path


@pytest.fixture
def small_course(tmp_path, db):
    (tmp_path / "lessons").mkdir()
    (tmp_path / "course.md").write_text("---\nslug: small\ntitle: Small\n---\nHi\n")
    (tmp_path / "lessons" / "01-a.md").write_text("---\nslug: a\ntitle: A\norder: 1\n---\nBody\n")
    write_quiz_file(
        tmp_path,
        """
        slug: check
        title: Check
        lesson: a
        questions:
          - type: single
            text: Where?
            lesson: a
            explanation: The calf.
            options:
              - {text: Calf, correct: true}
              - {text: Ear, correct: false}
          - type: truefalse
            text: Cold water brings cramps on faster.
            correct: true
        """,
    )
    return tmp_path


def test_quiz_file_edit_guard(small_course):
    load_course(small_course)
    quiz = Quiz.objects.get(slug="check")
    quiz.title = "Renamed by a coach"
    quiz.save()
    path = small_course / "quizzes" / "01-check.yaml"
    path.write_text(path.read_text().replace("Where?", "Where exactly?"))
    _, report = load_course(small_course)
    assert report.kept_edits == ["quiz check"]
    assert Quiz.objects.get(slug="check").title == "Renamed by a coach"
    _, report = load_course(small_course, force=True)
    assert report.updated == ["quiz check"]
    assert Question.objects.filter(text="Where exactly?").exists()


def test_bad_quiz_file_loads_nothing_at_all(small_course):
    write_quiz_file(
        small_course,
        """
        slug: check
        title: Check
        questions:
          - type: single
            text: Two right answers?
            options:
              - {text: A, correct: true}
              - {text: B, correct: true}
        """,
    )
    with pytest.raises(CommandError, match="exactly one correct option"):
        call_command("load_course", str(small_course))
    assert not Quiz.objects.exists()
    assert not Question.objects.exists()


def test_export_writes_quizzes_that_load_back_the_same(small_course, tmp_path_factory):
    from quizzes.course_files import quiz_to_dict

    course, _ = load_course(small_course)
    before = quiz_to_dict(Quiz.objects.get(slug="check"))
    out = tmp_path_factory.mktemp("export")
    export_course(course, out)
    Quiz.objects.all().delete()
    load_course(out)
    assert quiz_to_dict(Quiz.objects.get(slug="check")) == before


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("slug: check", "slug: ../../evil quiz", r"01-check.yaml: slug: "),
        ("text: Where?", "text: Where?\n    points: 123456789", r"question 1: points: "),
        ("title: Check", "title: Check\nfeedback_bands: [{min: 300, text: Wow}]",
         r"feedback band 1: min_percent: "),
        ("title: Check", "title: Check\npass_mark: 300", r"01-check.yaml: pass_mark: "),
    ],
)  # fmt: skip
def test_a_field_the_admin_would_refuse_refuses_the_whole_quiz_file(small_course, old, new,
                                                                    message):  # fmt: skip
    path = small_course / "quizzes" / "01-check.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(CommandError, match=message):
        call_command("load_course", str(small_course))
    assert not Quiz.objects.exists()
    assert not Question.objects.exists()
