"""A site that issues Open Badges: a public https address, a key secret, and Dolphins SC with
a signing key made at run time (never a fixture file)."""

import json
from pathlib import Path

import jsonschema
import pytest
from django.urls import reverse

from certification.openbadges import keys
from certification.services import issue_certificate
from tests.factories import make_group

BASE_URL = "https://crampcourse.example"
SCHEMA = json.loads(
    (
        Path(__file__).resolve().parents[3]
        / "certification/openbadges/schema/achievementcredential.json"
    ).read_text()
)


@pytest.fixture(autouse=True)
def badge_settings(settings):
    settings.OPENBADGES_BASE_URL = BASE_URL
    settings.OPENBADGES_KEY_SECRET = "a test passphrase, made up for the test run"
    return settings


@pytest.fixture
def dolphins_key(dolphins):
    return keys.create_key(dolphins)


@pytest.fixture
def certificate(trainee, certification, dolphins, dolphins_key):
    trainee.first_name, trainee.last_name = "Ada", "Swimmer"
    trainee.email = "Ada.Swimmer@example.org"
    trainee.save()
    make_group("Dolphins squad", trainees=[trainee], club=dolphins)
    return issue_certificate(trainee, certification)


def validate_against_schema(document):
    """The 1EdTech JSON schema (draft 2019-09), with its date-time format checked too."""
    jsonschema.Draft201909Validator(
        SCHEMA, format_checker=jsonschema.Draft201909Validator.FORMAT_CHECKER
    ).validate(document)


def did_keys(client):
    """The public keys as a verifier finds them: from /.well-known/did.json, by DID URL."""
    document = client.get(reverse("openbadges:did_document")).json()
    return {method["id"]: method for method in document["verificationMethod"]}


def badge_url(certificate, fmt):
    return reverse("certification:certificate_badge", args=[certificate.code, fmt])
