"""The shipped certification loads with the course, once, and an admin's edit is kept."""

import io
import shutil

import pytest
from django.core.management import call_command

from certification.models import Certification, PracticalItem
from lessons.course_files import CourseFileError, default_course_dir, load_course


def test_load_course_loads_the_shipped_certification(db):
    _, report = load_course()
    assert "certification cramp-safe-swimmer" in report.created
    certification = Certification.objects.get(slug="cramp-safe-swimmer")
    assert certification.validity_months == 12
    assert [q.slug for q in certification.quizzes.all()] == ["final-assessment"]
    assert certification.refresher_quiz.slug == "escape-algorithm-quiz"
    assert certification.title == "Cramp first response"
    texts = list(certification.items.required().values_list("text", flat=True))
    assert len(texts) == 6
    assert texts[0].startswith("Gets support first")
    # The final's first-response and helping-others slots are must-pass, so the certificate
    # needs both fully right; no practical credit depends on going under.
    must_pass = certification.quizzes.get().slots.filter(must_pass=True)
    assert sorted(must_pass.values_list("category", flat=True)) == [
        "first-response",
        "helping-others",
    ]
    assert not any("tuck" in text.lower() for text in texts)
    # The pass standard: the four first-response skills critical, one of the other two enough.
    assert certification.pass_min_others == 1
    assert certification.items.required().filter(critical=True).count() == 4
    assert all(item.criteria for item in certification.items.required())
    # The tuck-and-stretch is practised where the swimmer can stand, not marked.
    assert "no credit depends on it" in certification.description
    _, again = load_course()
    assert "certification cramp-safe-swimmer" in again.unchanged


def test_an_admin_edit_is_kept_unless_forced(db, tmp_path):
    load_course()
    Certification.objects.filter(slug="cramp-safe-swimmer").update(validity_months=24)
    course = tmp_path / "course"
    shutil.copytree(default_course_dir(), course)
    path = course / "certifications" / "cramp-safe-swimmer.yaml"
    path.write_text(path.read_text().replace("validity_months: 12", "validity_months: 18"))
    _, report = load_course(course)
    assert "certification cramp-safe-swimmer" in report.kept_edits
    assert Certification.objects.get().validity_months == 24
    _, forced = load_course(course, force=True)
    assert "certification cramp-safe-swimmer" in forced.updated
    assert Certification.objects.get().validity_months == 18
    assert PracticalItem.objects.required().count() == 6


def test_an_admin_edit_of_the_criteria_is_kept_unless_forced(db, tmp_path):
    load_course()
    item = PracticalItem.objects.get(text__startswith="Says who to call")
    item.criteria = "Names the lifeguard first"
    item.critical = True
    item.save()
    course = tmp_path / "course"
    shutil.copytree(default_course_dir(), course)
    path = course / "certifications" / "cramp-safe-swimmer.yaml"
    path.write_text(path.read_text().replace("others: 1", "others: 2"))
    _, report = load_course(course)
    assert "certification cramp-safe-swimmer" in report.kept_edits
    item.refresh_from_db()
    assert (item.criteria, item.critical) == ("Names the lifeguard first", True)
    _, forced = load_course(course, force=True)
    assert "certification cramp-safe-swimmer" in forced.updated
    item.refresh_from_db()
    assert not item.critical
    assert item.criteria.startswith("Names the lifeguard on duty")
    assert Certification.objects.get().pass_min_others == 2


def test_a_bad_file_loads_nothing(db, tmp_path):
    course = tmp_path / "course"
    shutil.copytree(default_course_dir(), course)
    path = course / "certifications" / "cramp-safe-swimmer.yaml"
    path.write_text(path.read_text().replace("final-assessment", "no-such-quiz"))
    with pytest.raises(CourseFileError, match="no-such-quiz"):
        load_course(course)
    assert not Certification.objects.exists()


def test_seed_demo_shows_every_certificate_state(db):
    from certification.models import Certificate

    load_course()
    call_command("seed_demo", "--allow-production", stdout=io.StringIO())
    states = {c.trainee.username: c.state() for c in Certificate.objects.select_related("trainee")}
    assert states == {"trainee1": "valid", "trainee4": "expiring", "trainee6": "expired"}
    expired = Certificate.objects.get(trainee__username="trainee6")
    assert expired.refreshers.filter(completed_at__isnull=True).exists()
    half_done = Certification.objects.get().items.filter(marks__trainee__username="trainee2")
    assert half_done.count() == 3  # two shown, one needs practice, one untouched
    call_command("seed_demo", "--allow-production", stdout=io.StringIO())
    assert Certificate.objects.count() == 3


