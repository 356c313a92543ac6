from django.urls import path, re_path

import crampcourse.converters  # noqa: F401  (registers <id:...>)
from quizzes import views

app_name = "quizzes"

urlpatterns = [
    path("", views.quiz_list, name="quiz_list"),
    path("attempts/<id:pk>/", views.attempt_page, name="attempt_page"),
    path("attempts/<id:pk>/autosave/", views.attempt_autosave, name="attempt_autosave"),
    path("attempts/<id:pk>/summary/", views.attempt_summary, name="attempt_summary"),
    path("attempts/<id:pk>/submit/", views.submit_attempt, name="attempt_submit"),
    path("attempts/<id:pk>/result/", views.attempt_result, name="attempt_result"),
    re_path(
        r"^media/(?P<file_name>[0-9a-f]{64}\.(?:png|jpeg|gif|webp))$",
        views.question_image,
        name="question_image",
    ),
    path("<slug:slug>/", views.quiz_detail, name="quiz_detail"),
    path("<slug:slug>/start/", views.start_attempt, name="start_attempt"),
    path("<slug:slug>/preview/", views.quiz_preview, name="quiz_preview"),
]
