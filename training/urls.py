from django.urls import path

from training import views

app_name = "training"

urlpatterns = [
    path("groups/", views.coach_groups, name="coach_groups"),
    path("groups/<int:pk>/", views.group_dashboard, name="group_dashboard"),
    path("my/assignments/", views.my_assignments, name="my_assignments"),
]
