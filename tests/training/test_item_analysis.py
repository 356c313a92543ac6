"""Item analysis on a small example worked out by hand."""

from decimal import Decimal

import pytest
from django.urls import reverse

from quizzes.statistics import item_analysis, score_histogram
from tests.factories import make_trainee
from tests.training.conftest import take
from training.selectors import group_quiz_attempts
from training.services import assign

# Six trainees on the two-question quiz (single: 1 point, escape steps: 4 points, must pass).
# Which questions each one gets fully right; the rest is left blank, except d, who puts the
# escape steps backwards (a wrong answer worth nothing).
PLANS = {
    "a": {"right": (1, 2)},
    "b": {"right": (1,)},
    "c": {"right": (2,)},
    "d": {"right": (), "reverse_order": True},
    "e": {"right": (1, 2)},
    "f": {"right": ()},
}


@pytest.fixture
def analysed(group, quiz):
    assign(group, quiz)
    for name, plan in PLANS.items():
        trainee = make_trainee(f"swimmer_{name}")
        group.memberships.create(trainee=trainee)
        take(quiz, trainee, **plan)
    return item_analysis(group_quiz_attempts(group, quiz))


def pearson(xs, ys):
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    cov = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    vx = sum((x - mx) ** 2 for x in xs)
    vy = sum((y - my) ** 2 for y in ys)
    return cov / (vx * vy) ** 0.5


def test_facility_is_the_share_of_marks_earned(analysed):
    single, steps = analysed
    # single right for a, b, e (3 of 6); steps right for a, c, e (3 of 6).
    assert single.facility_percent == 50
    assert steps.facility_percent == 50


def test_discrimination_correlates_the_question_with_the_rest_of_the_quiz(analysed):
    single, steps = analysed
    single_marks = [1, 1, 0, 0, 1, 0]  # a b c d e f
    steps_marks = [1, 0, 1, 0, 1, 0]
    # By hand: both means 0.5; products of deviations: +.25 -.25 -.25 +.25 +.25 +.25 = 0.5;
    # each variance sum 1.5; r = 0.5 / 1.5 = 0.33.
    assert round(pearson(single_marks, steps_marks), 2) == 0.33
    assert single.discrimination == 0.33
    assert steps.discrimination == 0.33


def test_answered_counts_and_most_chosen_wrong_answers(analysed):
    single, steps = analysed
    # Blank answers are not answers: single blank for c, d, f; steps blank for b, f.
    assert (single.answered, single.attempts) == (3, 6)
    assert (steps.answered, steps.attempts) == (4, 6)
    # d put the steps backwards: the longest run in order is one step, so all are out of place.
    wrong = dict(steps.wrong_answers)
    assert wrong["Breathe in as much air as you can (out of place)"] == 1
    assert single.wrong_answers == []


def test_wrong_single_choice_is_counted(group, quiz):
    assign(group, quiz)
    from quizzes.services import save_answers, start_attempt, submit_attempt

    trainee = make_trainee("guesser")
    group.memberships.create(trainee=trainee)
    attempt = start_attempt(quiz, trainee)
    single = attempt.slots.select_related("version").get(position=1)
    ear = next(o["key"] for o in single.version.data["options"] if o["text"] == "Ear")
    save_answers(attempt, {single.pk: {"option": ear}})
    submit_attempt(attempt)
    first = item_analysis(group_quiz_attempts(group, quiz))[0]
    assert first.wrong_answers == [("Ear", 1)]


def test_discrimination_needs_three_attempts(group, quiz):
    assign(group, quiz)
    for name in ("x", "y"):
        trainee = make_trainee(name)
        group.memberships.create(trainee=trainee)
        take(quiz, trainee, right=(1,) if name == "x" else (2,))
    assert [q.discrimination for q in item_analysis(group_quiz_attempts(group, quiz))] == [
        None,
        None,
    ]


def test_histogram_bands():
    bars = score_histogram([Decimal("0"), Decimal("9.99"), Decimal("20"), Decimal("100"), 95])
    assert [bar.count for bar in bars] == [2, 0, 1, 0, 0, 0, 0, 0, 0, 2]
    assert (bars[-1].low, bars[-1].high) == (90, 100)


