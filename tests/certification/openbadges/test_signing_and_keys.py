"""Point 2 and 3: the credential is a VC-JWT that a second JOSE implementation (PyJWT) checks
with the key published in the site's DID document; rotation keeps old credentials verifiable."""

import io
import json

import jwt
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from certification.models import IssuerKey
from certification.openbadges import issuing, keys, verification
from tests.certification.openbadges.conftest import BASE_URL, did_keys, validate_against_schema


def independently_verified(client, token):
    """PyJWT, with the key a verifier reads from /.well-known/did.json by the JWT's kid."""
    header = jwt.get_unverified_header(token)
    assert header["alg"] == "ES256"
    method = did_keys(client)[header["kid"]]
    key = jwt.PyJWK(method["publicKeyJwk"], algorithm="ES256")
    return jwt.decode(
        token,
        key,
        algorithms=["ES256"],
        options={"require": ["iss", "jti", "sub", "nbf", "exp"]},
    )


def test_a_second_implementation_verifies_the_signed_credential(client, certificate):
    credential = issuing.credential_for(certificate)
    payload = independently_verified(client, credential.jwt)
    assert payload["iss"] == payload["issuer"]["id"]
    assert payload["jti"] == payload["id"] == str(credential)
    assert payload["sub"] == payload["credentialSubject"]["id"]
    assert payload["exp"] == int(certificate.valid_until.timestamp())
    validate_against_schema(payload)


def test_the_did_document_publishes_public_keys_only(client, dolphins_key):
    response = client.get(reverse("openbadges:did_document"))
    assert response.status_code == 200
    document = response.json()
    assert document["id"] == "did:web:crampcourse.example"
    [method] = document["verificationMethod"]
    assert method["id"] == f"did:web:crampcourse.example#{dolphins_key.key_id}"
    assert method["controller"] == document["id"]
    assert document["assertionMethod"] == [method["id"]]
    assert "d" not in method["publicKeyJwk"]
    assert b'"d"' not in response.content


def test_the_issuer_profile_is_at_its_stable_url(client, dolphins, dolphins_key):
    response = client.get(f"/openbadges/issuers/{dolphins.slug}/")
    assert response.status_code == 200
    profile = response.json()
    assert profile["id"] == f"{BASE_URL}/openbadges/issuers/{dolphins.slug}/"
    assert profile["type"] == ["Profile"]
    assert profile["name"] == "Dolphins SC"


def test_an_organisation_without_keys_has_no_profile(client, region):
    assert client.get(f"/openbadges/issuers/{region.slug}/").status_code == 404


def test_rotation_keeps_old_credentials_verifiable(client, certificate, dolphins, dolphins_key):
    old = issuing.credential_for(certificate)
    call_command("openbadges_keys", "--rotate", dolphins.slug)
    dolphins_key.refresh_from_db()
    assert dolphins_key.retired_at is not None
    new_key = keys.active_key(dolphins)
    assert new_key.pk != dolphins_key.pk
    published = did_keys(client)
    assert published[f"did:web:crampcourse.example#{dolphins_key.key_id}"]["retired"]
    assert "retired" not in published[f"did:web:crampcourse.example#{new_key.key_id}"]
    independently_verified(client, old.jwt)
    assert verification.check(old.jwt).verdict == verification.Verdict.VALID


def test_create_refuses_a_second_active_key(dolphins, dolphins_key):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--rotate"):
        call_command("openbadges_keys", "--create", dolphins.slug)
    assert IssuerKey.objects.active().filter(organisation=dolphins).count() == 1


def test_the_private_key_is_stored_encrypted(dolphins_key, settings):
    stored = bytes(dolphins_key.private_key_encrypted)
    assert b"PRIVATE KEY" not in stored
    assert keys.signing_key(dolphins_key).as_dict(private=True)["d"]
    settings.OPENBADGES_KEY_SECRET = "another passphrase"
    with pytest.raises(keys.NotConfigured, match="another secret"):  # it opens nothing
        keys.signing_key(dolphins_key)


