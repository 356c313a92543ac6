"""The practical's pass standard: every critical skill shown and enough of the others; what
counts as shown for each skill; the same rule for course files, the admin, the monthly report
and the poolside page."""

import re
import shutil
import uuid
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from certification import reports, standard
from certification.course_files import write_practical
from certification.models import Certificate, Certification, MarkResult, PracticalItem, Refresher
from certification.services import check_certification, practical_done, record_mark
from lessons.course_files import CourseFileError, default_course_dir, load_course
from tests.factories import make_coach, make_group, make_quiz, make_trainee

SUPPORT, FLOATS, STRETCH, WHO = "Gets support", "Floats", "Stretches the calf", "Says who to call"
TUCK = "Tuck and stretch"


@pytest.fixture
def certification(db):
    """Two critical skills, two others of which one is enough, one practised only; no quiz,
    so the practical alone decides."""
    certification = Certification.objects.create(
        assessed_in_session=False, slug="first-response", title="First response", pass_min_others=1
    )
    write_practical(
        certification,
        [SUPPORT, FLOATS, STRETCH, WHO],
        [TUCK],
        critical=[SUPPORT, FLOATS],
        criteria={FLOATS: ["Ears in the water", "Stays up for a minute"]},
    )
    return certification


@pytest.fixture
def pool(db):
    coach, trainee = make_coach(), make_trainee()
    group = make_group(coaches=[coach], trainees=[trainee])
    return coach, trainee, group


def show(pool, certification, *texts, result=MarkResult.SHOWN, at=None):
    coach, trainee, group = pool
    for text in texts:
        record_mark(
            key=uuid.uuid4(),
            coach=coach,
            group=group,
            trainee=trainee,
            item=certification.items.get(text=text),
            result=result,
            marked_at=at,
        )


def certified(pool, certification):
    return Certificate.objects.filter(trainee=pool[1], certification=certification).exists()


# The rule -----------------------------------------------------------------------------------


def test_every_critical_skill_and_enough_others_earn_the_certificate(pool, certification):
    show(pool, certification, SUPPORT, FLOATS)
    assert not certified(pool, certification)  # one of the others is still needed
    show(pool, certification, WHO)
    assert certified(pool, certification)


def test_a_missing_critical_skill_fails_whatever_else_is_shown(pool, certification):
    show(pool, certification, SUPPORT, STRETCH, WHO, TUCK)
    assert not practical_done(pool[1], certification)
    assert not certified(pool, certification)
    show(pool, certification, FLOATS, result=MarkResult.NEEDS_PRACTICE)
    assert not certified(pool, certification)
    show(pool, certification, FLOATS)
    assert certified(pool, certification)


def test_an_undone_critical_mark_no_longer_counts(pool, certification):
    certification.pass_min_others = 2
    certification.save()
    show(pool, certification, SUPPORT, FLOATS, STRETCH)
    show(pool, certification, FLOATS, result=MarkResult.UNDO)
    show(pool, certification, WHO)
    assert not certified(pool, certification)


@pytest.mark.parametrize(
    ("pass_min_others", "others_shown", "passes"),
    [(None, [STRETCH], False), (None, [STRETCH, WHO], True), (0, [], True), (2, [WHO], False)],
)
def test_the_number_of_other_skills_is_respected(
    pool, certification, pass_min_others, others_shown, passes
):
    certification.pass_min_others = pass_min_others
    certification.save()
    show(pool, certification, SUPPORT, FLOATS, *others_shown)
    assert practical_done(pool[1], certification) is passes
    assert certified(pool, certification) is passes


def test_a_practised_only_skill_never_stands_in_for_another(pool, certification):
    show(pool, certification, SUPPORT, FLOATS, TUCK)
    assert not certified(pool, certification)


def test_a_refresher_re_check_is_held_to_the_same_standard(pool, certification):
    show(pool, certification, SUPPORT, FLOATS, WHO)
    certificate = Certificate.objects.get(trainee=pool[1])
    # A refresher is given when the early-renewal window opens: say it runs out in 10 days.
    certificate.valid_until = timezone.now() + timedelta(days=10)
    certificate.save(update_fields=["valid_until"])
    refresher = Refresher.objects.create(
        certificate=certificate, expiring_on=certificate.valid_until, assigned_at=timezone.now()
    )
    show(pool, certification, SUPPORT, STRETCH, WHO)  # the float not shown again
    check_certification(pool[1], certification)
    refresher.refresh_from_db()
    assert refresher.completed_at is None
    show(pool, certification, FLOATS)
    refresher.refresh_from_db()
    assert refresher.completed_at is not None


