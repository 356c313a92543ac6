"""Moodle's quiz statistics, pinned against figures worked out by hand on small data sets.

Formulas (Moodle's "Quiz statistics calculations"): with S attempts, x a question's marks and
X the marks on the rest of the test (total - x), V and C the sample variance and covariance
(sum of squares or products of deviations / (S - 1)):
  facility F = mean(x) / max;  SD = sqrt(V(x)) / max
  discrimination index D = 100 C(x, X) / sqrt(V(x) V(X))
  discriminative efficiency DE = 100 C(x, X) / Cmax(x, X), Cmax pairing sorted x with sorted X
  m_k = sum((T - mean)^k) / S;  k2 = S m2/(S-1);  k3 = S^2 m3/((S-1)(S-2))
  k4 = S^2 ((S+1) m4 - 3 (S-1) m2^2) / ((S-1)(S-2)(S-3))
  skewness = k3 / k2^1.5;  kurtosis = k4 / k2^2
  CIC = 100 P/(P-1) (1 - sum of item variances / k2);  ER = 100 sqrt(1 - CIC/100);
  SE = ER/100 * SD
The S - 1 cancels in D and DE, so below only the sums are worked out.
"""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from quizzes import scoring
from quizzes.models import Attempt, AttemptQuestion, AttemptState, QuizSlot
from quizzes.services import current_versions, start_attempt, submit_attempt
from quizzes.statistics import (
    ALL_ATTEMPTS,
    DISCRIMINATES_POORLY,
    FIRST_ATTEMPTS,
    TOO_EASY,
    TOO_HARD,
    attempt_set,
    quiz_statistics,
    random_guess_score,
)
from tests.factories import (
    add_escape_ordering,
    add_question,
    add_single,
    make_quiz,
    make_trainee,
)


def finished_attempt(quiz, trainee, versions, marks, *, number=1, slot_numbers=None):
    """A finished attempt that earned `marks` (points, one per version, in order).

    Full marks are stored with a full-marks response, no marks with no response (left blank),
    and anything between with an empty one, as an ordering question answered partly right."""
    slot_numbers = slot_numbers or [None] * len(versions)
    points = [Decimal(version.data["points"]) for version in versions]
    earned = [Decimal(str(mark)) for mark in marks]
    score, maximum = sum(earned), sum(points)
    attempt = Attempt.objects.create(
        quiz=quiz,
        trainee=trainee,
        number=number,
        state=AttemptState.FINISHED,
        finished_at=timezone.now(),
        pass_mark=quiz.pass_mark,
        score=score,
        max_score=maximum,
        percent=scoring.percent_of(score, maximum),
        passed=score * 100 >= maximum * quiz.pass_mark,
    )
    AttemptQuestion.objects.bulk_create(
        AttemptQuestion(
            attempt=attempt,
            version=version,
            position=position,
            slot_number=slot_number,
            score=mark,
            fraction=(mark / point).quantize(Decimal("0.0001")),
            response=(
                scoring.full_marks_response(version.data)
                if mark == point
                else (None if not mark else {})
            ),
        )
        for position, (version, mark, point, slot_number) in enumerate(
            zip(versions, earned, points, slot_numbers, strict=True), start=1
        )
    )
    return attempt


def read(quiz):
    return (
        Attempt.objects.finished()
        .filter(quiz=quiz)
        .order_by("pk")
        .prefetch_related("slots__version")
    )


def add_true_false(quiz, **fields):
    options = [{"text": "True", "weight": 100}, {"text": "False", "weight": 0}]
    return add_question(quiz, "truefalse", options, **fields)


# Five attempts at three questions, for the figures of each question -----------------------
#
#            Q1 single  Q2 true/false  Q3 ordering  total (of 4 points)
#              1 point     1 point       2 points
#   a            1            1            2            4
#   b            1            0            1.5 (3/4)    2.5
#   c            0            1            1   (2/4)    2
#   d            1            0            0            1
#   e            0            0            0            0

