from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
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
