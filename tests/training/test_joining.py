"""Trainees join with the coach's code or invitation link."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_group, make_user, verify_email
from training.models import Invitation
from training.roles import TRAINEE


def test_trainee_joins_with_a_code_typed_loosely(client, group):
    newcomer = make_user("newcomer")
    client.force_login(newcomer)
    code = group.join_code.lower()
    response = client.post(reverse("training:join"), {"code": f" {code[:4]} {code[4:]} "})
    assert response.status_code == 302
    assert group.memberships.active().filter(trainee=newcomer).exists()
    assert Group.objects.get(name=TRAINEE) in newcomer.groups.all()


def test_wrong_code_is_a_400_with_a_reason(client, trainee):
    client.force_login(trainee)
    response = client.post(reverse("training:join"), {"code": "NOPE2345"})
    assert response.status_code == 400
    assert "No group has that code" in response.content.decode()


def test_invitation_link_asks_before_joining(client, group):
    newcomer = make_user("newcomer")
    client.force_login(newcomer)
    url = reverse("training:join_link", args=[group.join_code])
    page = client.get(url)
    assert page.status_code == 200
    assert group.join_code in page.content.decode()
    assert not group.memberships.filter(trainee=newcomer).exists()
    assert client.post(url, {"code": group.join_code}).status_code == 302
    assert group.memberships.active().filter(trainee=newcomer).exists()


def test_a_removed_trainee_can_rejoin_and_a_renewed_code_stops_the_old_one(
    client, coach, group, trainee
):
    client.force_login(coach)
    client.post(reverse("training:membership_remove", args=[group.pk, trainee.pk]))
    old_code = group.join_code
    client.post(reverse("training:join_code_renew", args=[group.pk]))
    group.refresh_from_db()
    assert group.join_code != old_code
    client.force_login(trainee)
    assert client.post(reverse("training:join"), {"code": old_code}).status_code == 400
    assert client.post(reverse("training:join"), {"code": group.join_code}).status_code == 302
    assert group.memberships.active().filter(trainee=trainee).exists()


def test_my_assignments_lists_work_from_each_group_with_status(client, trainee, group, quiz):
    from training.services import assign

    second = make_group("Sharks", trainees=[trainee])
    assign(group, quiz)
    make_other = make_group("Not mine")
    assign(make_other, quiz)
    assign(second, quiz)
    client.force_login(trainee)
    page = client.get(reverse("training:my_assignments")).content.decode()
    # One card for the quiz both groups set, naming both; one piece of work to do.
    assert page.count('<li class="card assignment-card">') == 1
    assert "Quiz from Dolphins and Sharks" in page
    assert "0 of 1 done" in page
    assert "Not started" in page
    assert ">Start<" in page
    assert "Not mine" not in page


def test_my_assignments_shows_due_dates_in_local_time_soonest_first(
    client, settings, trainee, group, quiz, lesson
):
    from training.services import assign

    settings.TIME_ZONE = "Europe/Helsinki"
    assign(group, quiz, due_at=datetime(2030, 6, 1, 9, 30, tzinfo=UTC))
    assign(group, lesson, due_at=datetime(2030, 5, 1, 9, 30, tzinfo=UTC))
    client.force_login(trainee)
    page = client.get(reverse("training:my_assignments")).content.decode()
    assert '<time datetime="2030-05-01T12:30+03:00">Wednesday 1 May 2030, 12:30</time>' in page
    assert page.index(lesson.title) < page.index(quiz.title)
    # One primary button, on the work to do next; the other cards' buttons are secondary.
    assert page.count('<a class="button" href=') == 1
    assert page.index('<a class="button" href=') < page.index(quiz.title)
    assert page.count('<a class="button button-secondary" href=') == 1


def test_a_removed_trainee_no_longer_sees_that_groups_work(client, coach, trainee, group, quiz):
    from training.services import assign

    assign(group, quiz)
    client.force_login(coach)
    client.post(reverse("training:membership_remove", args=[group.pk, trainee.pk]))
    client.force_login(trainee)
    page = client.get(reverse("training:my_assignments")).content.decode()
    assert "Nothing is assigned to you yet" in page
    assert "You are not in a group yet" in page


def _invite(group, email="kid@example.com", *, days_ago=0):
    created = timezone.now() - timedelta(days=days_ago)
    return Invitation.objects.create(group=group, email=email, created_at=created, sent=True)


def test_an_invitation_works_for_its_days_then_says_so(client, group, settings):
    settings.INVITATION_DAYS = 14
    newcomer = make_user("newcomer")
    fresh = _invite(group, newcomer.email, days_ago=13)
    old = _invite(group, newcomer.email, days_ago=15)
    client.force_login(newcomer)
    assert client.get(reverse("training:join_link", args=[fresh.token])).status_code == 200
    expired = client.get(reverse("training:join_link", args=[old.token]))
    assert expired.status_code == 404
    assert "more than 14 days old" in expired.content.decode()
    assert client.post(reverse("training:join_link", args=[old.token])).status_code == 404
    assert not group.memberships.filter(trainee__username="newcomer").exists()


def test_a_new_join_code_ends_the_invitations_not_yet_accepted(client, coach, group):
    waiting = _invite(group)
    client.force_login(coach)
    renewed = client.post(reverse("training:join_code_renew", args=[group.pk]))
    assert renewed.status_code == 302
    client.force_login(make_user("newcomer"))
    assert client.get(reverse("training:join_link", args=[waiting.token])).status_code == 404
    # The coach's page no longer lists it, and says how long invitations work.
    client.force_login(coach)
    page = client.get(reverse("training:group_members", args=[group.pk])).content.decode()
    assert "kid@example.com" not in page
    assert "works once, for 14 days" in page


# Invitations bound to the invited address (issue 29, defect 9) -----------------------------


def _join_page(client, invitation):
    return client.get(reverse("training:join_link", args=[invitation.token]))


def test_an_invitation_for_one_address_is_refused_to_another_account(client, group):
    # Before: one sent to new.swimmer@example.com was accepted by another account.
    invitation = _invite(group, "new.swimmer@example.com")
    other = make_user("other_swimmer")
    client.force_login(other)
    page = _join_page(client, invitation)
    assert page.status_code == 403
    assert "sent to n***@example.com, and only that address can use it" in page.content.decode()
    assert "new.swimmer@example.com" not in page.content.decode()
    joined = client.post(reverse("training:join_link", args=[invitation.token]))
    assert joined.status_code == 403
    assert not group.memberships.filter(trainee=other).exists()
    assert Invitation.objects.pending().filter(pk=invitation.pk).exists()


def test_typing_the_invited_address_is_not_enough_until_it_is_confirmed(client, group):
    invitation = _invite(group, "new.swimmer@example.com")
    typed_it = make_user("typed_it", email="New.Swimmer@example.com", verified=False)
    client.force_login(typed_it)
    refused = client.post(reverse("training:join_link", args=[invitation.token]))
    assert refused.status_code == 403
    assert "Confirm that address first" in refused.content.decode()
    assert not group.memberships.filter(trainee=typed_it).exists()
    verify_email(typed_it)  # the owner opened the link mailed to the address
    assert _join_page(client, invitation).status_code == 200
    joined = client.post(reverse("training:join_link", args=[invitation.token]))
    assert joined.status_code == 302
    assert group.memberships.active().filter(trainee=typed_it).exists()


def test_both_refusals_read_in_russian(client, group):
    # The confirm-first sentence is shared with staff offers and lives in crampcourse's catalogue.
    invitation = _invite(group, "new.swimmer@example.com")
    client.cookies["django_language"] = "ru"
    client.force_login(make_user("typed_it", email="New.Swimmer@example.com", verified=False))
    typed = client.post(reverse("training:join_link", args=[invitation.token])).content.decode()
    assert "Это приглашение для адреса n***@example.com. Сначала подтвердите этот адрес" in typed
    client.force_login(make_user("other_swimmer"))
    other = _join_page(client, invitation).content.decode()
    assert "Это приглашение отправлено на адрес n***@example.com" in other


def test_an_invitation_for_anyone_with_the_link_lets_another_account_join(client, group):
    invitation = _invite(group, "parent@example.com")
    invitation.bound_to_address = False
    invitation.save()
    child = make_user("child_account", email="")
    client.force_login(child)
    assert (
        "anyone with the link can use it, once" in _join_page(client, invitation).content.decode()
    )
    assert client.post(reverse("training:join_link", args=[invitation.token])).status_code == 302
    assert group.memberships.active().filter(trainee=child).exists()


@pytest.mark.parametrize(
    ("posted", "bound", "said"),
    [
        ({}, True, "only for an account with this address"),
        ({"who_can_use": "address"}, True, "only for an account with this address"),
        ({"who_can_use": "anyone"}, False, "for whoever opens it"),
    ],
)
def test_the_coach_chooses_who_can_use_an_invitation(client, coach, group, posted, bound, said):
    client.force_login(coach)
    url = reverse("training:group_members", args=[group.pk])
    assert "Anyone with the link, once" in client.get(url).content.decode()
    response = client.post(url, {"email": "kid@example.com", **posted})
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.bound_to_address is bound
    assert said in mail.outbox[-1].body


def test_a_made_up_choice_is_a_400(client, coach, group):
    client.force_login(coach)
    url = reverse("training:group_members", args=[group.pk])
    response = client.post(url, {"email": "kid@example.com", "who_can_use": "everyone!"})
    assert response.status_code == 400
    assert "Choose who can use the invitation." in response.content.decode()
    assert not Invitation.objects.exists()
