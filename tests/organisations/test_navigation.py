"""Whoever holds a staff role, or has an offer waiting, finds "My clubs" in the navigation."""

from django.urls import reverse

from organisations.models import Role
from organisations.services import grant_role, offer_role
from tests.factories import make_club, make_federation, make_trainee, make_user

MY_CLUBS = 'href="/organisations/"'


def nav_of(client, user):
    client.force_login(user)
    return client.get(reverse("lessons:course_list")).content.decode()


def test_assessors_federation_admins_and_people_with_an_offer_see_my_clubs(client, db):
    club = make_club()
    assessor = make_user()
    grant_role(assessor, club, Role.ASSESSOR)
    federation_admin = make_user()
    grant_role(federation_admin, make_federation(), Role.FEDERATION_ADMIN)
    offered = make_trainee()
    offer_role(club, Role.COACH, invited_by=assessor, person=offered)
    for person in (assessor, federation_admin, offered):
        assert MY_CLUBS in nav_of(client, person)
    assert MY_CLUBS not in nav_of(client, make_trainee())
