import sys

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.templatetags.static import static
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET

from training.roles import landing_url_name


def home(request):
    """Visitors get the landing page; each role is sent to the page it works from."""
    if not request.user.is_authenticated:
        return render(request, "landing.html", {"open_signup": settings.OPEN_SIGNUP})
    return redirect(landing_url_name(request.user))


@never_cache
@require_GET
def healthz(request):
    """Liveness for load balancers: 200 while the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@login_required
def bench_baseline(request):
    """The benchmark's yardstick: the full middleware and a logged-in session, no work."""
    return JsonResponse({"user": request.user.get_username()})


def favicon(request):
    """Browsers ask for /favicon.ico on pages without a <link rel="icon">, such as the admin's."""
    return redirect(static("img/favicon.svg"), permanent=True)


@requires_csrf_token
def server_error(request):
    """500, or a 503 "back in a minute" while the database cannot be reached (a restart)."""
    # Called while the exception is being handled, so it is still in sys.exc_info().
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        # Rendered without the request, like the 500 page: nothing here may need the database.
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = "30"
        return response
    return defaults.server_error(request)
