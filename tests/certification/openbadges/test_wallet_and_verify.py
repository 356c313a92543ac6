"""Point 5 and bad input: the holder downloads the credential (.json, .jwt and a baked PNG);
anyone checks one on /verify/ and gets a clear verdict, never a 500."""

import base64
import io
import json
from datetime import timedelta

import jwt
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from certification.openbadges import baking, issuing, keys
from certification.services import reissue_certificate, revoke_certificate
from tests.certification.openbadges.conftest import badge_url
from tests.factories import make_trainee

VERIFY = "/verify/"

pytestmark = pytest.mark.django_db


def verdict_of(client, **data):
    response = client.post(VERIFY, data)
    assert response.status_code in (200, 400), response.status_code
    return response, response.context["result"]


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def resigned_payload(token, change):
    """The JWT with its payload changed and the issuer's signature kept."""
    header, payload, signature = token.split(".")
    body = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    change(body)
    return ".".join([header, b64(json.dumps(body).encode()), signature])


def test_the_holder_downloads_all_three(client, trainee, certificate):
    client.force_login(trainee)
    page = client.get(reverse("certification:my_certificates"))
    assert "Add to a wallet" in page.content.decode()
    token = client.get(badge_url(certificate, "jwt")).content.decode()
    document = client.get(badge_url(certificate, "json")).json()
    png = client.get(badge_url(certificate, "png"))
    assert png["Content-Type"] == "image/png"
    assert png["Content-Disposition"].startswith("attachment;")
    assert jwt.decode(token, options={"verify_signature": False})["id"] == document["id"]
    # Pillow, not our reader, finds the credential in the iTXt chunk.
    picture = Image.open(io.BytesIO(png.content))
    picture.load()
    assert picture.text["openbadgecredential"] == token


def test_someone_else_cannot_download_it(client, certificate):
    client.force_login(make_trainee("nosy"))
    assert client.get(badge_url(certificate, "jwt")).status_code == 404


def test_an_unconfigured_site_tells_the_swimmer_plainly_instead_of_issuing(
    client, trainee, certificate, settings
):
    settings.OPENBADGES_KEY_SECRET = ""
    client.force_login(trainee)
    page = client.get(reverse("certification:my_certificates")).content.decode()
    assert "This site does not offer Open Badges credentials yet." in page
    assert "OPENBADGES_KEY_SECRET" not in page  # settings are the administrators' business
    response = client.get(badge_url(certificate, "png"), follow=True)
    assert "This site does not offer Open Badges credentials yet." in response.content.decode()
    assert "OPENBADGES_KEY_SECRET" not in response.content.decode()


def test_an_unconfigured_site_logs_what_to_set_for_its_administrators(
    client, trainee, certificate, settings, caplog
):
    settings.OPENBADGES_KEY_SECRET = ""
    client.force_login(trainee)
    with caplog.at_level("WARNING", logger="certification.views"):
        client.get(badge_url(certificate, "png"))
    assert "OPENBADGES_KEY_SECRET" in caplog.text


@pytest.mark.parametrize("fmt", ["jwt", "json", "png"])
def test_each_download_verifies_when_uploaded(client, trainee, certificate, fmt):
    client.force_login(trainee)
    body = client.get(badge_url(certificate, fmt)).content
    client.logout()
    upload = SimpleUploadedFile(f"badge.{fmt}", body)
    response, result = verdict_of(client, upload=upload)
    assert result.verdict == "valid"
    assert "Ada Swimmer" in response.content.decode()


def test_a_pasted_jwt_is_revoked_after_revocation(client, certificate):
    token = issuing.credential_for(certificate).jwt
    assert verdict_of(client, credential=token)[1].verdict == "valid"
    revoke_certificate(certificate, reason="Cheated")
    response, result = verdict_of(client, credential=token)
    assert result.verdict == "revoked"
    assert "Cheated" not in response.content.decode()  # the reason stays with the club


def test_a_superseded_credential_is_revoked_and_says_so(client, certificate):
    token = issuing.credential_for(certificate).jwt
    new = reissue_certificate(certificate, reason="New name")
    _response, result = verdict_of(client, credential=token)
    assert result.verdict == "revoked"
    assert new.number in result.reason


def test_an_expired_credential(client, certificate):
    token = issuing.credential_for(certificate).jwt
    later = certificate.valid_until + timedelta(days=1)
    import time_machine

    with time_machine.travel(later):
        assert verdict_of(client, credential=token)[1].verdict == "expired"


@pytest.mark.parametrize(
    "change",
    [
        lambda body: body["credentialSubject"]["achievement"].update(name="Olympic champion"),
        lambda body: body.update(validUntil="2099-01-01T00:00:00Z", exp=4070908800),
        lambda body: body["credentialSubject"].update(id="urn:uuid:someone-else"),
    ],
    ids=["name", "date", "subject"],
)
def test_a_changed_jwt_is_tampered(client, certificate, change):
    token = resigned_payload(issuing.credential_for(certificate).jwt, change)
    assert verdict_of(client, credential=token)[1].verdict == "tampered"


