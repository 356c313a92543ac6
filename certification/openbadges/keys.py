"""Each issuing organisation's signing keys: made, rotated and opened here.

The private key is kept in the database encrypted with a Fernet key drawn from
settings.OPENBADGES_KEY_SECRET (from the environment), so a database backup alone signs
nothing. Rotation retires the active key rather than deleting it: its public half stays in the
DID document and the credentials it signed still verify.

Changing the secret: the new one goes in OPENBADGES_KEY_SECRET and the old one in
OPENBADGES_KEY_OLD_SECRET, which still opens the keys (Fernet's MultiFernet), so signing goes on
while reencrypt_all() encrypts every key again with the new one; then the old one is dropped.
"""

import base64
import hashlib
import secrets

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from joserfc.jwk import ECKey

from certification.models import IssuerKey

ALGORITHM = "ES256"
CURVE = "P-256"


class NotConfigured(Exception):
    """Credentials cannot be issued here yet; the message says what the site's admin does."""


def _fernet():
    secret = settings.OPENBADGES_KEY_SECRET
    if not secret:
        raise NotConfigured(
            gettext(
                "Open Badges credentials are not set up on this site yet: its administrator "
                "sets OPENBADGES_KEY_SECRET and creates the issuers' keys."
            )
        )
    # The new secret first: MultiFernet encrypts with the first and opens with any.
    old = settings.OPENBADGES_KEY_OLD_SECRET
    return MultiFernet([_fernet_of(secret), *([_fernet_of(old)] if old else [])])


def _fernet_of(secret):
    # Any passphrase will do: its SHA-256 is the Fernet key.
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(secret.encode()).digest()))


def reencrypt_all():
    """Every key (retired ones too) encrypted again with OPENBADGES_KEY_SECRET, opened with it or
    with OPENBADGES_KEY_OLD_SECRET: after the secret was changed. All or nothing: a key neither
    opens changes nothing and is named. Returns (re-encrypted, already under the new secret)."""
    fernet = _fernet()
    current = _fernet_of(settings.OPENBADGES_KEY_SECRET)
    reencrypted = unchanged = 0
    with transaction.atomic():
        for issuer_key in IssuerKey.objects.select_for_update().order_by("pk"):
            token = bytes(issuer_key.private_key_encrypted)
            try:
                current.decrypt(token)
            except InvalidToken:
                pass
            else:
                unchanged += 1
                continue
            try:
                issuer_key.private_key_encrypted = fernet.rotate(token)
            except InvalidToken:
                raise NotConfigured(
                    gettext(
                        "Neither OPENBADGES_KEY_SECRET nor OPENBADGES_KEY_OLD_SECRET opens the key "
                        "%(key)s: nothing was re-encrypted. Set OPENBADGES_KEY_OLD_SECRET to the "
                        "secret it was made with."
                    )
                    % {"key": issuer_key.key_id}
                ) from None
            issuer_key.save(update_fields=["private_key_encrypted"])
            reencrypted += 1
    return reencrypted, unchanged


def _new_key_id(organisation):
    return f"{organisation.slug}-{timezone.now():%Y%m%d}-{secrets.token_hex(3)}"


def create_key(organisation):
    """A new active key for the organisation, retiring the one it had (a rotation)."""
    fernet = _fernet()
    key = ECKey.generate_key(CURVE)
    now = timezone.now()
    with transaction.atomic():
        IssuerKey.objects.select_for_update().filter(
            organisation=organisation, retired_at__isnull=True
        ).update(retired_at=now)
        return IssuerKey.objects.create(
            organisation=organisation,
            key_id=_new_key_id(organisation),
            public_jwk=public_jwk(key),
            private_key_encrypted=fernet.encrypt(key.as_pem(private=True)),
            created_at=now,
        )


def public_jwk(key):
    jwk = dict(key.as_dict(private=False))
    jwk.pop("d", None)  # never publish the private part
    return jwk


def active_key(organisation):
    return IssuerKey.objects.active().filter(organisation=organisation).first()


def signing_key(issuer_key):
    """The private key, opened with the site's secret."""
    try:
        pem = _fernet().decrypt(bytes(issuer_key.private_key_encrypted))
    except InvalidToken:
        raise NotConfigured(
            gettext(
                "OPENBADGES_KEY_SECRET does not open this issuer's signing key: it was made "
                "with another secret."
            )
        ) from None
    return ECKey.import_key(pem)


def verifying_key(issuer_key):
    return ECKey.import_key(issuer_key.public_jwk)
