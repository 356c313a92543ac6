"""A certification in the coach's language: the skills read in Russian, the marks are the same."""

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.certification.conftest import post_mark


def poolside_url(group, certification):
    return reverse("certification:poolside", args=[group.pk, certification.slug])


def translate(certification):
    certification.translations = {"ru": {"title": "Судорога: первая помощь"}}
    certification.save()
    for number, item in enumerate(certification.items.order_by("order"), start=1):
        item.translations = {"ru": {"text": f"Навык {number}", "criteria": "Видно {emergency}"}}
        item.save()


def as_reader(client, user, language):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def test_the_poolside_page_shows_the_skills_in_the_coachs_language(
    client, coach, trainee, group, certification
):
    translate(certification)
    url = poolside_url(group, certification)
    page = as_reader(client, coach, "ru").get(url).content.decode()
    assert "Навык 1" in page
    assert "Signals for help" not in page
    page = as_reader(client, coach, "en-gb").get(url).content.decode()
    assert "Signals for help" in page
    assert "Навык 1" not in page


def test_a_mark_given_in_russian_counts_for_the_same_skill(
    client, coach, trainee, group, certification
):
    translate(certification)
    item = certification.items.order_by("order").first()
    post_mark(as_reader(client, coach, "ru"), group, certification, trainee, item)
    item.refresh_from_db()
    assert item.text == "Signals for help"  # the English stays as it was
    assert item.marks.get().trainee == trainee


def test_the_poolside_page_runs_the_same_queries_in_both_languages(
    client, coach, trainee, group, certification
):
    translate(certification)
    url = poolside_url(group, certification)
    counts = []
    for language in ("en-gb", "ru"):
        as_reader(client, coach, language)
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        counts.append(len(context.captured_queries))
    assert counts[0] == counts[1]
