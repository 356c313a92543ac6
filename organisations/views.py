"""The staff pages: My clubs, a club's staff, a federation's clubs, and the link an invitation
e-mail carries. Who may open what is asked of organisations.selectors, never decided here."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_ratelimit.exceptions import Ratelimited

from crampcourse import verification
from crampcourse.ratelimits import is_limited, limit_failures, limit_requests
from organisations import access, forms, selectors, services
from organisations.models import Role

# A changed role or offer sends no e-mail, but each is a write: so many per account a day.
limit_changes = limit_requests("staff-change", "user", "INVITATION_RATE")

# An invitation's token is the way into a role: wrong tokens (404) count against the same
# rates as wrong join codes, per account (or, signed out, per address) and per address.
LINK_LIMITS = {
    "user_or_ip": "RATE_LIMIT_JOIN_CODES_PER_ACCOUNT",
    "ip": "RATE_LIMIT_JOIN_CODES_PER_ADDRESS",
}


def limit_wrong_tokens(*methods):
    return limit_failures(
        "staff-invitation",
        LINK_LIMITS,
        failed=lambda response: response.status_code == 404,
        methods=methods,
    )


def _mail_limited(request):
    """Each offer a club admin makes or sends again may send an e-mail: so many a day, as for
    a coach's group invitations."""
    return is_limited(
        request, group="staff-invite", key="user", rate=settings.INVITATION_RATE, increment=True
    )


def _sign_up_limited(request):
    """The same count as every other sign-up from this address."""
    return is_limited(request, group="sign-up", key="ip", rate=settings.SIGNUP_RATE, increment=True)


def _name(user):
    return user.get_full_name() or user.username


def _refused(request, message, status):
    return render(request, "organisations/refused.html", {"message": message}, status=status)


# My clubs ---------------------------------------------------------------------------------


@login_required
@require_safe
def my_clubs(request):
    offers = list(selectors.offers_to(request.user))
    return render(
        request,
        "organisations/my_clubs.html",
        {"entries": selectors.roles_by_organisation(request.user), "offers": offers},
    )


@login_required
@require_POST
@limit_changes
def offer_accept(request, pk):
    return _accept(request, selectors.get_offer_to(request.user, pk))


@login_required
@require_POST
@limit_changes
def offer_decline(request, pk):
    return _decline(request, selectors.get_offer_to(request.user, pk))


def _accept(request, invitation):
    try:
        staff_role = services.accept_invitation(invitation, request.user)
    except services.InvitationGone:
        invitation.refresh_from_db()
        return _gone(request, invitation)
    except services.InvitationForAnother as refused:
        return _refused(request, str(refused), status=403)
    except services.StaffRuleBroken as refused:
        return _refused(request, str(refused), status=400)
    messages.success(
        request,
        gettext("You hold the role “%(role)s” at %(organisation)s now.")
        % {"role": staff_role.get_role_display(), "organisation": staff_role.organisation.name},
    )
    return redirect("organisations:my_clubs")


def _decline(request, invitation):
    # A declined offer ends as a withdrawn one does: it no longer waits, and its link stops.
    services.withdraw_invitation(invitation)
    messages.success(
        request,
        gettext("You declined the role “%(role)s” at %(organisation)s.")
        % {"role": invitation.get_role_display(), "organisation": invitation.organisation.name},
    )
    return redirect("organisations:my_clubs")


# A club's staff -----------------------------------------------------------------------------


def _site_url(request):
    return request.build_absolute_uri("/")[:-1]


def _staff_page(request, club, *, invite_form=None, add_form=None, status=200):
    now = timezone.now()
    invitations = [
        {
            "invitation": invitation,
            "address": services.invitation_address(invitation),
            "expired": invitation.is_expired(now),
        }
        for invitation in selectors.open_staff_invitations(club)
    ]
    return render(
        request,
        "organisations/club_staff.html",
        {
            "club": club,
            "staff": selectors.running_staff(club),
            "invitations": invitations,
            "not_sent": sum(
                1
                for row in invitations
                if row["address"] and not row["invitation"].sent and not row["expired"]
            ),
            "invite_form": invite_form or forms.StaffInviteForm(club=club, prefix="invite"),
            "add_form": add_form or forms.AddAccountForm(club=club, prefix="add"),
            "invitation_days": settings.INVITATION_DAYS,
        },
        status=status,
    )


