from django.urls import path

from lessons import views

app_name = "lessons"

urlpatterns = [
    path("", views.course_list, name="course_list"),
    path("<slug:slug>/", views.course_detail, name="course_detail"),
    path("<slug:course_slug>/<slug:lesson_slug>/", views.lesson_detail, name="lesson_detail"),
    path("<slug:course_slug>/<slug:lesson_slug>/read/", views.mark_read, name="mark_read"),
]
