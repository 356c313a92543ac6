"""The quizzes shipped with the course, and loading quizzes from course files."""

import re
import textwrap

import pytest
from django.core.management import CommandError, call_command

from lessons.course_files import export_course, load_course
from quizzes import scoring
from quizzes.models import Question, QuestionType, Quiz
from quizzes.services import save_answers, start_attempt, submit_attempt

FINAL_STEPS = [
    "Breathe in fully",
    "Go under and bring your knees to your chest",
    "Take hold of the big toe of the cramped leg",
    "Straighten the leg and pull the toes steadily toward your shin",
    "Surface and breathe",
]


@pytest.fixture
def course(db):
    return load_course()[0]


def take(quiz, trainee, *, wrong_order=False, wrong_first_response=False):
    """Answer everything right, except the escape order or the first-response decision."""
    attempt = start_attempt(quiz, trainee)
    responses = {}
    for slot in attempt.slots.select_related("version"):
        data = slot.version.data
        response = scoring.full_marks_response(data)
        if wrong_order and "order" in response:
            response = {"order": list(reversed(response["order"]))}
        if wrong_first_response and data.get("name") == "First response":
            going_under = next(o for o in data["options"] if "go under" in o["text"])
            response = {"option": going_under["key"]}
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


def test_final_has_two_must_pass_questions_first_response_then_technique(course):
    final = Quiz.objects.get(slug="final-assessment")
    must_pass = list(final.questions.filter(must_pass=True).order_by("order"))
    assert [q.type for q in must_pass] == [QuestionType.SINGLE, QuestionType.ORDERING]
    first_response, technique = must_pass
    right = first_response.options.get(weight=100).text.lower()
    assert right.index("raise an arm") < right.index("lane rope")
    assert "float on your back" in right
    assert all(
        "raise an arm" not in o.text.lower() for o in first_response.options.exclude(weight=100)
    )
    assert [o.text for o in technique.options.order_by("order")] == FINAL_STEPS


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
    assert "raise an arm" in first.options.get(weight=100).text.lower()


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


def test_knowing_most_steps_is_not_enough_in_the_final(course, trainee):
    final = Quiz.objects.get(slug="final-assessment")
    attempt = take(final, trainee, wrong_order=True)
    assert not attempt.passed
    assert not attempt.must_pass_met


def test_going_under_first_fails_the_final_whatever_the_score(course, trainee):
    final = Quiz.objects.get(slug="final-assessment")
    attempt = take(final, trainee, wrong_first_response=True)
    assert attempt.percent >= final.pass_mark
    assert not attempt.must_pass_met
    assert not attempt.passed


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