def _send(request, invitation, address):
    """E-mail the offer and say how it went; a failed send is a warning, never an error page."""
    if services.send_invitation(invitation, site_url=_site_url(request)):
        return True
    messages.warning(
        request,
        gettext(
            "The offer to %(address)s is saved, but the e-mail could not be sent. It is listed "
            "as not sent: send it again in a while."
        )
        % {"address": address},
    )
    return False


@login_required
@require_safe
def club_staff(request, slug):
    return _staff_page(request, selectors.get_club_for_admin(request.user, slug))


@login_required
@require_POST
def club_invite(request, slug):
    club = selectors.get_club_for_admin(request.user, slug)
    form = forms.StaffInviteForm(request.POST, club=club, prefix="invite")
    if not form.is_valid():
        return _staff_page(request, club, invite_form=form, status=400)
    if _mail_limited(request):
        raise Ratelimited
    email = form.cleaned_data["email"]
    invitation = services.offer_role(
        club, form.cleaned_data["role"], invited_by=request.user, email=email
    )
    if _send(request, invitation, email):
        messages.success(
            request,
            gettext(
                "Invitation sent to %(address)s. Nobody becomes staff until they open it and "
                "accept."
            )
            % {"address": email},
        )
    return redirect("organisations:club_staff", club.slug)


@login_required
@require_POST
def club_add_account(request, slug):
    club = selectors.get_club_for_admin(request.user, slug)
    form = forms.AddAccountForm(request.POST, club=club, prefix="add")
    if not form.is_valid():
        return _staff_page(request, club, add_form=form, status=400)
    if _mail_limited(request):
        raise Ratelimited
    person = form.cleaned_data["person"]
    invitation = services.offer_role(
        club, form.cleaned_data["role"], invited_by=request.user, person=person
    )
    names = {"name": _name(person), "role": invitation.get_role_display()}
    if person.email and not _send(request, invitation, person.email):
        return redirect("organisations:club_staff", club.slug)
    messages.success(
        request,
        gettext(
            "%(name)s is offered the role “%(role)s”. It is theirs only when they accept it, "
            "on their My clubs page."
        )
        % names,
    )
    return redirect("organisations:club_staff", club.slug)


@login_required
@require_POST
def invitation_resend(request, slug, pk):
    club = selectors.get_club_for_admin(request.user, slug)
    invitation = selectors.get_open_invitation_in_club(club, pk)
    address = services.invitation_address(invitation)
    if invitation.is_expired():
        return _offer_again(request, club, invitation, address)
    if not address:
        return _refused(
            request,
            gettext("This account has no e-mail address: the offer waits on their My clubs page."),
            status=400,
        )
    if _mail_limited(request):
        raise Ratelimited
    if _send(request, invitation, address):
        messages.success(
            request, gettext("Invitation sent again to %(address)s.") % {"address": address}
        )
    return redirect("organisations:club_staff", club.slug)


def _offer_again(request, club, invitation, address):
    """An expired offer's link stays dead: a new offer, with a new link, takes its place."""
    if _mail_limited(request):
        raise Ratelimited
    renewed = services.offer_again(invitation, invited_by=request.user)
    if address and not _send(request, renewed, address):
        return redirect("organisations:club_staff", club.slug)
    messages.success(
        request,
        gettext(
            "The role is offered again to %(who)s, with a new link; the expired one stays closed."
        )
        % {"who": invitation.email or _name(invitation.person)},
    )
    return redirect("organisations:club_staff", club.slug)


@login_required
@require_POST
@limit_changes
def invitation_withdraw(request, slug, pk):
    club = selectors.get_club_for_admin(request.user, slug)
    invitation = selectors.get_open_invitation_in_club(club, pk)
    services.withdraw_invitation(invitation)
    who = invitation.email or _name(invitation.person)
    messages.success(
        request,
        gettext("The offer to %(who)s is withdrawn; its link no longer works.") % {"who": who},
    )
    return redirect("organisations:club_staff", club.slug)


@login_required
@require_http_methods(["GET", "POST"])
@limit_changes
def role_end(request, slug, pk):
    """Asks first (GET), then ends the role (POST); a rule that refuses is a 400 saying why."""
    club = selectors.get_club_for_admin(request.user, slug)
    staff_role = selectors.get_running_role_in_club(club, pk)
    context = {"club": club, "staff_role": staff_role, "person_name": _name(staff_role.person)}
    if request.method == "GET":
        return render(request, "organisations/role_end.html", context)
    try:
        services.end_role(staff_role)
    except services.StaffRuleBroken as refused:
        return render(
            request, "organisations/role_end.html", {**context, "refused": str(refused)}, status=400
        )
    messages.success(
        request,
        gettext(
            "%(name)s no longer holds the role “%(role)s” at %(club)s. The groups and "
            "everyone’s results stay."
        )
        % {"name": context["person_name"], "role": staff_role.get_role_display(), "club": club},
    )
    if staff_role.person_id == request.user.pk and staff_role.role == Role.CLUB_ADMIN:
        return redirect("organisations:my_clubs")  # their own admin role: the page is not theirs
    return redirect("organisations:club_staff", club.slug)


