"""Clubs, federations and staff roles: who runs which groups, and the rules that keep a club run."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from organisations.models import Kind, Organisation, Role, StaffRole
from organisations.services import (
    StaffRuleBroken,
    accept_invitation,
    end_role,
    grant_role,
    offer_role,
)
from tests.factories import (
    make_club,
    make_coach,
    make_federation,
    make_group,
    make_trainee,
    make_user,
)
from training.models import TrainingGroup


@pytest.fixture
def clubs(db):
    federation = make_federation("Swim Region")
    return make_club("Dolphins SC", federation=federation), make_club("Otters SC")


def test_a_club_admin_runs_every_group_of_their_club_and_none_of_another(client, clubs):
    dolphins, otters = clubs
    admin = make_user("chair")
    grant_role(admin, dolphins, Role.CLUB_ADMIN)
    ours = make_group("Dolphins juniors", coaches=[make_coach(club=dolphins)], club=dolphins)
    theirs = make_group("Otters juniors", coaches=[make_coach(club=otters)], club=otters)
    client.force_login(admin)
    page = client.get(reverse("training:coach_groups")).content.decode()
    assert "Dolphins juniors" in page
    assert "Otters juniors" not in page
    assert client.get(ours.get_absolute_url()).status_code == 200
    assert client.get(theirs.get_absolute_url()).status_code == 404


def test_a_coach_runs_only_the_groups_they_coach(client, clubs):
    dolphins, _ = clubs
    coach = make_coach(club=dolphins)
    mine = make_group("Mine", coaches=[coach], club=dolphins)
    other = make_group("Other", coaches=[make_coach(club=dolphins)], club=dolphins)
    client.force_login(coach)
    assert client.get(mine.get_absolute_url()).status_code == 200
    assert client.get(other.get_absolute_url()).status_code == 404


def test_a_group_run_two_ways_is_listed_once(clubs):
    dolphins, _ = clubs
    coach = make_coach(club=dolphins)
    grant_role(coach, dolphins, Role.CLUB_ADMIN)
    make_group(coaches=[coach], club=dolphins)
    assert TrainingGroup.objects.run_by(coach).count() == 1


def test_the_last_club_admin_cannot_leave(clubs):
    dolphins, _ = clubs
    only = grant_role(make_user(), dolphins, Role.CLUB_ADMIN)
    with pytest.raises(StaffRuleBroken, match="needs another club admin"):
        end_role(only)
    grant_role(make_user(), dolphins, Role.CLUB_ADMIN)
    end_role(only)
    assert StaffRole.objects.get(pk=only.pk).ended_at is not None


def test_a_coach_who_leaves_stops_coaching_but_the_group_and_its_data_stay(clubs):
    dolphins, _ = clubs
    grant_role(make_user(), dolphins, Role.CLUB_ADMIN)
    coach = make_coach(club=dolphins)
    trainee = make_trainee()
    group = make_group("Juniors", coaches=[coach], trainees=[trainee], club=dolphins)
    end_role(StaffRole.objects.get(person=coach, organisation=dolphins))
    group.refresh_from_db()
    assert not group.coaches.exists()
    assert group.memberships.filter(trainee=trainee).exists()
    assert StaffRole.objects.filter(person=coach).exclude(ended_at=None).exists()


def test_a_groups_only_coach_cannot_leave_a_club_without_an_admin(clubs):
    dolphins, _ = clubs
    coach = make_coach(club=dolphins)
    make_group("Juniors", coaches=[coach], club=dolphins)
    with pytest.raises(StaffRuleBroken, match="Juniors would be left with no coach"):
        end_role(StaffRole.objects.get(person=coach, organisation=dolphins))
    assert StaffRole.objects.get(person=coach).ended_at is None


def test_the_refusal_names_every_group_left_without_a_coach_by_name(clubs):
    dolphins, _ = clubs
    coach = make_coach(club=dolphins)
    make_group("Seniors", coaches=[coach], club=dolphins)
    make_group("Juniors", coaches=[coach], club=dolphins)
    with pytest.raises(StaffRuleBroken) as refusal:
        end_role(StaffRole.objects.get(person=coach, organisation=dolphins))
    assert str(refusal.value) == (
        "Juniors, Seniors would be left with no coach and the club has no admin."
    )


def test_nobody_is_made_staff_without_accepting(clubs):
    dolphins, _ = clubs
    admin = make_user()
    grant_role(admin, dolphins, Role.CLUB_ADMIN)
    person = make_user("new-coach")
    offer = offer_role(dolphins, Role.COACH, invited_by=admin, person=person)
    assert not StaffRole.objects.filter(person=person).exists()
    with pytest.raises(StaffRuleBroken, match="for another account"):
        accept_invitation(offer, make_user())
    role = accept_invitation(offer, person)
    assert (role.organisation, role.role, role.granted_by) == (dolphins, Role.COACH, admin)
    with pytest.raises(StaffRuleBroken, match="already been used"):
        accept_invitation(offer, person)


def test_roles_belong_to_the_kind_of_organisation(clubs):
    dolphins, _ = clubs
    federation = dolphins.federation
    with pytest.raises(StaffRuleBroken):
        grant_role(make_user(), federation, Role.COACH)
    with pytest.raises(StaffRuleBroken):
        grant_role(make_user(), dolphins, Role.FEDERATION_ADMIN)


def test_no_club_in_itself_and_no_federation_in_a_federation(clubs):
    dolphins, otters = clubs
    otters.federation = otters
    with pytest.raises(ValidationError, match="federation"):
        otters.full_clean()
    otters.federation = dolphins
    with pytest.raises(ValidationError, match="belong to a federation, not a club"):
        otters.full_clean()
    federation = Organisation(name="Top", slug="top", kind=Kind.FEDERATION)
    federation.federation = dolphins.federation
    with pytest.raises(ValidationError, match="cannot belong to another"):
        federation.full_clean()


def test_a_club_cannot_take_a_slug_the_sites_own_pages_use(admin_client, db):
    # A club called "reports" would have hidden its own staff page behind the club reports.
    page = admin_client.post(
        reverse("admin:organisations_organisation_add"),
        {
            "kind": Kind.CLUB,
            "name": "Reports SC",
            "slug": "reports",
            "created_at_0": "2026-01-01",
            "created_at_1": "10:00:00",
            "staff_roles-TOTAL_FORMS": "0",
            "staff_roles-INITIAL_FORMS": "0",
        },
    )
    assert page.status_code == 200
    assert "one of the site&#x27;s own addresses" in page.content.decode()
    assert not Organisation.objects.filter(slug="reports").exists()


def test_a_coach_of_one_club_makes_groups_there(client, clubs):
    dolphins, _ = clubs
    coach = make_coach(club=dolphins)
    client.force_login(coach)
    response = client.post(reverse("training:group_create"), {"name": "Tuesday squad"})
    assert response.status_code == 302
    assert TrainingGroup.objects.get(name="Tuesday squad").club == dolphins


def test_a_coach_of_two_clubs_chooses_and_cannot_choose_another(client, clubs):
    dolphins, otters = clubs
    stranger = make_club("Seals SC")
    coach = make_coach(club=dolphins)
    grant_role(coach, otters, Role.COACH)
    client.force_login(coach)
    page = client.get(reverse("training:group_create")).content.decode()
    assert "Otters SC" in page
    assert "Seals SC" not in page
    refused = client.post(reverse("training:group_create"), {"name": "Sneaky", "club": stranger.pk})
    assert refused.status_code == 400
    assert not TrainingGroup.objects.filter(name="Sneaky").exists()
    client.post(reverse("training:group_create"), {"name": "Otters B", "club": otters.pk})
    assert TrainingGroup.objects.get(name="Otters B").club == otters


def test_a_coach_without_a_club_is_told_to_ask_a_club_admin(client, db):
    from django.contrib.auth.models import Group

    from training.roles import COACH

    legacy = make_user("legacy")
    legacy.groups.add(Group.objects.get(name=COACH))
    client.force_login(legacy)
    response = client.post(reverse("training:group_create"), {"name": "Nowhere"})
    assert response.status_code == 400
    assert "Ask a club admin to add you as a coach" in response.content.decode()


def test_my_data_lists_roles_and_deleting_the_account_ends_them(clubs):
    from organisations import myaccount

    dolphins, _ = clubs
    person = make_coach(club=dolphins)
    offer_role(dolphins, Role.ASSESSOR, invited_by=person, person=person)
    data = myaccount.personal_data(person)
    assert [r["organisation"] for r in data["staff_roles"]] == ["Dolphins SC"]
    assert [o["role"] for o in data["staff_offers"]] == ["Assessor"]
    myaccount.forget(person)
    assert not StaffRole.objects.active().filter(person=person).exists()
    assert StaffRole.objects.filter(person=person).exists()  # the register keeps the history
    assert not person.staff_invitations.pending().exists()


def _group_form(group, **changes):
    data = {
        "name": group.name,
        "description": group.description,
        "club": group.club_id,
        "coaches": [coach.pk for coach in group.coaches.all()],
    }
    for prefix in ("memberships", "assignments"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    return data | changes


def test_a_group_cannot_move_to_a_club_its_coach_is_not_staff_of(admin_client, clubs):
    dolphins, otters = clubs
    coach = make_coach("dolphin_coach", club=dolphins)
    group = make_group("Dolphins juniors", coaches=[coach], club=dolphins)
    url = reverse("admin:training_traininggroup_change", args=[group.pk])
    page = admin_client.post(url, _group_form(group, club=otters.pk))
    assert page.status_code == 200
    assert "dolphin_coach is not a coach or club admin of Otters SC" in page.content.decode()
    group.refresh_from_db()
    assert group.club == dolphins
    # Once the Otters make them a coach, the move goes through.
    grant_role(coach, otters, Role.COACH)
    assert admin_client.post(url, _group_form(group, club=otters.pk)).status_code == 302
    group.refresh_from_db()
    assert group.club == otters
