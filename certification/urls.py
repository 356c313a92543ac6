from django.urls import path

import crampcourse.converters  # noqa: F401  (registers <id:...>)
from certification import views

app_name = "certification"

urlpatterns = [
    path("certificates/<str:code>.pdf", views.certificate_pdf, name="certificate_pdf"),
    path(
        "certificates/<str:code>/openbadge.<str:fmt>",
        views.certificate_badge,
        name="certificate_badge",
    ),
    path("my/certificates/", views.my_certificates, name="my_certificates"),
    path("my/reminders/", views.reminder_settings, name="reminder_settings"),
    path("groups/<id:pk>/poolside/", views.poolside_index, name="poolside_index"),
    path("groups/<id:pk>/poolside/<slug:slug>/", views.poolside, name="poolside"),
    path("groups/<id:pk>/poolside/<slug:slug>/mark/", views.poolside_mark, name="poolside_mark"),
    path("assess/", views.assessments_home, name="assessments"),
    path("assess/<id:pk>/", views.assessment, name="assessment"),
    path("assess/<id:pk>/mark/", views.assessment_mark, name="assessment_mark"),
    path("assess/<id:pk>/finish/", views.assessment_finish, name="assessment_finish"),
    path("assess/<id:pk>/close/", views.assessment_close, name="assessment_close"),
    path("groups/<id:pk>/certificates/", views.group_certificates, name="group_certificates"),
    path(
        "groups/<id:pk>/certificates/<id:certificate_pk>/revoke/",
        views.certificate_revoke,
        name="certificate_revoke",
    ),
    path(
        "groups/<id:pk>/certificates/<id:certificate_pk>/suspend/",
        views.certificate_suspend,
        name="certificate_suspend",
    ),
    path(
        "groups/<id:pk>/certificates/<id:certificate_pk>/reinstate/",
        views.certificate_reinstate,
        name="certificate_reinstate",
    ),
    path(
        "groups/<id:pk>/certificates/<id:certificate_pk>/reissue/",
        views.certificate_reissue,
        name="certificate_reissue",
    ),
    # CPD (cpd.py): a coach logs a pool session, the trainee confirms it.
    path("groups/<id:pk>/trainees/<id:trainee_pk>/cpd/", views.cpd_log, name="cpd_log"),
    path("my/cpd/<id:pk>/confirm/", views.cpd_confirm, name="cpd_confirm"),
]
