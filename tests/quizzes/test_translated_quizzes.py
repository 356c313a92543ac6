"""One quiz in two languages is one quiz: each reader sees their language, the answers, scores
and item statistics are shared, and a must-pass question is never shown in an unreviewed
translation."""

from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lessons.course_files import default_course_dir, load_course
from quizzes.models import Attempt, Question, Quiz
from quizzes.services import start_attempt, submit_attempt
from quizzes.statistics import ALL_ATTEMPTS, quiz_statistics
from quizzes.translation import shown_data
from tests.factories import make_trainee

EDITION = Path(__file__).resolve().parent.parent / "lessons" / "translated_edition"
NOTE_EN = "This question is shown in English: its translation is not reviewed yet."
NOTE_RU = "Этот вопрос показан на английском: его перевод ещё не проверен."


@pytest.fixture
def quiz(db):
    load_course(EDITION)
    return Quiz.objects.get(slug="first-steps-quiz")


def as_reader(client, user, language):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def answer_and_submit(client, attempt, answers):
    """Answer through the page's form (display positions, typed texts), then submit."""
    url = reverse("quizzes:attempt_page", args=[attempt.pk])
    data = {"page": 1, "action": "save"}
    for number in range(1, 7):
        data[f"q{number}-shown"] = "1"
    data.update(answers)
    matching = attempt.slots.select_related("version").get(position=4)
    right = {o["key"]: o["match_text"] for o in matching.version.data["options"]}
    for index, key in enumerate(matching.layout["items"]):
        data[f"q4-{index}"] = str(matching.layout["answers"].index(right[key]))
    ordering = attempt.slots.select_related("version").get(position=3)
    steps = [o["key"] for o in ordering.version.data["options"]]
    for index, key in enumerate(ordering.layout["options"]):
        data[f"q3-{index}"] = str(steps.index(key) + 1)
    assert client.post(url, data).status_code == 302
    client.post(reverse("quizzes:attempt_submit", args=[attempt.pk]))
    return Attempt.objects.get(pk=attempt.pk)


RIGHT = {"q1": "0", "q2": ["0", "1"], "q5": "1"}


def test_a_russian_reader_sees_the_attempt_in_russian(client, trainee, quiz):
    attempt = start_attempt(quiz, trainee)
    html = page(
        as_reader(client, trainee, "ru"), reverse("quizzes:attempt_page", args=[attempt.pk])
    )
    assert "Тест к первым шагам" in html
    assert "Никто не идёт. Что делать?" in html
    assert "Звонить 112" in html
    assert "{emergency}" not in html
    assert "Доска для плавания" in html
    assert "Береговая охрана" in html
    assert "На побережье" in html
    assert "Нужно плыть на помощь." in html
    # The ordering question is must-pass and its translation has no reviewed_on: English.
    assert "Put the steps in order." in html
    assert "Hold on" in html
    assert "Расставьте шаги" not in html
    assert "Держаться" not in html
    assert NOTE_RU in html


def test_an_english_reader_sees_the_same_attempt_in_english(client, trainee, quiz):
    attempt = start_attempt(quiz, trainee)
    html = page(
        as_reader(client, trainee, "en-gb"), reverse("quizzes:attempt_page", args=[attempt.pk])
    )
    assert "Nobody comes. What do you do?" in html
    assert "Call 999 or 112" in html
    assert "Никто" not in html
    assert "Береговая" not in html
    assert NOTE_EN not in html


def test_a_must_pass_question_without_a_reviewed_translation_is_shown_in_english_with_a_note(
    quiz,
):
    ordering = Question.objects.get(name="The steps")
    from quizzes.services import freeze_question

    data = freeze_question(ordering)
    assert data["translations"]["ru"]["text"] == "Расставьте шаги по порядку."
    shown = shown_data(data, "ru")
    assert shown["text"] == "Put the steps in order."
    assert [o["text"] for o in shown["options"]] == ["Hold on", "Float", "Call for help"]
    assert shown["english_note"]
    reviewed = {
        **data,
        "translations": {"ru": {**data["translations"]["ru"], "reviewed_on": "2026-12-03"}},
    }
    assert shown_data(reviewed, "ru")["text"] == "Расставьте шаги по порядку."
    assert not shown_data(reviewed, "ru")["english_note"]
    # A question that is not must-pass is shown in its translation, reviewed or not.
    floats = freeze_question(Question.objects.get(name="What floats"))
    assert shown_data(floats, "ru")["text"] == "Что держится на воде?"


