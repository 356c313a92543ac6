"""Issue 28: suspending and reinstating a certificate, on its pages, in the issuer's second
Bitstring Status List (statusPurpose "suspension") and in the verdict on its credential."""

from datetime import timedelta

import jwt
import pytest
from django.urls import reverse

from certification.models import CertificateEvent, CertificateState, EventKind, Refresher
from certification.openbadges import issuing
from certification.services import (
    ReissueRefused,
    SuspensionRefused,
    check_certification,
    reinstate_certificate,
    reissue_certificate,
    renewal_problem,
    revoke_certificate,
    suspend_certificate,
)
from tests.certification.openbadges.conftest import did_keys, validate_against_schema
from tests.certification.openbadges.test_status_list import bit, entry, fetched_list
from tests.factories import make_club, make_coach, make_trainee
from training.models import TrainingGroup

pytestmark = pytest.mark.django_db


def kinds(certificate):
    return list(certificate.events.values_list("kind", flat=True))


# Services ----------------------------------------------------------------------------------


def test_suspend_then_reinstate_writes_the_trail(certificate, coach):
    suspended = suspend_certificate(certificate, reason="Under inquiry", by=coach)
    assert suspended.suspended_at is not None
    assert suspended.suspended_reason == "Under inquiry"
    assert suspended.state() == CertificateState.SUSPENDED
    assert suspended.public_state() == CertificateState.SUSPENDED
    reinstated = reinstate_certificate(certificate, reason="Cleared", by=coach)
    assert (reinstated.suspended_at, reinstated.suspended_reason) == (None, "")
    assert reinstated.public_state() == CertificateState.VALID
    events = CertificateEvent.objects.filter(
        certificate=certificate, kind__in=[EventKind.SUSPENDED, EventKind.REINSTATED]
    )
    assert [(e.kind, e.reason, e.by) for e in events] == [
        (EventKind.SUSPENDED, "Under inquiry", coach),
        (EventKind.REINSTATED, "Cleared", coach),
    ]


def test_suspending_twice_or_reinstating_one_not_suspended_changes_nothing(certificate):
    reinstate_certificate(certificate, reason="Nothing to end")
    first = suspend_certificate(certificate, reason="First")
    again = suspend_certificate(certificate, reason="Second")
    assert (again.suspended_at, again.suspended_reason) == (first.suspended_at, "First")
    assert kinds(certificate).count(EventKind.SUSPENDED) == 1
    assert EventKind.REINSTATED not in kinds(certificate)


def test_revoked_or_superseded_certificates_are_refused(certificate):
    new = reissue_certificate(certificate, reason="New name")
    with pytest.raises(SuspensionRefused, match="reissued"):
        suspend_certificate(certificate, reason="Too late")
    revoke_certificate(new, reason="Cheated")
    with pytest.raises(SuspensionRefused, match="revoked"):
        suspend_certificate(new, reason="Too late")
    with pytest.raises(SuspensionRefused, match="revoked"):
        reinstate_certificate(new, reason="Too late")
    assert EventKind.SUSPENDED not in kinds(new)


def test_revoked_wins_over_suspended(certificate):
    suspend_certificate(certificate, reason="Under inquiry")
    revoked = revoke_certificate(certificate, reason="Cheated")
    assert revoked.public_state() == CertificateState.REVOKED


def test_a_suspended_certificate_is_neither_reissued_nor_renewed(
    certificate, trainee, certification
):
    suspend_certificate(certificate, reason="Under inquiry")
    with pytest.raises(ReissueRefused, match="reinstate"):
        reissue_certificate(certificate, reason="New name")
    certificate.refresh_from_db()
    refresher = Refresher(
        certificate=certificate,
        expiring_on=certificate.valid_until,
        assigned_at=certificate.valid_until - timedelta(days=10),
    )
    assert "suspended" in renewal_problem(certificate, refresher, now=certificate.valid_until)
    assert check_certification(trainee, certification) is None


# Pages -------------------------------------------------------------------------------------


@pytest.fixture
def ben(dolphins, certificate):
    """A coach of the holder's Dolphins squad: the issuing club's staff."""
    coach = make_coach("ben", club=dolphins)
    TrainingGroup.objects.get(name="Dolphins squad").coaches.add(coach)
    return coach


def action_url(certificate, action):
    group = TrainingGroup.objects.get(name="Dolphins squad")
    return reverse(f"certification:certificate_{action}", args=[group.pk, certificate.pk])


def test_the_groups_coach_suspends_and_reinstates_and_verify_says_so(client, certificate, ben):
    client.force_login(ben)
    listed = client.get(
        reverse(
            "certification:group_certificates",
            args=[TrainingGroup.objects.get(name="Dolphins squad").pk],
        )
    )
    assert action_url(certificate, "suspend") in listed.content.decode()
    response = client.post(
        action_url(certificate, "suspend"), {f"s{certificate.pk}-reason": "Under inquiry"}
    )
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.suspended_at is not None
    page = client.get(f"/verify/{certificate.code}/").content.decode()
    assert "status-cert-suspended" in page
    assert "Suspended" in page
    assert "Under inquiry" not in page  # the reason stays with the club
    response = client.post(
        action_url(certificate, "reinstate"), {f"r{certificate.pk}-reason": "Cleared"}
    )
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.suspended_at is None
    assert "status-cert-valid" in client.get(f"/verify/{certificate.code}/").content.decode()


def test_the_holder_sees_it_suspended(client, certificate, trainee):
    suspend_certificate(certificate, reason="Under inquiry")
    client.force_login(trainee)
    mine = client.get(reverse("certification:my_certificates")).content.decode()
    assert "status-cert-suspended" in mine


