from django.urls import path

import crampcourse.converters  # noqa: F401  (registers <id:...>)
from training import views

app_name = "training"

urlpatterns = [
    path("groups/", views.coach_groups, name="coach_groups"),
    path("groups/new/", views.group_create, name="group_create"),
    path("groups/<id:pk>/", views.group_dashboard, name="group_dashboard"),
    path("groups/<id:pk>/export.csv", views.group_export_csv, name="group_export_csv"),
    path("groups/<id:pk>/members/", views.group_members, name="group_members"),
    path("groups/<id:pk>/code/", views.join_code_renew, name="join_code_renew"),
    path(
        "groups/<id:pk>/members/<id:trainee_pk>/remove/",
        views.membership_remove,
        name="membership_remove",
    ),
    path("groups/<id:pk>/trainees/<id:trainee_pk>/", views.trainee_detail, name="trainee_detail"),
    path(
        "groups/<id:pk>/trainees/<id:trainee_pk>/password/",
        views.managed_password_reset,
        name="managed_password_reset",
    ),
    path(
        "groups/<id:pk>/invitations/<id:invitation_pk>/withdraw/",
        views.invitation_withdraw,
        name="invitation_withdraw",
    ),
    path("groups/<id:pk>/roster/", views.roster, name="roster"),
    path("groups/<id:pk>/roster/cards/", views.roster_cards, name="roster_cards"),
    path("groups/<id:pk>/roster/cards.csv", views.roster_cards_csv, name="roster_cards_csv"),
    path(
        "groups/<id:pk>/trainees/<id:trainee_pk>/allowances/<id:assignment_pk>/",
        views.override_set,
        name="override_set",
    ),
    path(
        "groups/<id:pk>/trainees/<id:trainee_pk>/time/",
        views.time_multiplier_set,
        name="time_multiplier_set",
    ),
    path("groups/<id:pk>/assign/", views.assignment_create, name="assignment_create"),
    path(
        "groups/<id:pk>/assignments/<id:assignment_pk>/delete/",
        views.assignment_delete,
        name="assignment_delete",
    ),
    path(
        "groups/<id:pk>/quizzes/<id:quiz_pk>/analysis/", views.quiz_analysis, name="quiz_analysis"
    ),
    path("my/assignments/", views.my_assignments, name="my_assignments"),
    path("my/results/", views.my_results, name="my_results"),
    path("join/", views.join, name="join"),
    path("join/<str:code>/", views.join_link, name="join_link"),
    path("signup/", views.signup, name="signup"),
]