def test_english_and_russian_attempts_count_in_the_same_item_statistics(client, quiz):
    english, russian = make_trainee("english_reader"), make_trainee("russian_reader")
    first = answer_and_submit(
        as_reader(client, english, "en-gb"), start_attempt(quiz, english), {**RIGHT, "q6": "float"}
    )
    second = answer_and_submit(
        as_reader(client, russian, "ru"), start_attempt(quiz, russian), {**RIGHT, "q6": "лежите"}
    )
    assert first.score == second.score == first.max_score
    assert first.passed
    assert second.passed
    # One question, one version, whatever language it was read in.
    assert list(first.slots.values_list("version_id", flat=True)) == list(
        second.slots.values_list("version_id", flat=True)
    )
    attempts = Attempt.objects.finished().filter(quiz=quiz).prefetch_related("slots__version")
    report = quiz_statistics(attempts, ALL_ATTEMPTS)
    assert [row.attempts for row in report.rows] == [2] * 6
    assert all(row.facility == 1 for row in report.rows)


def test_a_wrong_answer_counts_the_same_in_either_language(client, quiz):
    russian = make_trainee("russian_reader")
    attempt = answer_and_submit(
        as_reader(client, russian, "ru"),
        start_attempt(quiz, russian),
        {**RIGHT, "q1": "1", "q6": "плыву"},
    )
    assert not attempt.passed
    assert attempt.must_pass_met is False
    html = page(client, reverse("quizzes:attempt_result", args=[attempt.pk]))
    assert "Плыть к нему" in html  # their answer, in Russian
    assert "Звонить 112" in html  # the right answer
    assert "Звоните 112." in html  # the explanation
    assert "Перечитайте урок." in html  # the overall feedback below the pass mark
    assert NOTE_RU in html


def test_a_finished_attempt_keeps_the_texts_it_was_given(client, trainee, quiz):
    attempt = start_attempt(quiz, trainee)
    submit_attempt(attempt)
    question = Question.objects.get(name="Who to call")
    question.translations["ru"]["text"] = "Новая формулировка"
    question.save()
    html = page(
        as_reader(client, trainee, "ru"), reverse("quizzes:attempt_result", args=[attempt.pk])
    )
    assert "Никто не идёт. Что делать?" in html
    assert "Новая формулировка" not in html


