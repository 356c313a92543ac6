"""My clubs and a club's staff page are drawn from a fixed number of queries, however many
people, roles and offers there are."""

import pytest
from django.urls import reverse

from organisations.models import Role
from organisations.services import grant_role, offer_role
from tests.factories import make_club, make_coach, make_user
from tests.organisations.conftest import staff_url


@pytest.mark.parametrize("size", [3, 30])
def test_my_clubs_keeps_its_query_count(client, db, django_assert_max_num_queries, size):
    person = make_user("busy")
    inviter = make_user("inviter", first_name="Ivy")
    for number in range(size):
        club = make_club(f"Club {number:02d}")
        grant_role(person, club, Role.CLUB_ADMIN)
        grant_role(person, club, Role.COACH)
        offer_role(club, Role.ASSESSOR, invited_by=inviter, person=person)
    client.force_login(person)
    # Session, user, roles with their organisations, offers with theirs and their inviters.
    with django_assert_max_num_queries(4):
        response = client.get(reverse("organisations:my_clubs"))
    assert response.status_code == 200
    assert response.content.decode().count("Club admin, since") == size


@pytest.mark.parametrize("size", [3, 30])
def test_the_club_staff_page_keeps_its_query_count(client, db, django_assert_max_num_queries, size):
    club = make_club("Dolphins SC")
    chair = make_user("chair")
    grant_role(chair, club, Role.CLUB_ADMIN)
    for number in range(size):
        make_coach(f"coach{number}", club=club)
        offer_role(club, Role.COACH, invited_by=chair, email=f"kid{number}@example.com")
        offer_role(club, Role.ASSESSOR, invited_by=chair, person=make_user(f"helper{number}"))
    client.force_login(chair)
    # Session, user, the person's roles (which clubs they administer), the club, its staff
    # with people and granters, its invitations with people and inviters.
    with django_assert_max_num_queries(6):
        response = client.get(staff_url(club))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("End role…") == size + 1
    assert page.count(">Withdraw<") == 2 * size


@pytest.mark.parametrize("size", [3, 30])
def test_the_federation_page_keeps_its_query_count(client, db, django_assert_max_num_queries, size):
    from tests.factories import make_federation

    federation = make_federation("Swim Region")
    admin = make_user("region")
    grant_role(admin, federation, Role.FEDERATION_ADMIN)
    for number in range(size):
        club = make_club(f"Club {number:02d}", federation=federation)
        grant_role(make_user(), club, Role.CLUB_ADMIN)
        make_coach(club=club)
    client.force_login(admin)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("organisations:federation", args=[federation.slug]))
    assert response.status_code == 200
    assert response.content.decode().count("2 people") == size
