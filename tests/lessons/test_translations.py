"""The course in a second language: course/<lang>/ files loaded, checked, exported and shown.

tests/lessons/translated_edition is a tiny English course with its Russian translation (one
lesson translated, one not; a quiz with a reviewed and an unreviewed must-pass question)."""

import shutil
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from certification.models import Certification
from lessons import regions
from lessons.course_files import export_course, load_course
from lessons.models import Course, Lesson, LessonProgress
from lessons.translation import content_language, shown_value
from quizzes.models import Question, Quiz

EDITION = Path(__file__).resolve().parent / "translated_edition"


def as_reader(client, user, language):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.fixture
def edition(tmp_path):
    """A copy of the edition to spoil."""
    folder = tmp_path / "edition"
    shutil.copytree(EDITION, folder)
    return folder


@pytest.fixture
def loaded(db):
    course, _report = load_course(EDITION)
    return course


def spoil(path, change):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def refusal(folder):
    with pytest.raises(CommandError) as refused:
        call_command("load_course", str(folder))
    return str(refused.value)


def test_load_course_loads_the_russian_edition_beside_the_english(loaded):
    lesson = Lesson.objects.get(slug="first-steps")
    assert lesson.title == "First steps"
    assert lesson.translations["ru"]["title"] == "Первые шаги"
    assert lesson.translations["ru"]["reviewed_on"] == "2026-12-03"
    assert "<strong>звоните {emergency}</strong>" in lesson.translations["ru"]["body_html"]
    assert Lesson.objects.get(slug="second-steps").translations == {}
    assert loaded.translations["ru"]["title"] == "Двуязычный курс"
    question = Question.objects.get(name="Who to call")
    assert question.translations["ru"]["text"] == "Никто не идёт. Что делать?"
    assert [o.translations["ru"]["text"] for o in question.options.all()] == [
        "Звонить {emergency}",
        "Плыть к нему",
    ]
    matching = Question.objects.get(name="Where")
    assert [o.translations["ru"] for o in matching.options.all()] == [
        {"text": "На побережье", "match_text": "Береговая охрана"},
        {"text": "Вдали от моря", "match_text": "Пожарные и спасатели"},
        {"match_text": "Полиция"},
    ]
    quiz = Quiz.objects.get(slug="first-steps-quiz")
    assert [b.translations["ru"]["text"] for b in quiz.feedback_bands.all()] == [
        "Отлично.",
        "Перечитайте урок.",
    ]
    certification = Certification.objects.get(slug="bilingual-swimmer")
    assert certification.translations["ru"]["title"] == "Двуязычный пловец"
    items = list(certification.items.order_by("order"))
    assert items[0].text == "Floats on the back"  # a skill is still known by its English text
    assert items[0].translations["ru"] == {
        "text": "Лежит на спине",
        "criteria": "Голова запрокинута\nУши в воде",
    }
    assert items[1].translations["ru"] == {"text": "Говорит, кому звонить"}


def test_loading_the_same_files_again_changes_nothing(loaded):
    _course, report = load_course(EDITION)
    assert not report.created
    assert not report.updated
    assert not report.kept_edits


def test_export_writes_the_translations_back_as_they_were_written(loaded, tmp_path):
    export_course(loaded, tmp_path)
    for name in ("course.md", "lessons/01-first-steps.md", "quizzes/01-first-steps-quiz.yaml"):
        exported = (tmp_path / "ru" / name).read_text(encoding="utf-8")
        assert exported == (EDITION / "ru" / name).read_text(encoding="utf-8"), name
    assert not (tmp_path / "ru" / "lessons" / "02-second-steps.md").exists()