def test_the_renewal_block_loads_and_bad_values_are_refused(db, tmp_path):

    from certification.course_files import (
        CertificationFileError,
        certification_to_dict,
        read_certification_file,
    )
    from lessons.models import content_hash

    path = tmp_path / "c.yaml"
    path.write_text(
        "slug: c\ntitle: C\nrenewal:\n  early_days: 60\n  grace_days: 0\n  cpd_hours: 20\n"
    )
    spec = read_certification_file(path)
    assert spec["renewal"] == {"early_days": 60, "grace_days": 0, "cpd_hours": "20.0"}
    from certification.course_files import write_certification

    certification = write_certification(spec, None, path)
    assert (certification.early_renewal_days, certification.grace_days) == (60, 0)
    assert certification.cpd_hours_required == 20
    assert content_hash(certification_to_dict(certification)) == content_hash(spec)
    for block, message in [
        ("renewal: 30", "must be a mapping"),
        ("renewal:\n  early: 30", "unknown keys"),
        ("renewal:\n  grace_days: -1", "whole number of days"),
        ("renewal:\n  early_days: 400", "whole number of days"),
        ("renewal:\n  cpd_hours: 0", "above 0"),
        ("renewal:\n  cpd_hours: lots", "above 0"),
    ]:
        path.write_text(f"slug: c\ntitle: C\n{block}\n")
        with pytest.raises(CertificationFileError, match=message):
            read_certification_file(path)


def test_export_course_writes_the_certification_as_the_admin_left_it(db, tmp_path):
    """Before, export_course wrote the lessons and quizzes but no certification: an admin's
    edits to it were lost to anyone loading the exported folder."""
    from certification.course_files import certification_to_dict
    from lessons.course_files import export_course

    course, _ = load_course()
    certification = Certification.objects.get(slug="cramp-safe-swimmer")
    Certification.objects.filter(pk=certification.pk).update(
        validity_months=24, grace_days=14, independent_assessor=False
    )
    PracticalItem.objects.filter(text__startswith="Says who to call").update(
        criteria="Names the lifeguard first\nSays 999 or 112\nCoastguard at sea, else fire service"
    )
    before = certification_to_dict(Certification.objects.get())
    out = tmp_path / "exported"
    written = export_course(course, out)
    assert out / "certifications" / "cramp-safe-swimmer.yaml" in written
    russian = out / "ru" / "certifications" / "cramp-safe-swimmer.yaml"
    assert russian in written
    assert "title: Первые действия при судороге" in russian.read_text(encoding="utf-8")

    _, unchanged = load_course(out)  # the same as the database: nothing to do
    assert "certification cramp-safe-swimmer" in unchanged.unchanged
    Certification.objects.all().delete()
    _, report = load_course(out)
    assert "certification cramp-safe-swimmer" in report.created
    after = certification_to_dict(Certification.objects.get())
    assert after == before
    assert after["renewal"] == {"early_days": 30, "grace_days": 14, "cpd_hours": None}
    assert after["assessment"] == {"in_session": True, "independent_assessor": False}
    assert after["criteria"][next(t for t in after["practical"] if t.startswith("Says who"))] == [
        "Names the lifeguard first",
        "Says 999 or 112",
        "Coastguard at sea, else fire service",
    ]


def test_export_course_leaves_out_a_certification_of_another_courses_quiz(db, tmp_path):
    from certification.course_files import export_certifications
    from quizzes.models import Quiz
    from tests.factories import make_lesson, make_quiz

    course, _ = load_course()
    elsewhere = make_quiz("open-water-check", lesson=make_lesson(slug="open-water"))
    other = Certification.objects.create(slug="open-water", title="Open water")
    other.quizzes.set([elsewhere])
    refreshed_elsewhere = Certification.objects.create(
        slug="refreshed-elsewhere", title="Refreshed elsewhere", refresher_quiz=elsewhere
    )
    refreshed_elsewhere.quizzes.set([Quiz.objects.get(slug="final-assessment")])
    no_refresher = Certification.objects.create(slug="final-only", title="Final only")
    no_refresher.quizzes.set([Quiz.objects.get(slug="final-assessment")])
    written = export_certifications(tmp_path, course)
    assert sorted(path.name for path in written if "ru" not in path.parts) == [
        "cramp-safe-swimmer.yaml",
        "final-only.yaml",
    ]
