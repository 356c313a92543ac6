"""VC-JWT: the credential signed as a compact JWS (ES256), as Open Badges 3.0 section 8.2 sets
out: the credential is the JWT payload, with iss, jti, sub, nbf and exp mirroring it."""

import json
from datetime import datetime

from joserfc import jws

from certification.openbadges import identity, keys


def numeric_date(value):
    return int(datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp())


def issuer_id(document):
    issuer = document.get("issuer")
    return issuer.get("id") if isinstance(issuer, dict) else issuer


def jwt_claims(document):
    claims = {
        "iss": issuer_id(document),
        "jti": document["id"],
        "sub": document["credentialSubject"].get("id", ""),
        "nbf": numeric_date(document["validFrom"]),
    }
    if "validUntil" in document:
        claims["exp"] = numeric_date(document["validUntil"])
    return claims


def sign(document, issuer_key):
    """The compact JWS of the document with its JWT claims, by the issuer's key."""
    payload = {**document, **jwt_claims(document)}
    header = {"alg": keys.ALGORITHM, "kid": identity.key_url(issuer_key), "typ": "JWT"}
    return jws.serialize_compact(
        header,
        json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode(),
        keys.signing_key(issuer_key),
        algorithms=[keys.ALGORITHM],
    )
