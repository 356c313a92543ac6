"""Invitation e-mails (a group's, a staff role's) share one rule: a send the mail server
refuses, cannot be reached for, or a header it cannot take, keeps the invitation with `sent`
off, to be shown as "not sent" and sent again; it never becomes an error page."""

import logging
import smtplib

from django.core.mail import BadHeaderError, send_mail

logger = logging.getLogger(__name__)


def send_invitation_mail(invitation, subject, body, address):
    """Send, and record on the invitation whether it went; True if it did."""
    try:
        send_mail(subject, body, None, [address])
    except (BadHeaderError, smtplib.SMTPException, OSError):
        logger.warning("%s %s was not sent.", invitation._meta.label, invitation.pk, exc_info=True)
        return False
    invitation.sent = True
    invitation.save(update_fields=["sent"])
    return True
