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
    path("account/", include("accounts.urls")),
    path("course/", include("lessons.urls")),
    path("quizzes/", include("quizzes.urls")),
    path("training/", include("training.urls")),
    path("admin/", admin.site.urls),
]

if settings.BENCHMARK:
    urlpatterns.append(path("bench/baseline", views.bench_baseline, name="bench_baseline"))

admin.site.site_header = "CrampCourse administration"
admin.site.site_title = "CrampCourse admin"