@pytest.mark.parametrize("action", ["suspend", "reinstate"])
def test_a_reason_is_needed(client, certificate, ben, action):
    client.force_login(ben)
    response = client.post(
        action_url(certificate, action), {f"{action[0]}{certificate.pk}-reason": ""}
    )
    assert response.status_code == 400
    assert "Say why the certificate is" in response.content.decode()
    certificate.refresh_from_db()
    assert certificate.suspended_at is None


@pytest.mark.parametrize("action", ["suspend", "reinstate"])
def test_others_find_nothing(client, certificate, trainee, action):
    other_coach = make_coach("otter", club=make_club("Otters SC"))
    for user in [trainee, other_coach, make_trainee("someone")]:
        client.force_login(user)
        response = client.post(
            action_url(certificate, action), {f"{action[0]}{certificate.pk}-reason": "No"}
        )
        assert response.status_code == 404
    certificate.refresh_from_db()
    assert certificate.suspended_at is None


@pytest.mark.parametrize("action", ["suspend", "reinstate"])
def test_a_revoked_certificate_is_refused_with_why(client, certificate, ben, action):
    revoke_certificate(certificate, reason="Cheated")
    client.force_login(ben)
    response = client.post(
        action_url(certificate, action), {f"{action[0]}{certificate.pk}-reason": "Try"}
    )
    assert response.status_code == 409
    assert "stays revoked" in response.content.decode()


def test_the_admin_suspends_and_reinstates(client, certificate, admin_user):
    client.force_login(admin_user)
    url = reverse("admin:certification_certificate_change", args=[certificate.pk])
    inline = {"events-TOTAL_FORMS": "0", "events-INITIAL_FORMS": "0"}
    assert client.post(url, {"suspend_reason": "Under inquiry", **inline}).status_code == 302
    certificate.refresh_from_db()
    assert certificate.suspended_reason == "Under inquiry"
    assert client.post(url, {"reinstate_reason": "Cleared", **inline}).status_code == 302
    certificate.refresh_from_db()
    assert certificate.suspended_at is None
    assert kinds(certificate)[-2:] == [EventKind.SUSPENDED, EventKind.REINSTATED]


# The suspension list -----------------------------------------------------------------------


def fetched_suspension_list(client, organisation):
    """The second list, as a verifier reads it: a JWT checked with PyJWT."""
    import base64
    import gzip

    url = reverse("openbadges:suspension_list", args=[organisation.slug])
    response = client.get(url)
    assert response.status_code == 200
    token = response.content.decode()
    key = jwt.PyJWK(
        did_keys(client)[jwt.get_unverified_header(token)["kid"]]["publicKeyJwk"],
        algorithm="ES256",
    )
    payload = jwt.decode(token, key, algorithms=["ES256"])
    assert payload["id"] == f"https://crampcourse.example{url}"
    subject = payload["credentialSubject"]
    assert subject["statusPurpose"] == "suspension"
    body = subject["encodedList"][1:]
    return gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def test_the_suspension_bit_is_set_then_cleared(client, certificate, dolphins):
    credential = issuing.credential_for(certificate)
    validate_against_schema(credential.document)
    index = entry(credential)[1]
    assert bit(fetched_suspension_list(client, dolphins), index) == 0
    suspend_certificate(certificate, reason="Under inquiry")
    bits = fetched_suspension_list(client, dolphins)
    assert bit(bits, index) == 1
    assert sum(bin(byte).count("1") for byte in bits) == 1
    assert bit(fetched_list(client, dolphins), index) == 0  # not revoked
    reinstate_certificate(certificate, reason="Cleared")
    assert bit(fetched_suspension_list(client, dolphins), index) == 0


# Verdicts ----------------------------------------------------------------------------------


def verdict(client, token):
    return client.post("/verify/", {"credential": token}).context["result"]


def test_valid_then_suspended_then_valid_again(client, certificate):
    credential = issuing.credential_for(certificate)
    assert verdict(client, credential.jwt).verdict == "valid"
    suspend_certificate(certificate, reason="Under inquiry")
    result = verdict(client, credential.jwt)
    assert result.verdict == "suspended"
    assert "suspended" in result.reason
    assert "Under inquiry" not in result.reason
    reinstate_certificate(certificate, reason="Cleared")
    assert verdict(client, credential.jwt).verdict == "valid"


def test_revoked_still_wins(client, certificate):
    credential = issuing.credential_for(certificate)
    suspend_certificate(certificate, reason="Under inquiry")
    revoke_certificate(certificate, reason="Cheated")
    assert verdict(client, credential.jwt).verdict == "revoked"


def test_the_groups_dashboard_says_suspended_and_filters_by_it(client, certificate, ben, trainee):
    from tests.certification.test_expiry_and_refreshers import dashboard_state

    group = TrainingGroup.objects.get(name="Dolphins squad")
    suspend_certificate(certificate, reason="Under inquiry")
    page, state, _until = dashboard_state(client, ben, group, trainee)
    assert state == "Suspended"
    assert "status-suspended" in page
    url = reverse("training:group_dashboard", args=[group.pk])
    assert "Ada Swimmer" in client.get(url, {"cert": "suspended"}).content.decode()
    assert "Ada Swimmer" not in client.get(url, {"cert": "valid"}).content.decode()
    revoke_certificate(certificate, reason="Cheated")
    assert dashboard_state(client, ben, group, trainee)[1] == "Revoked"
