"""A quiz of many questions: the admin lists a page of them at a time, and no quiz grows past
QUIZ_MAX_QUESTIONS. (A 12,000-question bank once made its admin page take 44 s and 32 MB.)"""

import re

import pytest
from django.urls import reverse

from quizzes.models import Question
from quizzes.moodle.bank import QuestionFileError, import_questions
from tests.factories import add_single, make_quiz


@pytest.fixture
def big_quiz(db, settings):
    settings.QUIZ_ADMIN_QUESTIONS_PER_PAGE = 10
    quiz = make_quiz("big-bank")
    for number in range(1, 26):
        add_single(quiz, text=f"Question number {number}?")
    return quiz


def rows_on(page):
    return int(re.search(r'name="questions-TOTAL_FORMS"[^>]*value="(\d+)"', page).group(1))


def test_the_change_form_lists_a_page_of_questions_with_links_to_the_rest(admin_client, big_quiz):
    url = reverse("admin:quizzes_quiz_change", args=[big_quiz.pk])
    first = admin_client.get(url).content.decode()
    assert rows_on(first) == 10
    assert "10 at a time, of 25" in first
    assert 'href="?questions_page=3"' in first
    last = admin_client.get(url, {"questions_page": 3}).content.decode()
    assert rows_on(last) == 5
    assert "Question number 25?" in last
    assert "Question number 1?" not in last


def test_the_page_keeps_its_query_count_however_many_questions(
    admin_client, big_quiz, django_assert_max_num_queries
):
    url = reverse("admin:quizzes_quiz_change", args=[big_quiz.pk])
    admin_client.get(url)
    with django_assert_max_num_queries(60) as few:
        admin_client.get(url)
    for number in range(26, 76):
        add_single(big_quiz, text=f"Question number {number}?")
    with django_assert_max_num_queries(len(few.captured_queries)):
        admin_client.get(url)


def test_an_import_past_the_cap_is_refused_whole(db, settings):
    settings.QUIZ_MAX_QUESTIONS = 3
    quiz = make_quiz("small-bank")
    add_single(quiz, text="Already here?")
    gift = "".join(f"::Q{n}::Cramps strike the calf {n}?{{T}}\n\n" for n in range(3)).encode()
    with pytest.raises(QuestionFileError) as refused:
        import_questions(quiz.slug, gift, format="gift")
    assert "room for 2" in str(refused.value)
    assert Question.objects.filter(quiz=quiz).count() == 1
