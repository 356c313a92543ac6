"""The review in words (quizzes/review.py): each question type's answer and right answer, the
feedback of what was chosen, and why a part of the review is still hidden, written out."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from quizzes import review
from quizzes.models import GradingMethod, QuestionType, ReviewWhen
from quizzes.services import freeze_question, save_answers, start_attempt, submit_attempt
from tests.factories import add_question, make_quiz, make_trainee
from tests.training.conftest import take


@pytest.fixture
def quiz(db):
    return make_quiz("words", pass_mark=60, attempts_allowed=None, is_published=True)


def frozen(quiz, kind, options, **fields):
    return freeze_question(add_question(quiz, kind, options, **fields))


def keys(data):
    return {option["text"] or option["match_text"]: option["key"] for option in data["options"]}


def test_choices_in_words_with_their_feedback(quiz):
    single = frozen(
        quiz,
        QuestionType.SINGLE,
        [
            {"text": "Calf", "weight": 100, "feedback": "Yes: the calf cramps most."},
            {"text": "Ear", "weight": 0, "feedback": "Ears do not cramp."},
            {"text": "Thigh", "weight": 50},
        ],
    )
    key = keys(single)
    assert review.response_summary(single, {"option": key["Ear"]}) == "Ear"
    assert review.response_summary(single, {"option": "gone"}) == "No answer"
    assert review.response_summary(single, {"option": ["Ear"]}) == "No answer"
    assert review.response_summary(single, None) == "No answer"
    assert review.right_answer_summary(single) == "Calf; Thigh"  # every option worth marks
    assert review.chosen_feedback(single, {"option": key["Ear"]}) == ["Ears do not cramp."]
    assert review.chosen_feedback(single, {"option": key["Thigh"]}) == []  # none written
    assert review.chosen_feedback(single, {}) == []

    several = frozen(
        quiz,
        QuestionType.MULTIPLE,
        [
            {"text": "Stretch", "weight": 50, "feedback": "Stretching helps."},
            {"text": "Float", "weight": 50, "feedback": "Floating keeps you up."},
            {"text": "Panic", "weight": -100, "feedback": "Never."},
        ],
    )
    key = keys(several)
    chosen = {"options": [key["Float"], 7, key["Panic"], "gone"]}
    assert review.response_summary(several, chosen) == "Float; Panic"
    assert review.response_summary(several, {"options": "Float"}) == ""
    assert review.right_answer_summary(several) == "Stretch; Float"
    assert review.chosen_feedback(several, chosen) == ["Floating keeps you up.", "Never."]


def test_an_order_and_a_matching_in_words(quiz):
    order = frozen(
        quiz, QuestionType.ORDERING, [{"text": "Breathe in"}, {"text": "Tuck"}, {"text": "Pull"}]
    )
    key = keys(order)
    given = {"order": [key["Tuck"], key["Breathe in"], key["Pull"]]}
    assert review.response_summary(order, given) == "Tuck → Breathe in → Pull"
    assert review.right_answer_summary(order) == "Breathe in → Tuck → Pull"
    assert review.chosen_feedback(order, given) == []

    matching = frozen(
        quiz,
        QuestionType.MATCHING,
        [
            {"text": "Calf", "match_text": "Pull the toes up"},
            {"text": "Thigh", "match_text": "Pull the heel back"},
            {"text": "", "match_text": "Clap"},  # a distractor
        ],
    )
    key = keys(matching)
    matches = {"matches": {key["Calf"]: "Pull the heel back", "gone": "Clap"}}
    assert review.response_summary(matching, matches) == "Calf → Pull the heel back"
    assert review.response_summary(matching, {"matches": ["Clap"]}) == ""
    assert review.right_answer_summary(matching) == (
        "Calf → Pull the toes up; Thigh → Pull the heel back"
    )
    # In Russian the answers read as the translation shows them.
    shown = {**matching, "answer_labels": {"Pull the toes up": "Тянуть носки на себя"}}
    assert review.response_summary(shown, {"matches": {key["Calf"]: "Pull the toes up"}}) == (
        "Calf → Тянуть носки на себя"
    )
    assert review.right_answer_summary(shown).startswith("Calf → Тянуть носки на себя; ")


def test_numbers_and_words_any_one_of_which_is_right(quiz):
    number = frozen(
        quiz,
        QuestionType.NUMERICAL,
        [
            {"value": "2.50", "tolerance": "0.50", "weight": 100, "feedback": "Close enough."},
            {"value": "10", "tolerance": None, "weight": 100, "feedback": "Exactly."},
            {"value": "2.5", "tolerance": "5", "weight": 50, "feedback": "Roughly."},
        ],
        unit="min",
    )
    assert review.right_answer_summary(number) == "2.5 ± 0.5 min or 10 min"
    assert review.response_summary(number, {"value": "3"}) == "3 min"
    # As Moodle: the first answer the number falls within gives the feedback.
    assert review.chosen_feedback(number, {"value": "3"}) == ["Close enough."]
    assert review.chosen_feedback(number, {"value": "6"}) == ["Roughly."]
    assert review.chosen_feedback(number, {"value": "twelve"}) == []

    words = frozen(
        quiz,
        QuestionType.SHORT_ANSWER,
        [
            {"text": "Calf  muscle", "weight": 100, "feedback": "Right."},
            {"text": "calf", "weight": 100},
            {"text": "leg", "weight": 50, "feedback": "Which part?"},
        ],
    )
    assert review.right_answer_summary(words) == "Calf  muscle or calf"
    assert review.response_summary(words, {"text": "CALF muscle"}) == "CALF muscle"
    assert review.chosen_feedback(words, {"text": " calf   MUSCLE "}) == ["Right."]
    assert review.chosen_feedback(words, {"text": "Leg"}) == ["Which part?"]


def hidden(quiz, trainee, now=None):
    return review.review_shows_for_trainee(quiz, trainee, now=now).hidden


@pytest.mark.parametrize(
    ("allowed", "reason"),
    [
        (1, "Shown once you pass or have used your 1 attempt."),
        (3, "Shown once you pass or have used all 3 attempts."),
        (None, "Shown once you pass."),
    ],
)
def test_why_the_right_answers_wait_for_a_pass_or_the_last_attempt(quiz, allowed, reason):
    quiz.attempts_allowed = allowed
    quiz.review_correct_answers = ReviewWhen.WHEN_DONE
    quiz.save()
    add_question(quiz, QuestionType.SINGLE, [{"text": "Calf", "weight": 100}])
    trainee = make_trainee()
    if allowed != 1:
        take(quiz, trainee)  # failed, attempts left
    assert [(str(part), why) for part, why in hidden(quiz, trainee)] == [("Right answers", reason)]


def test_why_the_marks_wait_for_the_quiz_to_close(quiz):
    quiz.review_marks = ReviewWhen.AFTER_CLOSE
    quiz.save()
    trainee = make_trainee()
    assert [(str(part), why) for part, why in hidden(quiz, trainee)] == [
        ("Marks for each question", "Shown after the quiz closes; it has no closing date.")
    ]
    quiz.closes_at = timezone.make_aware(timezone.datetime(2027, 3, 1, 18, 30))
    quiz.save()
    assert [why for _part, why in hidden(quiz, trainee)] == [
        "Shown after the quiz closes (1 Mar 2027, 6:30 p.m.)."
    ]
    assert hidden(quiz, trainee, now=quiz.closes_at + timedelta(minutes=1)) == []


# The review's rows: what each one holds under each review option -------------------------------


@pytest.fixture
def finished(quiz):
    """Single choice (1 point, wrong with feedback), a must-pass ordering (2 points) answered
    with the last two steps swapped, and a must-pass single choice answered right."""
    add_question(
        quiz,
        QuestionType.SINGLE,
        [{"text": "Calf", "weight": 100}, {"text": "Ear", "weight": 0, "feedback": "No."}],
    )
    add_question(
        quiz,
        QuestionType.ORDERING,
        [{"text": "Breathe in"}, {"text": "Tuck"}, {"text": "Pull"}],
        points=2,
        must_pass=True,
    )
    add_question(
        quiz, QuestionType.SINGLE, [{"text": "Float", "weight": 100}, {"text": "Sink"}],
        must_pass=True,
    )  # fmt: skip
    attempt = start_attempt(quiz, make_trainee())
    answers = {}
    for slot in attempt.slots.select_related("version"):
        key = keys(slot.version.data)
        if "Ear" in key:
            answers[slot.pk] = {"option": key["Ear"]}
        elif "Tuck" in key:
            answers[slot.pk] = {"order": [key["Breathe in"], key["Pull"], key["Tuck"]]}
        else:
            answers[slot.pk] = {"option": key["Float"]}
    save_answers(attempt, answers)
    submit_attempt(attempt)
    return list(attempt.slots.select_related("version").order_by("position"))


def test_every_part_shown(finished):
    wrong, order, right = review.review_attempt(finished)
    assert (wrong.score, wrong.fraction, wrong.outcome) == (0, 0, "wrong")
    assert (wrong.your_answer, wrong.right_answer) == ("Ear", "Calf")
    assert (wrong.feedback, wrong.show_feedback, wrong.misplaced) == (["No."], True, [])
    assert not wrong.must_pass
    assert (order.must_pass, order.outcome) == (True, "partly right")
    assert order.misplaced in (["Pull"], ["Tuck"])  # one of the two swapped steps
    assert (right.misplaced, right.outcome) == ([], "right")
    misses = review.must_pass_misses(finished)
    assert [(miss["number"], miss["misplaced"]) for miss in misses] == [(2, order.misplaced)]


def test_without_marks_nothing_says_which_answer_was_wrong(finished):
    shows = review.ReviewShows(marks=False)
    wrong, order, _right = review.review_attempt(finished, shows)
    assert (wrong.score, wrong.fraction, wrong.outcome, wrong.outcome_label) == (
        None,
        None,
        None,
        "",
    )
    assert wrong.feedback == ["No."]  # explanations are still shown
    assert not wrong.show_feedback  # the outcome's feedback would say right or wrong
    assert order.misplaced == []
    misses = review.must_pass_misses(finished, shows)
    assert misses == [{"number": None, "name": "", "text_html": "", "misplaced": []}]


def test_without_explanations_no_feedback(finished):
    wrong, _order, _right = review.review_attempt(finished, review.ReviewShows(explanations=False))
    assert (wrong.feedback, wrong.show_feedback, wrong.show_explanation) == ([], False, False)
    assert wrong.score == 0  # the marks are still there


def test_the_review_follows_the_moment_asked_about(quiz):
    """A trainee's review read for a moment after the quiz closed shows the marks, although
    that moment is still to come."""
    quiz.review_marks = ReviewWhen.AFTER_CLOSE
    quiz.closes_at = timezone.now() + timedelta(days=1)
    quiz.save()
    add_question(quiz, QuestionType.SINGLE, [{"text": "Calf", "weight": 100}])
    trainee = make_trainee()
    attempt = take(quiz, trainee)
    later = quiz.closes_at + timedelta(minutes=1)
    assert review.review_shows(attempt, trainee).marks is False
    assert review.review_shows(attempt, trainee, now=later).marks is True


def test_steps_out_of_place_are_named_only_for_a_must_pass_question(quiz):
    add_question(quiz, QuestionType.ORDERING, [{"text": "Breathe in"}, {"text": "Tuck"}])
    attempt = start_attempt(quiz, make_trainee())
    slot = attempt.slots.select_related("version").get()
    key = keys(slot.version.data)
    save_answers(attempt, {slot.pk: {"order": [key["Tuck"], key["Breathe in"]]}})
    submit_attempt(attempt)
    [row] = review.review_attempt(attempt.slots.select_related("version"))
    assert (row.outcome, row.must_pass, row.misplaced) == ("wrong", False, [])


def test_half_answers_read_as_what_they_hold(quiz):
    number = frozen(quiz, QuestionType.NUMERICAL, [{"value": "2", "weight": 100}], unit="min")
    assert review.response_summary(number, {}) == "min"  # no number given
    bare = frozen(quiz, QuestionType.NUMERICAL, [{"value": "2", "weight": 100}])
    assert review.response_summary(bare, {"value": "3"}) == "3"
    words = frozen(quiz, QuestionType.SHORT_ANSWER, [{"text": "calf", "weight": 100}])
    assert review.response_summary(words, {}) == ""
    several = frozen(quiz, QuestionType.MULTIPLE, [{"text": "Float", "weight": 100}])
    key = keys(several)
    assert review.response_summary(several, {"options": {key["Float"]: True}}) == ""
    assert review.response_summary(several, {"options": [key["Float"]]}) == "Float"
    assert review.response_summary(several, {"options": [key["Float"], key["Float"]]}) == (
        "Float; Float"
    )


def test_a_missed_must_pass_question_is_named_by_its_name_or_its_number(quiz):
    add_question(
        quiz, QuestionType.SINGLE, [{"text": "Float", "weight": 100}, {"text": "Sink"}],
        must_pass=True, name="Float first", text="What first?",
    )  # fmt: skip
    add_question(
        quiz, QuestionType.SINGLE, [{"text": "Shout", "weight": 100}, {"text": "Wait"}],
        must_pass=True, text="And then?",
    )  # fmt: skip
    attempt = take(quiz, make_trainee())  # both left blank
    misses = review.must_pass_misses(attempt.slots.select_related("version").order_by("position"))
    assert [(m["number"], m["name"], m["misplaced"]) for m in misses] == [
        (1, "Float first", []),
        (2, "Question 2", []),
    ]
    assert "What first?" in misses[0]["text_html"]


def test_a_part_shown_at_the_closing_moment_and_one_never_shown(quiz):
    quiz.review_marks = ReviewWhen.AFTER_CLOSE
    quiz.review_explanations = ReviewWhen.NEVER
    quiz.closes_at = timezone.now() - timedelta(days=1)
    quiz.save()
    shows = review.review_shows_for_trainee(quiz, make_trainee(), now=quiz.closes_at)
    assert shows.marks is True  # from the closing moment itself
    assert shows.explanations is False
    assert [(str(part), why) for part, why in shows.hidden] == [
        ("Explanations and feedback", "Not shown for this quiz.")
    ]


def test_once_passed_follows_the_quizs_own_grading(quiz):
    """Graded by the average: 100% then 0% averages 50%, not passed though one attempt was."""
    quiz.grading_method = GradingMethod.AVERAGE
    quiz.review_correct_answers = ReviewWhen.WHEN_DONE
    quiz.save()
    add_question(quiz, QuestionType.SINGLE, [{"text": "Calf", "weight": 100}, {"text": "Ear"}])
    trainee = make_trainee()
    take(quiz, trainee, right=(1,))
    take(quiz, trainee)
    assert review.review_shows_for_trainee(quiz, trainee).correct_answers is False


def test_more_of_each_answer_in_words(quiz):
    single = frozen(
        quiz,
        QuestionType.SINGLE,
        [{"text": "Calf", "weight": 100}, {"text": "Shin", "weight": 1}, {"text": "Ear"}],
    )
    assert review.right_answer_summary(single) == "Calf; Shin"  # even 1% is worth something
    assert review.chosen_feedback(single, ["Ear"]) == []  # a list where a choice belongs

    matching = frozen(
        quiz,
        QuestionType.MATCHING,
        [{"text": "Calf", "match_text": "Toes up"}, {"text": "Thigh", "match_text": "Heel back"}],
    )
    key = keys(matching)
    both = {"matches": {key["Calf"]: "Toes up", key["Thigh"]: "Toes up"}}
    assert review.response_summary(matching, both) == "Calf → Toes up; Thigh → Toes up"

    number = frozen(
        quiz,
        QuestionType.NUMERICAL,
        [
            {"value": "2.5", "tolerance": "5", "weight": 50},  # partial credit, listed first
            {"value": "2.5", "tolerance": "0.5", "weight": 100},
            {"value": "10", "weight": 100},
        ],
        unit="min",
    )
    assert review.right_answer_summary(number) == "2.5 ± 0.5 min or 10 min"


def test_any_one_of_several_right_answers_reads_in_russian(quiz):
    words = frozen(
        quiz,
        QuestionType.SHORT_ANSWER,
        [{"text": "икра", "weight": 100}, {"text": "голень", "weight": 100}],
    )
    with translation.override("ru"):
        assert review.right_answer_summary(words) == "икра или голень"