FIVE = {"a": (1, 1, 2), "b": (1, 0, 1.5), "c": (0, 1, 1), "d": (1, 0, 0), "e": (0, 0, 0)}


@pytest.fixture
def five(db):
    quiz = make_quiz(attempts_allowed=None)
    questions = [
        add_single(quiz, name="Q1"),  # weights 100, 0, 0
        add_true_false(quiz, name="Q2"),
        add_escape_ordering(quiz, name="Q3", points=2),
    ]
    versions = current_versions(questions)
    for name, marks in FIVE.items():
        finished_attempt(quiz, make_trainee(f"five_{name}"), versions, marks)
    return quiz_statistics(read(quiz), ALL_ATTEMPTS)


def test_facility_is_the_mean_share_of_the_question_marks(five):
    q1, q2, q3 = five.questions
    # Q1: 3 of 5 right = 0.6. Q2: 2 of 5 = 0.4. Q3: (1 + .75 + .5 + 0 + 0) / 5 = 0.45.
    assert q1.facility == pytest.approx(0.6)
    assert q2.facility == pytest.approx(0.4)
    assert q3.facility == pytest.approx(0.45)


def test_standard_deviation_is_of_the_marks_as_a_share_of_the_points(five):
    q1, q2, q3 = five.questions
    # Q1: deviations from .6 are .4 x3 and -.6 x2: squares .48 + .72 = 1.2; sqrt(1.2/4) = .5477.
    assert q1.sd == pytest.approx(0.547723, abs=1e-6)
    # Q2: .6 x2 and -.4 x3: .72 + .48 = 1.2, the same.
    assert q2.sd == pytest.approx(0.547723, abs=1e-6)
    # Q3 fractions 1 .75 .5 0 0, mean .45: .3025 + .09 + .0025 + .2025 + .2025 = .8; sqrt(.2).
    assert q3.sd == pytest.approx(0.447214, abs=1e-6)
    assert q3.sd_percent == pytest.approx(44.7214, abs=1e-4)


def test_random_guess_score_follows_moodle_for_each_type(five):
    q1, q2, q3 = five.questions
    # Single: weights 100 0 0 -> 1/3. True/false: 100 0 -> 1/2 (Moodle's 0.5). Ordering: 0.
    assert q1.random_guess == pytest.approx(1 / 3)
    assert q2.random_guess == pytest.approx(0.5)
    assert q3.random_guess == 0


def test_random_guess_of_multiple_response_and_matching_is_moodles():
    multiple = {
        "type": "multiple",
        "options": [{"key": "1", "weight": "50"}, {"key": "2", "weight": "50"}],
    }
    matching = {
        "type": "matching",
        "options": [
            {"key": "1", "text": "Calf", "match_text": "Leg", "weight": "0"},
            {"key": "2", "text": "Biceps", "match_text": "Arm", "weight": "0"},
            {"key": "3", "text": "", "match_text": "Ear", "weight": "0"},  # a distractor
        ],
    }
    partly = {
        "type": "single",
        "options": [{"key": k, "weight": w} for k, w in (("1", "100"), ("2", "50"), ("3", "0"))],
    }
    # Moodle computes none for multiple response ("pretty much impossible"); matching is
    # 1 / the number of answers to choose from (3 with the distractor).
    assert random_guess_score(multiple) is None
    assert random_guess_score(matching) == pytest.approx(1 / 3)
    assert random_guess_score(partly) == pytest.approx(0.5)  # (1 + .5 + 0) / 3
    for kind in ("numerical", "shortanswer", "ordering"):
        assert random_guess_score({"type": kind, "options": []}) == 0


