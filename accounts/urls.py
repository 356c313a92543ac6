from django.urls import path

import crampcourse.converters  # noqa: F401  (registers <id:...>)
from accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.my_account, name="my_account"),
    path("language/", views.choose_language, name="choose_language"),
    path("email/send/", views.email_confirm_send, name="email_confirm_send"),
    path("email/confirm/<str:token>/", views.email_confirm, name="email_confirm"),
    path("password/", views.password, name="password"),
    path("groups/<id:group_pk>/leave/", views.leave_group, name="leave_group"),
    path("my-data.json", views.download_data, name="download_data"),
    path("delete/", views.delete_account, name="delete_account"),
]
