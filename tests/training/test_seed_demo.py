"""seed_demo also shows onboarding: a roster-made account and a pending invitation."""

from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from crampcourse.verification import is_verified
from training.demo import DEMO_PASSWORD
from training.models import Invitation, ManagedAccount


def test_seed_demo_makes_a_roster_account_and_a_pending_invitation_once(client, db):
    out = StringIO()
    call_command("seed_demo", "--allow-production", stdout=out)
    call_command("seed_demo", "--allow-production", stdout=StringIO())
    # The demo's addresses are confirmed, so resets and reminders work in the demo.
    for username in ("admin", "coach1", "trainee1"):
        assert is_verified(get_user_model().objects.get(username=username))
    managed = ManagedAccount.objects.get()
    assert managed.user.username == "roster1"
    assert managed.group.name == "Dolphins squad"
    assert managed.group.memberships.active().filter(trainee=managed.user).exists()
    invitation = Invitation.objects.pending().get()
    assert invitation.group.name == "Dolphins squad"
    link = reverse("training:join_link", args=[invitation.token])
    assert link in out.getvalue()
    assert "Join Dolphins squad" in client.get(link).content.decode()
    # The roster account must choose its own password at first log-in.
    client.post(reverse("login"), {"username": "roster1", "password": DEMO_PASSWORD})
    assert client.get(reverse("home"))["Location"] == reverse("accounts:password")
    # coach1 may reset it.
    client.force_login(managed.created_by)
    url = reverse("training:managed_password_reset", args=[managed.group.pk, managed.user.pk])
    assert client.post(url).status_code == 302


def test_seed_demo_makes_a_federation_with_two_clubs_and_their_staff_once(client, db):
    from organisations.models import Organisation, Role, StaffRole
    from training.models import TrainingGroup

    call_command("seed_demo", "--allow-production", stdout=StringIO())
    call_command("seed_demo", "--allow-production", stdout=StringIO())
    federation = Organisation.objects.get(kind="federation")
    clubs = {club.name: club for club in federation.clubs.all()}
    assert set(clubs) == {"Dolphins Swimming Club", "Riverside Lifesaving Club"}
    assert TrainingGroup.objects.get(name="Dolphins squad").club == clubs["Dolphins Swimming Club"]
    roles = set(
        StaffRole.objects.active().values_list("person__username", "role", "organisation__name")
    )
    assert {
        ("federation1", Role.FEDERATION_ADMIN, federation.name),
        ("clubadmin1", Role.CLUB_ADMIN, "Dolphins Swimming Club"),
        ("assessor1", Role.ASSESSOR, "Dolphins Swimming Club"),
        ("clubadmin2", Role.CLUB_ADMIN, "Riverside Lifesaving Club"),
        ("assessor2", Role.ASSESSOR, "Riverside Lifesaving Club"),
        ("coach1", Role.COACH, "Dolphins Swimming Club"),
        ("coach2", Role.COACH, "Riverside Lifesaving Club"),
    } <= roles
    assert StaffRole.objects.count() == len(roles)  # nothing made twice
    # A club admin runs the club's groups from the coach pages.
    client.force_login(get_user_model().objects.get(username="clubadmin2"))
    page = client.get(reverse("training:coach_groups")).content.decode()
    assert "Lifeguard cohort" in page
    assert "Dolphins squad" not in page
