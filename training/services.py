"""Group, assignment and override writes. Views, admin and commands call these."""

import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group as AuthGroup
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop, ngettext

from crampcourse import languages, verification
from crampcourse.mail import send_invitation_mail
from organisations import access
from training.models import (
    JOIN_CODE_LENGTH,
    Assignment,
    Invitation,
    Membership,
    QuizOverride,
    TimeMultiplier,
    TrainingGroup,
    generate_join_code,
)
from training.roles import TRAINEE, is_coach


class JoinRefused(Exception):
    """The trainee cannot join; the message says why in plain words."""


class GroupRefused(Exception):
    """The coach cannot make the group there; the message says why."""


def create_group(coach, name, description="", club=None):
    """A new group in a club the coach runs groups in (the only one, if they have one)."""
    clubs = list(access.clubs_for_new_groups(coach))
    if club is None and len(clubs) == 1:
        club = clubs[0]
    if club is None or club not in clubs:
        raise GroupRefused(
            gettext("Ask a club admin to add you as a coach of the club first.")
            if not clubs
            else gettext("Choose one of your clubs for the group.")
        )
    group = TrainingGroup.objects.create(name=name, description=description, club=club)
    group.coaches.add(coach)
    return group


def renew_join_code(group):
    """A new code (and invitation link): the old one, and every e-mailed invitation not yet
    accepted, stop working at once (a coach renews a code because it got out)."""
    with transaction.atomic():
        group.join_code = generate_join_code()
        group.save(update_fields=["join_code"])
        group.invitations.filter(accepted_at__isnull=True).delete()
    return group.join_code


def add_trainee(group, trainee):
    """Put the trainee in the group, or back in it after a removal; history is kept."""
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(group=group, trainee=trainee)
        if not created and membership.removed_at is not None:
            membership.removed_at = None
            membership.joined_at = timezone.now()
            membership.save(update_fields=["removed_at", "joined_at"])
        trainee.groups.add(AuthGroup.objects.get(name=TRAINEE))
    return membership


# gettext_noop: English here, translated where it is raised.
NO_SUCH_CODE = gettext_noop("No group has that code or invitation. Check it with your coach.")


def normalise_code(code):
    """Join codes are typed loosely on phones ("abcd efgh", "ABCD-EFGH"); invitation tokens are
    followed from emails. Nothing but letters, digits, - and _ is ever in either."""
    letters = re.sub(r"[^A-Za-z0-9]", "", code)
    if len(letters) <= JOIN_CODE_LENGTH:
        return letters.upper()
    return re.sub(r"[^A-Za-z0-9_-]", "", code)


def find_offer(code):
    """The group (and invitation, if the code is one) that a code or link offers, or None."""
    code = normalise_code(code)
    if len(code) <= JOIN_CODE_LENGTH:
        group = TrainingGroup.objects.filter(join_code=code).first()
        return JoinOffer(group, None) if group else None
    invitation = Invitation.objects.pending().select_related("group").filter(token=code).first()
    return JoinOffer(invitation.group, invitation) if invitation else None


@dataclass(frozen=True)
class JoinOffer:
    group: TrainingGroup
    invitation: Invitation | None


def may_join_as_trainee(user, group):
    """Coaches and admins never become trainees: their accounts reach other people's data."""
    if user.is_staff or is_coach(user):
        raise JoinRefused(
            gettext(
                "Coach and admin accounts cannot join a group as trainees. "
                "Log out and use a trainee account."
            )
        )
    if group.coaches.filter(pk=user.pk).exists():
        raise JoinRefused(gettext("You coach this group, so you cannot join it as a trainee."))


class InvitationForAnother(JoinRefused):
    """The invitation is bound to an address this account has not confirmed as its own."""


def may_use_invitation(user, invitation):
    """Raises InvitationForAnother, saying which address (masked) the invitation went to."""
    if invitation is None or invitation.may_be_used_by(user):
        return
    raise InvitationForAnother(
        verification.not_the_owner(
            user,
            invitation.email,
            elsewhere=gettext(
                "This invitation was sent to %(address)s, and only that address can use it. Log "
                "in with the account that has that address, or ask your coach for the group's "
                "code."
            ),
        )
    )


def join_group(trainee, code, *, now=None):
    """The person's own act of joining, with a code, a link or an invitation; raises JoinRefused."""
    offer = find_offer(code)
    if offer is None:
        raise JoinRefused(gettext(NO_SUCH_CODE))
    may_join_as_trainee(trainee, offer.group)
    may_use_invitation(trainee, offer.invitation)
    try:
        with transaction.atomic():
            membership = add_trainee(offer.group, trainee)
            if offer.invitation is not None:
                # Only one person can accept an invitation: a second tab finds none pending.
                taken = (
                    Invitation.objects.pending()
                    .filter(pk=offer.invitation.pk)
                    .update(accepted_at=now or timezone.now(), accepted_by=trainee)
                )
                if not taken:
                    raise JoinRefused(gettext(NO_SUCH_CODE))
            return membership
    except IntegrityError:  # joined from two tabs at once: the other one won
        return Membership.objects.get(group=offer.group, trainee=trainee)


def invite_by_email(group, email, *, invited_by, site_url, bound_to_address=True):
    """Email an invitation; whether an account has that address changes nothing for the coach.

    Bound to the address (the default), only an account that has confirmed that address may
    accept it; else whoever opens the link, once. A send that fails (the mail server refuses
    or cannot be reached, or a header it cannot take) keeps the invitation with `sent` off,
    listed as not sent; it never raises."""
    invitation = Invitation.objects.create(
        group=group, email=email, invited_by=invited_by, bound_to_address=bound_to_address
    )
    recipient = invitation_recipient(email)
    if recipient is None:  # nobody has confirmed the address: in the coach's language
        send_invitation(invitation, invited_by=invited_by, site_url=site_url)
    else:
        with languages.speaking_to(recipient):
            send_invitation(invitation, invited_by=invited_by, site_url=site_url)
    return invitation


