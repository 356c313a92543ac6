"""CPD hours (certification/cpd.py): quizzes log themselves once per attempt, a coach logs a
pool session, the trainee confirms it, and only confirmed hours within the term renew."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from certification.cpd import log_quiz_attempt
from certification.models import Certificate, CPDEntry, CPDKind
from certification.services import assign_refreshers, certifications_for_quiz
from tests.certification.conftest import mark_all_shown, submit_over_http
from tests.factories import make_coach, make_group, make_trainee


@pytest.fixture
def clock():
    with time_machine.travel(timezone.now().replace(microsecond=0), tick=False) as traveller:
        yield traveller


@pytest.fixture
def with_cpd(certification, settings):
    settings.CPD_QUIZ_HOURS = "0.5"
    certification.cpd_hours_required = 2
    certification.save()
    return certification


def certify(client, coach, trainee, group, certification, final):
    submit_over_http(client, final, trainee)
    client.force_login(coach)
    mark_all_shown(client, group, certification, trainee)
    return Certificate.objects.get(trainee=trainee)


def log_url(group, trainee):
    return reverse("certification:cpd_log", args=[group.pk, trainee.pk])


def session(certification, **changes):
    data = {
        "certification": certification.pk,
        "hours": "1.5",
        "what": "Deep-end float practice",
        "done_on": timezone.localdate().isoformat(),
    }
    return {**data, **changes}


def test_hours_renew_only_once_the_trainee_confirms_them(
    client, clock, coach, trainee, group, with_cpd, final, refresher_quiz
):
    certificate = certify(client, coach, trainee, group, with_cpd, final)
    [entry] = CPDEntry.objects.all()  # the final logged itself, confirmed
    assert (entry.kind, entry.hours, entry.confirmed_at is not None) == (
        CPDKind.COURSE_QUIZ,
        0.5,
        True,
    )
    expires = certificate.valid_until
    clock.move_to(expires - timedelta(days=10))
    assign_refreshers()
    submit_over_http(client, refresher_quiz, trainee)
    client.force_login(coach)
    mark_all_shown(client, group, with_cpd, trainee)
    certificate.refresh_from_db()
    assert certificate.valid_until == expires  # 1 of 2 hours: not yet
    assert CPDEntry.objects.filter(kind=CPDKind.ONLINE_REFRESHER).count() == 1

    page = client.get(reverse("certification:group_certificates", args=[group.pk]))
    assert log_url(group, trainee) in page.content.decode()
    response = client.post(log_url(group, trainee), session(with_cpd))
    assert response.status_code == 302
    pool = CPDEntry.objects.get(kind=CPDKind.POOL_SESSION)
    assert (pool.entered_by, pool.confirmed_at) == (coach, None)
    certificate.refresh_from_db()
    assert certificate.valid_until == expires  # not confirmed: does not count

    client.force_login(trainee)
    mine = client.get(reverse("certification:my_certificates")).content.decode()
    assert "Training logged (CPD): 1 of 2 hours" in mine
    assert '<progress max="2.0" value="1.0"' in mine
    assert "Pool sessions to confirm" in mine
    assert "Deep-end float practice" in mine
    confirmed = client.post(reverse("certification:cpd_confirm", args=[pool.pk]))
    assert confirmed.status_code == 302
    certificate.refresh_from_db()
    assert certificate.valid_until > expires  # 2.5 of 2 hours: renewed from the old expiry
    mine = client.get(reverse("certification:my_certificates")).content.decode()
    assert "Pool sessions to confirm" not in mine


def test_an_attempt_counts_once(client, trainee, with_cpd, final):
    attempt = submit_over_http(client, final, trainee)
    attempt.refresh_from_db()
    assert log_quiz_attempt(attempt, list(certifications_for_quiz(final))) == []
    assert CPDEntry.objects.filter(source_attempt=attempt).count() == 1


def test_no_cpd_rule_logs_nothing(client, trainee, certification, final):
    submit_over_http(client, final, trainee)
    assert not CPDEntry.objects.exists()


def test_my_certificates_shows_the_renewal_dates(
    client, coach, trainee, group, certification, final
):
    certify(client, coach, trainee, group, certification, final)
    client.force_login(trainee)
    page = client.get(reverse("certification:my_certificates")).content.decode()
    assert "Renewal opens on" in page
    assert "Grace period until" in page
    assert "Training logged" not in page  # no CPD rule


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"hours": "0"}, "more than 0"),
        ({"hours": "-2"}, "more than 0"),
        ({"hours": "25"}, "at most 24 hours"),
        ({"hours": "many"}, "as a number"),
        ({"hours": "1e400"}, "at most 24 hours"),
        ({"done_on": "2999-01-01"}, "future"),
        ({"done_on": "yesterday"}, "YYYY-MM-DD"),
        ({"what": "Float\nsession"}, "one line"),
    ],
)
def test_bad_hours_are_refused_with_a_clear_message(
    client, coach, trainee, group, with_cpd, changes, message
):
    client.force_login(coach)
    response = client.post(log_url(group, trainee), session(with_cpd, **changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not CPDEntry.objects.exists()


def test_a_certification_without_cpd_cannot_be_chosen(client, coach, trainee, group, certification):
    client.force_login(coach)
    response = client.post(log_url(group, trainee), session(certification))
    assert response.status_code == 400
    assert not CPDEntry.objects.exists()


def test_another_coachs_trainee_and_a_former_member_are_404(
    client, coach, trainee, group, with_cpd
):
    other_coach, other = make_coach("coach_b"), make_trainee("trainee_b")
    make_group("Otters", coaches=[other_coach], trainees=[other])
    client.force_login(coach)
    assert client.get(log_url(group, other)).status_code == 404  # not in this group
    other_group = other.memberships.get().group
    assert client.get(log_url(other_group, other)).status_code == 404  # not their group
    assert client.post(log_url(group, other), session(with_cpd)).status_code == 404
    group.memberships.filter(trainee=trainee).update(removed_at=timezone.now())
    assert client.get(log_url(group, trainee)).status_code == 404  # has left
    assert not CPDEntry.objects.exists()


def test_only_the_trainee_confirms_their_own_session(client, coach, trainee, with_cpd):
    entry = CPDEntry.objects.create(
        trainee=trainee,
        certification=with_cpd,
        hours=2,
        what="Pool session",
        kind=CPDKind.POOL_SESSION,
        done_on=timezone.localdate(),
        entered_by=coach,
    )
    client.force_login(make_trainee("someone_else"))
    assert client.post(reverse("certification:cpd_confirm", args=[entry.pk])).status_code == 404
    client.force_login(coach)
    assert client.post(reverse("certification:cpd_confirm", args=[entry.pk])).status_code == 404
    entry.refresh_from_db()
    assert entry.confirmed_at is None


def test_hours_from_before_the_term_do_not_count(
    client, clock, coach, trainee, group, with_cpd, final
):
    from certification.cpd import hours_done

    certificate = certify(client, coach, trainee, group, with_cpd, final)
    CPDEntry.objects.create(
        trainee=trainee,
        certification=with_cpd,
        hours=5,
        what="Last year's sessions",
        kind=CPDKind.POOL_SESSION,
        done_on=timezone.localdate() - timedelta(days=2),
        confirmed_at=timezone.now(),
    )
    assert hours_done(certificate) == 0.5  # the final only