def test_discrimination_index_correlates_with_the_rest_of_the_test(five):
    q1, q2, q3 = five.questions
    # Q1: x = 1 1 0 1 0 (mean .6), rest X = 3 1.5 2 0 0 (mean 1.3).
    #   dx = .4 .4 -.6 .4 -.6, dX = 1.7 .2 .7 -1.3 -1.3
    #   sum dx dX = .68 + .08 - .42 - .52 + .78 = .6; sum dx^2 = 1.2; sum dX^2 = 6.8
    #   D = 100 * .6 / sqrt(1.2 * 6.8) = 21.004%
    assert q1.discrimination_index == pytest.approx(21.0042, abs=1e-4)
    # Q2: x = 1 0 1 0 0 (mean .4), X = 3 2.5 1 1 0 (mean 1.5)
    #   sum dx dX = .9 - .4 - .3 + .2 + .6 = 1; sums of squares 1.2 and 6; D = 100 / sqrt(7.2)
    assert q2.discrimination_index == pytest.approx(37.2678, abs=1e-4)
    # Q3: x = 2 1.5 1 0 0 (mean .9), X = 2 1 1 1 0 (mean 1)
    #   sum dx dX = 1.1 + 0 + 0 + 0 + .9 = 2; squares 3.2 and 2; D = 200 / sqrt(6.4)
    assert q3.discrimination_index == pytest.approx(79.0569, abs=1e-4)
    # The coach's words use it as a fraction.
    assert (q1.discrimination, q2.discrimination, q3.discrimination) == (0.21, 0.37, 0.79)


def test_discriminative_efficiency_is_the_share_of_the_best_possible_covariance(five):
    q1, q2, q3 = five.questions
    # Q1 sorted: dx = -.6 -.6 .4 .4 .4 with X sorted 0 0 1.5 2 3 (dX -1.3 -1.3 .2 .7 1.7):
    #   .78 + .78 + .08 + .28 + .68 = 2.6; DE = 100 * .6 / 2.6 = 23.077%
    assert q1.discriminative_efficiency == pytest.approx(23.0769, abs=1e-4)
    # Q2: dx -.4 -.4 -.4 .6 .6 with dX -1.5 -.5 -.5 1 1.5: .6 + .2 + .2 + .6 + .9 = 2.5; 40%
    assert q2.discriminative_efficiency == pytest.approx(40.0)
    # Q3 is already in the best order: its covariance is the highest possible, 100%.
    assert q3.discriminative_efficiency == pytest.approx(100.0)


def test_answered_counts_blank_answers_out(five):
    q1, _, q3 = five.questions
    assert (q1.answered, q1.attempts) == (3, 5)
    assert (q3.answered, q3.attempts) == (3, 5)  # d and e left the steps blank


# Ten attempts at four 1-point questions, for the figures of the quiz -----------------------
#
#         Q1 Q2 Q3 Q4  total   percent
#   t1     1  1  1  1    4      100
#   t2     1  1  1  0    3       75
#   t3     1  1  0  1    3       75
#   t4     1  1  1  0    3       75
#   t5     1  0  1  0    2       50
#   t6     1  1  0  0    2       50
#   t7     0  1  0  1    2       50
#   t8     1  0  0  0    1       25
#   t9     0  0  1  0    1       25
#   t10    0  0  0  0    0        0
#   right  7  6  5  3   21

TEN = [
    (1, 1, 1, 1),
    (1, 1, 1, 0),
    (1, 1, 0, 1),
    (1, 1, 1, 0),
    (1, 0, 1, 0),
    (1, 1, 0, 0),
    (0, 1, 0, 1),
    (1, 0, 0, 0),
    (0, 0, 1, 0),
    (0, 0, 0, 0),
]


@pytest.fixture
def ten_quiz(db):
    quiz = make_quiz(attempts_allowed=None)
    questions = [add_single(quiz, name=f"Q{n}") for n in (1, 2, 3, 4)]
    versions = current_versions(questions)
    for index, marks in enumerate(TEN, start=1):
        finished_attempt(quiz, make_trainee(f"ten_{index}"), versions, marks)
    return quiz


@pytest.fixture
def ten(ten_quiz):
    return quiz_statistics(read(ten_quiz), ALL_ATTEMPTS)