def test_analysis_page_shows_figures_and_an_svg_histogram(client, coach, group, quiz, analysed):
    client.force_login(coach)
    page = client.get(reverse("training:quiz_analysis", args=[group.pk, quiz.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in text
    assert "6 finished attempts by 6 trainees" in text
    assert 'Medium <span class="muted">(50% of marks)' in text
    # Six attempts are too few to say whether a question separates strong from weak.
    assert "0.33" not in text
    assert "not yet (6 of 10 attempts)" in text
    # Question types in words, not the stored names; the must-pass question is marked.
    assert '<span class="muted">(Single choice)</span>' in text
    assert '<span class="muted">(Ordering)</span>' in text
    assert "(single)" not in text
    assert "(ordering)" not in text
    assert '<span class="status status-must-pass">must pass</span>' in text


@pytest.mark.parametrize(
    ("attempts", "discrimination", "words"),
    [
        (9, 0.5, None),
        (10, 0.33, "well"),
        (10, 0.25, "somewhat"),
        (10, 0.05, "hardly: strong and weak trainees score alike"),
        (10, -0.2, "the wrong way: weaker trainees do better; check the question and its answer"),
    ],
)
def test_separation_is_said_in_words_from_ten_attempts(attempts, discrimination, words):
    from quizzes.statistics import QuestionStats

    stats = QuestionStats("Q", "Q", "single", attempts=attempts, discrimination=discrimination)
    assert stats.separates == words


def test_analysis_of_a_quiz_not_assigned_to_the_group_is_404(client, coach, group, quiz):
    client.force_login(coach)
    response = client.get(reverse("training:quiz_analysis", args=[group.pk, quiz.pk]))
    assert response.status_code == 404


def seven_types_quiz():
    """One question of each type, written in this order."""
    from tests.factories import (
        add_escape_ordering,
        add_question,
        add_single,
        make_quiz,
    )

    quiz = make_quiz("every-type", pass_mark=60, is_published=True)
    add_single(quiz, text="Where do swimmers cramp most often?")
    add_question(
        quiz, "truefalse", [{"text": "True", "weight": 100}, {"text": "False", "weight": 0}]
    )
    add_question(
        quiz,
        "multiple",
        [
            {"text": "Dehydration", "weight": 50},
            {"text": "Cold water", "weight": 50},
            {"text": "Sunglasses", "weight": -50},
        ],
    )
    add_escape_ordering(quiz)
    add_question(
        quiz,
        "matching",
        [
            {"text": "Calf", "match_text": "Pull the toes toward the shin"},
            {"text": "Foot", "match_text": "Press the toes down"},
            {"text": "", "match_text": "Shake the arm"},
        ],
    )
    add_question(quiz, "numerical", [{"value": 200, "tolerance": 50, "weight": 100}])
    add_question(quiz, "shortanswer", [{"text": "Calf muscle", "weight": 100}])
    return quiz


def wrong_responses(data):
    """The same wrong answer to each type, built from the option texts."""
    keys = {option["text"]: option["key"] for option in data["options"]}
    match data["type"]:
        case "single":
            return {"option": keys["Ear"]}
        case "truefalse":
            return {"option": keys["False"]}
        case "multiple":
            return {"options": [keys["Dehydration"], keys["Sunglasses"]]}
        case "ordering":
            steps = [option["key"] for option in data["options"]]
            return {"order": [steps[1], steps[0], steps[3], steps[2]]}  # two pairs swapped
        case "matching":
            return {"matches": {keys["Calf"]: "Shake the arm", keys["Foot"]: "Press the toes down"}}
        case "numerical":
            return {"value": "300"}
        case "shortanswer":
            return {"text": "  Big   TOE "}


def test_every_question_type_lists_its_wrong_answers(group, coach):
    from quizzes import scoring
    from quizzes.services import save_answers, start_attempt, submit_attempt

    quiz = seven_types_quiz()
    assign(group, quiz)
    for name in ("wrong_1", "wrong_2", "right"):
        trainee = make_trainee(name)
        group.memberships.create(trainee=trainee)
        attempt = start_attempt(quiz, trainee)
        slots = attempt.slots.select_related("version")
        save_answers(
            attempt,
            {
                s.pk: scoring.full_marks_response(s.version.data)
                if name == "right"
                else wrong_responses(s.version.data)
                for s in slots
            },
        )
        submit_attempt(attempt)
    stats = item_analysis(group_quiz_attempts(group, quiz))
    assert [(q.type, q.wrong_answers) for q in stats] == [
        ("single", [("Ear", 2)]),
        ("truefalse", [("False", 2)]),
        ("multiple", [("Sunglasses", 2)]),
        (
            "ordering",
            [
                ("Breathe in as much air as you can (out of place)", 2),
                ("Grab your big toes with both hands (out of place)", 2),
            ],
        ),
        ("matching", [("Calf → Shake the arm", 2)]),
        ("numerical", [("300", 2)]),
        ("shortanswer", [("big toe", 2)]),
    ]
