from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext

from training.roles import is_coach


def coach_required(view):
    """Only coaches (and nobody else) may open the coach pages."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_coach(request.user):
            raise PermissionDenied(gettext("This page is for coaches."))
        return view(request, *args, **kwargs)

    return wrapped
