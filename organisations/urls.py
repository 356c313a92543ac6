from django.urls import path

import crampcourse.converters  # noqa: F401  (registers <id:...>)
from organisations import views

app_name = "organisations"

urlpatterns = [
    path("", views.my_clubs, name="my_clubs"),
    path("offers/<id:pk>/accept/", views.offer_accept, name="offer_accept"),
    path("offers/<id:pk>/decline/", views.offer_decline, name="offer_decline"),
    path("<slug:slug>/staff/", views.club_staff, name="club_staff"),
    path("<slug:slug>/staff/invite/", views.club_invite, name="club_invite"),
    path("<slug:slug>/staff/add/", views.club_add_account, name="club_add_account"),
    path(
        "<slug:slug>/staff/invitations/<id:pk>/send/",
        views.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "<slug:slug>/staff/invitations/<id:pk>/withdraw/",
        views.invitation_withdraw,
        name="invitation_withdraw",
    ),
    path("<slug:slug>/staff/roles/<id:pk>/end/", views.role_end, name="role_end"),
    path("<slug:slug>/federation/", views.federation, name="federation"),
    # The link in an invitation e-mail: after the club's pages, so that a club whose slug is
    # "staff-invitations" still has its staff page (tokens are never "staff").
    path("staff-invitations/<str:token>/", views.staff_invitation, name="staff_invitation"),
    path(
        "staff-invitations/<str:token>/decline/",
        views.staff_invitation_decline,
        name="staff_invitation_decline",
    ),
]
