from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from crampcourse import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico on pages without a <link rel="icon">, such as the admin's.
    path("favicon.ico", views.favicon, name="favicon"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("course/", include("lessons.urls")),
    path("quizzes/", include("quizzes.urls")),
    path("training/", include("training.urls")),
    path("admin/", admin.site.urls),
]

if settings.BENCHMARK:
    urlpatterns.append(path("bench/baseline", views.bench_baseline, name="bench_baseline"))

# A database that does not answer is a 503 "back in a minute", not a 500 (crampcourse.views).
handler500 = "crampcourse.views.server_error"

admin.site.site_header = "CrampCourse administration"
admin.site.site_title = "CrampCourse admin"
