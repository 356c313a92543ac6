"""Quizzes built of slots: fixed questions and questions drawn from a category per attempt."""

import random
from decimal import Decimal

import pytest
from django.urls import reverse

from quizzes.models import Attempt, QuizSlot
from quizzes.services import start_attempt, submit_attempt
from quizzes.slots import (
    Drawn,
    draw,
    every_way_asked,
    last_asked,
    problems_of_quiz,
    questions_per_attempt,
)
from tests.factories import add_single, make_quiz, make_trainee


def pooled_quiz(*, attempts_allowed=3, shuffle_questions=False, **fields):
    """A fixed warm-up question, then one must-pass scenario drawn from three."""
    quiz = make_quiz(
        attempts_allowed=attempts_allowed, shuffle_questions=shuffle_questions, **fields
    )
    warm_up = add_single(quiz, name="Warm-up", category="warm-up")
    scenarios = [
        add_single(quiz, name=f"Scenario {n}", category="first-response", right=f"Float {n}")
        for n in (1, 2, 3)
    ]
    QuizSlot.objects.create(quiz=quiz, order=1, question=warm_up)
    QuizSlot.objects.create(quiz=quiz, order=2, category="first-response", points=3, must_pass=True)
    return quiz, warm_up, scenarios


def asked(attempt):
    return [s.version.question_id for s in attempt.slots.select_related("version")]


def finish(attempt):
    return submit_attempt(attempt)[0]


def test_a_drawn_slot_asks_one_of_its_category_as_must_pass_with_its_points(db):
    quiz, warm_up, scenarios = pooled_quiz()
    attempt = start_attempt(quiz, make_trainee(), rng=random.Random(1))
    slots = list(attempt.slots.select_related("version"))
    assert slots[0].version.question_id == warm_up.pk
    assert slots[1].version.question_id in {q.pk for q in scenarios}
    # The scenario was written as an ordinary 1-point question; the slot makes it must-pass.
    assert slots[1].version.data["must_pass"] is True
    assert Decimal(slots[1].version.data["points"]) == 3
    assert [s.slot_number for s in slots] == [1, 2]
    assert attempt.max_score == Decimal(4)


def test_every_retake_asks_a_scenario_not_seen_before_while_the_pool_lasts(db):
    quiz, _, scenarios = pooled_quiz()
    trainee = make_trainee()
    seen = []
    for seed in range(3):
        attempt = start_attempt(quiz, trainee, rng=random.Random(seed))
        seen.append(asked(attempt)[1])
        finish(attempt)
    assert sorted(seen) == sorted(q.pk for q in scenarios)


def test_when_the_pool_is_used_up_the_least_recently_seen_comes_back(db):
    quiz = make_quiz(attempts_allowed=None)
    first, second = (add_single(quiz, name=n, category="pool") for n in ("One", "Two"))
    QuizSlot.objects.create(quiz=quiz, order=1, category="pool", must_pass=True)
    trainee = make_trainee()
    order = []
    for seed in range(4):
        attempt = start_attempt(quiz, trainee, rng=random.Random(seed))
        order.append(asked(attempt)[0])
        finish(attempt)
    assert order[2] == order[0]
    assert order[3] == order[1]
    assert {order[0], order[1]} == {first.pk, second.pk}


def test_a_must_pass_slot_stays_must_pass_whatever_it_draws(db):
    quiz, _, _ = pooled_quiz()
    trainee = make_trainee()
    for seed in range(3):
        attempt = start_attempt(quiz, trainee, rng=random.Random(seed))
        drawn = attempt.slots.select_related("version").get(slot_number=2)
        assert drawn.version.data["must_pass"] is True
        finished = finish(attempt)  # nothing answered: the must-pass slot is missed
        assert finished.must_pass_met is False


def test_a_fixed_question_is_never_drawn_again_by_a_slot_on_its_category(db):
    quiz = make_quiz(attempts_allowed=None)
    fixed = add_single(quiz, name="Fixed", category="pool")
    add_single(quiz, name="Other", category="pool")
    QuizSlot.objects.create(quiz=quiz, order=1, question=fixed)
    QuizSlot.objects.create(quiz=quiz, order=2, category="pool")
    for seed in range(5):
        attempt = start_attempt(quiz, make_trainee(), rng=random.Random(seed))
        assert len(set(asked(attempt))) == 2


def test_slots_keep_their_order_unless_the_quiz_shuffles_questions(db):
    quiz = make_quiz(attempts_allowed=None)
    questions = [add_single(quiz, name=f"Q{n}", category=f"c{n}") for n in range(6)]
    for n in range(6):
        QuizSlot.objects.create(quiz=quiz, order=n, category=f"c{n}")
    attempt = start_attempt(quiz, make_trainee(), rng=random.Random(3))
    assert asked(attempt) == [q.pk for q in questions]
    quiz.shuffle_questions = True
    quiz.save()
    orders = {
        tuple(asked(start_attempt(quiz, make_trainee(), rng=random.Random(seed))))
        for seed in range(5)
    }
    assert len(orders) > 1