def invitation_recipient(email):
    """The account whose confirmed address this is, with its saved language (one query), or
    None. Only a confirmed address counts: anyone may type any address on their account."""
    related = languages.related_name()
    accounts = (
        get_user_model()
        .objects.filter(verification.verified_filter(), email__iexact=email.strip())
        .order_by("-last_login", "pk")
    )
    if related:
        accounts = accounts.select_related(related)
    return accounts.first()


def send_invitation(invitation, *, invited_by, site_url):
    """The invitation's e-mail, whole, in the active language; records whether it went."""
    days = settings.INVITATION_DAYS
    names = {
        "coach": invited_by.get_full_name() or invited_by.username,
        "group": invitation.group.name,
        "link": site_url + reverse("training:join_link", args=[invitation.token]),
        "days": days,
        "address": invitation.email,
    }
    if invitation.bound_to_address:
        body = ngettext(
            "%(coach)s invites you to %(group)s on CrampCourse, leg-cramp safety training for "
            "swimmers.\n\nOpen this link to join (you log in or make an account, then "
            "confirm):\n%(link)s\n\nThe link works once, for %(days)s day, and only for an "
            "account with this address (%(address)s), confirmed: if you make an account, we "
            "e-mail you a link to confirm it first. If you did not expect this, ignore this "
            "email: nobody joins a group without saying yes.",
            "%(coach)s invites you to %(group)s on CrampCourse, leg-cramp safety training for "
            "swimmers.\n\nOpen this link to join (you log in or make an account, then "
            "confirm):\n%(link)s\n\nThe link works once, for %(days)s days, and only for an "
            "account with this address (%(address)s), confirmed: if you make an account, we "
            "e-mail you a link to confirm it first. If you did not expect this, ignore this "
            "email: nobody joins a group without saying yes.",
            days,
        )
    else:
        body = ngettext(
            "%(coach)s invites you to %(group)s on CrampCourse, leg-cramp safety training for "
            "swimmers.\n\nOpen this link to join (you log in or make an account, then "
            "confirm):\n%(link)s\n\nThe link works once, for %(days)s day, for whoever opens "
            "it: keep it to yourself. If you did not expect this, ignore this email: nobody "
            "joins a group without saying yes.",
            "%(coach)s invites you to %(group)s on CrampCourse, leg-cramp safety training for "
            "swimmers.\n\nOpen this link to join (you log in or make an account, then "
            "confirm):\n%(link)s\n\nThe link works once, for %(days)s days, for whoever opens "
            "it: keep it to yourself. If you did not expect this, ignore this email: nobody "
            "joins a group without saying yes.",
            days,
        )
    send_invitation_mail(
        invitation,
        gettext("Join %(group)s on CrampCourse") % names,
        body % names,
        invitation.email,
    )


def remove_trainee(membership, *, now=None):
    """End the membership; the trainee's reading and attempts stay on record.

    Allowances granted in the group end with it, so they never follow the trainee elsewhere,
    nor come back if they rejoin.
    """
    with transaction.atomic():
        if membership.removed_at is None or membership.time_multiplier != TimeMultiplier.USUAL:
            membership.removed_at = membership.removed_at or now or timezone.now()
            membership.time_multiplier = TimeMultiplier.USUAL.value
            membership.save(update_fields=["removed_at", "time_multiplier"])
        QuizOverride.objects.filter(
            trainee_id=membership.trainee_id, assignment__group_id=membership.group_id
        ).delete()
    return membership


def leave_group(trainee, group_pk):
    """The trainee's own "leave": ends their active membership of that group, if any."""
    membership = Membership.objects.active().filter(trainee=trainee, group_id=group_pk).first()
    return remove_trainee(membership) if membership else None


def assign(group, item, *, due_at=None, assigned_by=None):
    """Assign a lesson or a quiz to the group; assigning it again updates the due date."""
    field = "lesson" if item._meta.model_name == "lesson" else "quiz"
    assignment, created = Assignment.objects.get_or_create(
        group=group,
        **{field: item},
        defaults={"due_at": due_at, "assigned_by": assigned_by},
    )
    if not created and assignment.due_at != due_at:
        assignment.due_at = due_at
        assignment.save(update_fields=["due_at"])
    return assignment


def set_override(assignment, trainee, *, extra_attempts=0, extra_minutes=0, granted_by=None):
    """Give one trainee extra attempts or minutes on an assigned quiz; zero and zero removes it.

    The override belongs to this group's assignment only; callers check the trainee is a member.
    """
    if not extra_attempts and not extra_minutes:
        QuizOverride.objects.filter(assignment=assignment, trainee=trainee).delete()
        return None
    override, _ = QuizOverride.objects.update_or_create(
        assignment=assignment,
        trainee=trainee,
        defaults={
            "extra_attempts": extra_attempts,
            "extra_minutes": extra_minutes,
            "granted_by": granted_by,
        },
    )
    return override


def set_time_multiplier(membership, multiplier):
    """Give a trainee longer on every timed quiz of the group (x1: the usual time).

    It counts only while the membership runs; callers check the trainee is still a member.
    """
    membership.time_multiplier = TimeMultiplier(multiplier).value
    membership.save(update_fields=["time_multiplier"])
    return membership


def sign_up(form):
    """A person's own new account from a valid SignUpForm; a trainee until they join a group."""
    with transaction.atomic():
        user = form.save()
        user.groups.add(AuthGroup.objects.get(name=TRAINEE))
    return user
