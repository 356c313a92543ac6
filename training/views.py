import csv

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext, gettext_noop, ngettext, pgettext
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.exceptions import Ratelimited

from crampcourse import verification
from crampcourse.ratelimits import is_limited, limit_failures
from crampcourse.routers import stale_reads_ok
from organisations import access
from quizzes.models import Attempt, Quiz
from quizzes.statistics import attempt_set, quiz_statistics, score_histogram
from training import charts, forms, hooks, progress, rosters, selectors, services
from training.models import Assignment, QuizOverride
from training.permissions import coach_required

# Coach pages ------------------------------------------------------------------------------


@coach_required
def coach_groups(request):
    groups = selectors.groups_coached_by(request.user)
    return render(request, "training/coach_groups.html", {"groups": groups})


@coach_required
def group_create(request):
    clubs = access.clubs_for_new_groups(request.user)
    form = forms.GroupForm(_posted(request), clubs=clubs)
    if form.is_valid():
        try:
            group = services.create_group(
                request.user,
                form.cleaned_data["name"],
                form.cleaned_data["description"],
                club=form.cleaned_data.get("club"),
            )
        except services.GroupRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(
                request,
                gettext("Group “%(name)s” created. Share its code with trainees.")
                % {"name": group.name},
            )
            return redirect("training:group_members", group.pk)
    return render(request, "training/group_form.html", {"form": form}, status=_status(form))


@coach_required
def group_dashboard(request, pk):
    group = selectors.get_group_for_coach(request.user, pk)
    sort = request.GET.get("sort", "name")
    only_overdue = request.GET.get("overdue") == "1"
    board = progress.group_progress(
        group, sort=sort, only_overdue=only_overdue, filters=request.GET
    )
    return render(
        request,
        "training/group_dashboard.html",
        {
            "board": board,
            "group": group,
            "sort": sort,
            "only_overdue": only_overdue,
            "filter_menus": [
                {"column": c, "chosen": request.GET.get(c.key, "")} for c in board.extra_columns
            ],
            "filtering": any(request.GET.get(c.key) for c in board.extra_columns),
        },
    )