def test_a_slot_can_draw_several_questions_at_once(db):
    quiz = make_quiz(attempts_allowed=None)
    pool = {add_single(quiz, category="pool").pk for _ in range(4)}
    QuizSlot.objects.create(quiz=quiz, order=1, category="pool", draw=3)
    attempt = start_attempt(quiz, make_trainee(), rng=random.Random(0))
    drawn = asked(attempt)
    assert len(drawn) == len(set(drawn)) == 3
    assert set(drawn) <= pool
    assert questions_per_attempt(quiz) == 3


def test_the_quiz_page_counts_the_questions_an_attempt_asks(client, db):
    quiz, _, _ = pooled_quiz()
    trainee = make_trainee()
    client.force_login(trainee)
    page = client.get(reverse("quizzes:quiz_detail", args=[quiz.slug])).content.decode()
    assert "<dt>Questions</dt><dd>2</dd>" in page


@pytest.mark.parametrize(
    ("slots", "message"),
    [
        ([{"category": "first-response", "draw": 4}], "holds 3 questions to draw"),
        ([{"category": "nowhere"}], 'the category "nowhere" has no questions'),
    ],
)
def test_impossible_slots_are_named_with_the_reason(db, slots, message):
    quiz, _, _ = pooled_quiz()
    quiz.slots.all().delete()
    for order, fields in enumerate(slots, start=1):
        QuizSlot.objects.create(quiz=quiz, order=order, **fields)
    problems = problems_of_quiz(quiz)
    assert any(message in problem and "Slot 1" in problem for problem in problems)


def test_a_must_pass_slot_with_one_question_is_refused_only_when_retakes_are_allowed(db):
    quiz = make_quiz(attempts_allowed=2)
    add_single(quiz, category="lonely")
    QuizSlot.objects.create(quiz=quiz, order=1, category="lonely", must_pass=True)
    assert "at least 2 questions" in " ".join(problems_of_quiz(quiz))
    quiz.attempts_allowed = 1
    quiz.save()
    assert problems_of_quiz(quiz) == []


def test_a_quiz_without_slots_asks_every_question_as_before(db):
    quiz = make_quiz()
    questions = [add_single(quiz) for _ in range(3)]
    attempt = start_attempt(quiz, make_trainee(), rng=random.Random(0))
    assert asked(attempt) == [q.pk for q in questions]
    assert all(s.slot_number is None for s in attempt.slots.all())
    assert Attempt.objects.count() == 1


def test_what_was_last_asked_is_this_trainees_on_this_quiz(db):
    quiz, warm_up, _ = pooled_quiz()
    other_quiz, _, _ = pooled_quiz()
    ada, ben = make_trainee("ada"), make_trainee("ben")
    first = start_attempt(quiz, ada, rng=random.Random(1))
    finish(first)
    second = start_attempt(quiz, ada, rng=random.Random(2))
    finish(second)
    finish(start_attempt(other_quiz, ada, rng=random.Random(3)))
    bens = start_attempt(quiz, ben, rng=random.Random(4))
    # Ada's two attempts asked the warm-up each time and a different scenario each time.
    assert asked(first)[1] != asked(second)[1]
    assert last_asked(quiz, ada) == {warm_up.pk: 2, asked(first)[1]: 1, asked(second)[1]: 2}
    assert last_asked(quiz, ben) == {warm_up.pk: 1, asked(bens)[1]: 1}
    assert last_asked(quiz, make_trainee("cleo")) == {}


def test_a_newcomer_draws_from_the_whole_pool_whatever_others_were_asked(db):
    quiz, _, scenarios = pooled_quiz()
    ada = make_trainee("ada")
    for seed in range(2):
        finish(start_attempt(quiz, ada, rng=random.Random(seed)))
    # Ada has not yet seen one scenario; a newcomer's first draws still range over all three.
    drawn = {asked(start_attempt(quiz, make_trainee(f"new{seed}"), rng=random.Random(seed)))[1]
             for seed in range(12)}  # fmt: skip
    assert drawn == {q.pk for q in scenarios}


@pytest.mark.parametrize(("draw_count", "expected"), [(None, 5), (0, 5), (3, 3), (5, 5), (9, 5)])
def test_a_quiz_without_slots_asks_its_draw_count_at_most(db, draw_count, expected):
    quiz = make_quiz(draw_count=draw_count)
    for _ in range(5):
        add_single(quiz)
    assert questions_per_attempt(quiz) == expected
    attempt = start_attempt(quiz, make_trainee(), rng=random.Random(0))
    assert len(asked(attempt)) == expected