def test_quiz_mean_median_and_standard_deviation(ten):
    stats = ten.quiz
    # In points: mean 21/10 = 2.1; the middle two of 0 1 1 2 2 2 3 3 3 4 are 2 and 2.
    # Deviations 1.9, .9 x3, -.1 x3, -1.1 x2, -2.1; squares 3.61 + 2.43 + .03 + 2.42 + 4.41
    # = 12.9; SD = sqrt(12.9 / 9) = 1.197219 points. As percentages of the 4 points (x25):
    assert stats.attempts == 10
    assert stats.mean == pytest.approx(52.5)
    assert stats.median == pytest.approx(50.0)
    assert stats.sd == pytest.approx(29.9305, abs=1e-4)


def test_quiz_skewness_and_kurtosis_are_moodles_sample_based_ones(ten):
    stats = ten.quiz
    # Cubes: 6.859 + 3 x .729 - 3 x .001 - 2 x 1.331 - 9.261 = -2.88
    # Fourth powers: 13.0321 + 3 x .6561 + 3 x .0001 + 2 x 1.4641 + 19.4481 = 37.377
    # m2 = 1.29, m3 = -.288, m4 = 3.7377
    # k2 = 10 x 1.29 / 9 = 1.433333; k3 = 100 x -.288 / 72 = -.4
    # k4 = 100 x (11 x 3.7377 - 27 x 1.29^2) / 504 = 100 x (41.1147 - 44.9307) / 504 = -.757143
    # skewness = -.4 / 1.433333^1.5 = -.233098; kurtosis = -.757143 / 1.433333^2 = -.368539
    # (the same on percentages: both are ratios of like powers)
    assert stats.skewness == pytest.approx(-0.233098, abs=1e-6)
    assert stats.kurtosis == pytest.approx(-0.368539, abs=1e-6)


def test_coefficient_of_internal_consistency_error_ratio_and_standard_error(ten):
    stats = ten.quiz
    # Item variances (sum of squares / 9): Q1 7 right: 7 x .09 + 3 x .49 = 2.1; Q2 6 right:
    # 6 x .16 + 4 x .36 = 2.4; Q3 5 right: 10 x .25 = 2.5; Q4 3 right: 2.1. Sum 9.1 / 9.
    # CIC = 100 x 4/3 x (1 - (9.1/9) / (12.9/9)) = 133.33 x (1 - .705426) = 39.2765%
    # ER = 100 x sqrt(1 - .392765) = 77.9253%; SE = .779253 x 29.9305% = 23.3234%
    assert stats.items == 4
    assert stats.cic == pytest.approx(39.2765, abs=1e-4)
    assert stats.error_ratio == pytest.approx(77.9253, abs=1e-4)
    assert stats.standard_error == pytest.approx(23.3234, abs=1e-4)


def test_questions_that_discriminate_poorly_are_flagged(ten):
    q1, q2, q3, q4 = ten.questions
    # Q3: right for t1 t2 t4 t5 t9, whose rest of the test is 3 2 2 1 0 (8), as for those who
    # got it wrong (3 2 2 1 0): covariance 0, D = 0%.
    assert q3.discrimination_index == pytest.approx(0.0)
    # Q4: x mean .3, rest 3 3 2 3 2 2 1 1 1 0 (mean 1.8). sum dx dX = (3 + 2 + 1) - 3 x 1.8 = .6
    # sum dx^2 = 2.1, sum dX^2 = 9.6: D = 60 / sqrt(20.16) = 13.363%, below 20%.
    assert q4.discrimination_index == pytest.approx(13.3631, abs=1e-4)
    assert q3.flags == [DISCRIMINATES_POORLY]
    assert q4.flags == [DISCRIMINATES_POORLY]
    # Q1 (28.6%) and Q2 (50.6%) separate well enough, with facilities .7 and .6.
    assert q1.flags == q2.flags == []


