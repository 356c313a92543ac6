"""Issuing a certificate's credential, and the documents that verifiers fetch."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from certification.models import BadgeCredential, Certificate, IssuerKey
from certification.openbadges import (
    credentials,
    identity,
    integrity,
    keys,
    signing,
    status_list,
)
from certification.openbadges.keys import NotConfigured


class NotIssuable(Exception):
    """This certificate gets no new credential (revoked, superseded); the message says why."""


def credential_for(certificate):
    """The certificate's credential for its present validity, issued now if there is none yet.

    NotConfigured when the site cannot issue (no secret, no public host, no key for the
    issuer); NotIssuable for a revoked or superseded certificate without one."""
    existing = _existing(certificate)
    if existing is not None:
        return existing
    if certificate.revoked_at is not None or certificate.superseded_at is not None:
        raise NotIssuable(gettext("A revoked or reissued certificate gets no new credential."))
    identity.check_host()
    if certificate.issuer is None:
        raise NotConfigured(gettext("This certificate names no issuing organisation."))
    key = keys.active_key(certificate.issuer)
    if key is None:
        raise NotConfigured(
            gettext("%(issuer)s has no Open Badges signing key yet.")
            % {"issuer": certificate.issuer.name}
        )
    keys.signing_key(key)  # refuses before anything is written when the secret is missing
    for _attempt in range(3):  # two requests may draw the same free place
        try:
            return _issue(certificate, key)
        except IntegrityError:
            continue
    raise IntegrityError("No free place in the status list after three draws.")


def why_unavailable():
    """Why this site issues no credentials now ("" when it does), before any certificate."""
    try:
        keys._fernet()
        identity.check_host()
    except NotConfigured as refused:
        return str(refused)
    return ""


def issuers_with_keys():
    return set(IssuerKey.objects.active().values_list("organisation_id", flat=True))


def _existing(certificate):
    return (
        BadgeCredential.objects.filter(certificate=certificate, valid_until=certificate.valid_until)
        .select_related("key")
        .first()
    )


def _issue(certificate, key):
    with transaction.atomic():
        Certificate.objects.select_for_update().filter(pk=certificate.pk).first()
        existing = _existing(certificate)
        if existing is not None:  # issued a moment ago by another request
            return existing
        credential = BadgeCredential(
            certificate=certificate,
            issuer=certificate.issuer,
            key=key,
            status_index=status_list.free_index(certificate.issuer),
            valid_until=certificate.valid_until,
        )
        document = credentials.build(
            certificate,
            credential_id=credential.credential_id,
            status_index=credential.status_index,
            email=certificate.trainee.email,
        )
        # The embedded proof first, then the JWT around it (Open Badges 3.0, 8.2).
        credential.document = integrity.add_proof(
            document, key, created=credentials.iso(credential.issued_at)
        )
        credential.jwt = signing.sign(credential.document, key)
        credential.save()
    return credential


def signed_status_list(organisation, purpose=status_list.REVOCATION):
    """The organisation's revocation (or suspension) list as a VC-JWT, by its active key."""
    key = keys.active_key(organisation)
    if key is None:
        raise NotConfigured(gettext("This issuer has no signing key."))
    return signing.sign(status_list.status_list_credential(organisation, purpose=purpose), key)


def did_document():
    """The site's did:web document: every issuer's keys, retired ones too, so that what they
    signed still verifies; a retired key says when it was retired."""
    did = identity.site_did()
    methods = []
    for key in IssuerKey.objects.select_related("organisation"):
        method = {
            "id": identity.key_url(key),
            "type": "JsonWebKey",
            "controller": did,
            "publicKeyJwk": key.public_jwk,
        }
        if key.retired_at is not None:
            method["retired"] = credentials.iso(key.retired_at)
        methods.append(method)
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/jwk/v1"],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": [method["id"] for method in methods],
    }
