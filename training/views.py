import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from crampcourse.ratelimits import limit_failed_posts
from quizzes.models import Attempt, Quiz
from quizzes.statistics import item_analysis, score_histogram
from training import charts, forms, progress, selectors, services
from training.models import Assignment, QuizOverride
from training.permissions import coach_required

# Coach pages ------------------------------------------------------------------------------


@coach_required
def coach_groups(request):
    groups = selectors.groups_coached_by(request.user)
    return render(request, "training/coach_groups.html", {"groups": groups})


@coach_required
def group_create(request):
    form = forms.GroupForm(_posted(request))
    if form.is_valid():
        group = services.create_group(
            request.user, form.cleaned_data["name"], form.cleaned_data["description"]
        )
        messages.success(request, f"Group “{group.name}” created. Share its code with trainees.")
        return redirect("training:group_members", group.pk)
    return render(request, "training/group_form.html", {"form": form}, status=_status(form))


@coach_required
def group_dashboard(request, pk):
    group = selectors.get_group_for_coach(request.user, pk)
    sort = request.GET.get("sort", "name")
    only_overdue = request.GET.get("overdue") == "1"
    board = progress.group_progress(group, sort=sort, only_overdue=only_overdue)
    quizzes = [c.assignment.quiz for c in board.columns if c.assignment.quiz_id]
    return render(
        request,
        "training/group_dashboard.html",
        {
            "board": board,
            "group": group,
            "sort": sort,
            "only_overdue": only_overdue,
            "quizzes": quizzes,
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
    board = progress.group_progress(group, sort=request.GET.get("sort", "name"))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="group-{group.pk}-{stamp}.csv"'
    writer = csv.writer(response)
    header = ["username", "name", "email", "done", "done_percent"]
    for column in board.columns:
        title = column.assignment.title
        header += [f"{title} status", f"{title} score %"]
    writer.writerow([_csv_safe(cell) for cell in header])
    for row in board.rows:
        trainee = row.trainee
        line = [trainee.username, trainee.get_full_name(), trainee.email, row.done, row.percent]
        for cell in row.cells:
            line += [cell.label, "" if cell.percent is None else cell.percent]
        writer.writerow([_csv_safe(cell) for cell in line])
    return response


@coach_required
def group_members(request, pk):
    group = selectors.get_group_for_coach(request.user, pk)
    form = forms.AddTraineeForm(_posted(request))
    if form.is_valid():
        trainee = form.cleaned_data["who"]
        if group.coaches.filter(pk=trainee.pk).exists():
            form.add_error("who", "That is a coach of this group.")
        else:
            services.add_trainee(group, trainee)
            messages.success(request, f"{trainee.username} is now in {group.name}.")
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
        },
        status=_status(form),
    )


@coach_required
@require_POST
def membership_remove(request, pk, trainee_pk):
    group = selectors.get_group_for_coach(request.user, pk)
    membership = selectors.get_membership_for_coach(request.user, group, trainee_pk)
    services.remove_trainee(membership)
    messages.success(request, f"{membership.trainee.username} was removed. Their results are kept.")
    return redirect("training:group_members", group.pk)


@coach_required
@require_POST
def join_code_renew(request, pk):
    group = selectors.get_group_for_coach(request.user, pk)
    code = services.renew_join_code(group)
    messages.success(request, f"New code {code}. The old code and link no longer work.")
    return redirect("training:group_members", group.pk)


@coach_required
def assignment_create(request, pk):
    group = selectors.get_group_for_coach(request.user, pk)
    form = forms.AssignmentForm(_posted(request))
    if form.is_valid():
        assignment = services.assign(
            group,
            form.cleaned_data["item"],
            due_at=form.cleaned_data["due_at"],
            assigned_by=request.user,
        )
        messages.success(request, f"Assigned “{assignment.title}” to {group.name}.")
        return redirect(group)
    return render(
        request,
        "training/assignment_form.html",
        {"group": group, "form": form},
        status=_status(form),
    )


@coach_required
@require_POST
def assignment_delete(request, pk, assignment_pk):
    group = selectors.get_group_for_coach(request.user, pk)
    assignment = selectors.get_assignment_for_coach(request.user, group, assignment_pk)
    assignment.delete()
    messages.success(request, f"“{assignment.title}” is no longer assigned. Results are kept.")
    return redirect(group)


