"""Confirming e-mail addresses: a signed link mailed to the address, valid EMAIL_CONFIRM_DAYS.

The link names the account and the address it was sent to; it confirms that address only
while it is still the account's, so changing the address makes every earlier link useless.
Registered with crampcourse.verification, which the apps below accounts ask.
"""

import logging
import smtplib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import BadHeaderError, send_mail
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from accounts.models import VerifiedEmail
from crampcourse.languages import speaking_to
from crampcourse.verification import same_address

logger = logging.getLogger(__name__)

SALT = "accounts.email-confirmation"

# What to select_related on users to check many addresses at once (is_verified reads it).
related_name = "verified_email"


class LinkRefused(Exception):
    """The link cannot confirm anything; the message says why in plain words."""


def is_verified(user):
    if not user.email or user.pk is None:
        return False
    try:
        proof = user.verified_email  # kept on the user once read
    except VerifiedEmail.DoesNotExist:
        return False
    return same_address(proof.email, user.email)


def verified_filter(prefix=""):
    proof = VerifiedEmail.objects.filter(
        user_id=OuterRef(f"{prefix}pk"), email__iexact=OuterRef(f"{prefix}email")
    )
    return Q(Exists(proof)) & ~Q(**{f"{prefix}email": ""})


def confirm(user, *, now=None):
    """The account's present address is proven theirs."""
    proof, _ = VerifiedEmail.objects.update_or_create(
        user=user, defaults={"email": user.email, "verified_at": now or timezone.now()}
    )
    user.verified_email = proof
    return proof


def forget_proof(user):
    """The address changed (or went): it is unverified until its own link is opened."""
    VerifiedEmail.objects.filter(user=user).delete()
    user._state.fields_cache.pop("verified_email", None)


def make_token(user):
    return signing.dumps({"u": user.pk, "e": user.email}, salt=SALT, compress=True)


def read_token(token):
    """(user, address) of a link that may still confirm, or LinkRefused."""
    max_age = settings.EMAIL_CONFIRM_DAYS * 24 * 60 * 60
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.SignatureExpired as expired:
        days = settings.EMAIL_CONFIRM_DAYS
        raise LinkRefused(
            ngettext(
                "This link is older than %(days)s day. Log in and send yourself a new one "
                "from My account.",
                "This link is older than %(days)s days. Log in and send yourself a new one "
                "from My account.",
                days,
            )
            % {"days": days}
        ) from expired
    except signing.BadSignature as bad:
        raise LinkRefused(
            gettext("This link is not one we sent. Copy the whole link from the e-mail.")
        ) from bad
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        raise LinkRefused(gettext("This link is not one we sent."))
    user = get_user_model().objects.filter(pk=data["u"], is_active=True).first()
    if user is None or not same_address(user.email, data.get("e")):
        raise LinkRefused(
            gettext(
                "This link was sent to an address the account no longer has. Log in and send "
                "a new one from My account."
            )
        )
    return user, user.email


def confirmation_link(user, site_url):
    return site_url + reverse("accounts:email_confirm", args=[make_token(user)])


def send_confirmation(user, *, site_url):
    """Mail the link; True if the mail server took it (a refusal is logged, never raised).

    In the language saved on the account, else the page's: the person asking is the owner."""
    days = settings.EMAIL_CONFIRM_DAYS
    names = {
        "link": confirmation_link(user, site_url),
        "days": days,
        "name": user.get_full_name() or user.username,
    }
    with speaking_to(user, otherwise=translation.get_language()):
        subject = gettext("Confirm your e-mail address on CrampCourse")
        body = (
            ngettext(
                "Hello %(name)s,\n\n"
                "Open this link to confirm that this e-mail address is yours:\n%(link)s\n\n"
                "The link works for %(days)s day. Until you confirm it, CrampCourse sends no "
                "password resets, invitations or reminders to this address.\n\n"
                "If you did not ask for this, ignore this e-mail: nothing changes.",
                "Hello %(name)s,\n\n"
                "Open this link to confirm that this e-mail address is yours:\n%(link)s\n\n"
                "The link works for %(days)s days. Until you confirm it, CrampCourse sends no "
                "password resets, invitations or reminders to this address.\n\n"
                "If you did not ask for this, ignore this e-mail: nothing changes.",
                days,
            )
            % names
        )
    try:
        send_mail(subject, body, None, [user.email])
    except (BadHeaderError, smtplib.SMTPException, OSError):
        logger.warning("E-mail confirmation for user %s was not sent.", user.pk, exc_info=True)
        return False
    return True
