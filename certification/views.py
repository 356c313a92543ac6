import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import F
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_ratelimit import ALL

from certification import cpd, forms, pdf, selectors, services, standard
from certification.frozen import display_name
from certification.models import Certificate, CPDEntry, MarkResult, ReminderPreference
from crampcourse.ratelimits import limit_requests
from organisations import logos
from training.permissions import coach_required
from training.selectors import get_group_for_coach, get_membership_for_coach

# Public page -------------------------------------------------------------------------------

# The issuer's logo on the verification page fits this box (CSS pixels), proportions kept.
VERIFY_LOGO_BOX = (200, 64)


@never_cache
@limit_requests("verify", "ip", "VERIFY_RATE", method=ALL, fail_closed=False)
def verify(request, code):
    """Anyone with the code (or QR) may check a certificate; it shows what is printed, as
    issued (a later rename or retitling changes nothing here)."""
    certificate = (
        Certificate.objects.select_related("issuer", "superseded_by")
        .defer("issuer__logo")  # the page links to the logo
        .filter(code=code)
        .first()
    )
    if certificate is None:
        raise Http404("No certificate has this code. Check it against the printed certificate.")
    issuer = certificate.issuer
    logo_url = issuer.logo_url if issuer is not None else ""
    response = render(
        request,
        "certification/verify.html",
        {
            "certificate": certificate,
            "issued_by": pdf.issued_by(certificate),
            "issuer_logo_url": logo_url,
            "issuer_logo_size": logos.fitted_size(issuer, *VERIFY_LOGO_BOX) if logo_url else None,
            "state": certificate.public_state(),
        },
    )
    response["X-Robots-Tag"] = "noindex"
    return response


# Trainee pages -----------------------------------------------------------------------------


@login_required
def certificate_pdf(request, code):
    """The paper, for its holder and the issuing club's staff (selectors)."""
    certificate = selectors.certificate_for_viewer(request.user, code)
    verify_url = request.build_absolute_uri(certificate.get_absolute_url())
    response = HttpResponse(pdf.render_certificate(certificate, verify_url), "application/pdf")
    name = certificate.number or certificate.code[:8]
    response["Content-Disposition"] = (
        f'inline; filename="{certificate.certification.slug}-{name}.pdf"'
    )
    return response


@login_required
def my_certificates(request):
    now = timezone.now()
    held = list(
        Certificate.objects.filter(trainee=request.user)
        .select_related("superseded_by", "certification")
        .order_by(F("superseded_at").asc(nulls_first=True), "-issued_at")
    )
    # Renewal dates, phase and CPD progress of the certificates in force (renewal.py, cpd.py).
    in_force = [c for c in held if c.superseded_at is None and c.revoked_at is None]
    standings = cpd.progress_of(request.user, in_force, now)
    certificates = [
        (certificate, certificate.state(now), standings.get(certificate.pk)) for certificate in held
    ]
    return render(
        request,
        "certification/my_certificates.html",
        {
            "certificates": certificates,
            "current_name": display_name(request.user),
            "refreshers": selectors.open_refreshers_of(request.user).select_related(
                "certificate__certification__refresher_quiz"
            ),
        },
    )


@login_required
def reminder_settings(request):
    preference = ReminderPreference.objects.filter(user=request.user).first()
    preference = preference or ReminderPreference(user=request.user)
    form = forms.ReminderPreferenceForm(
        request.POST if request.method == "POST" else None, instance=preference
    )
    if form.is_valid():
        form.save()
        state = "on" if form.cleaned_data["email_reminders"] else "off"
        messages.success(request, f"Reminder emails are {state}.")
        back = request.POST.get("next", "")
        if url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
            return redirect(back)  # sent from the box on My account
        return redirect("certification:reminder_settings")
    return render(request, "certification/reminder_settings.html", {"form": form})


# Coach pages -------------------------------------------------------------------------------


def _state_label(mark):
    """ "Shown · coach1, 3 Jun, 10:02", or "Not marked yet"."""
    if mark is None:
        return "Not marked yet"
    when = date_format(timezone.localtime(mark.marked_at), "j M, H:i")
    label = f"{MarkResult(mark.result).label} · {mark.coach or 'a coach'}, {when}"
    # The note typed with the mark, shown back ("Needs practice · …: “sank at 40 s”").
    return f"{label}: “{mark.note}”" if mark.note else label


@coach_required
def poolside_index(request, pk):
    """The group's "Poolside" link: straight to the practical when there is one certification."""
    group = get_group_for_coach(request.user, pk)
    certifications = list(selectors.published_certifications())
    if len(certifications) == 1:
        return redirect("certification:poolside", group.pk, certifications[0].slug)
    return render(
        request,
        "certification/poolside_index.html",
        {"group": group, "certifications": certifications, "current": "poolside"},
    )


