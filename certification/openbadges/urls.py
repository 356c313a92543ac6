from django.urls import path

from certification.openbadges import views

app_name = "openbadges"

urlpatterns = [
    path(".well-known/did.json", views.did_document, name="did_document"),
    path("openbadges/issuers/<slug:slug>/", views.issuer, name="issuer"),
    path("openbadges/status/<slug:slug>/", views.status_list, name="status_list"),
    path(
        "openbadges/status/<slug:slug>/suspension/",
        views.suspension_list,
        name="suspension_list",
    ),
    path("openbadges/badge.png", views.badge_image, name="badge_image"),
]
