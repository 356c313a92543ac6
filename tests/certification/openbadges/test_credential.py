"""Point 1: every certificate's OpenBadgeCredential states what the certificate states, and
validates against 1EdTech's JSON schema."""

import json
from datetime import timedelta
from decimal import Decimal

import jsonschema
import pytest
from django.utils import timezone

from certification.openbadges import identity, issuing
from certification.openbadges.credentials import hashed_email
from certification.services import renew_certificate
from tests.certification.openbadges.conftest import BASE_URL, validate_against_schema


def test_the_credential_validates_against_the_1edtech_schema(certificate):
    credential = issuing.credential_for(certificate)
    validate_against_schema(credential.document)


def test_the_schema_check_catches_a_credential_that_breaks_it(certificate):
    broken = dict(issuing.credential_for(certificate).document)
    broken["type"] = ["VerifiableCredential"]  # neither OpenBadge nor AchievementCredential
    with pytest.raises(jsonschema.ValidationError):
        validate_against_schema(broken)


def test_the_credential_states_the_frozen_certificate(certificate, dolphins):
    certificate.theory_percent = Decimal("85.00")
    certificate.theory_passed_at = certificate.issued_at - timedelta(days=2)
    certificate.practical_at = certificate.issued_at - timedelta(days=1)
    certificate.assessor_name = "Bea Assessor"
    certificate.assessed = ["Signals for help", "Floats on the back for a minute"]
    certificate.save()
    document = issuing.credential_for(certificate).document
    validate_against_schema(document)
    achievement = document["credentialSubject"]["achievement"]
    assert achievement["name"] == "Cramp-safe swimmer"
    assert achievement["achievementType"] == "Certification"
    assert achievement["humanCode"] == certificate.number
    assert "Floats on the back for a minute" in achievement["criteria"]["narrative"]
    assert achievement["image"]["id"] == f"{BASE_URL}/openbadges/badge.png"
    assert document["issuer"]["id"] == f"{BASE_URL}/openbadges/issuers/{dolphins.slug}/"
    assert document["issuer"]["name"] == "Dolphins SC"
    assert document["validFrom"] == certificate.issued_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert document["validUntil"] == certificate.valid_until.strftime("%Y-%m-%dT%H:%M:%SZ")
    theory, practical = document["evidence"]
    assert theory["narrative"] == (
        f"Theory passed on {certificate.theory_passed_at.date().isoformat()} with 85%."
    )
    assert practical["narrative"] == (
        f"Practical assessed on {certificate.practical_at.date().isoformat()} by Bea Assessor."
    )
    assert document["credentialStatus"]["type"] == "BitstringStatusListEntry"


def test_the_holder_is_a_salted_hash_of_their_email_never_the_address(certificate):
    credential = issuing.credential_for(certificate)
    [identifier] = credential.document["credentialSubject"]["identifier"]
    assert identifier["hashed"] is True
    assert identifier["identityType"] == "emailAddress"
    assert identifier["identityHash"] == hashed_email("ada.swimmer@example.org", identifier["salt"])
    assert "swimmer@example.org" not in json.dumps(credential.document).lower()
    assert "swimmer@example.org" not in credential.jwt.lower()


def test_a_second_download_is_the_same_credential(certificate):
    first = issuing.credential_for(certificate)
    assert issuing.credential_for(certificate).pk == first.pk


def test_a_renewal_issues_a_credential_for_the_new_dates(certificate, certification):
    first = issuing.credential_for(certificate)
    from certification.models import Refresher

    refresher = Refresher.objects.create(
        certificate=certificate,
        expiring_on=certificate.valid_until,
        assigned_at=timezone.now(),
    )
    # Renewed in the early-renewal window (renewal.py refuses one made before it opens).
    renewed = renew_certificate(
        certificate, refresher, now=certificate.valid_until - timedelta(days=1)
    )
    second = issuing.credential_for(renewed)
    assert second.pk != first.pk
    assert second.status_index != first.status_index
    assert second.document["validUntil"] != first.document["validUntil"]


def test_no_credential_for_a_localhost_site_in_production(certificate, settings):
    settings.DEBUG = False
    settings.OPENBADGES_BASE_URL = "http://localhost:8000"
    with pytest.raises(issuing.NotConfigured, match="public https address"):
        issuing.credential_for(certificate)
    settings.OPENBADGES_BASE_URL = ""
    with pytest.raises(issuing.NotConfigured):
        issuing.credential_for(certificate)
    assert not certificate.badge_credentials.exists()


def test_no_credential_without_the_key_secret(certificate, settings):
    settings.OPENBADGES_KEY_SECRET = ""
    with pytest.raises(issuing.NotConfigured, match="OPENBADGES_KEY_SECRET"):
        issuing.credential_for(certificate)
    assert not certificate.badge_credentials.exists()


def test_did_web_names_the_host_and_port():
    assert identity.site_did() == "did:web:crampcourse.example"


def test_did_web_encodes_a_port(settings):
    settings.OPENBADGES_BASE_URL = "http://127.0.0.1:8000"
    assert identity.site_did() == "did:web:127.0.0.1%3A8000"