CSV_INJECTION_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _csv_safe(value):
    """Spreadsheets run cells starting with = + - @ as formulas; quote them as text."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(CSV_INJECTION_PREFIXES) else text


@coach_required
def group_export_csv(request, pk):
    group = selectors.get_group_for_coach(request.user, pk)
    board = progress.group_progress(
        group, sort=request.GET.get("sort", "name"), filters=request.GET
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="group-{group.pk}-{stamp}.csv"'
    # A byte order mark first: Excel otherwise reads UTF-8 as Latin-1 and mangles "Ääkkönen".
    response.write("\ufeff")
    writer = csv.writer(response)
    # The header and the statuses in the coach's language, each translated once for the file.
    header = [
        pgettext("CSV column", "username"),
        pgettext("CSV column", "name"),
        pgettext("CSV column", "email"),
        pgettext("CSV column", "done"),
        pgettext("CSV column", "done_percent"),
    ]
    state, status, score = (
        pgettext("CSV column", "%(title)s state"),
        pgettext("CSV column", "%(title)s status"),
        pgettext("CSV column", "%(title)s score %%"),
    )
    for extra in board.extra_columns:
        header += [extra.title, state % {"title": extra.title}]
    quiz_columns = [column.assignment.quiz_id is not None for column in board.columns]
    for column, is_quiz in zip(board.columns, quiz_columns, strict=True):
        names = {"title": column.assignment.title}
        header += [status % names, score % names] if is_quiz else [status % names]
    writer.writerow([_csv_safe(cell) for cell in header])
    labels = progress.status_labels()
    for row in board.rows:
        trainee = row.trainee
        line = [trainee.username, trainee.get_full_name(), trainee.email, row.done, row.percent]
        for extra in row.extra:
            line += [extra.text, extra.state_label]
        for cell, is_quiz in zip(row.cells, quiz_columns, strict=True):
            line.append(labels[cell.status])
            if is_quiz:  # lessons have no score: no column that is always empty
                line.append("" if cell.percent is None else round(cell.percent))
        writer.writerow([_csv_safe(cell) for cell in line])
    return response


@coach_required
def group_members(request, pk):
    group = selectors.get_group_for_coach(request.user, pk)
    form = forms.InviteForm(_posted(request))
    if form.is_valid():
        # Each invitation sends an email: so many per coach a day, then a 429.
        if is_limited(
            request, group="invite", key="user", rate=settings.INVITATION_RATE, increment=True
        ):
            raise Ratelimited
        invitation = services.invite_by_email(
            group,
            form.cleaned_data["email"],
            invited_by=request.user,
            site_url=_site_url(request),
            bound_to_address=form.bound_to_address,
        )
        # The same words whoever owns the address, so the form tells nobody who has an account.
        if invitation.sent:
            messages.success(request, gettext(INVITATION_SENT))
        else:
            messages.warning(request, gettext(INVITATION_NOT_SENT))
        return redirect("training:group_members", group.pk)
    invite_url = request.build_absolute_uri(reverse("training:join_link", args=[group.join_code]))
    return render(
        request,
        "training/group_members.html",
        {
            "group": group,
            "memberships": selectors.memberships_of(group),
            "form": form,
            "invite_url": invite_url,
            "pending_invitations": selectors.pending_invitations(group),
            "invitation_days": settings.INVITATION_DAYS,
        },
        status=_status(form),
    )


def _confirm(request, *, title, body, action_label, cancel_url):
    """The page that asks before a destructive action: a plain form, so it needs no script."""
    return render(
        request,
        "training/confirm.html",
        {"title": title, "body": body, "action_label": action_label, "cancel_url": cancel_url},
    )


# gettext_noop: kept in English here (tests read them), translated where they are shown.
INVITATION_SENT = gettext_noop(
    "Invitation sent. Nobody joins the group until they open it and say yes."
)
INVITATION_NOT_SENT = gettext_noop(
    "The invitation is saved, but the e-mail could not be sent. It is listed as not sent: "
    "withdraw it and send a new one in a while."
)


@coach_required
@require_POST
def invitation_withdraw(request, pk, invitation_pk):
    group = selectors.get_group_for_coach(request.user, pk)
    invitation = get_object_or_404(selectors.pending_invitations(group), pk=invitation_pk)
    invitation.delete()
    messages.success(
        request,
        gettext("The invitation to %(email)s no longer works.") % {"email": invitation.email},
    )
    return redirect("training:group_members", group.pk)


@coach_required
@require_http_methods(["GET", "POST"])
def membership_remove(request, pk, trainee_pk):
    group = selectors.get_group_for_coach(request.user, pk)
    membership = selectors.get_membership_for_coach(request.user, group, trainee_pk)
    if request.method == "GET":
        names = {
            "name": membership.trainee.get_full_name() or membership.trainee.username,
            "group": group.name,
        }
        return _confirm(
            request,
            title=gettext("Remove %(name)s from %(group)s?") % names,
            body=gettext(
                "They will no longer see the group's work, and you will no longer see their "
                "progress on the dashboard. Their results are kept; you can add them again later."
            ),
            action_label=gettext("Remove %(name)s") % names,
            cancel_url=reverse("training:group_members", args=[group.pk]),
        )
    services.remove_trainee(membership)
    messages.success(
        request,
        gettext("%(username)s was removed. Their results are kept.")
        % {"username": membership.trainee.username},
    )
    return redirect("training:group_members", group.pk)


@coach_required
@require_http_methods(["GET", "POST"])
def join_code_renew(request, pk):
    group = selectors.get_group_for_coach(request.user, pk)
    if request.method == "GET":
        return _confirm(
            request,
            title=gettext("Make a new join code for %(group)s?") % {"group": group.name},
            body=gettext(
                "The code %(code)s and the invitation link stop working at once. "
                "Trainees already in the group stay in it; new trainees need the new code."
            )
            % {"code": group.join_code},
            action_label=gettext("Make a new code"),
            cancel_url=reverse("training:group_members", args=[group.pk]),
        )
    code = services.renew_join_code(group)
    messages.success(
        request,
        gettext("New code %(code)s. The old code and link no longer work.") % {"code": code},
    )
    return redirect("training:group_members", group.pk)


@coach_required
def assignment_create(request, pk):
    group = selectors.get_group_for_coach(request.user, pk)
    form = forms.AssignmentForm(_posted(request))
    if form.is_valid():
        assigned = [
            services.assign(
                group, item, due_at=form.cleaned_data["due_at"], assigned_by=request.user
            )
            for item in form.cleaned_data["item"]
        ]
        quoted = gettext("“%(title)s”")
        titles = ", ".join(quoted % {"title": assignment.title} for assignment in assigned)
        messages.success(
            request,
            gettext("Assigned %(titles)s to %(group)s.") % {"titles": titles, "group": group.name},
        )
        if assigned[0].is_past_due():
            messages.warning(
                request,
                gettext(
                    "Its due date has passed already: it shows as overdue to everyone in the "
                    "group now (not to anyone who joins later). Change the date by assigning "
                    "it again."
                ),
            )
        return redirect(group)
    return render(
        request,
        "training/assignment_form.html",
        {"group": group, "form": form},
        status=_status(form),
    )


@coach_required
@require_http_methods(["GET", "POST"])
def assignment_delete(request, pk, assignment_pk):
    group = selectors.get_group_for_coach(request.user, pk)
    assignment = selectors.get_assignment_for_coach(request.user, group, assignment_pk)
    if request.method == "GET":
        return _confirm(
            request,
            title=gettext("Stop assigning “%(title)s” to %(group)s?")
            % {"title": assignment.title, "group": group.name},
            body=gettext(
                "It disappears from the trainees' lists and from this dashboard. Their "
                "reading and quiz results are kept."
            ),
            action_label=gettext("Stop assigning it"),
            cancel_url=reverse("training:group_dashboard", args=[group.pk]),
        )
    assignment.delete()
    messages.success(
        request,
        gettext("“%(title)s” is no longer assigned. Results are kept.")
        % {"title": assignment.title},
    )
    return redirect(group)


def _trainee_page(request, group, membership, bound_form=None, status=200, time_form=None):
    """The coach's page on one trainee; bound_form: an allowance form sent back with errors,
    time_form: the time multiplier's."""
    trainee = membership.trainee
    assignments = list(Assignment.objects.for_group(group).with_items())
    cells = progress.progress_cells(
        [trainee.pk], assignments, joined={trainee.pk: membership.joined_at}
    )
    overrides = {
        o.assignment_id: o
        for o in QuizOverride.objects.filter(trainee=trainee, assignment__group=group)
    }
    rows = []
    saved = request.GET.get("saved", "")
    name = trainee.get_full_name() or trainee.username
    for assignment in assignments:
        override = overrides.get(assignment.pk)
        saved_note = None
        if override and saved == str(assignment.pk):
            saved_note = _override_saved_note(override, name, assignment)
        form = None
        if assignment.quiz_id and membership.is_active:
            prefix = f"a{assignment.pk}"
            form = (
                bound_form
                if bound_form is not None and bound_form.prefix == prefix
                else forms.OverrideForm(
                    prefix=prefix,
                    initial={
                        "extra_attempts": getattr(override, "extra_attempts", 0),
                        "extra_minutes": getattr(override, "extra_minutes", 0),
                    },
                )
            )
        rows.append(
            {
                "assignment": assignment,
                "cell": cells[trainee.pk, assignment.pk],
                "override": override,
                "form": form,
                "saved_note": saved_note,
            }
        )
    if time_form is None and membership.is_active:
        time_form = forms.TimeMultiplierForm(
            initial={"time_multiplier": membership.time_multiplier}
        )
    managed = rosters.get_managed_account(group, trainee.pk)
    context = {
        "group": group,
        "membership": membership,
        "trainee": trainee,
        "name": name,
        "time_form": time_form,
        "time_saved_note": _time_saved_note(membership, name, group) if saved == "time" else None,
        "managed": managed,
        "taken_over": managed is not None and managed.is_taken_over(),
        "rows": rows,
        "attempts": selectors.attempts_of_trainee_in_group(trainee, group),
    }
    return render(request, "training/trainee_detail.html", context, status=status)