def test_the_deciding_mark_is_the_one_that_met_the_standard():
    """A regrade that backdates a certificate dates it by this mark: the last critical skill
    and the Nth other, whichever came later; later "shown" marks change nothing."""
    start = timezone.now()

    class Mark:
        def __init__(self, minutes):
            self.marked_at = start + timedelta(minutes=minutes)

    items = [
        standard.Skill(1, critical=True),
        standard.Skill(2, critical=True),
        standard.Skill(3),
        standard.Skill(4),
        standard.Skill(5, required=False),
    ]
    shown = {1: Mark(10), 2: Mark(30), 3: Mark(20), 4: Mark(50), 5: Mark(5)}
    assert standard.deciding_mark(items, shown, pass_min_others=1) is shown[2]
    assert standard.deciding_mark(items, shown, pass_min_others=None) is shown[4]
    del shown[1]
    assert standard.deciding_mark(items, shown, pass_min_others=0) is None


def test_the_monthly_report_counts_a_practical_that_meets_the_standard(pool, certification):
    coach, _trainee, group = pool
    missing_critical = make_trainee()
    group.memberships.create(trainee=missing_critical)
    show(pool, certification, SUPPORT, FLOATS, STRETCH)  # WHO not needed
    for text in (SUPPORT, STRETCH, WHO):
        show((coach, missing_critical, group), certification, text)
    month = timezone.localdate().replace(day=1)
    out = reports.figures([group.club_id], [month], timezone.now())
    assert out[group.club_id, month, "practicals"] == 1


# Checking a standard ------------------------------------------------------------------------


def test_the_model_refuses_a_standard_its_skills_cannot_meet(certification):
    certification.pass_min_others = 3  # only two skills are not critical
    with pytest.raises(ValidationError, match="only 2 required skills that are not critical"):
        certification.full_clean()
    tuck = certification.items.get(text=TUCK)
    tuck.critical = True
    with pytest.raises(ValidationError, match="practised-only skill cannot be critical"):
        tuck.full_clean()


def test_a_standard_asking_for_nothing_is_refused():
    named = [SimpleNamespace(text=text, critical=False, required=True) for text in "ab"]
    assert standard.standard_problems(named, 0) == [
        "The pass standard asks for no skill at all: mark a skill critical or ask for at least "
        "one of the others."
    ]
    assert standard.standard_problems(named, None) == []


# Course files -------------------------------------------------------------------------------


def shipped_copy(tmp_path):
    course = tmp_path / "course"
    shutil.copytree(default_course_dir(), course)
    return course, course / "certifications" / "cramp-safe-swimmer.yaml"


def test_a_course_file_sets_criteria_critical_skills_and_the_standard(db, tmp_path):
    course, path = shipped_copy(tmp_path)
    path.write_text(
        path.read_text().replace("pass_standard:\n  others: 1", "pass_standard:\n  others: 2")
    )
    load_course(course)
    certification = Certification.objects.get()
    assert certification.pass_min_others == 2
    floats = certification.items.get(text__startswith="Floats on the back")
    assert floats.critical
    assert "ears are in the water" in floats.criteria
    assert not certification.items.get(text__startswith="Says who to call").critical


def test_new_criteria_keep_the_skill_and_its_marks(db, tmp_path, pool):
    course, path = shipped_copy(tmp_path)
    load_course(course)
    certification = Certification.objects.get()
    floats = certification.items.get(text__startswith="Floats on the back")
    show(pool, certification, floats.text)
    path.write_text(
        path.read_text().replace("Breathing is slow and even", "Breathing is calm and even")
    )
    _, report = load_course(course)
    assert "certification cramp-safe-swimmer" in report.updated
    floats.refresh_from_db()
    assert floats.retired_at is None
    assert "Breathing is calm and even" in floats.criteria
    assert floats.marks.count() == 1


