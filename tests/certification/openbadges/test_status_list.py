"""Point 4: revocation by a Bitstring Status List, read here with gzip and base64 by hand."""

import base64
import gzip

import jwt
from django.urls import reverse

from certification.openbadges import issuing, status_list
from certification.services import reissue_certificate, revoke_certificate
from tests.certification.openbadges.conftest import did_keys


def fetched_list(client, organisation):
    """The list as a verifier reads it: a JWT checked with PyJWT against the DID document."""
    response = client.get(reverse("openbadges:status_list", args=[organisation.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc+jwt"
    token = response.content.decode()
    header = jwt.get_unverified_header(token)
    key = jwt.PyJWK(did_keys(client)[header["kid"]]["publicKeyJwk"], algorithm="ES256")
    payload = jwt.decode(token, key, algorithms=["ES256"])
    assert "BitstringStatusListCredential" in payload["type"]
    subject = payload["credentialSubject"]
    assert subject["statusPurpose"] == "revocation"
    encoded = subject["encodedList"]
    assert encoded.startswith("u")  # multibase base64url, no padding
    body = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def bit(bits, index):
    return bits[index // 8] >> (7 - index % 8) & 1


def entry(credential):
    status = credential.document["credentialStatus"]
    return status["statusListCredential"], int(status["statusListIndex"])


def test_the_list_is_16_kb_and_the_credential_points_into_it(client, certificate, dolphins):
    credential = issuing.credential_for(certificate)
    url, index = entry(credential)
    assert url == f"https://crampcourse.example/openbadges/status/{dolphins.slug}/"
    bits = fetched_list(client, dolphins)
    assert len(bits) * 8 == status_list.LIST_SIZE
    assert bit(bits, index) == 0


def test_revoking_the_certificate_sets_its_bit(client, certificate, dolphins):
    credential = issuing.credential_for(certificate)
    revoke_certificate(certificate, reason="Cheated")
    bits = fetched_list(client, dolphins)
    assert bit(bits, entry(credential)[1]) == 1
    assert sum(bin(byte).count("1") for byte in bits) == 1


def test_a_reissue_sets_the_old_bit_and_not_the_new(client, certificate, dolphins):
    old = issuing.credential_for(certificate)
    new_certificate = reissue_certificate(certificate, reason="New name")
    new = issuing.credential_for(new_certificate)
    bits = fetched_list(client, dolphins)
    assert bit(bits, entry(old)[1]) == 1
    assert bit(bits, entry(new)[1]) == 0


def test_indexes_are_drawn_at_random(dolphins):
    draws = {status_list.free_index(dolphins) for _ in range(20)}
    assert len(draws) > 15  # not one after the other from zero
    assert max(draws) > 1000


def test_encoding_puts_index_zero_in_the_first_bit():
    encoded = status_list.encode([0, 9], size=16 * 8)
    body = encoded[1:]
    bits = gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    assert bits[:2] == bytes([0b1000_0000, 0b0100_0000])