def _override_saved_note(override, name, assignment):
    # Two numbers, each with its own plural: each phrase is whole, then set in the sentence.
    attempts = ngettext(
        "%(count)s extra attempt", "%(count)s extra attempts", override.extra_attempts
    ) % {"count": override.extra_attempts}
    minutes = ngettext(
        "%(count)s extra minute", "%(count)s extra minutes", override.extra_minutes
    ) % {"count": override.extra_minutes}
    return gettext("Saved: %(name)s has %(attempts)s and %(minutes)s on “%(title)s”.") % {
        "name": name,
        "attempts": attempts,
        "minutes": minutes,
        "title": assignment.title,
    }


def _time_saved_note(membership, name, group):
    if membership.time_multiplier == 1:
        note = gettext("Saved: %(name)s has the usual time on every timed quiz in %(group)s.")
    else:
        note = gettext(
            "Saved: %(name)s has %(multiplier)s times the usual time on every timed quiz in "
            "%(group)s."
        )
    multiplier = number_format(membership.time_multiplier.normalize())
    return note % {"name": name, "group": group.name, "multiplier": multiplier}


@coach_required
def trainee_detail(request, pk, trainee_pk):
    group = selectors.get_group_for_coach(request.user, pk)
    membership = selectors.get_membership_for_coach(request.user, group, trainee_pk)
    return _trainee_page(request, group, membership)


