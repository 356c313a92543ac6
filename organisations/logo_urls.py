"""The logo address, apart from organisations/urls.py (the staff pages): printed on /verify/."""

from django.urls import re_path

from organisations import logo_views

app_name = "organisation_logos"

urlpatterns = [
    # At most 18 digits: every such number fits the database's integers.
    re_path(
        r"^(?P<pk>[0-9]{1,18})-(?P<sha256>[0-9a-f]{64})\.(?P<extension>png|jpeg)$",
        logo_views.logo,
        name="logo",
    ),
]
