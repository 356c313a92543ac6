"""An existing account joins a group only by its own action; a coach can never add one."""

import pytest
from django.contrib.auth.models import Group as AuthGroup
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD, make_admin, make_coach, make_group, make_trainee
from training.forms import COACH_CANNOT_ADD
from training.models import Invitation, Membership
from training.roles import TRAINEE
from training.views import INVITATION_SENT


@pytest.fixture
def probe(db):
    """The probe's world: coach1 with trainee1 in the Dolphins, coach2 with the Lifeguards."""
    coach1, coach2 = make_coach("coach1"), make_coach("coach2")
    trainee1 = make_trainee("trainee1")
    dolphins = make_group("Dolphins", coaches=[coach1], trainees=[trainee1])
    lifeguards = make_group("Lifeguards", coaches=[coach2])
    return {
        "coach1": coach1,
        "coach2": coach2,
        "trainee1": trainee1,
        "admin": make_admin("admin"),
        "dolphins": dolphins,
        "lifeguards": lifeguards,
    }


def page_text(response):
    return response.content.decode()


@pytest.mark.parametrize("target", ["trainee1", "coach1", "admin"])
def test_coach2_cannot_add_an_account_by_username(client, probe, target):
    client.force_login(probe["coach2"])
    url = reverse("training:group_members", args=[probe["lifeguards"].pk])
    roles_before = set(probe[target].groups.values_list("name", flat=True))
    response = client.post(url, {"email": target, "who": target})
    assert response.status_code == 400
    assert set(probe[target].groups.values_list("name", flat=True)) == roles_before
    assert COACH_CANNOT_ADD in page_text(response)
    assert not Membership.objects.filter(group=probe["lifeguards"]).exists()
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("target", ["trainee1", "coach1", "admin"])
def test_coach2_typing_an_accounts_email_only_sends_an_invitation(client, probe, target):
    """The same answer as for an address nobody has: the form reveals no account."""
    user = probe[target]
    roles_before = set(user.groups.values_list("name", flat=True))
    client.force_login(probe["coach2"])
    url = reverse("training:group_members", args=[probe["lifeguards"].pk])
    stranger = client.post(url, {"email": "nobody-here@example.com"}, follow=True)
    existing = client.post(url, {"email": f"{target}@example.com"}, follow=True)
    assert stranger.status_code == existing.status_code == 200
    assert INVITATION_SENT in page_text(existing)
    assert [m.message for m in existing.context["messages"]] == [
        m.message for m in stranger.context["messages"]
    ]
    assert not Membership.objects.filter(group=probe["lifeguards"]).exists()
    assert set(user.groups.values_list("name", flat=True)) == roles_before
    assert len(mail.outbox) == 2


def test_invited_trainee_joins_only_by_accepting(client, probe):
    client.force_login(probe["coach2"])
    url = reverse("training:group_members", args=[probe["lifeguards"].pk])
    client.post(url, {"email": "trainee1@example.com"})
    invitation = Invitation.objects.get()
    link = reverse("training:join_link", args=[invitation.token])
    assert link in mail.outbox[0].body
    trainee1 = probe["trainee1"]
    client.force_login(trainee1)
    confirm = client.get(link)
    assert "Join Lifeguards" in page_text(confirm)
    assert not probe["lifeguards"].memberships.filter(trainee=trainee1).exists()
    assert client.post(link).status_code == 302
    assert probe["lifeguards"].memberships.active().filter(trainee=trainee1).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_by == trainee1
    # Used once: the link now leads nowhere.
    assert client.get(link).status_code == 404


@pytest.mark.parametrize("target", ["coach1", "admin"])
def test_coach_and_admin_accounts_cannot_accept_as_trainees(client, probe, target):
    invitation = Invitation.objects.create(group=probe["lifeguards"], email=f"{target}@example.com")
    client.force_login(probe[target])
    link = reverse("training:join_link", args=[invitation.token])
    offered = client.get(link).content.decode()
    assert "cannot join a group as trainees" in offered
    assert "Join Lifeguards</button>" not in offered
    response = client.post(link)
    assert response.status_code == 400
    assert "cannot join a group as trainees" in page_text(response)
    assert not Membership.objects.filter(group=probe["lifeguards"]).exists()
    assert not probe[target].groups.filter(name=TRAINEE).exists()


def test_coach_account_cannot_join_by_code_either(client, probe):
    client.force_login(probe["coach1"])
    response = client.post(reverse("training:join"), {"code": probe["lifeguards"].join_code})
    assert response.status_code == 400
    assert not Membership.objects.filter(trainee=probe["coach1"]).exists()
    assert AuthGroup.objects.get(name=TRAINEE).user_set.filter(pk=probe["coach1"].pk).count() == 0


def test_existing_account_logs_in_from_the_link_and_confirms(client, probe):
    group = probe["lifeguards"]
    link = reverse("training:join_link", args=[group.join_code])
    page = client.get(link)
    assert "Log in to join" in page_text(page)
    login = client.post(
        reverse("login") + f"?next={link}",
        {"username": "trainee1", "password": PASSWORD, "next": link},
    )
    assert login["Location"] == link
    assert not group.memberships.filter(trainee=probe["trainee1"]).exists()
    client.post(link)
    assert group.memberships.active().filter(trainee=probe["trainee1"]).exists()


def test_coach_withdraws_a_pending_invitation_and_the_link_stops(client, probe):
    client.force_login(probe["coach2"])
    members = reverse("training:group_members", args=[probe["lifeguards"].pk])
    client.post(members, {"email": "kid@example.com"})
    invitation = Invitation.objects.get()
    assert "kid@example.com" in page_text(client.get(members))
    url = reverse("training:invitation_withdraw", args=[probe["lifeguards"].pk, invitation.pk])
    # Another coach cannot withdraw it.
    client.force_login(probe["coach1"])
    assert client.post(url).status_code == 404
    client.force_login(probe["coach2"])
    assert client.post(url)["Location"] == members
    assert not Invitation.objects.exists()
    link = reverse("training:join_link", args=[invitation.token])
    assert client.get(link).status_code == 404


def test_invitations_are_rate_limited_per_coach(client, probe, settings):
    settings.INVITATION_RATE = "2/d"
    client.force_login(probe["coach2"])
    url = reverse("training:group_members", args=[probe["lifeguards"].pk])
    for number in range(2):
        assert client.post(url, {"email": f"kid{number}@example.com"}).status_code == 302
    assert client.post(url, {"email": "kid9@example.com"}).status_code == 429
    assert Invitation.objects.count() == 2
    assert len(mail.outbox) == 2
