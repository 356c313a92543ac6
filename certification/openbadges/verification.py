"""Checking a credential that someone pasted or uploaded on /verify/.

Each outcome has its own verdict and a reason a visitor understands: valid, expired, revoked
(or superseded by a reissue), suspended (its bit set in the issuer's suspension list), tampered
(changed after signing, or signed without a public key), unknown issuer (a key or issuer this
site does not know) and not a credential. Nothing here raises on bad input, and no reason quotes
a key or a secret.
"""

import base64
import binascii
import json
import uuid
from datetime import datetime
from typing import NamedTuple

from django.conf import settings
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from joserfc import jws
from joserfc.errors import JoseError

from certification.models import BadgeCredential, IssuerKey
from certification.openbadges import baking, identity, integrity, keys, signing

ACCEPTED_ALGORITHMS = [keys.ALGORITHM]


class Verdict(models.TextChoices):
    VALID = "valid", _("Valid")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")
    SUSPENDED = "suspended", _("Suspended")
    TAMPERED = "tampered", _("Tampered with")
    UNKNOWN_ISSUER = "unknown_issuer", _("Unknown issuer")
    NOT_A_CREDENTIAL = "not_a_credential", _("Not a credential")


class Check(NamedTuple):
    verdict: str
    reason: str
    credential: object = None  # the BadgeCredential, when it is one of ours


def check(raw, *, now=None):
    """The verdict on what was pasted or uploaded (bytes or text)."""
    if isinstance(raw, str):
        raw = raw.encode()
    if len(raw) > settings.OPENBADGES_UPLOAD_MAX_BYTES:
        return _not_a_credential(gettext("It is too large to be a credential."))
    if raw.startswith(baking.PNG_SIGNATURE):
        try:
            raw = baking.unbake(raw).encode()
        except (baking.NotABakedBadge, UnicodeDecodeError):
            return _not_a_credential(gettext("This picture has no Open Badges credential in it."))
    try:
        text = raw.decode().strip()
    except UnicodeDecodeError:
        return _not_a_credential(gettext("It is neither text nor a badge picture."))
    if text.startswith("{"):
        return _check_json(text, now or timezone.now())
    return _check_jwt(text, now or timezone.now())


def _not_a_credential(reason):
    return Check(Verdict.NOT_A_CREDENTIAL, reason)


def _b64_json(segment):
    padded = segment + "=" * (-len(segment) % 4)
    return json.loads(base64.urlsafe_b64decode(padded.encode()))


def _check_jwt(token, now):
    parts = token.split(".")
    if len(parts) != 3:
        return _not_a_credential(
            gettext("It is neither a signed credential (a JWT) nor a credential's JSON.")
        )
    try:
        header = _b64_json(parts[0])
        if not isinstance(header, dict):
            raise ValueError
    except (ValueError, binascii.Error, UnicodeDecodeError, RecursionError):
        return _not_a_credential(gettext("Its signature header cannot be read."))
    algorithm = str(header.get("alg", ""))
    if algorithm.lower() == "none" or not parts[2]:
        return Check(
            Verdict.TAMPERED, gettext("It carries no signature, so anyone could have written it.")
        )
    if algorithm.upper().startswith("HS"):
        return Check(
            Verdict.TAMPERED,
            gettext(
                "It is sealed with a shared secret (%(alg)s), not an issuer's public key: "
                "it proves nothing about who issued it."
            )
            % {"alg": algorithm[:10]},
        )
    kid = str(header.get("kid", ""))
    prefix = f"{identity.site_did()}#"
    key = None
    if kid.startswith(prefix):
        key = (
            IssuerKey.objects.select_related("organisation")
            .filter(key_id=kid.removeprefix(prefix))
            .first()
        )
    if key is None or algorithm not in ACCEPTED_ALGORITHMS:
        return Check(
            Verdict.UNKNOWN_ISSUER,
            gettext("It is signed with a key that no issuer on this site has published."),
        )
    try:
        signed = jws.deserialize_compact(
            token, keys.verifying_key(key), algorithms=ACCEPTED_ALGORITHMS
        )
        document = json.loads(signed.payload)
    except (JoseError, ValueError, UnicodeDecodeError, RecursionError):
        return Check(
            Verdict.TAMPERED,
            gettext("The signature does not match: it was changed after it was signed."),
        )
    if not isinstance(document, dict):
        return _not_a_credential(gettext("Its content is not a credential."))
    return _check_signed(document, key, now)


def _check_signed(document, key, now):
    """A document whose signature verified with one of our keys: is it what that key's issuer
    issued, and is it in force?"""
    claims = {name: document.get(name) for name in ("iss", "jti", "sub", "nbf", "exp")}
    try:
        expected = signing.jwt_claims(document)
    except (KeyError, TypeError, AttributeError, ValueError):
        return _not_a_credential(gettext("It lacks what an Open Badges credential states."))
    if claims != {name: expected.get(name) for name in claims}:
        return Check(Verdict.TAMPERED, gettext("Its signed claims do not match its content."))
    if expected["iss"] != identity.issuer_url(key.organisation):
        return Check(
            Verdict.TAMPERED, gettext("It names an issuer other than the one whose key signed it.")
        )
    credential = _ours(document.get("jti"))
    if credential is None or credential.key_id != key.pk:
        return Check(Verdict.UNKNOWN_ISSUER, gettext("The issuer has no record of it."))
    return _in_force(credential, now)