def test_figures_need_ten_attempts_before_anything_is_flagged(db):
    quiz = make_quiz(attempts_allowed=None)
    versions = current_versions([add_single(quiz, name="Easy", must_pass=True)])
    for n in range(9):
        finished_attempt(quiz, make_trainee(f"nine_{n}"), versions, [1])
    nine = quiz_statistics(read(quiz), ALL_ATTEMPTS)
    assert not nine.is_meaningful
    assert nine.questions[0].flags == []
    finished_attempt(quiz, make_trainee("tenth"), versions, [1])
    ten = quiz_statistics(read(quiz), ALL_ATTEMPTS)
    assert ten.is_meaningful
    # Everyone right: facility 1 > .95. No spread, so no discrimination to flag.
    assert ten.questions[0].flags == [TOO_EASY]
    assert ten.questions[0].discrimination_index is None
    assert ten.questions[0].must_pass_flagged
    assert ten.must_pass_flagged == [ten.questions[0]]


def test_a_question_almost_nobody_gets_right_is_flagged_too_hard(db):
    quiz = make_quiz(attempts_allowed=None)
    versions = current_versions([add_single(quiz, name="Hard"), add_single(quiz, name="Other")])
    # 1 of 10 right on Hard: facility .1 < .2.
    for n in range(10):
        finished_attempt(quiz, make_trainee(f"hard_{n}"), versions, [int(n == 0), n % 2])
    hard = quiz_statistics(read(quiz), ALL_ATTEMPTS).questions[0]
    assert hard.facility == pytest.approx(0.1)
    assert TOO_HARD in hard.flags
    assert not hard.must_pass_flagged


# First attempts or all -----------------------------------------------------------------


def test_first_attempts_read_each_trainees_earliest_attempt_only(db):
    quiz = make_quiz(attempts_allowed=None)
    versions = current_versions([add_single(quiz, name="Q")])
    retaker, once = make_trainee("retaker"), make_trainee("once")
    finished_attempt(quiz, retaker, versions, [0], number=1)
    finished_attempt(quiz, retaker, versions, [1], number=2)
    finished_attempt(quiz, once, versions, [1], number=1)
    first = quiz_statistics(read(quiz), FIRST_ATTEMPTS)
    every = quiz_statistics(read(quiz), ALL_ATTEMPTS)
    assert (first.attempt_count, first.trainee_count) == (2, 2)
    assert first.questions[0].facility == pytest.approx(0.5)  # retaker's 0 and once's 1
    assert (every.attempt_count, every.trainee_count) == (3, 2)
    assert every.questions[0].facility == pytest.approx(2 / 3)


@pytest.mark.parametrize(
    ("value", "which"),
    [("all", ALL_ATTEMPTS), ("first", FIRST_ATTEMPTS), (None, FIRST_ATTEMPTS), ("ALL", "first")],
)
def test_an_unknown_attempt_set_is_the_first_attempts(value, which):
    assert attempt_set(value) == which


# Slots and the variants they drew --------------------------------------------------------
#
# Slot 1 asks the warm-up (1 point); slot 2 draws one of three scenarios, 3 points, must pass.
#
#         slot 1   slot 2 (drew)   total of 4
#   u1      1       3 (S1)           4
#   u2      1       0 (S2)           1
#   u3      0       3 (S1)           3
#   u4      0       0 (S3)           0
#   u5      1       3 (S2)           4

SLOTTED = [(1, "S1", 3), (1, "S2", 0), (0, "S1", 3), (0, "S3", 0), (1, "S2", 3)]