def test_a_quiz_with_slots_asks_one_per_fixed_slot_and_each_drawn_slots_draw(db):
    quiz, _, _ = pooled_quiz(draw_count=1)  # draw_count is for quizzes without slots
    quiz.slots.filter(order=2).update(draw=2)
    assert questions_per_attempt(quiz) == 3
    assert len(asked(start_attempt(quiz, make_trainee(), rng=random.Random(0)))) == 3


def test_a_question_in_two_fixed_slots_is_named(db):
    quiz, warm_up, _ = pooled_quiz()
    QuizSlot.objects.create(quiz=quiz, order=3, question=warm_up)
    assert problems_of_quiz(quiz) == ["Slot 3: this question is already in another slot."]


def test_a_drawn_slot_does_not_count_what_fixed_slots_ask_from_its_category(db):
    quiz, _, scenarios = pooled_quiz(attempts_allowed=1)
    # Scenario 1 is asked by a fixed slot: the drawn slot has two left to draw, not three.
    QuizSlot.objects.create(quiz=quiz, order=3, question=scenarios[0])
    quiz.slots.filter(order=2).update(draw=3)
    assert problems_of_quiz(quiz) == [
        'Slot 2: the category "first-response" holds 2 questions to draw, but the slots ask for 3.'
    ]
    quiz.slots.filter(order=2).update(draw=2)
    assert problems_of_quiz(quiz) == []


def test_every_way_asked_holds_each_question_as_each_slot_would_ask_it(db):
    # What make bench's and the demo's seeding freeze at once (training/demo.py): a draw that
    # is not in it would find no version.
    quiz, warm_up, scenarios = pooled_quiz()
    extra = add_single(quiz, name="Spare", category="first-response", right="Float 4")
    QuizSlot.objects.create(quiz=quiz, order=3, question=extra, must_pass=True, points=2)
    slots, questions = list(quiz.slots.all()), list(quiz.questions.all())
    everything = every_way_asked(slots, questions)
    # The fixed slots ask their own question; the drawn slot any other of its category, with
    # its points and must-pass.
    assert [(d.question, d.slot_number, d.overrides) for d in everything] == [
        (warm_up, 1, None),
        (scenarios[0], 2, {"points": Decimal(3), "must_pass": True}),
        (scenarios[1], 2, {"points": Decimal(3), "must_pass": True}),
        (scenarios[2], 2, {"points": Decimal(3), "must_pass": True}),
        (extra, 3, {"points": Decimal(2), "must_pass": True}),
    ]
    for seed in range(10):
        for drawn in draw(quiz, slots, questions, {}, random.Random(seed)):
            assert drawn in everything


def test_every_way_asked_without_slots_is_every_question_as_it_is(db):
    quiz = make_quiz(draw_count=2)
    questions = [add_single(quiz) for _ in range(3)]
    assert every_way_asked([], questions) == [Drawn(question, None) for question in questions]


def test_a_fixed_slot_asks_its_one_question_whatever_its_draw_says(db):
    quiz, _, _ = pooled_quiz()
    quiz.slots.filter(order=1).update(draw=3)  # the field is there, but a fixed slot ignores it
    assert questions_per_attempt(quiz) == 2
    assert len(asked(start_attempt(quiz, make_trainee(), rng=random.Random(0)))) == 2


@pytest.mark.parametrize(
    ("slots", "problems"),
    [
        (
            [{"category": "first-response", "draw": 0}],
            ["Slot 1: a slot draws at least one question."],
        ),
        (
            [{"category": "nowhere"}],
            ['Slot 1: the category "nowhere" has no questions to draw.'],
        ),
        (
            [{"category": "warm-up", "draw": 2}],
            ['Slot 1: the category "warm-up" holds 1 question to draw, but the slots ask for 2.'],
        ),
        # Two slots of one category share its pool: the second asks for 4 of 3.
        (
            [{"category": "first-response", "draw": 2}, {"category": "first-response", "draw": 2}],
            [
                'Slot 2: the category "first-response" holds 3 questions to draw, but the '
                "slots ask for 4."
            ],
        ),
    ],
)
def test_each_impossible_slot_is_named_in_words(db, slots, problems):
    quiz, _, _ = pooled_quiz(attempts_allowed=1)
    quiz.slots.all().delete()
    for order, fields in enumerate(slots, start=1):
        QuizSlot.objects.create(quiz=quiz, order=order, **fields)
    assert problems_of_quiz(quiz) == problems


def test_two_slots_drawing_from_one_category_never_ask_a_question_twice(db):
    quiz, _, scenarios = pooled_quiz(attempts_allowed=1)
    quiz.slots.filter(order=2).update(draw=2)
    QuizSlot.objects.create(quiz=quiz, order=3, category="first-response")
    for seed in range(10):
        drawn = asked(start_attempt(quiz, make_trainee(), rng=random.Random(seed)))[1:]
        assert sorted(drawn) == sorted(q.pk for q in scenarios)