def test_a_changed_translation_alone_reloads_the_quiz(edition, db):
    load_course(edition)
    path = edition / "ru" / "quizzes" / "01-first-steps-quiz.yaml"
    spoil(path, lambda d: d["questions"][0].update(text="Никто не приходит. Что делать?"))
    _course, report = load_course(edition)
    assert "quiz first-steps-quiz" in report.updated
    question = Question.objects.get(name="Who to call")
    assert question.translations["ru"]["text"] == "Никто не приходит. Что делать?"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["questions"].pop(), "01-first-steps-quiz.yaml: question 6: missing"),
        (
            lambda d: d["questions"].append({"text": "Лишний"}),
            "01-first-steps-quiz.yaml: question 7: not in the English file",
        ),
        (
            lambda d: d["questions"][0]["options"].pop(),
            "01-first-steps-quiz.yaml: question 1: options has 1 entries, the English 2",
        ),
        (
            lambda d: d["questions"][1]["options"].append({"text": "Камень"}),
            "01-first-steps-quiz.yaml: question 2: options has 4 entries, the English 3",
        ),
        (
            lambda d: d["questions"][3]["distractors"].clear(),
            "question 4: distractors has 0 entries, the English 1",
        ),
        (
            lambda d: d["questions"][0].update(points=5),
            "question 1: points is 5 here but",
        ),
        (
            lambda d: d["questions"][0]["options"][0].update(correct=False),
            "question 1: option 1: correct is False here but True in English",
        ),
        (lambda d: d["feedback_bands"].pop(), "feedback_bands: the English has 2"),
        (lambda d: d["questions"][1].pop("options"), "question 2: options missing"),
    ],
)
def test_a_translation_that_does_not_match_the_english_is_refused(edition, db, change, message):
    spoil(edition / "ru" / "quizzes" / "01-first-steps-quiz.yaml", change)
    error = refusal(edition)
    assert message in error
    assert "/ru/quizzes/" in error
    assert not Course.objects.exists()  # all or nothing


def test_non_text_keys_equal_to_the_english_are_accepted(edition, db):
    def same(d):
        d["questions"][0].update(type="single", must_pass=True)
        d["questions"][0]["options"][0]["correct"] = True

    spoil(edition / "ru" / "quizzes" / "01-first-steps-quiz.yaml", same)
    load_course(edition)
    assert Question.objects.get(name="Who to call").translations["ru"]["reviewed_on"]


def test_a_certification_translation_missing_a_skill_is_refused(edition, db):
    spoil(
        edition / "ru" / "certifications" / "bilingual-swimmer.yaml",
        lambda d: d["practical"].pop(),
    )
    assert "'practical' has 1 skills, the English 2" in refusal(edition)


def test_a_lesson_translation_of_another_slug_or_no_english_file_is_refused(edition, db):
    shutil.copy(
        edition / "ru" / "lessons" / "01-first-steps.md",
        edition / "ru" / "lessons" / "09-nowhere.md",
    )
    assert "09-nowhere.md: no English file lessons/09-nowhere.md" in refusal(edition)
    (edition / "ru" / "lessons" / "09-nowhere.md").unlink()
    path = edition / "ru" / "lessons" / "01-first-steps.md"
    path.write_text(path.read_text().replace("slug: first-steps", "slug: other"))
    assert "slug 'other' is not the English file's ('first-steps')" in refusal(edition)


def test_the_emergency_number_comes_from_the_readers_language():
    regions.forget()
    assert regions.fill("Call {emergency}.", "ru") == "Call 112."
    assert regions.fill("Call {emergency}.", "en-gb") == "Call 999 or 112."
    assert regions.fill("Call {emergency}.", "en") == "Call 999 or 112."
    assert regions.fill("<b>{emergency}</b>", "ru", html=True) == "<b>112</b>"
    assert "RNLI" in regions.fill("{advice}", "en-gb")


def test_a_bad_regions_file_is_refused(edition, db):
    (edition / "regions.yaml").write_text("ru: {advice: nobody}\n")
    assert "regions.yaml: ru: emergency must be a text" in refusal(edition)


def test_the_readers_language_picks_the_translation():
    assert content_language("ru") == "ru"
    assert content_language("ru-ru") == "ru"
    assert content_language("en-gb") is None
    assert content_language("de") is None


def test_a_russian_reader_sees_the_lesson_in_russian_and_an_english_reader_in_english(
    client, trainee, loaded
):
    lesson = Lesson.objects.get(slug="first-steps")
    page = as_reader(client, trainee, "ru").get(lesson.get_absolute_url()).content.decode()
    assert "Первые шаги" in page
    assert "Звоните 112, если никто не идёт." in page
    assert "<strong>звоните 112</strong>" in page
    assert "Двуязычный курс" in page
    assert "{emergency}" not in page
    page = as_reader(client, trainee, "en-gb").get(lesson.get_absolute_url()).content.decode()
    assert "First steps" in page
    assert "Первые" not in page
    assert "<strong>call 999 or 112</strong>" in page
    assert "Call 999 or 112 if nobody comes." in page


