"""My account: name, email, password, leaving a group, my data as JSON, deleting my account."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from lessons.services import mark_lesson_read
from quizzes.models import Attempt
from tests.factories import PASSWORD, make_group
from tests.training.conftest import take
from training.models import Invitation, QuizOverride
from training.services import assign, set_override

User = get_user_model()


@pytest.fixture
def signed_in(client, trainee):
    client.force_login(trainee)
    return client


def test_trainee_changes_display_name_and_email(signed_in, trainee):
    url = reverse("accounts:my_account")
    response = signed_in.post(url, {"first_name": "Tia Trainee", "email": "tia@example.com"})
    assert response["Location"] == url
    trainee.refresh_from_db()
    assert (trainee.first_name, trainee.email) == ("Tia Trainee", "tia@example.com")
    bad = signed_in.post(url, {"first_name": "", "email": "not-an-email"})
    assert bad.status_code == 400
    assert "Enter a valid email address." in bad.content.decode()


def test_trainee_changes_password(signed_in, trainee):
    new = "flutter-kick-7788"
    response = signed_in.post(
        reverse("accounts:password"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    trainee.refresh_from_db()
    assert trainee.check_password(new)
    # Still signed in after the change.
    assert signed_in.get(reverse("accounts:my_account")).status_code == 200


def test_my_account_lists_groups_and_leaving_ends_the_membership(signed_in, trainee, group):
    other = make_group("Sharks", trainees=[trainee])
    page = signed_in.get(reverse("accounts:my_account")).content.decode()
    assert "Leave Dolphins" in page
    assert "Leave Sharks" in page
    signed_in.post(reverse("accounts:leave_group", args=[group.pk]))
    assert not group.memberships.active().filter(trainee=trainee).exists()
    assert other.memberships.active().filter(trainee=trainee).exists()
    page = signed_in.get(reverse("accounts:my_account")).content.decode()
    assert "Leave Dolphins" not in page


def test_leaving_someone_elses_group_changes_nothing(signed_in, trainee, db):
    sharks = make_group("Sharks")
    response = signed_in.post(reverse("accounts:leave_group", args=[sharks.pk]))
    assert response.status_code == 302
    assert not sharks.memberships.exists()


def test_download_my_data(signed_in, trainee, group, quiz, lesson, coach):
    assignment = assign(group, quiz)
    set_override(assignment, trainee, extra_attempts=1, granted_by=coach)
    mark_lesson_read(trainee, lesson)
    take(quiz, trainee, right=(1,))
    response = signed_in.get(reverse("accounts:download_data"))
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["username"] == trainee.username
    assert data["training.memberships"][0]["group"] == "Dolphins"
    assert data["training.extra_time_or_attempts"][0]["extra_attempts"] == 1
    assert data["lessons.reading"][0]["lesson"] == lesson.title
    attempt = data["quizzes.attempts"][0]
    assert attempt["quiz"] == quiz.title
    assert attempt["answers"][0]["question"] == "Where do swimmers cramp most often?"
    assert attempt["answers"][0]["answer"] is not None
    # Never the option weights (the right answers).
    assert '"weight"' not in response.content.decode()


def test_download_reads_a_fixed_number_of_queries(
    signed_in, trainee, group, quiz, django_assert_max_num_queries
):
    assign(group, quiz)

    def download():
        # organisations: roles and offers; accounts: the proof of the address
        with django_assert_max_num_queries(15):
            assert signed_in.get(reverse("accounts:download_data")).status_code == 200

    take(quiz, trainee, right=(1,))
    download()
    take(quiz, trainee, right=(1, 2))
    for number in range(5):
        make_group(f"Squad {number}", trainees=[trainee])
    download()


def test_delete_my_account_needs_the_password_and_keeps_attempts_anonymised(
    signed_in, trainee, group, quiz, coach
):
    assignment = assign(group, quiz)
    set_override(assignment, trainee, extra_attempts=1, granted_by=coach)
    attempt = take(quiz, trainee, right=(1, 2))
    url = reverse("accounts:delete_account")
    wrong = signed_in.post(url, {"password": "not-it"})
    assert wrong.status_code == 400
    assert User.objects.get(pk=trainee.pk).is_active
    done = signed_in.post(url, {"password": PASSWORD})
    assert done["Location"] == reverse("home")
    gone = User.objects.get(pk=trainee.pk)
    assert gone.username == f"deleted-{trainee.pk}"
    assert (gone.first_name, gone.email, gone.is_active) == ("", "", False)
    assert not gone.has_usable_password()
    assert not group.memberships.active().filter(trainee=gone).exists()
    assert not QuizOverride.objects.exists()
    kept = Attempt.objects.get(pk=attempt.pk)
    assert kept.percent == attempt.percent
    assert kept.trainee_id == trainee.pk
    # Logged out, and the old log-in no longer works.
    assert signed_in.get(reverse("accounts:my_account")).status_code == 302
    refused = signed_in.post(reverse("login"), {"username": trainee.username, "password": PASSWORD})
    assert refused.status_code == 200
    assert "_auth_user_id" not in signed_in.session


def test_coaches_do_not_delete_their_account_here(client, coach):
    client.force_login(coach)
    assert (
        client.post(reverse("accounts:delete_account"), {"password": PASSWORD}).status_code == 403
    )
    assert User.objects.get(pk=coach.pk).is_active


def test_deleting_an_account_leaves_a_coachs_invitation_to_its_address(
    signed_in, trainee, group, coach
):
    # Before: an account typed the address a coach had invited, deleted itself, and the
    # coach's invitation vanished. The invitation is the coach's, whoever has the address.
    invitation = Invitation.objects.create(
        group=group, email="new.swimmer@example.com", invited_by=coach, sent=True
    )
    trainee.email = "New.Swimmer@example.com"
    trainee.save()
    done = signed_in.post(reverse("accounts:delete_account"), {"password": PASSWORD})
    assert done.status_code == 302
    assert Invitation.objects.pending().filter(pk=invitation.pk).exists()


def test_leaving_a_group_is_asked_first_and_says_what_goes(signed_in, trainee, group):
    page = signed_in.get(reverse("accounts:my_account")).content.decode()
    # One tap opens the question; the button that leaves is inside it.
    details = page[page.index('<details class="confirm-leave">') :]
    details = details[: details.index("</details>")]
    assert "Leave Dolphins…</summary>" in details
    assert "its coaches no longer see your progress" in details
    assert "you need its code to come back" in details
    assert '<button type="submit" class="button button-danger">Yes, leave Dolphins</button>' in (
        details
    )


def test_deleting_for_good_is_a_danger_button(signed_in, trainee):
    page = signed_in.get(reverse("accounts:delete_account")).content.decode()
    assert 'class="button button-danger-solid">Delete my account for good</button>' in page


def test_reminders_without_an_address_say_none_can_reach_you(signed_in, trainee):
    trainee.email = ""
    trainee.save()
    page = signed_in.get(reverse("accounts:my_account")).content.decode()
    assert "Reminders are sent by e-mail: add an address above and confirm it" in page
