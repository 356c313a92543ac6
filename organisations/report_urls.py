from django.urls import path

from organisations import report_views

app_name = "organisation_reports"

# The federation's addresses first: a club whose slug is "federation" still has its report
# (one segment), and only its register's address would be the federation's.
urlpatterns = [
    path("federation/<slug:slug>/", report_views.federation_report, name="federation"),
    path(
        "federation/<slug:slug>/staff/",
        report_views.federation_register,
        name="federation_register",
    ),
    path("<slug:slug>/", report_views.club_report, name="club"),
    path("<slug:slug>/staff/", report_views.club_register, name="club_register"),
]
