import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from tests.factories import PASSWORD


def log_in(client, user):
    return client.post(
        reverse("login"), {"username": user.username, "password": PASSWORD}, follow=True
    )


@pytest.mark.django_db
def test_role_groups_exist_with_permissions():
    coach = Group.objects.get(name="Coach")
    trainee = Group.objects.get(name="Trainee")
    coach_perms = set(coach.permissions.values_list("codename", flat=True))
    assert {"view_traininggroup", "change_traininggroup", "add_membership"} <= coach_perms
    trainee_perms = set(trainee.permissions.values_list("codename", flat=True))
    assert "change_traininggroup" not in trainee_perms


def test_visitor_sees_the_landing_page_with_log_in_and_join(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "why leg cramps happen" in page
    assert f'href="{reverse("login")}"' in page
    assert f'action="{reverse("training:join")}"' in page
    assert "This is training, not medical advice." in page


def test_landing_page_code_leads_to_the_groups_join_page(client, group):
    response = client.get(reverse("training:join"), {"code": group.join_code.lower()})
    assert response["Location"] == reverse("training:join_link", args=[group.join_code])
    page = client.get(response["Location"]).content.decode()
    assert "Join Dolphins" in page
    assert "Create my account" in page


def test_trainee_lands_on_their_assignments(client, group, trainee):
    response = log_in(client, trainee)
    assert response.redirect_chain[-1][0] == reverse("training:my_assignments")
    assert "My assignments" in response.content.decode()


def test_coach_lands_on_their_groups(client, group, coach):
    response = log_in(client, coach)
    assert response.redirect_chain[-1][0] == reverse("training:coach_groups")
    assert group.name in response.content.decode()


def test_admin_lands_in_the_admin(client, admin_user):
    response = log_in(client, admin_user)
    assert response.redirect_chain[-1][0] == reverse("admin:index")


def test_wrong_password_shows_a_clear_error(client, trainee):
    response = client.post(reverse("login"), {"username": trainee.username, "password": "nope"})
    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()


def test_navigation_fits_the_role(client, coach, trainee, group):
    client.force_login(coach)
    page = client.get(reverse("training:coach_groups")).content.decode()
    assert f'href="{reverse("training:coach_groups")}"' in page
    assert f'href="{reverse("training:my_assignments")}"' not in page

    client.force_login(trainee)
    page = client.get(reverse("training:my_assignments")).content.decode()
    assert f'href="{reverse("training:my_assignments")}"' in page
    assert f'href="{reverse("training:coach_groups")}"' not in page


def test_trainee_cannot_open_coach_pages(client, trainee, group):
    client.force_login(trainee)
    assert client.get(reverse("training:coach_groups")).status_code == 403


def test_logout_is_a_post_and_ends_the_session(client, trainee):
    client.force_login(trainee)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    # Logged out, the start page is the visitors' landing page again.
    assert "Join with a code" in client.get(reverse("home")).content.decode()


def test_account_pages_use_the_site_layout(client, trainee):
    assert "Skip to content" in client.get(reverse("login")).content.decode()
    assert "Reset your password" in client.get(reverse("password_reset")).content.decode()
    client.force_login(trainee)
    page = client.get(reverse("password_change")).content.decode()
    assert "Change your password" in page
    assert 'for="id_old_password"' in page


def test_a_coach_removed_from_the_coach_role_loses_coach_pages_on_the_next_request(client, coach):
    from django.contrib.auth.models import Group

    from organisations.models import StaffRole
    from organisations.services import end_role
    from training.roles import COACH

    client.force_login(coach)
    assert client.get(reverse("training:coach_groups")).status_code == 200
    coach.groups.remove(Group.objects.get(name=COACH))
    # Still a coach of a club (a staff role): the club's word counts.
    assert client.get(reverse("training:coach_groups")).status_code == 200
    end_role(StaffRole.objects.get(person=coach))
    assert client.get(reverse("training:coach_groups")).status_code == 403


def test_the_role_is_read_with_the_user(client, trainee, django_assert_num_queries):
    client.force_login(trainee)
    # Session, user with roles, and nothing else for a page that needs no data.
    with django_assert_num_queries(2):
        assert client.get(reverse("password_change")).status_code == 200