def test_the_key_command_refuses_without_the_secret(dolphins, settings):
    from django.core.management.base import CommandError

    settings.OPENBADGES_KEY_SECRET = ""
    with pytest.raises(CommandError, match="OPENBADGES_KEY_SECRET"):
        call_command("openbadges_keys", "--create", dolphins.slug)
    assert not IssuerKey.objects.exists()


def test_the_payload_carries_no_secret(certificate):
    credential = issuing.credential_for(certificate)
    payload = json.dumps(jwt.decode(credential.jwt, options={"verify_signature": False}))
    assert '"d"' not in payload
    assert "passphrase" not in payload


def test_a_wrong_secret_is_a_message_not_a_500(client, trainee, certificate, dolphins, settings):
    settings.OPENBADGES_KEY_SECRET = "not the one the keys were made with"
    client.force_login(trainee)
    response = client.get(
        reverse("certification:certificate_badge", args=[certificate.code, "jwt"]), follow=True
    )
    assert response.status_code == 200
    # The swimmer is told plainly; what went wrong is for the site's administrators.
    assert "This site does not offer Open Badges credentials yet." in response.content.decode()
    status = client.get(reverse("openbadges:status_list", args=[dolphins.slug]))
    assert status.status_code == 404


def reencrypt():
    out = io.StringIO()
    call_command("openbadges_keys", "--reencrypt", stdout=out)
    return out.getvalue()


def test_changing_the_secret_keeps_signing_and_every_key(
    client, certificate, dolphins, dolphins_key, settings
):
    """The new secret in OPENBADGES_KEY_SECRET, the old one beside it: credentials are still
    signed while --reencrypt runs, and once it has, the old secret is not needed."""
    old_credential = issuing.credential_for(certificate)
    call_command("openbadges_keys", "--rotate", dolphins.slug)  # a retired key and an active one
    old_secret = settings.OPENBADGES_KEY_SECRET
    settings.OPENBADGES_KEY_SECRET = "the new passphrase"
    settings.OPENBADGES_KEY_OLD_SECRET = old_secret
    independently_verified(client, signed_afresh(certificate).jwt)
    assert reencrypt() == (
        "Encrypted again with OPENBADGES_KEY_SECRET: 2; already under it: 0.\n"
        "Every key opens with the new secret: unset OPENBADGES_KEY_OLD_SECRET.\n"
    )
    settings.OPENBADGES_KEY_OLD_SECRET = ""
    for issuer_key in IssuerKey.objects.all():
        assert keys.signing_key(issuer_key).as_dict(private=True)["d"]
    independently_verified(client, signed_afresh(certificate).jwt)
    independently_verified(client, old_credential.jwt)  # the public keys did not change
    assert reencrypt() == "Encrypted again with OPENBADGES_KEY_SECRET: 0; already under it: 2.\n"


def signed_afresh(certificate):
    """A credential signed now, with the issuer's active key (the one kept is let go)."""
    certificate.badge_credentials.all().delete()
    return issuing.credential_for(certificate)


def test_a_key_neither_secret_opens_stops_the_reencryption_and_is_named(
    dolphins, dolphins_key, region, settings
):
    settings.OPENBADGES_KEY_SECRET = "a secret nobody wrote down"
    stranger = keys.create_key(region)
    stranger_bytes = bytes(stranger.private_key_encrypted)
    settings.OPENBADGES_KEY_SECRET = "the new passphrase"
    settings.OPENBADGES_KEY_OLD_SECRET = "a test passphrase, made up for the test run"
    with pytest.raises(CommandError) as refused:
        reencrypt()
    assert str(refused.value) == (
        f"Neither OPENBADGES_KEY_SECRET nor OPENBADGES_KEY_OLD_SECRET opens the key "
        f"{stranger.key_id}: nothing was re-encrypted. Set OPENBADGES_KEY_OLD_SECRET to the "
        "secret it was made with."
    )
    # All or nothing: the Dolphins' key, which the old secret opens, was left as it was.
    dolphins_key_before = bytes(dolphins_key.private_key_encrypted)
    dolphins_key.refresh_from_db()
    stranger.refresh_from_db()
    assert bytes(dolphins_key.private_key_encrypted) == dolphins_key_before
    assert bytes(stranger.private_key_encrypted) == stranger_bytes