@pytest.fixture
def slotted(db):
    quiz = make_quiz(attempts_allowed=3)
    warm_up = add_single(quiz, name="Warm-up", category="warm-up")
    scenarios = {
        f"S{n}": add_single(quiz, name=f"S{n}", category="scenario", right=f"Float {n}")
        for n in (1, 2, 3)
    }
    QuizSlot.objects.create(quiz=quiz, order=1, question=warm_up)
    QuizSlot.objects.create(quiz=quiz, order=2, category="scenario", points=3, must_pass=True)
    (warm_up_version,) = current_versions([warm_up])
    drawn = dict(
        zip(
            scenarios,
            current_versions(list(scenarios.values()), [{"points": 3, "must_pass": True}] * 3),
            strict=True,
        )
    )
    for index, (first, name, second) in enumerate(SLOTTED, start=1):
        finished_attempt(
            quiz,
            make_trainee(f"slot_{index}"),
            [warm_up_version, drawn[name]],
            [first, second],
            slot_numbers=[1, 2],
        )
    return quiz


def test_a_slot_that_drew_several_questions_shows_each_beneath_it(slotted):
    report = quiz_statistics(read(slotted), ALL_ATTEMPTS)
    warm_up, drawn = report.questions
    # A fixed slot drew one question: it is that question's row, with no variants.
    assert (warm_up.slot_number, warm_up.name, warm_up.variants) == (1, "Warm-up", [])
    assert warm_up.facility == pytest.approx(0.6)
    # Slot 2 as a whole: 3 of 5 full marks; must pass, as its slot says.
    assert (drawn.slot_number, drawn.name, drawn.must_pass) == (2, "", True)
    assert drawn.facility == pytest.approx(0.6)
    assert drawn.random_guess == pytest.approx(1 / 3)
    variants = {v.name: v for v in drawn.variants}
    assert sorted(variants) == ["S1", "S2", "S3"]
    # S1 drawn by u1 and u3, both right; S2 by u2 (wrong) and u5 (right); S3 by u4 (wrong).
    assert (variants["S1"].attempts, variants["S1"].facility) == (2, pytest.approx(1.0))
    assert (variants["S2"].attempts, variants["S2"].facility) == (2, pytest.approx(0.5))
    assert (variants["S3"].attempts, variants["S3"].facility) == (1, pytest.approx(0.0))
    assert all(v.is_variant and v.slot_number == 2 and v.must_pass for v in drawn.variants)


def test_slot_discrimination_uses_what_the_slot_drew(slotted):
    drawn = quiz_statistics(read(slotted), ALL_ATTEMPTS).questions[1]
    # x = 3 0 3 0 3 (mean 1.8), rest = 1 1 0 0 1 (mean .6)
    # dx = 1.2 -1.8 1.2 -1.8 1.2, dX = .4 .4 -.6 -.6 .4: sum = .48 - .72 - .72 + 1.08 + .48 = .6
    # squares 10.8 and 1.2: D = 100 x .6 / sqrt(12.96) = 16.667%
    assert drawn.discrimination_index == pytest.approx(16.6667, abs=1e-4)


def test_alpha_takes_the_slot_as_the_item(slotted):
    stats = quiz_statistics(read(slotted), ALL_ATTEMPTS).quiz
    # Four questions were asked but each attempt has two items, the slots. In points:
    # totals 4 1 3 0 4 (mean 2.4): squares 2.56 + 1.96 + .36 + 5.76 + 2.56 = 13.2; k2 = 3.3
    # slot 1: 1 1 0 0 1: 1.2 / 4 = .3; slot 2: 3 0 3 0 3: 10.8 / 4 = 2.7
    # CIC = 100 x 2/1 x (1 - 3/3.3) = 18.1818%
    assert stats.items == 2
    assert stats.cic == pytest.approx(18.1818, abs=1e-4)


def test_a_quiz_drawing_some_of_its_questions_has_no_alpha(db):
    quiz = make_quiz(attempts_allowed=None, draw_count=2)
    questions = [add_single(quiz, name=f"Q{n}") for n in (1, 2, 3)]
    versions = current_versions(questions)
    for n, pair in enumerate([(0, 1), (1, 2), (0, 2), (0, 1)]):
        finished_attempt(quiz, make_trainee(f"drawn_{n}"), [versions[i] for i in pair], [1, n % 2])
    stats = quiz_statistics(read(quiz), ALL_ATTEMPTS).quiz
    assert stats.items == 3
    assert stats.sd is not None
    assert stats.cic is None


