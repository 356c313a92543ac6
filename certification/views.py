import json
import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_ratelimit import ALL

from certification import assessments, cpd, forms, pdf, selectors, services, standard
from certification import poolside as poolside_page
from certification.frozen import display_name
from certification.models import Certificate, CPDEntry, ReminderPreference
from certification.openbadges import baking, issuing, verification
from certification.openbadges.keys import NotConfigured
from crampcourse.ratelimits import limit_requests
from lessons.translation import show_in
from organisations import logos
from training.permissions import coach_required
from training.selectors import get_group_for_coach, get_membership_for_coach

# Public page -------------------------------------------------------------------------------

# The issuer's logo on the verification page fits this box (CSS pixels), proportions kept.
VERIFY_LOGO_BOX = (200, 64)

logger = logging.getLogger(__name__)


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
        # The site's own page in every mode: a visitor with a mistyped code never sees
        # Django's debug page, on the demo (DEBUG on) either.
        response = render(request, "certification/verify_not_found.html", status=404)
        response["X-Robots-Tag"] = "noindex"
        return response
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


@never_cache
@limit_requests("verify", "ip", "VERIFY_RATE", method=ALL, fail_closed=False)
def verify_credential(request):
    """Anyone may check an Open Badges credential: pasted, or uploaded as .json, .jwt or the
    baked badge; the verdict says why."""
    form = forms.CredentialCheckForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    result, status = None, 200
    if request.method == "POST":
        if form.is_valid():
            result = verification.check(form.cleaned_data["raw"])
        else:
            status = 400
    response = render(
        request,
        "certification/verify_credential.html",
        {
            "form": form,
            "result": result,
            "verdict_label": verification.Verdict(result.verdict).label if result else "",
            "certificate": result.credential.certificate if result and result.credential else None,
        },
        status=status,
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


BADGE_FORMATS = {
    "jwt": "application/jwt",
    "json": "application/ld+json",
    "png": "image/png",
}


@login_required
def certificate_badge(request, code, fmt):
    """The certificate as an Open Badges credential, for its holder and the issuing club's
    staff: signed (.jwt), its JSON (.json), or baked into the badge picture (.png)."""
    certificate = selectors.certificate_for_viewer(request.user, code)
    if fmt not in BADGE_FORMATS:
        raise Http404(gettext("No such format."))
    try:
        credential = issuing.credential_for(certificate)
    except NotConfigured as refused:
        # What to set up is for the site's administrators (the log, `manage.py
        # openbadges_keys`); the person asking is told plainly.
        logger.warning("Open Badges credential not issued: %s", refused)
        messages.error(request, gettext("This site does not offer Open Badges credentials yet."))
        return redirect(f"{reverse('certification:my_certificates')}#c{certificate.pk}")
    except issuing.NotIssuable as refused:
        messages.error(request, str(refused))
        return redirect(f"{reverse('certification:my_certificates')}#c{certificate.pk}")
    if fmt == "jwt":
        body = credential.jwt
    elif fmt == "json":
        body = json.dumps(credential.document, ensure_ascii=False, indent=2)
    else:
        body = baking.bake(baking.badge_png(), credential.jwt)
    response = HttpResponse(body, content_type=BADGE_FORMATS[fmt])
    name = certificate.number or certificate.code[:8]
    response["Content-Disposition"] = (
        f'attachment; filename="{certificate.certification.slug}-{name}.{fmt}"'
    )
    return response


@login_required
def my_certificates(request):
    now = timezone.now()
    unavailable = issuing.why_unavailable()
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
            "refreshers": selectors.renewable_refreshers_of(request.user, now),
            "assessments": selectors.assessment_results_of(request.user)[:5],
            # Open Badges: whether the site issues them, and which issuers have a key.
            "badges_unavailable": unavailable,
            "badge_issuers": set() if unavailable else issuing.issuers_with_keys(),
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
        if form.cleaned_data["email_reminders"]:
            messages.success(request, gettext("Reminder emails are on."))
        else:
            messages.success(request, gettext("Reminder emails are off."))
        back = request.POST.get("next", "")
        if url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
            return redirect(back)  # sent from the box on My account
        return redirect("certification:reminder_settings")
    return render(request, "certification/reminder_settings.html", {"form": form})


# Coach pages -------------------------------------------------------------------------------


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


def _search(request):
    return request.GET.get("q", "").strip()[:100]


@coach_required
def poolside(request, pk, slug):
    """The coach's phone page for practice at the pool: one swimmer at a time, big buttons."""
    group = get_group_for_coach(request.user, pk)
    certification = selectors.get_certification(slug)
    items = list(certification.items.all())
    # Skills and criteria in the coach's language; marks and standards go by the item, not
    # its words.
    show_in([certification, *items])
    trainees = [membership.trainee for membership in selectors.active_members(group)]
    marks = services.standing_marks([trainee.pk for trainee in trainees], items)
    query = _search(request)
    swimmers = poolside_page.picker(trainees, marks, items, query=query)
    item_count = sum(item.required for item in items)
    wanted = poolside_page.wanted_swimmer(request)
    current, picked = poolside_page.pick(swimmers, query, wanted, item_count)
    card = None
    if current is not None:
        certificate = selectors.certificates_by_trainee([current.pk], [certification]).get(
            (current.pk, certification.pk)
        )
        since = selectors.open_refresher_dates([current.pk], certification).get(current.pk)
        # A re-check is judged on the marks made since its refresher was assigned.
        judged = services.standing_marks([current.pk], items, since=since) if since else marks
        outcome = poolside_page.outcome(current.pk, items, judged, certification.pass_min_others)
        card = {
            "swimmer": current,
            "rows": poolside_page.rows(current.pk, items, marks),
            "certificate": certificate,
            "certificate_state": certificate.state().label if certificate else "",
            "recheck_since": since,
            "meets_standard": outcome.passed,
            "outcome": standard.describe(outcome),
            "may_mark": True,
        }
    return render(
        request,
        "certification/poolside.html",
        {
            "group": group,
            "certification": certification,
            **picked,
            "card": card,
            "item_count": item_count,
            "standard_text": standard.explain(items, certification.pass_min_others),
            "mark_url": reverse("certification:poolside_mark", args=[group.pk, slug]),
            "current": "poolside",
        },
    )


def _wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def _mark_answer(request, trainee, item, created, standing, outcome, certified):
    """What the offline queue hears about a stored mark, or the plain form's redirect note."""
    label = poolside_page.state_label(standing)
    if _wants_json(request):
        return JsonResponse(
            {
                "recorded": created,
                "state": standing.result if standing else "",
                "label": label,
                "certified": certified,
                "meets_standard": outcome.passed,
                "outcome": str(standard.describe(outcome)),
            }
        )
    name = display_name(trainee)
    if created:
        messages.success(
            request,
            gettext("%(name)s: %(skill)s — %(mark)s.")
            % {"name": name, "skill": item.text, "mark": label},
        )
    else:
        messages.info(request, gettext("%(name)s: that mark was already saved.") % {"name": name})
    return None


@coach_required
@require_POST
def poolside_mark(request, pk, slug):
    """Store one practice mark. Plain forms get a redirect back; the offline queue gets JSON."""
    group = get_group_for_coach(request.user, pk)
    certification = selectors.get_certification(slug)
    back = reverse("certification:poolside", args=[group.pk, slug])
    form = forms.MarkForm(request.POST)
    if not form.is_valid():
        return _refused(request, back, next(iter(form.errors.values()))[0], status=400)
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
        return _refused(request, back, str(refused), status=409)
    standing = services.standing_marks([trainee.pk], [item]).get((trainee.pk, item.pk))
    certified = Certificate.objects.filter(
        trainee=trainee, certification=certification, revoked_at__isnull=True
    ).exists()
    # The swimmer's outcome against the pass standard, for the page to show at once (a
    # re-check for a refresher counts the marks made since it began).
    since = selectors.open_refresher_dates([trainee.pk], certification).get(trainee.pk)
    outcome = services.practical_outcome(trainee, certification, since=since)
    answer = _mark_answer(request, trainee, item, created, standing, outcome, certified)
    return answer or redirect(f"{back}?swimmer={trainee.pk}")


def _refused(request, back, error, status):
    if _wants_json(request):
        return JsonResponse({"error": error}, status=status)
    messages.error(request, gettext("The mark was not saved: %(error)s") % {"error": error})
    return redirect(back)


# Assessor pages ----------------------------------------------------------------------------


def _assessor(request):
    """Only someone who assesses for a club now (organisations' staff roles)."""
    if not selectors.groups_to_assess(request.user).exists():
        raise PermissionDenied(gettext("This page is for assessors."))


@login_required
def assessments_home(request):
    """The assessor's sessions, and a form to open one."""
    _assessor(request)
    today = timezone.localdate()
    form = forms.AssessmentSessionForm(
        request.POST if request.method == "POST" else None, assessor=request.user, today=today
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                session = assessments.open_session(
                    assessor=request.user, today=today, **form.cleaned_data
                )
            except assessments.AssessmentRefused as refused:
                form.add_error(None, str(refused))
            else:
                return redirect(session)
        status = 400
    return render(
        request,
        "certification/assessments.html",
        {"form": form, "sessions": selectors.sessions_of_assessor(request.user)},
        status=status,
    )


@login_required
def assessment(request, pk, *, error="", status=200):
    """One swimmer at a time in the assessor's session: their skills, marks and outcome."""
    session = selectors.get_session_for_assessor(request.user, pk)
    certification = session.certification
    items = list(certification.items.required().order_by("order", "pk"))
    show_in([certification, *items])
    trainees = [membership.trainee for membership in selectors.active_members(session.group)]
    ids = [trainee.pk for trainee in trainees]
    marks = assessments.session_marks(session, ids, items)
    results = {result.trainee_id: result for result in session.results.all()}
    coaches = assessments.coached_by(ids)
    notes = {
        pk: (gettext("competent") if result.passed else gettext("not yet competent"))
        for pk, result in results.items()
    }
    if certification.independent_assessor:
        for trainee_pk, coach_ids in coaches.items():
            if session.assessor_id in coach_ids and trainee_pk not in notes:
                notes[trainee_pk] = gettext("you coach them")
    query = _search(request)
    swimmers = poolside_page.picker(trainees, marks, items, query=query, notes=notes)
    wanted = poolside_page.wanted_swimmer(request)
    current, picked = poolside_page.pick(swimmers, query, wanted, len(items))
    card = None
    if current is not None:
        trainee = next(trainee for trainee in trainees if trainee.pk == current.pk)
        result = results.get(current.pk)
        theory_on = assessments.theory_dates([current.pk], certification).get(current.pk)
        reason = assessments.why_not(
            session,
            trainee,
            coaches=coaches.get(current.pk, set()),
            theory_on=theory_on,
            result=result,
        )
        outcome, unmarked = assessments.outcome_in(session, trainee, items, marks)
        card = {
            "swimmer": current,
            "rows": poolside_page.rows(current.pk, items, marks),
            "meets_standard": outcome.passed,
            "outcome": standard.describe(outcome),
            "unmarked": unmarked,
            "result": result,
            "reason": "" if result else reason,
            "may_mark": not reason,
            "theory_on": theory_on,
        }
    return render(
        request,
        "certification/assessment.html",
        {
            "session": session,
            "certification": certification,
            **picked,
            "card": card,
            "error": error,
            "item_count": len(items),
            "standard_text": standard.explain(items, certification.pass_min_others),
            "mark_url": reverse("certification:assessment_mark", args=[session.pk]),
        },
        status=status,
    )


@login_required
@require_POST
def assessment_mark(request, pk):
    """Store one of the assessor's marks; refused with the reason (409) when the swimmer may
    not be assessed in this session."""
    session = selectors.get_session_for_assessor(request.user, pk)
    back = session.get_absolute_url()
    form = forms.MarkForm(request.POST)
    if not form.is_valid():
        return _refused(request, back, next(iter(form.errors.values()))[0], status=400)
    data = form.cleaned_data
    membership = assessments.candidate_membership(session, data["trainee"])
    if membership is None:
        raise Http404(gettext("No such swimmer in this group."))
    trainee = membership.trainee
    items = list(session.certification.items.required())
    item = next((item for item in items if item.pk == data["item"]), None)
    if item is None:
        raise Http404(gettext("No such skill in this assessment."))
    try:
        _mark, created = assessments.record_assessment_mark(
            session,
            trainee,
            item,
            key=data["key"],
            result=data["result"],
            note=data["note"],
            marked_at=data["marked_at"],
        )
    except (assessments.AssessmentRefused, services.MarkRefused) as refused:
        return _refused(request, f"{back}?swimmer={trainee.pk}", str(refused), status=409)
    marks = assessments.session_marks(session, [trainee.pk], items)
    outcome, _unmarked = assessments.outcome_in(session, trainee, items, marks)
    standing = marks.get((trainee.pk, item.pk))
    answer = _mark_answer(request, trainee, item, created, standing, outcome, certified=False)
    return answer or redirect(f"{back}?swimmer={trainee.pk}")


@login_required
@require_POST
def assessment_finish(request, pk):
    """Decide the swimmer's outcome in the session, once; a pass issues the certificate."""
    session = selectors.get_session_for_assessor(request.user, pk)
    form = forms.SwimmerForm(request.POST)
    membership = (
        assessments.candidate_membership(session, form.cleaned_data["trainee"])
        if form.is_valid()
        else None
    )
    if membership is None:
        raise Http404(gettext("No such swimmer in this group."))
    trainee = membership.trainee
    try:
        result = assessments.finish(session, trainee)
    except assessments.AssessmentRefused as refused:
        return _assessment_again(request, session, trainee, str(refused), status=409)
    name = display_name(trainee)
    if result.passed:
        certified = Certificate.objects.active().filter(
            trainee=trainee, certification=session.certification
        )
        text = (
            gettext("%(name)s: competent. Certificate issued.")
            if certified.exists()
            else gettext("%(name)s: competent.")
        )
        messages.success(request, text % {"name": name})
    else:
        messages.info(
            request,
            gettext(
                "%(name)s: not yet competent (%(outcome)s) They can be reassessed in a later "
                "session."
            )
            % {"name": name, "outcome": result.summary},
        )
    return redirect(f"{session.get_absolute_url()}?swimmer={trainee.pk}")


def _assessment_again(request, session, trainee, error, status):
    """The session page for the swimmer, with why the step was refused."""
    request.GET = request.GET.copy()
    request.GET["swimmer"] = str(trainee.pk)
    return assessment(request, session.pk, error=error, status=status)


@login_required
@require_POST
def assessment_close(request, pk):
    session = selectors.get_session_for_assessor(request.user, pk)
    assessments.close_session(session)
    messages.success(request, gettext("Session closed. Its results stay."))
    return redirect("certification:assessments")


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
            "suspend_form": forms.SuspendForm(prefix=f"s{certificate.pk}"),
            "reinstate_form": forms.ReinstateForm(prefix=f"r{certificate.pk}"),
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
        messages.error(request, gettext("Not revoked: see the message by the reason."))
        return group_certificates(request, pk, bound_form=form, status=400)
    services.revoke_certificate(certificate, reason=form.cleaned_data["reason"], by=request.user)
    messages.success(request, gettext("Revoked: %(certificate)s.") % {"certificate": certificate})
    return redirect("certification:group_certificates", group.pk)


@login_required
@require_POST
def certificate_suspend(request, pk, certificate_pk):
    """Suspend a certificate until it is reinstated, with a reason: for the issuing club's staff
    running the group (the reissue rule, selectors.certificate_for_reissue); else 404."""
    return _suspension(
        request, pk, certificate_pk, forms.SuspendForm, "s", services.suspend_certificate
    )


@login_required
@require_POST
def certificate_reinstate(request, pk, certificate_pk):
    """End a certificate's suspension, with a reason; who may: as certificate_suspend."""
    return _suspension(
        request, pk, certificate_pk, forms.ReinstateForm, "r", services.reinstate_certificate
    )


def _suspension(request, pk, certificate_pk, form_class, prefix, act):
    group = get_group_for_coach(request.user, pk)
    certificate = selectors.certificate_for_reissue(request.user, group, certificate_pk)
    form = form_class(request.POST, prefix=f"{prefix}{certificate.pk}")
    if not form.is_valid():
        messages.error(request, form.errors["reason"][0])
        return group_certificates(request, pk, status=400)
    try:
        act(certificate, reason=form.cleaned_data["reason"], by=request.user)
    except services.SuspensionRefused as refused:
        messages.error(request, str(refused))
        return group_certificates(request, pk, status=409)
    if act is services.suspend_certificate:
        done = gettext("Suspended: %(certificate)s.")
    else:
        done = gettext("Reinstated: %(certificate)s.")
    messages.success(request, done % {"certificate": certificate})
    return redirect(
        f"{reverse('certification:group_certificates', args=[group.pk])}#c{certificate.pk}"
    )


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
        raise Http404(gettext("No such trainee in this group."))
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