@coach_required
@require_POST
def override_set(request, pk, trainee_pk, assignment_pk):
    group = selectors.get_group_for_coach(request.user, pk)
    membership = selectors.get_membership_for_coach(request.user, group, trainee_pk)
    assignment = selectors.get_assignment_for_coach(request.user, group, assignment_pk)
    if assignment.quiz_id is None:
        raise Http404(gettext("Extra time and attempts apply to quizzes only."))
    if not membership.is_active:
        raise Http404(gettext("Allowances end with the membership."))
    form = forms.OverrideForm(request.POST, prefix=f"a{assignment.pk}")
    if not form.is_valid():
        messages.error(
            request, gettext("The allowance was not saved: see the message by the field.")
        )
        return _trainee_page(request, group, membership, bound_form=form, status=400)
    services.set_override(
        assignment, membership.trainee, granted_by=request.user, **form.cleaned_data
    )
    # The confirmation shows in the card of the form, where the coach is looking (see
    # _trainee_page), not at the top of a long page.
    url = reverse("training:trainee_detail", args=[group.pk, membership.trainee_id])
    return redirect(f"{url}?saved={assignment.pk}#allowance-{assignment.pk}")


@coach_required
@require_POST
def time_multiplier_set(request, pk, trainee_pk):
    group = selectors.get_group_for_coach(request.user, pk)
    membership = selectors.get_membership_for_coach(request.user, group, trainee_pk)
    if not membership.is_active:
        raise Http404(gettext("Allowances end with the membership."))
    form = forms.TimeMultiplierForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("The time was not saved: see the message by the field."))
        return _trainee_page(request, group, membership, status=400, time_form=form)
    services.set_time_multiplier(membership, form.cleaned_data["time_multiplier"])
    # Confirmed in the form's own card, as an allowance on one quiz is.
    url = reverse("training:trainee_detail", args=[group.pk, membership.trainee_id])
    return redirect(f"{url}?saved=time#time-multiplier")


@coach_required
def quiz_analysis(request, pk, quiz_pk):
    group = selectors.get_group_for_coach(request.user, pk)
    quiz = get_object_or_404(Quiz, pk=quiz_pk, pk__in=group.assignments.values("quiz_id"))
    # Each trainee's first attempt unless ?attempts=all, as Moodle's report defaults to. Who
    # may see it was read from the primary; the statistics may be a moment old (the standby's).
    with stale_reads_ok():
        report = quiz_statistics(
            selectors.group_quiz_attempts(group, quiz), attempt_set(request.GET.get("attempts"))
        )
    percents = [a.percent for a in report.attempts if a.percent is not None]
    return render(
        request,
        "training/quiz_analysis.html",
        {
            "group": group,
            "quiz": quiz,
            "report": report,
            "bars": charts.histogram_bars(score_histogram(percents)),
            "chart": charts,
        },
    )


# Trainee pages ----------------------------------------------------------------------------


@login_required
def my_assignments(request):
    work = progress.work_of_trainee(request.user)
    extra = hooks.extra_work(request.user, timezone.now())
    return render(request, "training/my_assignments.html", {"work": work, "extra_work": extra})


@login_required
def my_results(request):
    attempts = (
        Attempt.objects.of(request.user).finished().select_related("quiz").order_by("-finished_at")
    )
    return render(request, "training/my_results.html", {"attempts": attempts})


# A group's code is the way into it: each account (or, signed out, each address) and each
# address may try only so many wrong codes an hour, then a 429 (the rates are settings; see the
# README). Typed codes refused (400) and invitation links with no group behind them (404) count.
JOIN_CODE_LIMITS = {
    "user_or_ip": "RATE_LIMIT_JOIN_CODES_PER_ACCOUNT",
    "ip": "RATE_LIMIT_JOIN_CODES_PER_ADDRESS",
}


