"""The OpenBadgeCredential for a certificate (Open Badges 3.0, on the W3C VC Data Model 2.0).

It states what the certificate states, as frozen at issue: the holder, the certification, the
issuer, its dates, what was assessed and by whom. The holder is named by a salted SHA-256 of
their e-mail address (an IdentityObject), never the address itself.
"""

import hashlib
import secrets
from datetime import UTC

from django.utils import timezone

from certification.openbadges import identity

EMAIL_HASH = "sha256"


def iso(moment):
    """DateTimeZ in UTC, to the second: "2026-12-03T16:00:00Z"."""
    return timezone.localtime(moment, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def hashed_email(email, salt):
    digest = hashlib.sha256(f"{email.strip().lower()}{salt}".encode()).hexdigest()
    return f"{EMAIL_HASH}${digest}"


def _criteria(certificate):
    lines = [certificate.certification.description.strip()] if certificate.certification else []
    if certificate.theory_percent is not None:
        lines.append("Pass the course's theory quizzes.")
    if certificate.assessed:
        lines.append("Show each of these skills to an assessor in the water:")
        lines.extend(f"- {skill}" for skill in certificate.assessed)
    return "\n\n".join(line for line in lines if line) or certificate.certification_title


def _evidence(certificate):
    evidence = []
    if certificate.theory_passed_at is not None:
        narrative = f"Theory passed on {certificate.theory_passed_at.date().isoformat()}"
        if certificate.theory_percent is not None:
            narrative += f" with {certificate.theory_percent.normalize():f}%"
        evidence.append({"type": ["Evidence"], "name": "Theory", "narrative": f"{narrative}."})
    if certificate.practical_at is not None:
        narrative = f"Practical assessed on {certificate.practical_at.date().isoformat()}"
        if certificate.assessor_name:
            narrative += f" by {certificate.assessor_name}"
        evidence.append(
            {"type": ["Evidence"], "name": "Practical assessment", "narrative": f"{narrative}."}
        )
    return evidence


def build(certificate, *, credential_id, status_index, email, salt=None):
    """The unsigned credential document; every address in it comes from identity."""
    salt = salt or secrets.token_hex(16)
    organisation = certificate.issuer
    issuer = identity.issuer_profile(organisation)
    issuer.pop("@context")
    status_url = identity.status_list_url(organisation)
    achievement = {
        "id": identity.achievement_id(certificate.certification.slug),
        "type": ["Achievement"],
        "achievementType": "Certification",
        "name": certificate.certification_title,
        "description": certificate.certification.description.strip()
        or certificate.certification_title,
        "criteria": {"narrative": _criteria(certificate)},
        "image": {"id": identity.badge_image_url(), "type": "Image"},
        "creator": issuer,
    }
    if certificate.number:
        achievement["humanCode"] = certificate.number
    subject = {
        "id": f"urn:uuid:{credential_id}#subject",
        "type": ["AchievementSubject"],
        "achievement": achievement,
    }
    if email:
        subject["identifier"] = [
            {
                "type": "IdentityObject",
                "identityHash": hashed_email(email, salt),
                "identityType": "emailAddress",
                "hashed": True,
                "salt": salt,
            }
        ]
    document = {
        "@context": [identity.VC_CONTEXT, identity.OB_CONTEXT],
        "id": f"urn:uuid:{credential_id}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": certificate.certification_title,
        "issuer": issuer,
        "validFrom": iso(certificate.issued_at),
        "validUntil": iso(certificate.valid_until),
        "credentialSubject": subject,
        "evidence": _evidence(certificate),
        # One entry, for revocation: Open Badges 3.0 allows one credentialStatus (its
        # 1EdTech schema says an object, not a list). The issuer's suspension list
        # (status_list.SUSPENSION, identity.status_list_url(organisation, "suspension")) uses
        # the same statusListIndex; this site's verifier checks both.
        "credentialStatus": {
            "id": f"{status_url}#{status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(status_index),
            "statusListCredential": status_url,
        },
    }
    if not document["evidence"]:
        del document["evidence"]
    return document
