"""A coach's item analysis shows Moodle's quiz statistics for the group's attempts."""

import pytest
from django.urls import reverse

from quizzes.models import QuizSlot
from quizzes.services import current_versions
from tests.factories import add_single, make_group, make_quiz, make_trainee
from tests.quizzes.test_statistics import finished_attempt
from tests.training.conftest import take
from training.services import assign


def analysis(client, group, quiz, **params):
    return client.get(reverse("training:quiz_analysis", args=[group.pk, quiz.pk]), params)


def join(group, name):
    trainee = make_trainee(name)
    group.memberships.create(trainee=trainee)
    return trainee


def test_with_fewer_than_ten_attempts_the_page_says_the_figures_are_not_meaningful(
    client, coach, group, quiz
):
    assign(group, quiz)
    for n in range(9):
        take(quiz, join(group, f"few_{n}"), right=(1, 2) if n % 3 else (1,))
    client.force_login(coach)
    text = analysis(client, group, quiz).content.decode()
    assert "With 9 attempts the figures are not meaningful yet" in text
    assert "Coefficient of internal consistency" not in text
    assert "Discrimination index" not in text
    assert "Standard deviation" not in text
    # What coaches read today stays: how hard, wrong answers, the histogram.
    assert "(67% of marks)" in text  # the escape steps: 6 of 9 right
    assert "<svg" in text


def test_from_ten_attempts_the_quiz_and_question_figures_show(client, coach, group, quiz):
    assign(group, quiz)
    for n in range(10):
        take(quiz, join(group, f"many_{n}"), right=(1, 2) if n % 3 else (1,))
    client.force_login(coach)
    text = analysis(client, group, quiz).content.decode()
    assert "not meaningful yet" not in text
    assert "Coefficient of internal consistency (Cronbach’s alpha)" in text
    assert "Discrimination index" in text
    assert "Discriminative efficiency" in text
    # Everyone got the single choice right: the quiz's spread is the escape steps alone.
    assert "Almost everyone gets it right (facility above 95%)" in text


def test_a_must_pass_question_almost_everyone_gets_right_is_flagged_prominently(
    client, coach, group, quiz
):
    assign(group, quiz)
    for n in range(10):
        take(quiz, join(group, f"all_right_{n}"), right=(1, 2))
    client.force_login(coach)
    text = analysis(client, group, quiz).content.decode()
    box = text[
        text.index('id="must-pass-to-check"') : text.index(
            "</div>", text.index("must-pass-to-check")
        )
    ]
    assert "Escape steps" in box
    assert "Almost everyone gets it right (facility above 95%)" in box
    assert "Where" not in box  # the single choice is not must-pass: it is listed below
    assert 'id="questions-to-check"' in text
    assert "Must pass: check first" in text


def test_first_attempts_by_default_and_all_attempts_on_request(client, coach, group, quiz):
    assign(group, quiz)
    retaker = join(group, "retaker")
    take(quiz, retaker, right=())
    take(quiz, retaker, right=(1, 2))
    take(quiz, join(group, "once"), right=(1,))
    client.force_login(coach)
    first = analysis(client, group, quiz).content.decode()
    assert "2 finished attempts by 2 trainees" in first
    assert 'href="?attempts=first" aria-current="page"' in first
    every = analysis(client, group, quiz, attempts="all").content.decode()
    assert "3 finished attempts by 2 trainees" in every
    assert 'href="?attempts=all" aria-current="page"' in every


@pytest.mark.parametrize("value", ["everything", "", "<script>", "first'--"])
def test_a_bad_attempt_set_falls_back_to_first_attempts(client, coach, group, quiz, value):
    assign(group, quiz)
    retaker = join(group, "retaker")
    take(quiz, retaker, right=())
    take(quiz, retaker, right=(1, 2))
    client.force_login(coach)
    page = analysis(client, group, quiz, attempts=value)
    assert page.status_code == 200
    assert "1 finished attempt by 1 trainee" in page.content.decode()


def slot_quiz(scenarios=3):
    """Slot 1: a fixed warm-up; slot 2: one must-pass scenario drawn from `scenarios`."""
    quiz = make_quiz(attempts_allowed=None, is_published=True)
    warm_up = add_single(quiz, name="Warm-up", category="warm-up")
    drawn = [add_single(quiz, name=f"Scenario {n}", category="scenario") for n in range(scenarios)]
    QuizSlot.objects.create(quiz=quiz, order=1, question=warm_up)
    QuizSlot.objects.create(quiz=quiz, order=2, category="scenario", must_pass=True)
    versions = current_versions([warm_up, *drawn], [None] + [{"must_pass": True}] * len(drawn))
    return quiz, versions


def test_a_slot_shows_the_questions_it_drew_beneath_it(client, coach, group):
    quiz, versions = slot_quiz()
    assign(group, quiz)
    for n in range(6):
        finished_attempt(
            quiz,
            join(group, f"slot_{n}"),
            [versions[0], versions[1 + n % 3]],
            [1, n % 2],
            slot_numbers=[1, 2],
        )
    client.force_login(coach)
    text = analysis(client, group, quiz).content.decode()
    assert "Slot 1" in text
    assert "Warm-up" in text
    assert "(drew 3 different questions)" in text
    assert text.count("Drawn into slot 2:") == 3
    slot_2 = text.index("Slot 2")
    assert slot_2 < text.index("Scenario 0") < text.index("Scenario 1") < text.index("Scenario 2")
    # Each scenario was drawn twice: once right and once wrong (n % 2), half its marks.
    assert text.count('Medium <span class="muted">(50% of marks)') == 4  # slot 2 and each


@pytest.mark.parametrize("size", [10, 40])
def test_analysis_page_keeps_its_query_count_with_slots_and_retakes(
    client, coach, db, django_assert_max_num_queries, size
):
    group = make_group(f"Slots {size}", coaches=[coach])
    quiz, versions = slot_quiz(scenarios=size // 5)
    assign(group, quiz)
    for n in range(size):
        trainee = join(group, f"q{size}_{n}")
        for number in (1, 2):
            finished_attempt(
                quiz,
                trainee,
                [versions[0], versions[1 + (n + number) % (size // 5)]],
                [n % 2, (n + number) % 2],
                number=number,
                slot_numbers=[1, 2],
            )
    client.force_login(coach)
    # The same 8 as the page without slots (tests/training/test_queries.py), whatever the size.
    for params in ({}, {"attempts": "all"}):
        with django_assert_max_num_queries(8):
            assert analysis(client, group, quiz, **params).status_code == 200