@limit_failures("join-code", JOIN_CODE_LIMITS, failed=lambda response: response.status_code == 400)
def join(request):
    """Type a code. Logged out, the code leads to the group's page to sign up or log in."""
    code = services.normalise_code(request.POST.get("code") or request.GET.get("code") or "")
    if code and (request.method == "GET" or not request.user.is_authenticated):
        return redirect("training:join_link", code)
    form = forms.JoinGroupForm(_posted(request))
    if form.is_valid():
        return _join(request, form.cleaned_data["code"], form=form)
    return render(request, "training/join.html", {"form": form}, status=_status(form))


@limit_failures(
    "join-code",
    JOIN_CODE_LIMITS,
    failed=lambda response: response.status_code == 404,
    methods=("GET", "POST"),
)
def join_link(request, code):
    """A code or invitation link: shows the group and coach, then sign up or log in, then
    confirm. Confirming is a POST, so a link opened by a preview bot joins nobody."""
    offer = services.find_offer(code)
    if offer is None:
        context = {"offer": None, "invitation_days": settings.INVITATION_DAYS}
        return render(request, "training/join_offer.html", context, status=404)
    context = {"offer": offer, "coaches": list(offer.group.coaches.all()), "code": code}
    if offer.invitation is not None:
        context["invited_address"] = verification.mask(offer.invitation.email)
    if request.user.is_authenticated:
        if request.method == "POST":
            return _join(request, code, context=context)
        try:  # say so at once, rather than after a press of "Join"
            services.may_join_as_trainee(request.user, offer.group)
            services.may_use_invitation(request.user, offer.invitation)
        except services.InvitationForAnother as refused:
            context["refused"] = str(refused)
            return render(request, "training/join_offer.html", context, status=403)
        except services.JoinRefused as refused:
            context["refused"] = str(refused)
        return render(request, "training/join_offer.html", context)
    if request.method == "POST":
        if sign_up_limited(request):
            raise Ratelimited
        form = forms.SignUpForm(request.POST)
        if form.is_valid():
            user = services.sign_up(form)
            verification.send_confirmation(user, site_url=_site_url(request))
            login(request, user, backend="training.backends.RoleAwareBackend")
            messages.success(
                request,
                gettext("Welcome, %(name)s. One step left: join below.")
                % {"name": user.first_name},
            )
            return redirect("training:join_link", code)
    else:
        initial = {"email": offer.invitation.email} if offer.invitation else {}
        form = forms.SignUpForm(initial=initial)
    context["form"] = form
    return render(request, "training/join_offer.html", context, status=_status(form))


def signup(request):
    """Sign-up without a code, only where settings.OPEN_SIGNUP allows it."""
    if not settings.OPEN_SIGNUP:
        raise Http404(gettext("Accounts are made with a group's code or invitation."))
    if request.user.is_authenticated:
        return redirect("home")
    if request.method == "POST" and sign_up_limited(request):
        raise Ratelimited
    form = forms.SignUpForm(_posted(request))
    if form.is_valid():
        user = services.sign_up(form)
        verification.send_confirmation(user, site_url=_site_url(request))
        login(request, user, backend="training.backends.RoleAwareBackend")
        messages.success(
            request,
            gettext("Welcome, %(name)s. Join your group with its code.")
            % {"name": user.first_name},
        )
        return redirect("training:join")
    return render(request, "training/signup.html", {"form": form}, status=_status(form))


def sign_up_limited(request):
    """Each sign-up sent counts against its address (django-ratelimit); joining does not."""
    return is_limited(request, group="sign-up", key="ip", rate=settings.SIGNUP_RATE, increment=True)


def _join(request, code, *, form=None, context=None):
    try:
        membership = services.join_group(request.user, code)
    except services.JoinRefused as refused:
        # Another address's invitation is a 403: the account may not, whatever it types.
        status = 403 if isinstance(refused, services.InvitationForAnother) else 400
        if form is not None:
            form.add_error("code", str(refused))
            return render(request, "training/join.html", {"form": form}, status=status)
        return render(
            request,
            "training/join_offer.html",
            {**context, "refused": str(refused)},
            status=status,
        )
    messages.success(request, gettext("You joined %(group)s.") % {"group": membership.group.name})
    return redirect("training:my_assignments")