def _queries(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_quiz_attempt_and_review_pages_run_the_same_queries_in_both_languages(
    client, trainee, quiz
):
    attempt = start_attempt(quiz, trainee)
    attempt_url = reverse("quizzes:attempt_page", args=[attempt.pk])
    summary_url = reverse("quizzes:attempt_summary", args=[attempt.pk])
    quiz_url = quiz.get_absolute_url()
    for url in (attempt_url, summary_url, quiz_url):
        english = _queries(as_reader(client, trainee, "en-gb"), url)
        assert _queries(as_reader(client, trainee, "ru"), url) == english, url
    finished = submit_attempt(attempt)[0]
    result_url = reverse("quizzes:attempt_result", args=[finished.pk])
    english = _queries(as_reader(client, trainee, "en-gb"), result_url)
    assert _queries(as_reader(client, trainee, "ru"), result_url) == english


def test_moodle_export_writes_one_language_with_its_emergency_number(quiz):
    from quizzes.moodle.bank import export_questions

    english, _warnings = export_questions(quiz, "moodlexml")
    assert "Call 999 or 112" in english
    assert "{emergency}" not in english
    assert "Никто" not in english
    russian, warnings = export_questions(quiz, "moodlexml", "ru")
    assert "Никто не идёт. Что делать?" in russian
    assert "Звонить 112" in russian
    assert "Береговая охрана" in russian
    assert "{emergency}" not in russian
    # The unreviewed must-pass question goes out in English, and says so.
    assert "Put the steps in order." in russian
    assert any("Question 3 (The steps)" in w and "not reviewed" in w for w in warnings)


def test_moodle_import_into_a_language_stores_a_translation_of_the_same_questions(quiz, tmp_path):
    from django.core.management import call_command

    from quizzes.models import Option
    from quizzes.moodle.bank import export_questions

    before = {q.pk: q.translations["ru"] for q in quiz.questions.all()}
    russian, _warnings = export_questions(quiz, "moodlexml", "ru")
    path = tmp_path / "ru.xml"
    path.write_text(russian, encoding="utf-8")
    Question.objects.filter(quiz=quiz).update(translations={})
    Option.objects.filter(question__quiz=quiz).update(translations={})
    call_command("import_questions", str(path), quiz=quiz.slug, language="ru")
    assert quiz.questions.count() == 6  # the same questions, now with their Russian texts
    first = Question.objects.get(name="Who to call")
    assert first.translations["ru"]["text"] == "Никто не идёт. Что делать?"
    assert "reviewed_on" not in first.translations["ru"]  # an import is not a review
    assert [o.translations["ru"]["text"] for o in first.options.all()] == [
        "Звонить 112",
        "Плыть к нему",
    ]
    matching = Question.objects.get(name="Where")
    assert matching.translations["ru"]["text"] == before[matching.pk]["text"]


def test_moodle_import_into_a_language_refuses_other_questions(quiz, tmp_path):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    path = tmp_path / "ru.gift"
    path.write_text("::Одна:: Один вопрос? {=Да ~Нет}\n", encoding="utf-8")
    with pytest.raises(CommandError, match="The file has 1 questions and the quiz 6"):
        call_command("import_questions", str(path), quiz=quiz.slug, language="ru")


@pytest.mark.parametrize("size", [2, 20])
def test_attempt_pages_keep_their_pinned_query_count_for_a_russian_reader(
    client, trainee, db, django_assert_max_num_queries, size
):
    """The counts of test_queries.test_attempt_pages_keep_their_query_count, in Russian."""
    from quizzes.models import Option
    from tests.quizzes.test_queries import build_quiz, finish

    quiz = build_quiz(size)
    Question.objects.filter(quiz=quiz).update(
        translations={"ru": {"text": "Вопрос", "reviewed_on": "2026-12-03"}}
    )
    Option.objects.filter(question__quiz=quiz).update(translations={"ru": {"text": "Ответ"}})
    for _ in range(size):
        finish(quiz, trainee)
    attempt = start_attempt(quiz, trainee)
    as_reader(client, trainee, "ru")
    url = reverse("quizzes:attempt_page", args=[attempt.pk])
    with django_assert_max_num_queries(7):
        assert "Вопрос" in page(client, url)
    with django_assert_max_num_queries(7):
        assert client.get(reverse("quizzes:attempt_summary", args=[attempt.pk])).status_code == 200
    finished = submit_attempt(attempt)[0]
    with django_assert_max_num_queries(8):
        assert "Ответ" in page(client, reverse("quizzes:attempt_result", args=[finished.pk]))


def test_a_numerical_questions_unit_is_in_the_readers_language(client, trainee):
    # Before: the Russian attempt page asked «Ваш ответ (minutes)» and the review said
    # "12 minutes": the unit was not a text a translation could give.
    load_course(default_course_dir())
    quiz = Quiz.objects.get(slug="what-is-a-cramp-quiz")
    attempt = start_attempt(quiz, trainee)
    url = reverse("quizzes:attempt_page", args=[attempt.pk])
    russian = page(as_reader(client, trainee, "ru"), url)
    assert "Ваш ответ (мин)" in russian
    assert "minutes" not in russian
    english = page(as_reader(client, trainee, "en-gb"), url)
    assert "Your answer (minutes)" in english