def test_a_plain_list_of_skills_still_loads_with_no_critical_skill(db, tmp_path):
    course, path = shipped_copy(tmp_path)
    path.write_text(
        "slug: plain\ntitle: Plain\nquizzes: []\npractical:\n  - Floats\n  - Calls for help\n"
    )
    # Another certification now: the Russian edition of the shipped one no longer matches it.
    (course / "ru" / "certifications" / path.name).unlink()
    load_course(course)
    certification = Certification.objects.get(slug="plain")
    assert certification.pass_min_others is None
    assert not certification.items.filter(critical=True).exists()
    _, again = load_course(course)
    assert "certification plain" in again.unchanged


BAD_FILES = {
    "a practised-only skill marked critical": (
        "practise:\n  - text: Tuck\n    critical: true\n",
        "“Tuck” is practised only, so it cannot be critical",
    ),
    "more others than there are": (
        "practical:\n  - text: Floats\n    critical: true\n  - Calls\npass_standard:\n"
        "  others: 2\n",
        "asks for 2 other skills, but there is only 1 required skill that is not critical",
    ),
    "criteria that are not a list": (
        "practical:\n  - text: Floats\n    criteria: ears in\n",
        "skill 'Floats': 'criteria' must be a list of lines",
    ),
    "critical that is not true or false": (
        "practical:\n  - text: Floats\n    critical: yes please\n",
        "skill 'Floats': 'critical' must be true or false",
    ),
    "an unknown key on a skill": (
        "practical:\n  - text: Floats\n    must_pass: true\n",
        "skill 'Floats': unknown keys ['must_pass']",
    ),
    "a skill with no text": (
        "practical:\n  - critical: true\n",
        "a skill in 'practical' has no 'text'",
    ),
    "a pass standard that is not a number": (
        "practical:\n  - Floats\npass_standard:\n  others: many\n",
        "'pass_standard: others' must be a whole number",
    ),
    "a pass standard with another key": (
        "practical:\n  - Floats\npass_standard:\n  critical: 1\n",
        "'pass_standard' must be a mapping with 'others'",
    ),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_a_bad_standard_in_a_course_file_loads_nothing(db, tmp_path, case):
    body, message = BAD_FILES[case]
    course, _shipped = shipped_copy(tmp_path)
    bad = course / "certifications" / "a-bad-one.yaml"
    bad.write_text("slug: bad\ntitle: Bad\n" + body)
    with pytest.raises(CourseFileError) as refused:
        load_course(course)
    assert "a-bad-one.yaml" in str(refused.value)
    assert message in str(refused.value)
    assert not Certification.objects.exists()
    assert not PracticalItem.objects.exists()


# The admin ----------------------------------------------------------------------------------


def admin_data(certification, pass_min_others, critical=(), required=None):
    items = list(certification.items.order_by("order", "pk"))
    required = {item.text for item in items if item.required} if required is None else required
    data = {
        "slug": certification.slug,
        "title": certification.title,
        "description": "",
        "validity_months": "12",
        "refresher_quiz": "",
        "is_published": "on",
        "pass_min_others": "" if pass_min_others is None else str(pass_min_others),
        "owner": "",
        "early_renewal_days": "30",
        "grace_days": "30",
        "cpd_hours_required": "",
        "items-TOTAL_FORMS": str(len(items)),
        "items-INITIAL_FORMS": str(len(items)),
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
        "_save": "Save",
    }
    for index, item in enumerate(items):
        prefix = f"items-{index}-"
        data |= {
            f"{prefix}id": str(item.pk),
            f"{prefix}certification": str(certification.pk),
            f"{prefix}order": str(item.order),
            f"{prefix}text": item.text,
            f"{prefix}criteria": item.criteria,
            f"{prefix}retired_at_0": "",
            f"{prefix}retired_at_1": "",
        }
        if item.text in critical:
            data[f"{prefix}critical"] = "on"
        if item.text in required:
            data[f"{prefix}required"] = "on"
    return data


def admin_url(certification):
    return reverse("admin:certification_certification_change", args=[certification.pk])


def test_the_admin_edits_criteria_critical_skills_and_the_standard(staff_client, certification):
    page = staff_client.get(admin_url(certification)).content.decode()
    assert "What counts as shown" in page
    assert "Other skills needed" in page
    data = admin_data(certification, 2, critical=[SUPPORT])
    data["items-2-criteria"] = "Holds the wall\nStraightens the leg"
    response = staff_client.post(admin_url(certification), data)
    assert response.status_code == 302
    certification.refresh_from_db()
    assert certification.pass_min_others == 2
    assert list(certification.items.filter(critical=True).values_list("text", flat=True)) == [
        SUPPORT
    ]
    stretch = certification.items.get(text=STRETCH)
    assert stretch.criteria.splitlines() == ["Holds the wall", "Straightens the leg"]


def test_the_admin_refuses_more_others_than_there_are(staff_client, certification):
    response = staff_client.post(
        admin_url(certification), admin_data(certification, 3, critical=[SUPPORT, FLOATS])
    )
    assert response.status_code == 200
    assert "only 2 required skills that are not critical" in response.content.decode()
    certification.refresh_from_db()
    assert certification.pass_min_others == 1


def test_the_admin_judges_the_standard_by_the_skills_as_edited(staff_client, certification):
    """Un-marking a critical skill in the same save makes room for a higher number."""
    response = staff_client.post(
        admin_url(certification), admin_data(certification, 3, critical=[SUPPORT])
    )
    assert response.status_code == 302
    certification.refresh_from_db()
    assert certification.pass_min_others == 3


def test_the_admin_refuses_a_critical_practised_only_skill(staff_client, certification):
    data = admin_data(certification, 1, critical=[SUPPORT, FLOATS, TUCK])
    response = staff_client.post(admin_url(certification), data)
    assert response.status_code == 200
    assert "practised-only skill cannot be critical" in response.content.decode()
    assert not certification.items.get(text=TUCK).critical


# The poolside page --------------------------------------------------------------------------


def poolside(client, pool, certification):
    client.force_login(pool[0])
    url = reverse("certification:poolside", args=[pool[2].pk, certification.slug])
    return client.get(url).content.decode()


def test_the_poolside_page_shows_critical_skills_criteria_and_the_outcome(
    client, pool, certification
):
    page = poolside(client, pool, certification)
    assert page.count(">Critical</span>") == 2
    assert "<summary>What counts as shown</summary>" in page
    assert "<li>Ears in the water</li>" in page
    assert "every skill marked Critical must be shown, and at least 1 of the 2 others" in page
    assert "Not yet. 2 critical skills still to show. 1 more of the other skills to show." in page
    show(pool, certification, SUPPORT, WHO)
    assert "Not yet. 1 critical skill still to show." in poolside(client, pool, certification)
    show(pool, certification, FLOATS)
    page = poolside(client, pool, certification)
    assert "Pass standard: Meets the standard." in re.sub(r"<[^>]+>", "", page)


def test_the_poolside_outcome_of_a_re_check_counts_only_marks_since_it(client, pool, certification):
    show(pool, certification, SUPPORT, FLOATS, WHO)
    certificate = Certificate.objects.get(trainee=pool[1])
    Refresher.objects.create(
        certificate=certificate, expiring_on=certificate.valid_until, assigned_at=timezone.now()
    )
    assert "Not yet. 2 critical skills still to show." in poolside(client, pool, certification)
    show(pool, certification, SUPPORT, FLOATS)
    assert "Not yet. 1 more of the other skills to show." in poolside(client, pool, certification)


@pytest.mark.parametrize("size", [3, 30])
def test_the_poolside_page_reads_the_standard_in_a_fixed_number_of_queries(
    client, certification, django_assert_max_num_queries, size
):
    certification.quizzes.add(make_quiz(is_published=True))  # no certificate, only the outcome
    coach, trainees = make_coach(), [make_trainee() for _ in range(size)]
    group = make_group(coaches=[coach], trainees=trainees)
    for index, trainee in enumerate(trainees):
        for text in [SUPPORT, FLOATS, STRETCH][: index % 4]:
            show((coach, trainee, group), certification, text)
    client.force_login(coach)
    url = reverse("certification:poolside", args=[group.pk, certification.slug])
    with django_assert_max_num_queries(10):
        page = client.get(url, {"swimmer": trainees[-1].pk}).content.decode()
    # The picker says how far each swimmer is; the card is the chosen one's.
    assert page.count("<option ") == size
    assert page.count("· 3/4</option>") == len(range(3, size, 4))
    expected = "Meets the standard." if (size - 1) % 4 == 3 else "Not yet."
    assert f"Pass standard: {expected}" in re.sub(r"<[^>]+>", "", page)