def test_an_untranslated_lesson_is_shown_in_english_to_a_russian_reader(client, trainee, loaded):
    lesson = Lesson.objects.get(slug="second-steps")
    page = as_reader(client, trainee, "ru").get(lesson.get_absolute_url()).content.decode()
    assert "Second steps" in page
    assert "Stretch the calf on land." in page


def test_a_translation_not_reviewed_says_so(client, trainee, loaded):
    lesson = Lesson.objects.get(slug="first-steps")
    del lesson.translations["ru"]["reviewed_on"]
    lesson.save()
    page = as_reader(client, trainee, "ru").get(lesson.get_absolute_url()).content.decode()
    assert 'class="note"' in page


def test_the_course_page_lists_the_lessons_in_the_readers_language(client, trainee, loaded):
    page = as_reader(client, trainee, "ru").get(loaded.get_absolute_url()).content.decode()
    assert "Первые шаги" in page
    assert "Second steps" in page
    assert "В экстренном случае звоните 112." in page


def test_a_row_set_to_show_a_language_is_never_saved_over_the_english(loaded):
    from lessons.translation import show_one_in

    lesson = show_one_in(Lesson.objects.get(slug="first-steps"), "ru")
    with pytest.raises(ValueError, match="set to show a language"):
        lesson.save()
    assert shown_value(Lesson.objects.get(slug="first-steps"), "title", "ru") == "Первые шаги"


def _queries(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_lesson_and_course_pages_run_the_same_queries_in_both_languages(client, trainee, loaded):
    lesson = Lesson.objects.get(slug="first-steps")
    for url in (lesson.get_absolute_url(), loaded.get_absolute_url()):
        as_reader(client, trainee, "en-gb").get(url)  # the first visit marks the lesson started
        english = _queries(as_reader(client, trainee, "en-gb"), url)
        russian = _queries(as_reader(client, trainee, "ru"), url)
        assert english == russian, url


def test_the_admin_edits_a_lessons_translations_and_checks_them(staff_client, loaded):
    from django.urls import reverse

    lesson = Lesson.objects.get(slug="first-steps")
    url = reverse("admin:lessons_lesson_change", args=[lesson.pk])
    form = {
        "course": lesson.course_id, "title": lesson.title, "slug": lesson.slug,
        "order": lesson.order, "is_published": "on", "summary": lesson.summary,
        "key_points": lesson.key_points, "body": lesson.body, "reading_minutes": 1,
        "sources": "[]",
    }  # fmt: skip
    refused = staff_client.post(url, {**form, "translations": '{"de": {"title": "Erste"}}'})
    assert refused.status_code == 200
    assert "is not a language of the course" in refused.content.decode()
    saved = staff_client.post(url, {**form, "translations": '{"ru": {"body": "Новый **текст**"}}'})
    assert saved.status_code == 302
    lesson.refresh_from_db()
    assert lesson.translations["ru"]["body_html"] == "<p>Новый <strong>текст</strong></p>"


@pytest.mark.parametrize("lesson_count", [3, 30])
def test_course_and_lesson_pages_keep_their_pinned_query_count_for_a_russian_reader(
    client, trainee, django_assert_max_num_queries, lesson_count
):
    """The counts of test_reading.test_course_page_queries_do_not_grow_with_lessons, in Russian."""
    from tests.factories import make_course, make_lesson

    course = make_course("big", translations={"ru": {"title": "Большой"}})
    for number in range(lesson_count):
        lesson = make_lesson(
            course, translations={"ru": {"title": f"Урок {number}", "body": "Текст"}}
        )
        LessonProgress.objects.create(trainee=trainee, lesson=lesson)
    as_reader(client, trainee, "ru")
    with django_assert_max_num_queries(6):
        assert "Урок 0" in client.get(course.get_absolute_url()).content.decode()
    with django_assert_max_num_queries(8):
        assert "<p>Текст</p>" in client.get(lesson.get_absolute_url()).content.decode()
