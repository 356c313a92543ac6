"""A site that loaded an earlier edition of the course runs load_course and gets the current
one: from the first edition (tests/lessons/first_edition/) and from the second
(tests/lessons/second_edition/)."""

import importlib
import io
import uuid
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command

from certification.models import Certificate, CertificateEvent, Certification, MarkResult
from certification.services import record_mark
from lessons.course_files import load_course
from lessons.models import Course, Lesson, content_hash
from quizzes.models import Attempt, AttemptQuestion, Question, Quiz
from tests.factories import assess
from tests.quizzes.test_course_quizzes import take

FIRST_EDITION = Path(__file__).resolve().parents[1] / "lessons" / "first_edition"
SECOND_EDITION = Path(__file__).resolve().parents[1] / "lessons" / "second_edition"
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


def test_first_edition_site_upgrades_to_the_current_edition(first_edition_site, trainee, client):
    passed, failed = first_edition_site
    old_review = review(client, trainee, passed)
    assert OLD_STEP in old_review
    old_versions = set(passed.slots.values_list("version_id", flat=True))
    before = {a.pk: (a.score, a.percent, a.passed) for a in (passed, failed)}

    out = call_command_output("load_course")

    # Lessons nobody edited now carry the current edition; the edited one is kept and reported.
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

    # The final's questions are the current edition's; old questions are gone.
    final = Quiz.objects.get(slug="final-assessment")
    assert final.slots.filter(must_pass=True).count() == 2
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


# The second edition to the third (issue 25) ----------------------------------------------------


@pytest.fixture
def second_edition_site(db, trainee, coach, group):
    """The second edition loaded, a failed and a passed final, every practical skill shown by
    the trainee's coach at practice and by an assessor in a session, so the trainee holds a
    certificate."""
    load_course(SECOND_EDITION)
    final = Quiz.objects.get(slug="final-assessment")
    failed = take(final, trainee, wrong_first_response=True)
    passed = take(final, trainee)
    certification = Certification.objects.get(slug="cramp-safe-swimmer")
    for item in certification.items.order_by("order"):
        record_mark(
            key=uuid.uuid4(),
            coach=coach,
            group=group,
            trainee=trainee,
            item=item,
            result=MarkResult.SHOWN,
        )
    assess(trainee, group, certification)
    certificate = Certificate.objects.get(trainee=trainee, certification=certification)
    return failed, passed, certificate


def as_it_is(certificate):
    """Every column of the certificate, its events and the marks it rests on."""
    certificate.refresh_from_db()
    row = {f.attname: getattr(certificate, f.attname) for f in Certificate._meta.concrete_fields}
    events = list(
        CertificateEvent.objects.filter(certificate=certificate).order_by("pk").values_list()
    )
    marks = list(certificate.trainee.practical_marks.order_by("pk").values_list())
    return row, events, marks


def test_second_edition_site_upgrades_to_the_third(second_edition_site, trainee, client):
    failed, passed, certificate = second_edition_site
    assert (failed.passed, passed.passed) == (False, True)
    before = {
        a.pk: (a.score, a.max_score, a.percent, a.passed, a.must_pass_met) for a in (failed, passed)
    }
    reviews = {a.pk: review(client, trainee, a) for a in (failed, passed)}
    asked = {a.pk: list(a.slots.order_by("position").values_list()) for a in (failed, passed)}
    certified = as_it_is(certificate)

    out = call_command_output("load_course")

    # The report names everything the third edition changed, and nothing was kept back.
    changed = [
        "course cramp-safety",
        *(f"lesson {lesson.slug}" for lesson in Lesson.objects.all()),
        *(f"quiz {quiz.slug}" for quiz in Quiz.objects.all()),
        "certification cramp-safe-swimmer",
    ]
    for label in changed:
        assert f"updated: {label}" in out, label
    assert "kept:" not in out
    assert "created:" not in out

    # The site now teaches the third edition.
    assert Course.objects.get().sources_checked_on.isoformat() == "2026-12-03"
    escape = Lesson.objects.get(slug="escape-algorithm")
    assert all(source.get("confirmed_on") for source in escape.sources)
    final = Quiz.objects.get(slug="final-assessment")
    must_pass = final.slots.filter(must_pass=True).order_by("order")
    assert list(must_pass.values_list("category", flat=True)) == [
        "first-response",
        "helping-others",
    ]
    assert Certification.objects.get().title == "Cramp first response"

    # Finished attempts keep their score, their result, what they asked and their review.
    for attempt in Attempt.objects.filter(pk__in=before):
        assert (
            attempt.score,
            attempt.max_score,
            attempt.percent,
            attempt.passed,
            attempt.must_pass_met,
        ) == before[attempt.pk]
        assert list(attempt.slots.order_by("position").values_list()) == asked[attempt.pk]
        assert review(client, trainee, attempt) == reviews[attempt.pk]
    # The certificate, its history and the marks it rests on are untouched.
    assert as_it_is(certificate) == certified

    # A new attempt is drawn from the third edition's pools.
    new = take(final, trainee)
    assert new.passed
    assert new.slots.count() == 10
    new_versions = set(new.slots.values_list("version_id", flat=True))
    old_versions = set(
        AttemptQuestion.objects.filter(attempt__in=before).values_list("version_id", flat=True)
    )
    assert new_versions.isdisjoint(old_versions)


def test_second_load_after_the_second_to_third_upgrade_changes_nothing(second_edition_site):
    load_course()
    _, report = load_course()
    assert not report.created
    assert not report.updated
    assert not report.kept_edits


def test_a_mark_for_a_dropped_skill_is_not_counted_for_a_new_one(second_edition_site):
    load_course()
    certification = Certification.objects.get()
    helping = certification.items.get(text__startswith="Helps from the side")
    assert not helping.marks.exists()
    # The second edition's skills with marks stay in the record, retired, not renamed.
    retired = certification.items.exclude(retired_at=None)
    assert retired.exists()
    assert all(item.marks.exists() for item in retired)
