"""What a Russian reader notices in training: the coach's dashboard, My assignments, counts
with Russian plurals, invitation e-mails in the recipient's language, and the same queries
and speed in both languages."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import dateformat, timezone, translation

from accounts.models import LanguagePreference
from tests.factories import make_group, make_lesson, make_trainee, make_user
from tests.training.conftest import take
from training import services
from training.services import assign
from training.templatetags import training_tags


def russian(client):
    client.cookies["django_language"] = "ru"
    return client


def text(response):
    return response.content.decode()


def main(response):
    """The page's own content: the shared navigation and footer belong to other apps."""
    page = text(response)
    return page[page.index("<main") : page.index("</main>")]


@pytest.fixture
def work(group, trainee, lesson, quiz):
    """An overdue lesson and a quiz the trainee passed."""
    assign(group, lesson, due_at=timezone.now() - timedelta(days=2))
    assign(group, quiz)
    take(quiz, trainee, right=(1, 2))
    return group


def test_the_coach_dashboard_speaks_russian(client, coach, work):
    client.force_login(coach)
    url = reverse("training:group_dashboard", args=[work.pk])
    english = text(client.get(url))  # drawn first: badges are kept, and must not leak
    page = main(russian(client).get(url))
    assert "Completion by assignment" in english
    assert "Overdue" in english
    # The template's words.
    assert "Выполнение по заданиям" in page
    assert "Только ученики с просроченными заданиями" in page
    # The hand-drawn tags: statuses, kinds, links and the due date's month.
    assert '<span class="status status-overdue">Просрочено</span>' in page
    assert '<span class="status status-passed">Сдано</span>' in page
    assert ">тест</span>" in page
    assert ">урок</span>" in page
    assert "Статистика по вопросам" in page
    assert 'title="Сортировать по этому заданию"' in page
    assert "Выполнено 1 из 1 (100 %)" in page
    due = timezone.localtime(work.assignments.get(lesson__isnull=False).due_at)
    with translation.override("ru"):
        assert "срок: <time datetime=" in page
        assert dateformat.format(due, "j E Y, H:i") in page  # "4 декабря 2026, 18:00"
    for english_word in ("Overdue", "Passed", "Item analysis", "Completion by assignment"):
        assert english_word not in page


def test_the_dashboard_csv_has_its_header_and_statuses_in_russian(client, coach, work, quiz):
    client.force_login(coach)
    url = reverse("training:group_export_csv", args=[work.pk])
    english = text(client.get(url)).lstrip("\ufeff").splitlines()
    rows = text(russian(client).get(url)).lstrip("\ufeff").splitlines()
    assert english[0].startswith("username,name,email,done,done_percent,")
    assert rows[0].startswith('логин,имя,почта,выполнено,"выполнено, %",')
    assert f"{quiz.title}: статус" in rows[0]
    assert "Просрочено" in rows[1]
    assert "Сдано" in rows[1]


def test_my_assignments_speaks_russian(client, trainee, work, lesson):
    client.force_login(trainee)
    page = main(russian(client).get(reverse("training:my_assignments")))
    assert "<h1>Мои задания</h1>" in page
    assert "Выполнено 1 из 2 (50 %)" in page
    assert f"Урок · {work.name}" in page
    assert f"Тест · {work.name}" in page
    assert '<span class="status status-overdue">Просрочено</span>' in page
    # The lesson's button starts it; the passed quiz's opens its review (not "Перечитать").
    assert f'Начать<span class="visually-hidden"> «{lesson.title}»</span>' in page
    assert "Посмотреть разбор" in page
    for english_word in ("My assignments", "Start", "Lesson from", "Quiz from", " done ("):
        assert english_word not in page


@pytest.mark.parametrize(
    ("size", "russian_words", "english_words"),
    [
        (1, "1 ученик ·", "1 trainee ·"),
        (2, "2 ученика ·", "2 trainees ·"),
        (5, "5 учеников ·", "5 trainees ·"),
    ],
)
def test_counts_take_the_russian_plural_for_1_2_and_5(
    client, coach, size, russian_words, english_words
):
    group = make_group("Seals", coaches=[coach])
    for n in range(size):
        group.memberships.create(trainee=make_trainee(f"seal{n}"))
        assign(group, make_lesson(is_published=True))
    client.force_login(coach)
    url = reverse("training:coach_groups")
    assert english_words in text(client.get(url))
    page = text(russian(client).get(url))
    assert russian_words in page
    assignments = {1: "1 задание", 2: "2 задания", 5: "5 заданий"}[size]
    assert f"{assignments} ·" in page


