from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.my_account, name="my_account"),
    path("password/", views.password, name="password"),
    path("groups/<int:group_pk>/leave/", views.leave_group, name="leave_group"),
    path("my-data.json", views.download_data, name="download_data"),
    path("delete/", views.delete_account, name="delete_account"),
]
