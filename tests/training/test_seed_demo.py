"""seed_demo also shows onboarding: a roster-made account and a pending invitation."""

from io import StringIO

from django.core.management import call_command
from django.urls import reverse

from training.demo import DEMO_PASSWORD
from training.models import Invitation, ManagedAccount


def test_seed_demo_makes_a_roster_account_and_a_pending_invitation_once(client, db):
    out = StringIO()
    call_command("seed_demo", "--allow-production", stdout=out)
    call_command("seed_demo", "--allow-production", stdout=StringIO())
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
