"""A site that loaded the first edition of the course runs load_course and gets the second."""

import importlib
import io
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command

from lessons.course_files import load_course
from lessons.models import Course, Lesson, content_hash
from quizzes.models import Attempt, Question, Quiz
from tests.quizzes.test_course_quizzes import take

FIRST_EDITION = Path(__file__).resolve().parents[1] / "lessons" / "first_edition"
OLD_STEP = "Pull the toes hard toward your shin and hold"


@pytest.fixture
def first_edition_site(db, trainee):
    """The first edition loaded, two finished final attempts, one lesson edited by an admin."""
    load_course(FIRST_EDITION)
    final = Quiz.objects.get(slug="final-assessment")
    passed = take(final, trainee)
    failed = take(final, trainee, wrong_order=True)
    edited = Lesson.objects.get(slug="nervous-system-and-other-causes")
    edited.title = "Nerves, and other causes (our club's version)"
    edited.save()
    return passed, failed


def review(client, user, attempt):
    """The question-by-question review of a finished attempt (texts, answers, explanations)."""
    html = page(client, user, attempt.get_absolute_url())
    return html[html.index("<h2>Review</h2>") :]


def page(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]  # no CSRF token, which changes


def test_first_edition_site_upgrades_to_the_second(first_edition_site, trainee, client):
    passed, failed = first_edition_site
    old_review = review(client, trainee, passed)
    assert OLD_STEP in old_review
    old_versions = set(passed.slots.values_list("version_id", flat=True))
    before = {a.pk: (a.score, a.percent, a.passed) for a in (passed, failed)}

    out = call_command_output("load_course")

    # Lessons nobody edited now carry the second edition; the edited one is kept and reported.
    escape = Lesson.objects.get(slug="escape-algorithm")
    assert "Never go under if" in escape.body
    assert len(escape.sources) >= 2
    kept = Lesson.objects.get(slug="nervous-system-and-other-causes")
    assert kept.title == "Nerves, and other causes (our club's version)"
    assert kept.sources == []
    assert "kept: lesson nervous-system-and-other-causes" in out
    assert "updated: lesson escape-algorithm" in out
    assert "updated: quiz final-assessment" in out
    course = Course.objects.get(slug="cramp-safety")
    assert course.sources_checked_on is not None
    assert course.next_review_due is not None

    # The final's questions are the second edition's; old questions are gone.
    final = Quiz.objects.get(slug="final-assessment")
    assert final.questions.filter(must_pass=True).count() == 2
    assert not Question.objects.filter(options__text=OLD_STEP).exists()

    # Finished attempts keep their score, their result and the review text they were given.
    for attempt in Attempt.objects.filter(pk__in=before):
        assert (attempt.score, attempt.percent, attempt.passed) == before[attempt.pk]
    assert review(client, trainee, passed) == old_review

    # A new attempt sees new versions of the changed questions.
    new = take(final, trainee)
    new_versions = set(new.slots.values_list("version_id", flat=True))
    assert new_versions.isdisjoint(old_versions)
    assert new.passed
    assert "Never go under" not in old_review
    assert OLD_STEP not in review(client, trainee, new)


def test_second_load_after_the_upgrade_changes_nothing(first_edition_site):
    load_course()
    _, report = load_course()
    assert not report.created
    assert not report.updated
    assert report.kept_edits == ["lesson nervous-system-and-other-causes"]


def call_command_output(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_rows_loaded_before_the_migration_still_count_as_unedited(db):
    """Migration 0002 re-fingerprints unedited rows, so the upgrade is not taken for edits."""
    load_course(FIRST_EDITION)
    old_style = {}
    for lesson in Lesson.objects.all():
        fields = lesson.content_fields()
        del fields["sources"]
        old_style[lesson.slug] = content_hash(fields)
    for slug, fingerprint in old_style.items():
        Lesson.objects.filter(slug=slug).update(loaded_hash=fingerprint)
    course = Course.objects.get()
    fields = course.content_fields()
    del fields["sources_checked_on"], fields["next_review_due"]
    Course.objects.filter(pk=course.pk).update(loaded_hash=content_hash(fields))

    migration = importlib.import_module(
        "lessons.migrations.0002_course_review_dates_and_lesson_sources"
    )
    migration.keep_unedited_rows_unedited(apps, None)

    _, report = load_course()
    assert not report.kept_edits
    assert "lesson escape-algorithm" in report.updated
    assert "course cramp-safety" in report.updated
