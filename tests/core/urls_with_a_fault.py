"""The site's URLs plus one view with a bug, to see what a server error looks like."""

from django.urls import include, path


def broken(request):
    raise RuntimeError("a bug with a secret in its message")


urlpatterns = [path("broken/", broken), path("", include("crampcourse.urls"))]
