import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.exceptions import Ratelimited

from accounts import emails, forms, languages, registry, services
from crampcourse.languages import supported
from crampcourse.ratelimits import is_limited, limit_failures
from crampcourse.verification import mask
from training import rosters, selectors
from training import services as training_services
from training.roles import TRAINEE_ROLE, role_of


@login_required
def my_account(request):
    form = forms.ProfileForm(
        request.POST if request.method == "POST" else None, instance=request.user
    )
    if form.is_valid():
        user = form.save()
        messages.success(request, gettext("Saved."))
        if "email" in form.changed_data:
            # A new address is nobody's until its owner opens the link mailed to it.
            emails.forget_proof(user)
            if user.email:
                _send_confirmation(request, user)
        return redirect("accounts:my_account")
    _read_proof_and_language(request.user)
    return render(
        request,
        "accounts/my_account.html",
        {
            "form": form,
            "email_verified": emails.is_verified(request.user),
            "groups": _groups_with_coaches(request.user),
            "sections": registry.sections(request),
            "may_delete": role_of(request.user) == TRAINEE_ROLE,
            **_language_box(request),
        },
        status=400 if form.errors else 200,
    )


# Kept on the user once read (emails.is_verified, languages.language_of).
ONE_TO_ONE_READS = ("verified_email", languages.related_name)


def _read_proof_and_language(user):
    """The page shows whether the address is confirmed and the saved language: both rows in
    one query, left on the user where emails and languages look for them."""
    found = (
        get_user_model()
        ._default_manager.select_related(*ONE_TO_ONE_READS)
        .filter(pk=user.pk)
        .first()
    )
    if found is not None:
        for name in ONE_TO_ONE_READS:
            if name in found._state.fields_cache:
                user._state.fields_cache[name] = found._state.fields_cache[name]


def _groups_with_coaches(user):
    """Each group with its coaches' names in one string: the sentence around them is
    translated whole (Coach: … / Coaches: …)."""
    rows = []
    for group in selectors.groups_of_trainee(user):
        coaches = list(group.coaches.all())
        names = ", ".join(coach.get_full_name() or coach.username for coach in coaches)
        rows.append({"group": group, "coaches": names, "coach_count": len(coaches)})
    return rows


def _language_box(request):
    """The language saved on the account (None: never chose) and the one the menu shows."""
    saved = languages.language_of(request.user)
    return {
        # Each language named in itself, as the header's switcher names it.
        "saved_language": {"code": saved, "name": dict(settings.LANGUAGES).get(saved, saved)}
        if saved
        else None,
        "shown_language": saved or supported(get_language()),
        "site_languages": settings.LANGUAGES,
    }


def _site_url(request):
    return request.build_absolute_uri("/")[:-1]


def _send_confirmation(request, user):
    if emails.send_confirmation(user, site_url=_site_url(request)):
        messages.info(
            request,
            gettext(
                "We sent a link to %(address)s. Open it to confirm the address: until then it "
                "gets no password resets, invitations or reminders."
            )
            % {"address": mask(user.email)},
        )
    else:
        messages.warning(
            request,
            gettext("The e-mail could not be sent just now. Press “Send the link again” later."),
        )


@login_required
@require_POST
def email_confirm_send(request):
    """Mail the link that confirms the account's address (again); each press sends a mail."""
    if not request.user.email or emails.is_verified(request.user):
        return redirect("accounts:my_account")
    if is_limited(
        request,
        group="email-confirmation",
        key="user",
        rate=settings.RATE_LIMIT_EMAIL_CONFIRMATIONS,
        increment=True,
    ):
        raise Ratelimited
    _send_confirmation(request, request.user)
    return redirect("accounts:my_account")


@require_http_methods(["GET", "POST"])
def email_confirm(request, token):
    """The link in the mail: shows the address, and confirms it on a press (a POST, so a mail
    scanner that opens links confirms nothing). Works signed out: the link is the proof."""
    try:
        user, address = emails.read_token(token)
    except emails.LinkRefused as refused:
        context = {"refused": str(refused)}
        return render(request, "accounts/email_confirm.html", context, status=400)
    if request.method == "POST":
        emails.confirm(user)
        messages.success(
            request, gettext("Thank you: %(address)s is confirmed.") % {"address": address}
        )
        if request.user.is_authenticated:
            return redirect("accounts:my_account")
        return redirect("login")
    return render(request, "accounts/email_confirm.html", {"address": mask(address)})


# Wrong current passwords, counted across both forms that ask for one (one group).
PASSWORD_CHECK_LIMITS = {
    "user": "RATE_LIMIT_PASSWORD_CHECKS_PER_ACCOUNT",
    "ip": "RATE_LIMIT_PASSWORD_CHECKS_PER_ADDRESS",
}


def _wrong_password(response):
    return getattr(response, "wrong_password", False)


limit_password_checks = limit_failures("password-check", PASSWORD_CHECK_LIMITS, _wrong_password)


def _form_page(request, template, context, form, password_field):
    response = render(request, template, context, status=400 if form.errors else 200)
    # Read by limit_password_checks: only a wrong current password counts, not a weak new one.
    response.wrong_password = password_field in form.errors
    return response


@login_required
@limit_password_checks
def password(request):
    """Change the password; the one place someone with a coach's one-time password may go."""
    form = forms.NewPasswordForm(request.user, request.POST if request.method == "POST" else None)
    if form.is_valid():
        user = form.save()
        rosters.password_changed(user)
        update_session_auth_hash(request, user)
        messages.success(request, gettext("Your password is changed."))
        return redirect("home")
    forced = getattr(request.user, "must_change_password", False)
    context = {"form": form, "forced": forced}
    return _form_page(request, "accounts/password.html", context, form, "old_password")


@login_required
@require_POST
def leave_group(request, group_pk):
    membership = training_services.leave_group(request.user, group_pk)
    if membership is not None:
        messages.success(
            request,
            gettext("You left %(group)s. Your coach no longer sees your progress.")
            % {"group": membership.group.name},
        )
    return redirect("accounts:my_account")


@login_required
def download_data(request):
    data = services.export_personal_data(request.user)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="crampcourse-my-data-{stamp}.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@limit_password_checks
def delete_account(request):
    if role_of(request.user) != TRAINEE_ROLE:
        raise PermissionDenied("Coach and admin accounts are closed by an admin.")
    form = forms.DeleteAccountForm(request.user, request.POST if request.method == "POST" else None)
    if form.is_valid():
        services.delete_account(request.user)
        logout(request)
        messages.success(
            request, gettext("Your account is deleted. Thank you for training with us.")
        )
        return redirect("home")
    return _form_page(request, "accounts/delete_account.html", {"form": form}, form, "password")


@require_POST
def choose_language(request):
    """The header's switcher, logged in or not: the cookie for this browser, and the account's
    choice for every device and for what is sent to them. An unknown code means English."""
    language = supported(request.POST.get("language"))
    if request.user.is_authenticated:
        languages.choose(request.user, language)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("home")
    response = redirect(target)
    languages.set_language_cookie(response, language)
    return response