def _trainee_page(request, group, membership, bound_form=None, status=200):
    """The coach's page on one trainee; bound_form: an allowance form sent back with errors."""
    trainee = membership.trainee
    assignments = list(Assignment.objects.for_group(group).with_items())
    cells = progress.progress_cells([trainee.pk], assignments)
    overrides = {
        o.assignment_id: o
        for o in QuizOverride.objects.filter(trainee=trainee, assignment__group=group)
    }
    rows = []
    for assignment in assignments:
        override = overrides.get(assignment.pk)
        form = None
        if assignment.quiz_id:
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
            }
        )
    context = {
        "group": group,
        "membership": membership,
        "trainee": trainee,
        "rows": rows,
        "attempts": selectors.attempts_of_trainee(trainee),
    }
    return render(request, "training/trainee_detail.html", context, status=status)


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
        raise Http404("Extra time and attempts apply to quizzes only.")
    form = forms.OverrideForm(request.POST, prefix=f"a{assignment.pk}")
    if not form.is_valid():
        messages.error(request, "The allowance was not saved: see the message by the field.")
        return _trainee_page(request, group, membership, bound_form=form, status=400)
    services.set_override(
        assignment, membership.trainee, granted_by=request.user, **form.cleaned_data
    )
    messages.success(request, f"Saved the allowance for {membership.trainee.username}.")
    return redirect("training:trainee_detail", group.pk, membership.trainee_id)


@coach_required
def quiz_analysis(request, pk, quiz_pk):
    group = selectors.get_group_for_coach(request.user, pk)
    quiz = get_object_or_404(Quiz, pk=quiz_pk, pk__in=group.assignments.values("quiz_id"))
    attempts = list(selectors.group_quiz_attempts(group, quiz))
    questions = item_analysis(attempts)
    bars = score_histogram([a.percent for a in attempts if a.percent is not None])
    return render(
        request,
        "training/quiz_analysis.html",
        {
            "group": group,
            "quiz": quiz,
            "attempt_count": len(attempts),
            "trainee_count": len({a.trainee_id for a in attempts}),
            "questions": questions,
            "bars": charts.histogram_bars(bars),
            "chart": charts,
        },
    )


# Trainee pages ----------------------------------------------------------------------------


@login_required
def my_assignments(request):
    work = progress.work_of_trainee(request.user)
    return render(request, "training/my_assignments.html", {"work": work})


@login_required
def my_results(request):
    attempts = (
        Attempt.objects.of(request.user).finished().select_related("quiz").order_by("-finished_at")
    )
    return render(request, "training/my_results.html", {"attempts": attempts})


# A group's code is the way into it: each account and each address may send only so many
# wrong (refused) codes an hour, then a 429 (the rates are settings; see the README).
limit_wrong_join_codes = limit_failed_posts(
    "join-code",
    {"user": "RATE_LIMIT_JOIN_CODES_PER_ACCOUNT", "ip": "RATE_LIMIT_JOIN_CODES_PER_ADDRESS"},
    failed=lambda response: response.status_code == 400,
)


@login_required
@limit_wrong_join_codes
def join(request):
    form = forms.JoinGroupForm(_posted(request))
    if form.is_valid():
        return _join(request, form, form.cleaned_data["code"])
    return render(request, "training/join.html", {"form": form}, status=_status(form))


@login_required
@limit_wrong_join_codes
def join_link(request, code):
    """The invitation link: confirm first, so a link opened by a preview bot joins nobody."""
    form = forms.JoinGroupForm(_posted(request), initial={"code": code})
    if request.method == "POST" and form.is_valid():
        return _join(request, form, form.cleaned_data["code"])
    return render(request, "training/join.html", {"form": form}, status=_status(form))


def _join(request, form, code):
    try:
        membership = services.join_group(request.user, code)
    except services.JoinRefused as refused:
        form.add_error("code", str(refused))
        return render(request, "training/join.html", {"form": form}, status=400)
    messages.success(request, f"You joined {membership.group.name}.")
    return redirect("training:my_assignments")


def _posted(request):
    """The POST data to bind a form to; an empty POST is still a submission (with errors)."""
    return request.POST if request.method == "POST" else None


def _status(form):
    """A form sent back with errors is a 400, so clients and tests see the refusal."""
    return 400 if form.is_bound and form.errors else 200
