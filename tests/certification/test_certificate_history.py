"""A certificate's history, as an admin reads it: every suspension, reinstatement, review
flag, reissue and revocation is a row saying what happened, when, by whom and why; a refusal
says why in words; a reissue takes only this certificate's open refresher with it."""

from datetime import UTC, datetime, timedelta

import pytest

from certification.models import Certificate, CertificateEvent, EventKind, Refresher
from certification.services import (
    ReissueRefused,
    SuspensionRefused,
    clear_review_flag,
    flag_for_review,
    issue_certificate,
    reinstate_certificate,
    reissue_certificate,
    revoke_certificate,
    suspend_certificate,
)
from tests.factories import make_coach, make_trainee

ISSUED = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def day(n):
    """n days after the certificate was issued, at noon."""
    return ISSUED + timedelta(days=n, hours=2)


@pytest.fixture
def ada(db):
    return make_trainee("ada")


@pytest.fixture
def ben(db):
    return make_coach("ben")


@pytest.fixture
def issued(certification, ada):
    return issue_certificate(ada, certification, now=ISSUED)


def history(certificate):
    """The rows an admin reads, oldest first, the issue itself left out."""
    return [
        (event.kind, event.at, event.by, event.reason, event.valid_until)
        for event in CertificateEvent.objects.filter(certificate=certificate).exclude(
            kind=EventKind.ISSUED
        )
    ]


def test_each_change_is_recorded_with_when_by_whom_and_why(issued, ben):
    valid_until = issued.valid_until
    suspend_certificate(issued, reason="Inquiry opened", by=ben, now=day(1))
    reinstate_certificate(issued, reason="Inquiry closed", by=ben, now=day(2))
    flag_for_review(issued, reason="Quiz regraded", now=day(3))
    clear_review_flag(issued, reason="Looked at: still passed", by=ben, now=day(4))
    new = reissue_certificate(issued, reason="New surname", by=ben, now=day(5))
    revoke_certificate(new, reason="Certified by mistake", by=ben, now=day(6))

    assert history(issued) == [
        (EventKind.SUSPENDED, day(1), ben, "Inquiry opened", None),
        (EventKind.REINSTATED, day(2), ben, "Inquiry closed", None),
        (EventKind.FLAGGED, day(3), None, "Quiz regraded", None),
        (EventKind.FLAG_CLEARED, day(4), ben, "Looked at: still passed", None),
        (EventKind.SUPERSEDED, day(5), ben, "New surname", None),
    ]
    assert history(new) == [
        (EventKind.REISSUED, day(5), ben, "New surname", valid_until),
        (EventKind.REVOKED, day(6), ben, "Certified by mistake", None),
    ]
    new.refresh_from_db()
    assert (new.revoked_at, new.revoked_by, new.revoked_reason) == (
        day(6),
        ben,
        "Certified by mistake",
    )
    assert new.valid_until == valid_until


def test_the_state_each_change_leaves_is_kept(issued, ben):
    suspend_certificate(issued, reason="Inquiry opened", by=ben, now=day(1))
    issued.refresh_from_db()
    assert (issued.suspended_at, issued.suspended_reason) == (day(1), "Inquiry opened")
    reinstate_certificate(issued, reason="Inquiry closed", by=ben, now=day(2))
    issued.refresh_from_db()
    assert (issued.suspended_at, issued.suspended_reason) == (None, "")
    flag_for_review(issued, reason="Quiz regraded", now=day(3))
    issued.refresh_from_db()
    assert (issued.flagged_for_review, issued.flagged_at, issued.flag_reason) == (
        True,
        day(3),
        "Quiz regraded",
    )
    clear_review_flag(issued, reason="Looked at", by=ben, now=day(4))
    issued.refresh_from_db()
    assert (issued.flagged_for_review, issued.flagged_at, issued.flag_reason) == (False, None, "")


def test_a_refused_reissue_says_why(issued, ben):
    suspend_certificate(issued, reason="Inquiry opened", by=ben, now=day(1))
    with pytest.raises(ReissueRefused) as refused:
        reissue_certificate(issued, reason="New surname", now=day(2))
    assert str(refused.value) == "A suspended certificate cannot be reissued: reinstate it first."

    reinstate_certificate(issued, reason="Inquiry closed", now=day(3))
    new = reissue_certificate(issued, reason="New surname", now=day(4))
    with pytest.raises(ReissueRefused) as refused:
        reissue_certificate(issued, reason="Again", now=day(5))
    assert str(refused.value) == f"This certificate was already reissued as {new.number}."
    assert new.number.startswith("CC-2026-")

    revoke_certificate(new, reason="Certified by mistake", now=day(6))
    with pytest.raises(ReissueRefused) as refused:
        reissue_certificate(new, reason="New surname", now=day(7))
    assert str(refused.value) == "A revoked certificate cannot be reissued: it stays revoked."
    assert Certificate.objects.count() == 2

    # An admin deleted the new certificate: the old one still says it was reissued.
    new.delete()
    with pytest.raises(ReissueRefused) as refused:
        reissue_certificate(issued, reason="Again", now=day(8))
    assert str(refused.value) == "This certificate was already reissued."


def test_a_refused_suspension_says_why(issued):
    new = reissue_certificate(issued, reason="New surname", now=day(1))
    for change in (suspend_certificate, reinstate_certificate):
        with pytest.raises(SuspensionRefused) as refused:
            change(issued, reason="Inquiry", now=day(2))
        assert str(refused.value) == (
            "This certificate was reissued: it cannot be suspended or reinstated; the new one can."
        )
    revoke_certificate(new, reason="Certified by mistake", now=day(3))
    for change in (suspend_certificate, reinstate_certificate):
        with pytest.raises(SuspensionRefused) as refused:
            change(new, reason="Inquiry", now=day(4))
        assert str(refused.value) == (
            "A revoked certificate cannot be suspended or reinstated: it stays revoked."
        )


def test_a_reissue_takes_only_this_certificates_open_refresher(certification, issued):
    other = issue_certificate(make_trainee("cleo"), certification, now=ISSUED)
    done = Refresher.objects.create(
        certificate=issued, expiring_on=day(300), assigned_at=day(200), completed_at=day(210)
    )
    open_ = Refresher.objects.create(certificate=issued, expiring_on=day(700), assigned_at=day(600))
    others = Refresher.objects.create(certificate=other, expiring_on=day(700), assigned_at=day(600))

    new = reissue_certificate(issued, reason="New surname", now=day(650))

    assert list(Refresher.objects.filter(certificate=new)) == [open_]
    assert list(Refresher.objects.filter(certificate=issued)) == [done]
    assert list(Refresher.objects.filter(certificate=other)) == [others]
