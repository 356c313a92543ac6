from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from training import selectors
from training.permissions import coach_required


@coach_required
def coach_groups(request):
    groups = selectors.groups_coached_by(request.user)
    return render(request, "training/coach_groups.html", {"groups": groups})


@coach_required
def group_dashboard(request, pk):
    group = selectors.get_group_for_coach(request.user, pk)
    return render(request, "training/group_dashboard.html", {"group": group})


@login_required
def my_assignments(request):
    groups = selectors.groups_of_trainee(request.user)
    return render(request, "training/my_assignments.html", {"groups": groups})
