"""The embedded Data Integrity proof (ecdsa-jcs-2019), checked here from the specification's
steps with cryptography alone, with the key read from the DID document."""

import hashlib
import json

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from jwt.algorithms import ECAlgorithm

from certification.openbadges import issuing, verification
from tests.certification.openbadges.conftest import did_keys, validate_against_schema

ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def from_base58btc(text):
    assert text[0] == "z"
    value = 0
    for char in text[1:]:
        value = value * 58 + ALPHABET.index(char)
    return value.to_bytes(64, "big")


def canonical(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def proof_holds(client, document):
    [proof] = document["proof"]
    method = did_keys(client)[proof["verificationMethod"]]
    public = ECAlgorithm.from_jwk(json.dumps(method["publicKeyJwk"]))  # PyJWT reads the JWK
    options = {k: v for k, v in proof.items() if k != "proofValue"}
    options["@context"] = document["@context"]
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    data = (
        hashlib.sha256(canonical(options)).digest() + hashlib.sha256(canonical(unsecured)).digest()
    )
    raw = from_base58btc(proof["proofValue"])
    signature = encode_dss_signature(
        int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")
    )
    try:
        public.verify(signature, data, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        return False
    return True


def test_the_json_carries_a_proof_that_verifies(client, certificate):
    document = issuing.credential_for(certificate).document
    validate_against_schema(document)
    [proof] = document["proof"]
    assert proof["type"] == "DataIntegrityProof"
    assert proof["cryptosuite"] == "ecdsa-jcs-2019"
    assert proof["proofPurpose"] == "assertionMethod"
    assert proof_holds(client, document)


def test_a_changed_field_breaks_the_proof(client, certificate):
    document = json.loads(json.dumps(issuing.credential_for(certificate).document))
    document["credentialSubject"]["achievement"]["name"] = "Olympic champion"
    assert not proof_holds(client, document)
    assert verification.check(json.dumps(document)).verdict == "tampered"


def test_the_jwt_payload_carries_the_same_proof(certificate):
    import jwt

    credential = issuing.credential_for(certificate)
    payload = jwt.decode(credential.jwt, options={"verify_signature": False})
    assert payload["proof"] == credential.document["proof"]


@pytest.mark.parametrize("change", [None, "name"])
def test_json_without_its_proof_is_compared_with_what_was_issued(certificate, change):
    document = json.loads(json.dumps(issuing.credential_for(certificate).document))
    del document["proof"]
    if change:
        document["name"] = "Olympic champion"
    verdict = verification.check(json.dumps(document)).verdict
    assert verdict == ("tampered" if change else "valid")


def test_a_proof_by_an_unknown_key(certificate):
    document = json.loads(json.dumps(issuing.credential_for(certificate).document))
    document["proof"][0]["verificationMethod"] = "did:web:crampcourse.example#stranger"
    assert verification.check(json.dumps(document)).verdict == "unknown_issuer"
