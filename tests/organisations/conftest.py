from dataclasses import dataclass

import pytest
from django.urls import reverse

from organisations.models import Role, StaffInvitation, StaffRole
from organisations.services import grant_role, offer_role
from tests.factories import make_club, make_coach, make_federation, make_trainee, make_user


@dataclass
class Clubs:
    """Two clubs of one federation, each with its own club admin; the Dolphins have a coach and
    an assessor too."""

    federation: object
    dolphins: object
    otters: object
    chair: object  # club admin of the Dolphins
    other_chair: object  # club admin of the Otters
    coach: object
    assessor: object
    trainee: object


@pytest.fixture
def clubs(db):
    federation = make_federation("Swim Region")
    dolphins = make_club("Dolphins SC", federation=federation)
    otters = make_club("Otters SC", federation=federation)
    chair = make_user("chair", first_name="Chris", last_name="Chair")
    grant_role(chair, dolphins, Role.CLUB_ADMIN)
    other_chair = make_user("other_chair")
    grant_role(other_chair, otters, Role.CLUB_ADMIN)
    assessor = make_user("assessor")
    grant_role(assessor, dolphins, Role.ASSESSOR)
    return Clubs(
        federation=federation,
        dolphins=dolphins,
        otters=otters,
        chair=chair,
        other_chair=other_chair,
        coach=make_coach("dolphins_coach", club=dolphins),
        assessor=assessor,
        trainee=make_trainee("swimmer"),
    )


def staff_url(club, name="club_staff", *args):
    return reverse(f"organisations:{name}", args=[club.slug, *args])


def role_of(person, club, role):
    return StaffRole.objects.active().filter(person=person, organisation=club, role=role).first()


def offer(club, role, *, by, **to):
    return offer_role(club, role, invited_by=by, **to)


def pending(**filters):
    return StaffInvitation.objects.pending().filter(**filters)