@pytest.mark.parametrize(
    "change",
    [
        lambda doc: doc["credentialSubject"]["achievement"].update(name="Olympic champion"),
        lambda doc: doc.update(validUntil="2099-01-01T00:00:00Z"),
        lambda doc: doc["credentialSubject"]["identifier"][0].update(identityHash="sha256$00"),
    ],
    ids=["name", "date", "subject"],
)
def test_a_changed_json_is_tampered(client, certificate, change):
    document = json.loads(json.dumps(issuing.credential_for(certificate).document))
    change(document)
    _response, result = verdict_of(client, credential=json.dumps(document))
    assert result.verdict == "tampered"


def test_alg_none_is_refused(client, certificate):
    token = issuing.credential_for(certificate).jwt
    _header, payload, _signature = token.split(".")
    unsigned = f"{b64(json.dumps({'alg': 'none', 'typ': 'JWT'}).encode())}.{payload}."
    result = verdict_of(client, credential=unsigned)[1]
    assert result.verdict == "tampered"
    assert "no signature" in result.reason


def test_an_hmac_signature_is_refused(client, certificate):
    document = issuing.credential_for(certificate).document
    kid = jwt.get_unverified_header(certificate.badge_credentials.get().jwt)["kid"]
    forged = jwt.encode(
        document,
        "a shared secret anyone with the page could guess",
        algorithm="HS256",
        headers={"kid": kid},
    )
    result = verdict_of(client, credential=forged)[1]
    assert result.verdict == "tampered"
    assert "shared secret" in result.reason


def test_a_signature_from_an_unknown_key(client, certificate):
    from joserfc import jws
    from joserfc.jwk import ECKey

    credential = issuing.credential_for(certificate)
    stranger = ECKey.generate_key("P-256")
    header = {"alg": "ES256", "typ": "JWT", "kid": "did:web:crampcourse.example#stranger"}
    forged = jws.serialize_compact(
        header, json.dumps(credential.document).encode(), stranger, algorithms=["ES256"]
    )
    assert verdict_of(client, credential=forged)[1].verdict == "unknown_issuer"


def test_another_issuers_key_on_our_credential_is_tampered(client, certificate, region):
    """Signed by a key of this site, but of another issuer than the one it names."""
    from certification.openbadges import signing

    credential = issuing.credential_for(certificate)
    forged = signing.sign(credential.document, keys.create_key(region))
    assert verdict_of(client, credential=forged)[1].verdict == "tampered"


@pytest.mark.parametrize(
    "body",
    [b"hello", b"{not json", b"\xff\xfe\x00binary", b'{"type": ["VerifiableCredential"]}',
     b"a.b.c", b"\x89PNG\r\n\x1a\nbroken"],
    ids=["text", "bad-json", "binary", "other-json", "junk-jwt", "broken-png"],
)  # fmt: skip
def test_junk_is_not_a_credential(client, body):
    upload = SimpleUploadedFile("junk.json", body)
    result = verdict_of(client, upload=upload)[1]
    assert result.verdict == "not_a_credential"


def test_a_png_without_a_credential(client):
    upload = SimpleUploadedFile("badge.png", baking.badge_png())
    result = verdict_of(client, upload=upload)[1]
    assert result.verdict == "not_a_credential"


def test_a_huge_upload_is_refused_with_a_message(client, settings):
    settings.OPENBADGES_UPLOAD_MAX_BYTES = 1024
    response = client.post(VERIFY, {"upload": SimpleUploadedFile("big.json", b"{" * 5000)})
    assert response.status_code == 400
    assert "larger than a credential" in response.content.decode()
    response = client.post(VERIFY, {"credential": "x" * 5000})
    assert response.context["result"].verdict == "not_a_credential"


def test_an_empty_form_asks_for_a_credential(client):
    response = client.post(VERIFY, {})
    assert response.status_code == 400
    assert "Paste a credential" in response.content.decode()


def test_the_page_opens_for_anyone(client):
    response = client.get(VERIFY)
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex"


def test_no_key_material_in_any_answer(client, certificate, dolphins_key):
    token = issuing.credential_for(certificate).jwt
    secret = keys.signing_key(dolphins_key).as_dict(private=True)["d"]
    for body in (token, token[:-4] + "AAAA", "{", "x"):
        content = client.post(VERIFY, {"credential": body}).content.decode()
        assert secret not in content
        assert "passphrase" not in content


def test_a_credential_valid_from_the_future_is_not_valid(client, certificate):
    certificate.issued_at = timezone.now() + timedelta(days=3)
    certificate.save()
    token = issuing.credential_for(certificate).jwt
    assert verdict_of(client, credential=token)[1].verdict != "valid"


def test_my_certificates_reads_one_more_query_with_badges_on(
    client, trainee, certificate, django_assert_max_num_queries
):
    client.force_login(trainee)
    with django_assert_max_num_queries(6):  # test_queries pins 5 without Open Badges
        assert client.get(reverse("certification:my_certificates")).status_code == 200