def _ours(credential_id):
    try:
        pk = uuid.UUID(str(credential_id).removeprefix("urn:uuid:"))
    except ValueError:
        return None
    return (
        BadgeCredential.objects.select_related("certificate__superseded_by", "issuer", "key")
        .filter(credential_id=pk)
        .first()
    )


def _check_json(text, now):
    try:
        document = json.loads(text)
    except (ValueError, RecursionError):
        return _not_a_credential(gettext("It is not valid JSON."))
    if not isinstance(document, dict) or "OpenBadgeCredential" not in _types(document):
        return _not_a_credential(gettext("It is JSON, but not an Open Badges credential."))
    if document.get("type") == "EnvelopedVerifiableCredential":
        token = str(document.get("id", "")).removeprefix("data:application/vc+jwt,")
        return _check_jwt(token, now)
    if "proof" in document:
        return _check_proof(document, now)
    issuer = signing.issuer_id(document)
    credential = _ours(document.get("id"))
    if credential is None or issuer != identity.issuer_url(credential.issuer):
        known = str(issuer or "").startswith(f"{identity.base_url()}/")
        return Check(
            Verdict.TAMPERED if known else Verdict.UNKNOWN_ISSUER,
            gettext("This site issued no credential with this id.")
            if known
            else gettext("It names an issuer that is not on this site."),
        )
    # Without its proof, a credential is what the issuer kept, field for field.
    issued = {name: value for name, value in credential.document.items() if name != "proof"}
    if document != issued:
        changed = sorted(
            name for name in set(document) | set(issued) if document.get(name) != issued.get(name)
        )
        return Check(
            Verdict.TAMPERED,
            gettext("It differs from what was issued in: %(fields)s.")
            % {"fields": ", ".join(changed[:5])},
        )
    return _in_force(credential, now)


def _check_proof(document, now):
    """A credential with its embedded Data Integrity proof: checked by the key it names."""
    proofs = document["proof"]
    proof = proofs[0] if isinstance(proofs, list) and proofs else proofs
    method = str(proof.get("verificationMethod", "")) if isinstance(proof, dict) else ""
    prefix = f"{identity.site_did()}#"
    key = None
    if method.startswith(prefix):
        key = (
            IssuerKey.objects.select_related("organisation")
            .filter(key_id=method.removeprefix(prefix))
            .first()
        )
    if key is None:
        return Check(
            Verdict.UNKNOWN_ISSUER,
            gettext("It is signed with a key that no issuer on this site has published."),
        )
    try:
        integrity.verify_proof(document, key)
    except integrity.BadProof:
        return Check(
            Verdict.TAMPERED,
            gettext("The signature does not match: it was changed after it was signed."),
        )
    if signing.issuer_id(document) != identity.issuer_url(key.organisation):
        return Check(
            Verdict.TAMPERED, gettext("It names an issuer other than the one whose key signed it.")
        )
    credential = _ours(document.get("id"))
    if credential is None or credential.key_id != key.pk:
        return Check(Verdict.UNKNOWN_ISSUER, gettext("The issuer has no record of it."))
    return _in_force(credential, now)


def _types(document):
    kinds = document.get("type", [])
    kinds = [kinds] if isinstance(kinds, str) else kinds
    if document.get("type") == "EnvelopedVerifiableCredential":
        return ["OpenBadgeCredential"]
    return kinds if isinstance(kinds, list) else []


def _day(moment):
    return formats.date_format(timezone.localtime(moment), "DATE_FORMAT")


def _in_force(credential, now):
    certificate = credential.certificate
    if certificate.revoked_at is not None:
        return Check(
            Verdict.REVOKED,
            gettext("The issuer revoked it on %(date)s.") % {"date": _day(certificate.revoked_at)},
            credential,
        )
    if certificate.superseded_at is not None:
        number = certificate.superseded_by.number if certificate.superseded_by else ""
        return Check(
            Verdict.REVOKED,
            gettext("It was replaced by a reissued certificate (%(number)s) on %(date)s.")
            % {"number": number, "date": _day(certificate.superseded_at)},
            credential,
        )
    if certificate.suspended_at is not None:  # its bit in the issuer's suspension list
        return Check(
            Verdict.SUSPENDED,
            gettext("The issuer suspended it on %(date)s; it is not in force until reinstated.")
            % {"date": _day(certificate.suspended_at)},
            credential,
        )
    if credential.valid_until <= now:
        return Check(
            Verdict.EXPIRED,
            gettext("It ran out on %(date)s.") % {"date": _day(credential.valid_until)},
            credential,
        )
    valid_from = datetime.fromisoformat(credential.document["validFrom"].replace("Z", "+00:00"))
    if valid_from > now:
        return Check(Verdict.TAMPERED, gettext("It is not valid yet."), credential)
    return Check(Verdict.VALID, gettext("Signed by its issuer and in force."), credential)
