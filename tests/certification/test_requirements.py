"""What a certificate needs and who gets a refresher: the rules of services.py seen from the
outside, one behaviour a test."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from certification import poolside, receivers, services
from certification.models import (
    Certificate,
    CertificateEvent,
    Certification,
    EventKind,
    MarkResult,
    PracticalMark,
    Refresher,
    add_months,
)
from certification.renewal import grace_until
from quizzes.models import GradingMethod
from tests.certification.conftest import passed_in_session, show_all
from tests.factories import add_escape_ordering, add_single, make_quiz, make_trainee
from tests.training.conftest import take


def test_a_certification_with_no_practical_is_earned_by_its_quiz_alone(trainee, final):
    """Even one left "assessed in a session" (the default): no skills, no session to hold.
    Before, it certified nobody."""
    theory_only = Certification.objects.create(slug="theory", title="Cramp theory")
    theory_only.quizzes.add(final)
    take(final, trainee, right=(1, 2))
    assert Certificate.objects.filter(certification=theory_only, trainee=trainee).exists()


def test_a_certification_with_nothing_to_show_certifies_nobody(trainee):
    empty = Certification.objects.create(slug="empty", title="Nothing yet")
    assert services.check_certification(trainee, empty) is None
    assert not Certificate.objects.exists()


def test_someone_elses_pass_does_not_count(coach, trainee, group, certification, final):
    take(final, make_trainee("other"), right=(1, 2))
    show_all(coach, group, certification, trainee)
    assert not Certificate.objects.filter(trainee=trainee).exists()


def test_after_a_lapse_the_theory_again_without_the_practical_again_renews_nothing(
    coach, trainee, group, certification, final
):
    certificate = services.issue_certificate(
        trainee, certification, now=timezone.now() - timedelta(days=500)
    )
    show_all(coach, group, certification, trainee, now=timezone.now() - timedelta(days=480))
    lapse = grace_until(certificate.valid_until, certification)
    take(final, trainee, right=(1, 2), now=lapse + timedelta(days=1))
    certificate.refresh_from_db()
    assert certificate.renewed_at is None  # the skills shown before the lapse do not count
    show_all(coach, group, certification, trainee, now=lapse + timedelta(days=2))
    certificate.refresh_from_db()
    assert certificate.renewed_at == lapse + timedelta(days=2)


def test_an_assessed_re_check_needs_a_session_since_the_refresher(
    trainee, group, certification, refresher_quiz
):
    certification.assessed_in_session = True
    certification.save()
    issued_at = timezone.now() - timedelta(days=355)
    passed_in_session(certification, trainee, group, issued_at - timedelta(days=1))
    certificate = services.issue_certificate(trainee, certification, now=issued_at)
    assigned = timezone.now() - timedelta(days=10)
    services.assign_refreshers(now=assigned)
    take(refresher_quiz, trainee, right=(1,), now=assigned + timedelta(days=1))
    certificate.refresh_from_db()
    assert certificate.renewed_at is None  # last year's assessment is not the re-check

    decided_at = assigned + timedelta(days=2)
    passed_in_session(certification, trainee, group, decided_at)
    services.check_certification(trainee, certification, now=decided_at)
    certificate.refresh_from_db()
    assert certificate.renewed_at == decided_at


def test_the_result_page_names_only_the_certifications_the_quiz_is_required_for(
    trainee, certification, final
):
    """The final is also another certification's refresher quiz: passing it counts towards
    that one only through a refresher, so the page does not say it counts."""
    other = Certification.objects.create(slug="coach", title="Poolside helper")
    other.refresher_quiz = final
    other.save()
    other.quizzes.add(make_quiz("helper-theory", is_published=True))  # required: another one
    other.items.create(order=1, text="Throws a float")
    attempt = take(final, trainee, right=(1, 2))
    notes = receivers.practical_still_to_do(attempt)
    assert len(notes) == 1
    assert "Cramp-safe swimmer" in notes[0]


# Refreshers -----------------------------------------------------------------------------------


def test_each_certification_gives_refreshers_by_its_own_window(certification):
    """The usual window is 30 days before expiry; "Open water" opens its window 90 days before."""
    wide = Certification.objects.create(slug="wide", title="Open water", early_renewal_days=90)
    now = timezone.now()

    def expiring_in(days, held_for):
        return services.issue_certificate(
            make_trainee(), held_for, now=add_months(now + timedelta(days=days), -12)
        )

    usual_soon, usual_later = expiring_in(20, certification), expiring_in(60, certification)
    wide_later = expiring_in(60, wide)
    given = services.assign_refreshers(now=now)
    assert {refresher.certificate for refresher in given} == {usual_soon, wide_later}
    assert not Refresher.objects.filter(certificate=usual_later).exists()
    event = wide_later.events.get(kind=EventKind.REFRESHER)
    assert (event.at, event.valid_until) == (now, wide_later.valid_until)


def test_a_suspended_certificate_gets_no_refresher_and_everyone_else_gets_one_each(
    certification,
):
    now = timezone.now()
    issued_at = now - timedelta(days=355)
    ada, ben, cat = make_trainee("ada"), make_trainee("ben"), make_trainee("cat")
    for_ada, for_ben, for_cat = (
        services.issue_certificate(person, certification, now=issued_at)
        for person in (ada, ben, cat)
    )
    services.suspend_certificate(for_cat, reason="An inquiry")
    services.assign_refreshers(now=now - timedelta(days=1))
    assert set(Refresher.objects.values_list("certificate", flat=True)) == {for_ada.pk, for_ben.pk}
    assert services.assign_refreshers(now=now) == []  # one per expiry date
    # Reinstated, Cat gets hers, although the others' refreshers are for the same date.
    services.reinstate_certificate(for_cat, reason="Inquiry closed")
    [given] = services.assign_refreshers(now=now)
    assert given.certificate == for_cat


# Poolside marks ---------------------------------------------------------------------------


def mark(coach, group, trainee, item, *, key, **extra):
    return services.record_mark(
        key=key, coach=coach, group=group, trainee=trainee, item=item, result=MarkResult.SHOWN,
        **extra,
    )  # fmt: skip


def test_a_resent_mark_is_the_same_mark_and_a_key_is_one_trainees_one_skill(
    coach, trainee, group, certification
):
    first, second = certification.items.all()
    key = uuid.uuid4()
    stored, created = mark(coach, group, trainee, first, key=key)
    assert created
    assert mark(coach, group, trainee, first, key=key) == (stored, False)
    for other_trainee, item in [(make_trainee("other"), first), (trainee, second)]:
        with pytest.raises(services.MarkRefused) as refused:
            mark(coach, group, other_trainee, item, key=key)
        assert str(refused.value) == ("That mark key was already used for another trainee or item.")
    assert PracticalMark.objects.count() == 1


def test_an_offline_mark_keeps_its_time_for_seven_days_and_no_longer(
    coach, trainee, group, certification
):
    now = timezone.now()
    first, second = certification.items.all()
    week = now - timedelta(days=7)
    kept, _ = mark(coach, group, trainee, first, key=uuid.uuid4(), marked_at=week, now=now)
    assert kept.marked_at == week
    older = week - timedelta(seconds=1)
    moved, _ = mark(coach, group, trainee, second, key=uuid.uuid4(), marked_at=older, now=now)
    assert moved.marked_at == now  # too old to trust: the time it arrived


def test_the_issue_is_recorded_with_the_expiry_it_gave(trainee, certification):
    issued_at = timezone.now() - timedelta(days=3)
    certificate = services.issue_certificate(trainee, certification, now=issued_at)
    event = CertificateEvent.objects.get(certificate=certificate)
    assert (event.kind, event.at, event.valid_until) == (
        EventKind.ISSUED,
        issued_at,
        add_months(issued_at, 12),
    )


def test_a_mark_made_offline_earlier_does_not_undo_a_later_one_that_arrived_first(
    coach, trainee, group, certification
):
    now = timezone.now()
    first, _second = certification.items.all()
    mark(coach, group, trainee, first, key=uuid.uuid4(), now=now)  # shown, at 10:00 say
    services.record_mark(
        key=uuid.uuid4(), coach=coach, group=group, trainee=trainee, item=first,
        result=MarkResult.NEEDS_PRACTICE, marked_at=now - timedelta(hours=1), now=now,
    )  # fmt: skip  # made at 9:00 on a phone without signal, sent now
    standing = services.standing_marks([trainee.pk], [first])[trainee.pk, first.pk]
    assert (standing.result, standing.marked_at) == (MarkResult.SHOWN, now)


def test_an_average_graded_quiz_is_not_passed_by_one_good_attempt(
    coach, trainee, group, certification, final
):
    final.grading_method = GradingMethod.AVERAGE
    final.pass_mark = 80
    final.save()
    show_all(coach, group, certification, trainee)
    take(final, trainee, right=(1, 2))  # 100%
    take(final, trainee, right=(2,))  # 80%, must-pass met: an average of 90%, passed
    assert Certificate.objects.filter(trainee=trainee).count() == 1

    other = make_trainee("other")
    group.memberships.create(trainee=other)
    show_all(coach, group, certification, other)
    take(final, other, right=(1,))  # 20%
    take(final, other, right=(2,))  # 80%, passed on its own: an average of 50%
    assert not Certificate.objects.filter(trainee=other).exists()


def test_a_mark_whose_coach_account_was_deleted_reads_by_a_coach(
    coach, trainee, group, certification
):
    first = certification.items.first()
    mark(coach, group, trainee, first, key=uuid.uuid4())
    coach.delete()
    standing = services.standing_marks([trainee.pk], [first])[trainee.pk, first.pk]
    assert poolside.state_label(standing).startswith("Shown · a coach, ")


def test_a_certificate_from_a_mark_sent_later_is_dated_when_the_mark_arrived(
    coach, trainee, group, certification, final
):
    """Only a regrade dates a certificate back (test_regrade_certificates): a phone's late
    mark is trusted for the mark's own time, not for the certificate's."""
    take(final, trainee, right=(1, 2), now=timezone.now() - timedelta(days=1))
    first, second = certification.items.all()
    mark(coach, group, trainee, first, key=uuid.uuid4())
    arrived = timezone.now()
    made = arrived - timedelta(hours=2)
    mark(coach, group, trainee, second, key=uuid.uuid4(), marked_at=made, now=arrived)
    assert Certificate.objects.get(trainee=trainee).issued_at == arrived


def test_an_average_graded_quiz_passed_by_its_average_alone_certifies(
    coach, trainee, group, certification, final
):
    """Pass mark 50%, graded by the average. The first attempt has the marks (80%) but misses
    the must-pass question; the second gets it right but little else (20%). Neither passes on
    its own; together they average 50% with the must-pass question right once: passed.
    Before, nothing was checked after an attempt that failed on its own."""
    quiz = make_quiz("average-check", pass_mark=50, attempts_allowed=None, is_published=True)
    quiz.grading_method = GradingMethod.AVERAGE
    quiz.save()
    add_single(quiz, must_pass=True)  # 1 point
    add_escape_ordering(quiz, points=4)
    certification.quizzes.set([quiz])
    show_all(coach, group, certification, trainee)
    first = take(quiz, trainee, right=(2,))
    second = take(quiz, trainee, right=(1,))
    assert (first.passed, second.passed) == (False, False)
    assert Certificate.objects.get(trainee=trainee).issued_at == second.finished_at