# A federation ---------------------------------------------------------------------------------


@login_required
@require_safe
def federation(request, slug):
    federation = selectors.get_federation_for_admin(request.user, slug)
    return render(
        request,
        "organisations/federation.html",
        {"federation": federation, "clubs": selectors.clubs_of_federation(federation)},
    )


# The link in an invitation e-mail -----------------------------------------------------------


def _gone(request, invitation):
    """410: the offer was used, withdrawn or declined, or has expired (said so first: the
    person can ask for a new one)."""
    if invitation.accepted_at is None and invitation.is_expired():
        context = {"expired": True, "invitation_days": settings.INVITATION_DAYS}
    else:
        context = {"used": True}
    return render(request, "organisations/invitation_gone.html", context, status=410)


def _offer_page(request, invitation, *, status=200, **context):
    context = {"invitation": invitation, "inviter": invitation.invited_by, **context}
    if invitation.email and not invitation.person_id:
        context["invited_address"] = verification.mask(invitation.email)
    return render(request, "organisations/staff_invitation.html", context, status=status)


def _invitation_or_answer(request, token):
    """(invitation, None) for a pending invitation the person may answer, else (None, the page
    to answer with): 404 for a token nobody was given (counted as a wrong guess), 410 for one
    used, withdrawn or expired, 403 for one that is someone else's to answer."""
    invitation = selectors.find_invitation(token)
    if invitation is None:
        return None, render(request, "organisations/invitation_gone.html", status=404)
    if invitation.accepted_at or invitation.withdrawn_at or invitation.is_expired():
        return None, _gone(request, invitation)
    if request.user.is_authenticated and invitation.person_id not in (None, request.user.pk):
        message = gettext(
            "This invitation is for another account. Log out, then open the link again and log "
            "in as the person it was sent to."
        )
        return None, _refused(request, message, status=403)
    if request.user.is_authenticated:
        try:  # say so at once, rather than after a press of "Accept"
            services.may_accept(invitation, request.user)
        except services.InvitationForAnother as refused:
            return None, _offer_page(request, invitation, refused=str(refused), status=403)
    return invitation, None


@limit_wrong_tokens("GET", "POST")
@require_http_methods(["GET", "POST"])
def staff_invitation(request, token):
    """What is offered, by whom; signed in, accept (POST). Signed out: log in and come back,
    or make an account first when the offer was e-mailed to an address."""
    invitation, answer = _invitation_or_answer(request, token)
    if answer is not None:
        return answer
    if request.user.is_authenticated:
        if request.method == "POST":
            return _accept(request, invitation)
        holds_already = access.holds(request.user, invitation.role, invitation.organisation)
        return _offer_page(request, invitation, holds_already=holds_already)
    if invitation.person_id:  # offered to an account: only its owner, logged in, can answer
        if request.method == "POST":
            return redirect_to_login(request.get_full_path())
        return _offer_page(request, invitation)
    if request.method == "POST":
        if _sign_up_limited(request):
            raise Ratelimited
        form = forms.StaffSignUpForm(request.POST, invited_address=invitation.email)
        if form.is_valid():
            verification.send_confirmation(form.save(), site_url=_site_url(request))
            # Through the site's log-in backends, as the log-in page does.
            user = authenticate(
                request,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
            )
            login(request, user)
            welcome = gettext(
                "Welcome, %(name)s. Two steps left: confirm your address with the link we "
                "e-mailed to %(address)s, then open this invitation again and accept."
            )
            messages.success(request, welcome % {"name": user.first_name, "address": user.email})
            return redirect("organisations:staff_invitation", token)
    else:
        form = forms.StaffSignUpForm(
            initial={"email": invitation.email}, invited_address=invitation.email
        )
    return _offer_page(request, invitation, form=form, status=400 if form.errors else 200)


@limit_wrong_tokens("POST")
@login_required
@require_POST
def staff_invitation_decline(request, token):
    invitation, answer = _invitation_or_answer(request, token)
    if answer is not None:
        return answer
    return _decline(request, invitation)
