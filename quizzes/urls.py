from django.urls import path, re_path

from quizzes import views

app_name = "quizzes"

urlpatterns = [
    path("", views.quiz_list, name="quiz_list"),
    path("attempts/<int:pk>/", views.attempt_page, name="attempt_page"),
    path("attempts/<int:pk>/autosave/", views.attempt_autosave, name="attempt_autosave"),
    path("attempts/<int:pk>/summary/", views.attempt_summary, name="attempt_summary"),
    path("attempts/<int:pk>/submit/", views.submit_attempt, name="attempt_submit"),
    path("attempts/<int:pk>/result/", views.attempt_result, name="attempt_result"),
    re_path(
        r"^media/(?P<file_name>[0-9a-f]{64}\.(?:png|jpeg|gif|webp))$",
        views.question_image,
        name="question_image",
    ),
    path("<slug:slug>/", views.quiz_detail, name="quiz_detail"),
    path("<slug:slug>/start/", views.start_attempt, name="start_attempt"),
    path("<slug:slug>/preview/", views.quiz_preview, name="quiz_preview"),
]