@coach_required
def poolside(request, pk, slug):
    """The coach's phone page at the pool: every trainee, every skill, big buttons."""
    group = get_group_for_coach(request.user, pk)
    certification = selectors.get_certification(slug)
    items = list(certification.items.all())
    members = selectors.active_members(group)
    trainee_ids = [m.trainee_id for m in members]
    marks = services.standing_marks(trainee_ids, items)
    certified = selectors.certificates_by_trainee(trainee_ids, [certification])
    rechecks = selectors.open_refresher_dates(trainee_ids, certification)
    # A re-check is judged on the marks made since its refresher was assigned.
    rechecked = services.standing_marks(list(rechecks), items, since=rechecks) if rechecks else {}
    criteria = {item.pk: standard.criteria_lines(item.criteria) for item in items}
    now = timezone.now()
    trainees = []
    for membership in members:
        trainee = membership.trainee
        certificate = certified.get((trainee.pk, certification.pk))
        rows = []
        for item in items:
            mark = marks.get((trainee.pk, item.pk))
            rows.append(
                {
                    "item": item,
                    "criteria": criteria[item.pk],
                    "state": mark.result if mark else "",
                    "label": _state_label(mark),
                    "key": uuid.uuid4(),
                    "undo_key": uuid.uuid4(),
                }
            )
        judged = rechecked if trainee.pk in rechecks else marks
        shown = {
            item.pk
            for item in items
            if (mark := judged.get((trainee.pk, item.pk))) and mark.result == MarkResult.SHOWN
        }
        outcome = standard.outcome(items, shown, pass_min_others=certification.pass_min_others)
        trainees.append(
            {
                "trainee": trainee,
                "name": trainee.get_full_name() or trainee.username,
                "rows": rows,
                # Practised-only skills are recorded, but the count is of what the
                # certificate needs.
                "shown": sum(
                    row["state"] == MarkResult.SHOWN and row["item"].required for row in rows
                ),
                "certificate": certificate,
                "certificate_state": certificate.state(now).label if certificate else "",
                "recheck_since": rechecks.get(trainee.pk),
                "meets_standard": outcome.passed,
                "outcome": standard.describe(outcome),
            }
        )
    return render(
        request,
        "certification/poolside.html",
        {
            "group": group,
            "certification": certification,
            "trainees": trainees,
            "item_count": sum(item.required for item in items),
            "standard_text": standard.explain(items, certification.pass_min_others),
            "mark_url": reverse("certification:poolside_mark", args=[group.pk, slug]),
            "current": "poolside",
        },
    )


@coach_required
@require_POST
def poolside_mark(request, pk, slug):
    """Store one mark. Plain forms get a redirect back; the offline queue gets JSON."""
    wants_json = "application/json" in request.headers.get("Accept", "")
    group = get_group_for_coach(request.user, pk)
    certification = selectors.get_certification(slug)
    form = forms.MarkForm(request.POST)
    if not form.is_valid():
        error = next(iter(form.errors.values()))[0]
        return _refused(request, group, slug, error, wants_json, status=400)
    data = form.cleaned_data
    trainee = selectors.get_member(group, data["trainee"])
    item = get_object_or_404(certification.items.active(), pk=data["item"])
    try:
        _mark, created = services.record_mark(
            key=data["key"],
            coach=request.user,
            group=group,
            trainee=trainee,
            item=item,
            result=data["result"],
            note=data["note"],
            marked_at=data["marked_at"],
        )
    except services.MarkRefused as refused:
        return _refused(request, group, slug, str(refused), wants_json, status=409)
    standing = services.standing_marks([trainee.pk], [item]).get((trainee.pk, item.pk))
    state, label = (standing.result if standing else ""), _state_label(standing)
    certified = Certificate.objects.filter(
        trainee=trainee, certification=certification, revoked_at__isnull=True
    ).exists()
    if wants_json:
        # The swimmer's outcome against the pass standard, for the page to show at once (a
        # re-check for a refresher counts the marks made since it began).
        since = selectors.open_refresher_dates([trainee.pk], certification).get(trainee.pk)
        outcome = services.practical_outcome(trainee, certification, since=since)
        return JsonResponse(
            {
                "recorded": created,
                "state": state,
                "label": label,
                "certified": certified,
                "meets_standard": outcome.passed,
                "outcome": str(standard.describe(outcome)),
            }
        )
    name = trainee.get_full_name() or trainee.username
    if created:
        messages.success(request, f"{name}: {item.text} — {label}.")
    else:
        messages.info(request, f"{name}: that mark was already saved.")
    return redirect(f"{reverse('certification:poolside', args=[group.pk, slug])}#t{trainee.pk}")


def _refused(request, group, slug, error, wants_json, status):
    if wants_json:
        return JsonResponse({"error": error}, status=status)
    messages.error(request, f"The mark was not saved: {error}")
    response = redirect(reverse("certification:poolside", args=[group.pk, slug]))
    return response