def test_the_saved_allowance_note_takes_a_plural_for_each_number(
    client, coach, group, trainee, quiz
):
    assignment = assign(group, quiz)
    client.force_login(coach)
    url = reverse("training:override_set", args=[group.pk, trainee.pk, assignment.pk])
    prefix = f"a{assignment.pk}"
    response = russian(client).post(
        url, {f"{prefix}-extra_attempts": 2, f"{prefix}-extra_minutes": 5}, follow=True
    )
    assert "2 дополнительные попытки и 5 дополнительных минут" in text(response)


def invite(client, coach, group, email):
    client.force_login(coach)
    url = reverse("training:group_members", args=[group.pk])
    assert client.post(url, {"email": email}).status_code == 302
    return mail.outbox[-1]


def test_an_invitation_is_in_the_language_its_recipient_saved(client, coach, group):
    reader = make_user("nadia", email="nadia@example.com")
    LanguagePreference.objects.create(user=reader, language="ru")
    english = make_user("emma", email="emma@example.com")
    LanguagePreference.objects.create(user=english, language="en-gb")
    # The coach reads the site in English, then in Russian: neither changes the mail.
    to_reader = invite(client, coach, group, "Nadia@example.com")
    to_english = invite(russian(client), coach, group, "emma@example.com")
    assert to_reader.subject == f"Вступайте в группу «{group.name}» на CrampCourse"
    assert "приглашает вас в группу" in to_reader.body
    assert "Ссылка работает один раз, 14 дней" in to_reader.body
    assert to_english.subject == f"Join {group.name} on CrampCourse"
    assert "invites you to" in to_english.body
    assert "for 14 days" in to_english.body


def test_the_recipient_and_their_language_are_read_in_one_query(db, coach, group):
    reader = make_user("nadia", email="nadia@example.com")
    LanguagePreference.objects.create(user=reader, language="ru")
    with CaptureQueriesContext(connection) as queries:
        found = services.invitation_recipient("nadia@example.com")
        with translation.override("en"):
            language = services.languages.language_of(found)
    assert (found, language) == (reader, "ru")
    assert len(queries) == 1


def dashboard_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_dashboard_runs_the_same_queries_in_russian(client, coach, work):
    for n in range(6):
        work.memberships.create(trainee=make_trainee(f"extra{n}"))
    client.force_login(coach)
    url = reverse("training:group_dashboard", args=[work.pk])
    dashboard_queries(client, url)  # the first visit warms the remembered addresses
    english = dashboard_queries(client, url)
    assert dashboard_queries(russian(client), url) == english <= 10


def test_the_tags_translate_their_words_once_a_table_not_once_a_row(
    client, coach, work, monkeypatch
):
    """Speed: a 40-row dashboard must not look up 40 times what one lookup gives."""
    calls = []
    for name in ("gettext", "pgettext", "status_labels"):
        original = getattr(training_tags, name)
        monkeypatch.setattr(
            training_tags,
            name,
            lambda *args, _original=original, _name=name: calls.append(_name) or _original(*args),
        )
    client.force_login(coach)
    url = reverse("training:group_dashboard", args=[work.pk])
    russian(client).get(url)
    few = len(calls)
    for n in range(20):
        work.memberships.create(trainee=make_trainee(f"more{n}"))
    calls.clear()
    page = text(client.get(url))
    assert (
        page.count('<span class="status status-not_started">Не начато</span>') == 40
    )  # 20 more rows
    assert len(calls) == few


def test_translated_titles_show_on_the_dashboard_and_my_assignments_at_no_extra_query(
    client, coach, trainee, work, lesson, quiz
):
    lesson.translations = {"ru": {"title": "Судорога на глубине"}}
    lesson.save(update_fields=["translations"])
    quiz.translations = {"ru": {"title": "Проверка: судорога на глубине"}}
    quiz.save(update_fields=["translations"])
    client.force_login(coach)
    url = reverse("training:group_dashboard", args=[work.pk])
    with CaptureQueriesContext(connection) as english:
        assert lesson.title in text(client.get(url))
    with CaptureQueriesContext(connection) as in_russian:
        page = main(russian(client).get(url))
    assert "Судорога на глубине" in page
    assert "Проверка: судорога на глубине" in page
    assert lesson.title not in page
    assert len(in_russian) == len(english)
    client.force_login(trainee)
    page = main(client.get(reverse("training:my_assignments")))
    assert "Судорога на глубине" in page
    assert "Проверка: судорога на глубине" in page
