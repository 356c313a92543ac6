"""The embedded proof: a W3C Data Integrity proof with the ecdsa-jcs-2019 cryptosuite (VC Data
Integrity ECDSA Cryptosuites v1.0), by the same P-256 key as the JWT, so that the credential's
JSON verifies on its own, without the JWT around it.

hashData = SHA-256(JCS(proof options with the document's @context)) followed by
SHA-256(JCS(document without proof)); the signature is ECDSA P-256 with SHA-256 over hashData,
as r||s (IEEE P1363), written base58btc with the multibase prefix "z".
"""

import hashlib
import json

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

from certification.openbadges import identity, keys

CRYPTOSUITE = "ecdsa-jcs-2019"
BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


class BadProof(ValueError):
    pass


def jcs(value):
    """RFC 8785 for what credentials hold here: strings, integers, booleans, lists, objects
    (keys sorted; sorting by code point equals UTF-16 order for the keys we write)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def base58(data):
    number = int.from_bytes(data, "big")
    text = ""
    while number:
        number, rest = divmod(number, 58)
        text = BASE58[rest] + text
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + text


def unbase58(text):
    number = 0
    for char in text:
        if char not in BASE58:
            raise BadProof("not base58")
        number = number * 58 + BASE58.index(char)
    body = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


def _hash_data(document, options):
    unsecured = {name: value for name, value in document.items() if name != "proof"}
    config = {name: value for name, value in options.items() if name != "proofValue"}
    if "@context" in unsecured:
        config["@context"] = unsecured["@context"]
    return hashlib.sha256(jcs(config)).digest() + hashlib.sha256(jcs(unsecured)).digest()


def _private_key(issuer_key):
    return keys.signing_key(issuer_key).private_key  # a cryptography EllipticCurvePrivateKey


def add_proof(document, issuer_key, created):
    """The document with its proof (a list of one, as the 1EdTech schema has it)."""
    options = {
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": identity.key_url(issuer_key),
        "proofPurpose": "assertionMethod",
    }
    der = _private_key(issuer_key).sign(_hash_data(document, options), ec.ECDSA(hashes.SHA256()))
    r, s = decode_dss_signature(der)
    signature = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    return {**document, "proof": [{**options, "proofValue": "z" + base58(signature)}]}


def verify_proof(document, issuer_key):
    """Raise BadProof unless the document carries a valid proof by this key."""
    proofs = document.get("proof")
    proofs = [proofs] if isinstance(proofs, dict) else proofs
    if not isinstance(proofs, list) or len(proofs) != 1 or not isinstance(proofs[0], dict):
        raise BadProof("one proof expected")
    proof = proofs[0]
    if proof.get("cryptosuite") != CRYPTOSUITE or proof.get("type") != "DataIntegrityProof":
        raise BadProof("another cryptosuite")
    if proof.get("verificationMethod") != identity.key_url(issuer_key):
        raise BadProof("another key")
    value = str(proof.get("proofValue", ""))
    if not value.startswith("z"):
        raise BadProof("not base58btc")
    signature = unbase58(value[1:])
    if len(signature) != 64:
        raise BadProof("not a P-256 signature")
    der = encode_dss_signature(
        int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    )
    public = keys.verifying_key(issuer_key).public_key
    try:
        public.verify(der, _hash_data(document, proof), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        raise BadProof("signature does not match") from None
