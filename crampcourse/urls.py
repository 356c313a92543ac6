from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import JavaScriptCatalog

from accounts.forms import VerifiedPasswordResetForm
from certification import views as certification_views
from crampcourse import views
from crampcourse.ratelimits import limit_failures, limit_requests, posted_email

# Each request sends an email: so many per address and per email address an hour, then a 429.
password_reset = limit_requests("password-reset:ip", "ip", "RATE_LIMIT_RESETS_PER_ADDRESS")(
    limit_requests("password-reset:email", posted_email, "RATE_LIMIT_RESETS_PER_EMAIL")(
        auth_views.PasswordResetView.as_view(form_class=VerifiedPasswordResetForm)
    )
)


def _login_refused(response):
    """A log-in form sent back with errors: a wrong password, or a locked-out pair."""
    form = (getattr(response, "context_data", None) or {}).get("form")
    return form is not None and form.is_bound and bool(form.errors)


# django-axes locks one account on one address after a few wrong passwords; this limits one
# address however many usernames it tries (the client's address, read through the proxies as
# the log-in throttle reads it). High enough for a class logging in on one pool's Wi-Fi.
# Fails open: with Redis down, people still sign in, and axes (counting in the database) still
# locks an account guessed at.
login = limit_failures(
    "login:ip", {"ip": "RATE_LIMIT_LOGINS_PER_ADDRESS"}, _login_refused, fail_closed=False
)(auth_views.LoginView.as_view())

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico on pages without a <link rel="icon">, such as the admin's.
    path("favicon.ico", views.favicon, name="favicon"),
    # Before Django's own, so the rate-limited view answers this address.
    path("accounts/password_reset/", password_reset, name="password_reset"),
    path("accounts/login/", login, name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("account/", include("accounts.urls")),
    path("course/", include("lessons.urls")),
    path("quizzes/", include("quizzes.urls")),
    path("training/", include("training.urls")),
    path("certification/", include("certification.urls")),
    path("organisations/logo/", include("organisations.logo_urls")),
    path("organisations/reports/", include("organisations.report_urls")),
    path("organisations/", include("organisations.urls")),
    # Printed on certificates and in their QR codes: keep it short and stable.
    path("verify/<str:code>/", certification_views.verify, name="verify_certificate"),
    # Anyone checks an Open Badges credential: pasted, or uploaded as a file or baked badge.
    path("verify/", certification_views.verify_credential, name="verify_credential"),
    # What verifiers fetch: /.well-known/did.json, issuer profiles, status lists.
    path("", include("certification.openbadges.urls")),
    path("admin/", admin.site.urls),
    # The strings of static/js in the page's language (gettext() and friends for site.js).
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
]

if settings.BENCHMARK:
    urlpatterns.append(path("bench/baseline", views.bench_baseline, name="bench_baseline"))

# A database that does not answer is a 503 "back in a minute", not a 500 (crampcourse.views).
handler500 = "crampcourse.views.server_error"

admin.site.site_header = _("CrampCourse administration")
admin.site.site_title = _("CrampCourse admin")