# Rosters and roster-made accounts ----------------------------------------------------------

ROSTER_SESSION_KEY = "roster_cards"


@coach_required
def roster(request, pk):
    group = selectors.get_group_for_coach(request.user, pk)
    form = forms.RosterForm(_posted(request), request.FILES or None)
    result = None
    if form.is_valid():
        result = rosters.make_roster(group, form.cleaned_data["lines"], coach=request.user)
        if result.created:
            _keep_cards(request, group, result.created)
            made = len(result.created)
            messages.success(
                request,
                ngettext(
                    "Made %(count)s account. Print the cards now: the passwords are shown "
                    "only here.",
                    "Made %(count)s accounts. Print the cards now: the passwords are shown "
                    "only here.",
                    made,
                )
                % {"count": made},
            )
            if not result.existing:
                return redirect("training:roster_cards", group.pk)
    return render(
        request,
        "training/roster.html",
        {"group": group, "form": form, "result": result},
        status=_status(form),
    )


@coach_required
@require_POST
def managed_password_reset(request, pk, trainee_pk):
    group = selectors.get_group_for_coach(request.user, pk)
    managed = rosters.get_managed_account(group, trainee_pk)
    if managed is None:
        raise Http404(gettext("Only accounts this group's roster made can be reset here."))
    try:
        card = rosters.reset_password(managed)
    except rosters.ResetRefused as refused:
        context = {"group": group, "trainee": managed.user, "refused": str(refused)}
        return render(request, "training/reset_refused.html", context, status=403)
    _keep_cards(request, group, [card])
    messages.success(
        request,
        gettext("New one-time password for %(username)s. Print the card.")
        % {"username": card.username},
    )
    return redirect("training:roster_cards", group.pk)


def _keep_cards(request, group, cards):
    # Encrypted with the time: the session row (kept for weeks) holds nothing readable, and
    # after rosters.CARDS_SECONDS the cards cannot be read back even with the key.
    request.session[ROSTER_SESSION_KEY] = {
        "group": group.pk,
        "cards": rosters.cards_to_session(cards),
    }


def _kept_cards(request, group):
    kept = request.session.get(ROSTER_SESSION_KEY) or {}
    cards = rosters.cards_from_session(kept.get("cards"))
    if not cards:
        request.session.pop(ROSTER_SESSION_KEY, None)  # past its 30 minutes: gone for good
        return []
    if kept.get("group") != group.pk:
        return []
    return cards


@coach_required
def roster_cards(request, pk):
    """The log-in cards of the last roster or reset, printable; POST forgets them."""
    group = selectors.get_group_for_coach(request.user, pk)
    if request.method == "POST":
        request.session.pop(ROSTER_SESSION_KEY, None)
        messages.success(request, gettext("The one-time passwords are gone from this site."))
        return redirect("training:group_members", group.pk)
    login_url = request.build_absolute_uri(reverse("login"))
    return render(
        request,
        "training/roster_cards.html",
        {
            "group": group,
            "cards": _kept_cards(request, group),
            "login_url": login_url,
            "site_url": request.build_absolute_uri("/"),
            "qr_svg": charts.qr_svg(login_url),
        },
    )


@coach_required
def roster_cards_csv(request, pk):
    group = selectors.get_group_for_coach(request.user, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="log-in-cards-group-{group.pk}.csv"'
    response["Cache-Control"] = "no-store"
    writer = csv.writer(response)
    writer.writerow(
        [
            pgettext("CSV column", "name"),
            pgettext("CSV column", "username"),
            pgettext("CSV column", "one_time_password"),
            pgettext("CSV column", "log_in_at"),
        ]
    )
    login_url = request.build_absolute_uri(reverse("login"))
    for card in _kept_cards(request, group):
        writer.writerow(
            [_csv_safe(v) for v in (card.name, card.username, card.password, login_url)]
        )
    return response


def _posted(request):
    """The POST data to bind a form to; an empty POST is still a submission (with errors)."""
    return request.POST if request.method == "POST" else None


def _site_url(request):
    return request.build_absolute_uri("/")[:-1]


def _status(form):
    """A form sent back with errors is a 400, so clients and tests see the refusal."""
    return 400 if form.is_bound and form.errors else 200