def test_real_attempts_at_a_pooled_quiz_group_by_slot_and_drawn_question(db):
    quiz = make_quiz(attempts_allowed=3)
    warm_up = add_single(quiz, name="Warm-up", category="warm-up")
    for n in (1, 2, 3):
        add_single(quiz, name=f"Scenario {n}", category="scenario")
    QuizSlot.objects.create(quiz=quiz, order=1, question=warm_up)
    QuizSlot.objects.create(quiz=quiz, order=2, category="scenario", must_pass=True)
    trainee = make_trainee()
    for _ in range(3):  # a retake draws a scenario not seen yet: three different ones
        submit_attempt(start_attempt(quiz, trainee))
    report = quiz_statistics(read(quiz), ALL_ATTEMPTS)
    assert [row.slot_number for row in report.questions] == [1, 2]
    assert report.questions[0].variants == []
    names = [variant.name for variant in report.questions[1].variants]
    assert names == ["Scenario 1", "Scenario 2", "Scenario 3"]
    assert report.questions[1].attempts == 3


# The admin's report over every attempt ---------------------------------------------------


def test_admin_statistics_page_reads_every_attempt_of_the_quiz(staff_client, ten_quiz):
    change = staff_client.get(reverse("admin:quizzes_quiz_change", args=[ten_quiz.pk]))
    url = reverse("admin:quizzes_quiz_statistics", args=[ten_quiz.pk])
    assert url in change.content.decode()
    page = staff_client.get(url)
    text = page.content.decode()
    assert page.status_code == 200
    assert "Coefficient of internal consistency" in text
    assert "39.28%" in text  # CIC, as worked out above
    assert "23.32%" in text  # standard error
    assert "Strong and weak trainees score alike on it" in text  # Q3 and Q4


def test_admin_statistics_page_takes_a_bad_attempt_set_as_first_attempts(staff_client, ten_quiz):
    url = reverse("admin:quizzes_quiz_statistics", args=[ten_quiz.pk])
    page = staff_client.get(url, {"attempts": "everything'"})
    assert page.status_code == 200
    assert page.context["report"].which == FIRST_ATTEMPTS


def test_admin_statistics_page_is_for_admins_only(client, ten_quiz):
    client.force_login(make_trainee("nosy"))
    url = reverse("admin:quizzes_quiz_statistics", args=[ten_quiz.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


@pytest.mark.parametrize("size", [10, 40])
def test_admin_statistics_page_keeps_its_query_count(
    staff_client, db, django_assert_max_num_queries, size
):
    quiz = make_quiz(attempts_allowed=None)
    warm_up = add_single(quiz, name="Warm-up", category="warm-up")
    scenarios = [add_single(quiz, name=f"S{n}", category="scenario") for n in range(size // 5)]
    QuizSlot.objects.create(quiz=quiz, order=1, question=warm_up)
    QuizSlot.objects.create(quiz=quiz, order=2, category="scenario", must_pass=True)
    versions = current_versions(
        [warm_up, *scenarios], [None] + [{"must_pass": True}] * len(scenarios)
    )
    for n in range(size):
        trainee = make_trainee(f"admin_q_{size}_{n}")
        for number in (1, 2):
            finished_attempt(
                quiz,
                trainee,
                [versions[0], versions[1 + (n + number) % len(scenarios)]],
                [n % 2, (n + number) % 2],
                number=number,
                slot_numbers=[1, 2],
            )
    url = reverse("admin:quizzes_quiz_statistics", args=[quiz.pk])
    # Session and user, the quiz, its attempts, their questions and the versions.
    for query in ("", "?attempts=all"):
        with django_assert_max_num_queries(6):
            assert staff_client.get(url + query).status_code == 200
