"""W3C Bitstring Status Lists: two per issuing organisation, computed from the certificates
whenever they are asked for, so they are never out of date.

In the "revocation" list a credential's bit is set when its certificate is revoked or superseded
by a reissue; in the "suspension" list while its certificate is suspended (cleared when it is
reinstated). A credential has the same place in both lists. Indexes
are drawn at random from the whole list (131,072 places, the specification's minimum of 16 KB),
so a place in the list says nothing about when or for whom a credential was issued.
"""

import base64
import gzip
import secrets
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from certification.models import BadgeCredential
from certification.openbadges import identity
from certification.openbadges.credentials import iso

LIST_SIZE = 131_072  # bits
VALIDITY_SECONDS = 300  # the list says how soon to ask again


def free_index(organisation):
    """A random unused place in the organisation's list."""
    taken = set(
        BadgeCredential.objects.filter(issuer=organisation).values_list("status_index", flat=True)
    )
    if len(taken) >= LIST_SIZE:
        raise RuntimeError("The status list is full.")
    while True:
        index = secrets.randbelow(LIST_SIZE)
        if index not in taken:
            return index


REVOCATION = "revocation"
SUSPENSION = "suspension"
PURPOSES = (REVOCATION, SUSPENSION)


def set_indexes(organisation, purpose=REVOCATION):
    """The places whose certificate is revoked or superseded (revocation), or suspended now."""
    if purpose == SUSPENSION:
        condition = Q(certificate__suspended_at__isnull=False)
    else:
        condition = Q(certificate__revoked_at__isnull=False) | Q(
            certificate__superseded_at__isnull=False
        )
    return (
        BadgeCredential.objects.filter(issuer=organisation)
        .filter(condition)
        .values_list("status_index", flat=True)
    )


def encode(indexes, size=LIST_SIZE):
    """GZIP of the bitstring, index 0 the first byte's highest bit, as multibase base64url."""
    bits = bytearray(size // 8)
    for index in indexes:
        bits[index // 8] |= 0x80 >> (index % 8)
    encoded = base64.urlsafe_b64encode(gzip.compress(bytes(bits), mtime=0)).rstrip(b"=")
    return "u" + encoded.decode()


def status_list_credential(organisation, *, purpose=REVOCATION, now=None):
    now = now or timezone.now()
    url = identity.status_list_url(organisation, purpose)
    return {
        "@context": [identity.VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": identity.issuer_url(organisation),
        "validFrom": iso(now),
        "validUntil": iso(now + timedelta(seconds=VALIDITY_SECONDS)),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": purpose,
            "encodedList": encode(set_indexes(organisation, purpose)),
        },
    }
