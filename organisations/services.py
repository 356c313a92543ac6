"""Granting, ending and offering staff roles; every rule that keeps a club run lives here."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from crampcourse import verification
from crampcourse.languages import speaking_to
from crampcourse.mail import send_invitation_mail
from crampcourse.templatetags.dates import short_date
from organisations import hooks
from organisations.access import RUNS_GROUPS
from organisations.models import ROLES_OF_KIND, Kind, Role, StaffInvitation, StaffRole


class StaffRuleBroken(Exception):
    """A change that would leave a club unmanaged, or a role the organisation has not."""


class InvitationGone(StaffRuleBroken):
    """The offer was accepted, withdrawn or declined, or is older than INVITATION_DAYS."""


class InvitationForAnother(StaffRuleBroken):
    """The offer is for another account, or for an address this account has not confirmed."""


def _no_such_role(organisation):
    if organisation.kind == Kind.FEDERATION:
        return _("A federation has no such role.")
    return _("A club has no such role.")


def grant_role(person, organisation, role, *, granted_by=None, now=None):
    """Give the person the role (again): one running row, whatever was before."""
    if role not in ROLES_OF_KIND[organisation.kind]:
        raise StaffRuleBroken(_no_such_role(organisation))
    found = (
        StaffRole.objects.active()
        .filter(person=person, organisation=organisation, role=role)
        .first()
    )
    if found:
        return found
    granted = StaffRole.objects.create(
        person=person,
        organisation=organisation,
        role=role,
        granted_by=granted_by,
        granted_at=now or timezone.now(),
    )
    for cached in ("_running_roles", "_runs_groups"):
        if hasattr(person, cached):
            delattr(person, cached)
    return granted


def end_role(staff_role, *, now=None):
    """End a role; the person's groups and their data stay.

    A club keeps at least one club admin once it has one; the apps that hang work on a coach
    (training's groups) check that nothing is left with nobody to run it.
    """
    with transaction.atomic():
        club = staff_role.organisation
        others = StaffRole.objects.active().filter(organisation=club).exclude(pk=staff_role.pk)
        keeps_admin = others.filter(role=Role.CLUB_ADMIN).exists()
        if staff_role.role == Role.CLUB_ADMIN and not keeps_admin:
            raise StaffRuleBroken(
                _("%(club)s needs another club admin before this one can go.") % {"club": club}
            )
        still_runs = others.filter(person=staff_role.person, role__in=list(RUNS_GROUPS))
        if staff_role.role in RUNS_GROUPS and not still_runs.exists():
            hooks.role_ending(staff_role, keeps_admin)
        staff_role.ended_at = now or timezone.now()
        staff_role.save(update_fields=["ended_at"])
    return staff_role


def offer_role(organisation, role, *, invited_by, email="", person=None):
    """An invitation to a role: by e-mail, or to an existing account (who must accept)."""
    if role not in ROLES_OF_KIND[organisation.kind]:
        raise StaffRuleBroken(_no_such_role(organisation))
    return StaffInvitation.objects.create(
        organisation=organisation, role=role, email=email, person=person, invited_by=invited_by
    )


def may_accept(invitation, person):
    """Raises InvitationForAnother, saying whom the offer is for (an address masked) and, when
    the account has typed that address without confirming it, how to confirm it first."""
    if invitation.may_be_accepted_by(person):
        return
    if invitation.person_id:
        raise InvitationForAnother(_("This invitation is for another account."))
    raise InvitationForAnother(
        verification.not_the_owner(
            person,
            invitation.email,
            elsewhere=_(
                "This invitation was sent to %(address)s, and only that address can use it. Log "
                "in with the account that has that address, or ask the club admin for a new "
                "invitation."
            ),
        )
    )


def accept_invitation(invitation, person, *, now=None):
    """The person says yes: the role is theirs from now. An offer made to one account cannot
    be taken up by another, nor an e-mailed one by an account that has not confirmed the
    invited address; a used, withdrawn or expired one does nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = StaffInvitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.accepted_at or locked.withdrawn_at:
            raise InvitationGone(_("This invitation has already been used or withdrawn."))
        if locked.is_expired(now):
            raise InvitationGone(
                _("This invitation has expired. Ask the club admin for a new one.")
            )
        may_accept(locked, person)
        role = grant_role(
            person, locked.organisation, locked.role, granted_by=locked.invited_by, now=now
        )
        locked.accepted_at = now
        locked.accepted_by = person
        locked.save(update_fields=["accepted_at", "accepted_by"])
    return role


def offer_again(invitation, *, invited_by, now=None):
    """A new offer, with a new link, in place of an expired one, which ends; the old link
    keeps saying it has expired."""
    with transaction.atomic():
        withdraw_invitation(invitation, now=now)
        return StaffInvitation.objects.create(
            organisation=invitation.organisation,
            role=invitation.role,
            email=invitation.email,
            person=invitation.person,
            invited_by=invited_by,
            created_at=now or timezone.now(),
        )


def withdraw_invitation(invitation, *, now=None):
    invitation.withdrawn_at = now or timezone.now()
    invitation.save(update_fields=["withdrawn_at"])
    return invitation


def invitation_address(invitation):
    """Where the offer is e-mailed: the address typed, or the invited account's own, or ""."""
    if invitation.email:
        return invitation.email
    return invitation.person.email if invitation.person_id else ""


def _expiry_note(invitation):
    names = {"date": short_date(timezone.localtime(invitation.expires_at))}
    if invitation.email:
        return (
            _(
                "The link works until %(date)s, and only for an account that has confirmed "
                "this address."
            )
            % names
        )
    return _("The offer stands until %(date)s.") % names


def send_invitation(invitation, *, site_url):
    """E-mail the offer with its link. A send that fails (the mail server refuses or cannot be
    reached) leaves `sent` off for the club admin to send again; it returns False, never raises.
    """
    address = invitation_address(invitation)
    if not address:
        return False
    inviter = invitation.invited_by
    # In the invited account's saved language; an address with no account yet (or an account
    # that never chose) gets the language of the club admin's page, who knows whom they invite.
    with speaking_to(invitation.person, otherwise=translation.get_language()):
        names = {
            "inviter": (inviter.get_full_name() or inviter.username)
            if inviter
            else _("A club admin"),
            "organisation": invitation.organisation.name,
            "role": invitation.get_role_display(),
            "link": site_url + reverse("organisations:staff_invitation", args=[invitation.token]),
        }
        subject = _("Staff role at %(organisation)s on CrampCourse") % names
        body = (
            _(
                "%(inviter)s offers you the role “%(role)s” at %(organisation)s on CrampCourse, "
                "leg-cramp safety training for swimmers.\n\n"
                "Open this link to see the offer and accept it (you log in or make an account "
                "first):\n%(link)s\n\n"
                "If you did not expect this, ignore this e-mail: nobody becomes staff without "
                "saying yes."
            )
            % names
        )
        body += "\n\n" + _expiry_note(invitation)
    return send_invitation_mail(invitation, subject, body, address)