@coach_required
def group_certificates(request, pk, bound_form=None, status=200):
    group = get_group_for_coach(request.user, pk)
    now = timezone.now()
    answered_for = selectors.issuers_answered_for_by(group.club)
    rows = [
        {
            "certificate": certificate,
            "state": certificate.state(now),
            # The trainee's name now, when it is not the one the certificate was issued in.
            "renamed_to": ""
            if display_name(certificate.trainee) == certificate.holder_name
            else display_name(certificate.trainee),
            # The paper and a reissue are the issuing club's (selectors.certificates_for_staff).
            "ours": certificate.issuer_id in answered_for,
            "form": bound_form
            if bound_form is not None and bound_form.prefix == f"c{certificate.pk}"
            else forms.RevokeForm(prefix=f"c{certificate.pk}"),
        }
        for certificate in selectors.certificates_of_group(group)
    ]
    return render(
        request,
        "certification/group_certificates.html",
        {"group": group, "rows": rows, "current": "certificates"},
        status=status,
    )


@coach_required
@require_POST
def certificate_revoke(request, pk, certificate_pk):
    group = get_group_for_coach(request.user, pk)
    certificate = get_object_or_404(
        selectors.certificates_of_group(group).current(), pk=certificate_pk
    )
    form = forms.RevokeForm(request.POST, prefix=f"c{certificate.pk}")
    if not form.is_valid():
        messages.error(request, "Not revoked: see the message by the reason.")
        return group_certificates(request, pk, bound_form=form, status=400)
    services.revoke_certificate(certificate, reason=form.cleaned_data["reason"], by=request.user)
    messages.success(request, f"Revoked: {certificate}.")
    return redirect("certification:group_certificates", group.pk)


@login_required
def certificate_reissue(request, pk, certificate_pk):
    """Ask first (GET), then reissue (POST): a new certificate in the holder's current name,
    the old one superseded. For the issuing club's staff running the group; else 404."""
    group = get_group_for_coach(request.user, pk)
    certificate = selectors.certificate_for_reissue(request.user, group, certificate_pk)
    form = forms.ReissueForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                new = services.reissue_certificate(
                    certificate, reason=form.cleaned_data["reason"], by=request.user
                )
            except services.ReissueRefused as refused:
                messages.error(request, str(refused))
                return _reissue_page(request, group, certificate, form, status=409)
            messages.success(
                request,
                gettext("Reissued as %(new)s; %(old)s is superseded.")
                % {"new": new.number, "old": certificate.number},
            )
            return redirect(
                f"{reverse('certification:group_certificates', args=[group.pk])}#c{new.pk}"
            )
        status = 400
    return _reissue_page(request, group, certificate, form, status=status)


def _reissue_page(request, group, certificate, form, status):
    if certificate.revoked_at is not None or certificate.superseded_at is not None:
        status = max(status, 409)  # nothing to confirm: the page says why
    return render(
        request,
        "certification/certificate_reissue.html",
        {
            "group": group,
            "certificate": certificate,
            "state": certificate.state(),
            "new_name": display_name(certificate.trainee),
            "form": form,
            "current": "certificates",
        },
        status=status,
    )


# CPD: pool sessions (certification/cpd.py) -----------------------------------------------


@coach_required
def cpd_log(request, pk, trainee_pk):
    """A coach of the trainee's group logs a pool session's hours; the trainee confirms them
    on My certificates. Another group's trainee, or one who has left, is a 404."""
    group = get_group_for_coach(request.user, pk)
    membership = get_membership_for_coach(request.user, group, trainee_pk)
    if not membership.is_active:
        raise Http404("No such trainee in this group.")
    trainee = membership.trainee
    certifications = selectors.cpd_certifications()
    form = forms.PoolSessionForm(
        request.POST if request.method == "POST" else None, certifications=certifications
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                entry = cpd.log_pool_session(
                    coach=request.user, trainee=trainee, **form.cleaned_data
                )
            except (cpd.CPDRefused, ValidationError) as refused:
                form.add_error(None, _refusal(refused))
            else:
                messages.success(
                    request,
                    gettext("Logged %(hours)s hours for %(name)s, waiting for them to confirm.")
                    % {"hours": entry.hours, "name": display_name(trainee)},
                )
                return redirect("certification:cpd_log", group.pk, trainee.pk)
    return render(
        request,
        "certification/cpd_log.html",
        {
            "group": group,
            "trainee": trainee,
            "name": display_name(trainee),
            "form": form,
            "has_certifications": certifications.exists(),
            "entries": selectors.cpd_entries_of(trainee)[:50],
            "current": "certificates",
        },
        status=status,
    )


def _refusal(error):
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


@login_required
@require_POST
def cpd_confirm(request, pk):
    """The trainee confirms a pool session logged for them; only their own (else 404)."""
    entry = get_object_or_404(CPDEntry.objects.filter(trainee=request.user), pk=pk)
    cpd.confirm_pool_session(entry)
    messages.success(
        request,
        gettext("Confirmed: %(hours)s hours of “%(what)s”.")
        % {"hours": entry.hours, "what": entry.what},
    )
    return redirect(f"{reverse('certification:my_certificates')}#c-cpd{entry.certification_id}")
