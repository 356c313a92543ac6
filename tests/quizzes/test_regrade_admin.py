"""The "Regrade attempts" page of a quiz in the admin, and the regrade audit."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from quizzes.models import Attempt, Regrade, RegradeChange
from quizzes.services import submit_attempt
from tests.factories import make_trainee, make_user
from tests.quizzes.test_regrade import (
    correct_the_key,
    make_wrong_key_quiz,
    take,
    take_each_choice,
)


@pytest.fixture
def quiz(db):
    return make_wrong_key_quiz()


@pytest.fixture
def taken(quiz):
    return take_each_choice(quiz)


def regrade_url(quiz):
    return reverse("admin:quizzes_quiz_regrade", args=[quiz.pk])


def post(client, quiz, button, reason="“Where” was keyed Ear; Calf is right.", versions="latest"):
    return client.post(regrade_url(quiz), {"reason": reason, "versions": versions, button: "1"})


def test_quiz_page_links_to_regrade_attempts(staff_client, quiz):
    page = staff_client.get(reverse("admin:quizzes_quiz_change", args=[quiz.pk]))
    assert regrade_url(quiz) in page.content.decode()


def test_dry_run_lists_the_change_and_apply_writes_it(staff_client, admin_user, quiz, taken):
    correct_the_key(quiz)

    form = staff_client.get(regrade_url(quiz))
    assert form.status_code == 200
    assert "Dry run" in form.content.decode()

    dry_run = post(staff_client, quiz, "dry_run")
    assert dry_run.status_code == 200
    page = dry_run.content.decode()
    assert page.count('class="regrade-change"') == 2
    assert "chose_calf" in page
    assert "chose_ear" in page
    assert "chose_elbow" not in page
    assert "50.00% → 100.00%" in page
    assert "Failed → passed" in page
    assert "Passed → failed" in page
    assert 'name="apply"' in page
    assert not Regrade.objects.exists()
    assert not Attempt.objects.filter(passed=True).exclude(pk=taken["Ear"].pk).exists()

    applied = post(staff_client, quiz, "apply")
    done = Regrade.objects.get()
    assert applied.status_code == 302
    assert applied.url == reverse("admin:quizzes_regrade_change", args=[done.pk])
    assert done.done_by == admin_user
    assert done.reason == "“Where” was keyed Ear; Calf is right."
    assert done.use_latest_versions
    assert set(done.changes.values_list("attempt_id", flat=True)) == {
        taken["Calf"].pk,
        taken["Ear"].pk,
    }
    assert Attempt.objects.get(pk=taken["Calf"].pk).percent == Decimal("100.00")

    audit = staff_client.get(applied.url).content.decode()
    assert "Regraded: 2 attempts changed." in audit
    assert "“Where” was keyed Ear; Calf is right." in audit
    assert "chose_calf" in audit


def test_apply_plans_again_and_takes_no_numbers_from_the_form(staff_client, quiz, taken):
    late = take(quiz, make_trainee("finished_after_the_dry_run"), "Calf", submit=False)
    correct_the_key(quiz)
    assert post(staff_client, quiz, "dry_run").content.decode().count("regrade-change") == 2
    late = submit_attempt(late)[0]  # on the version it started with: Calf marked wrong
    staff_client.post(
        regrade_url(quiz),
        {
            "reason": "Fix",
            "versions": "latest",
            "apply": "1",
            "new_percent": "0",  # nothing like this is read
            "changes": "0",
        },
    )
    done = Regrade.objects.get()
    assert done.changes.count() == 3
    assert RegradeChange.objects.get(attempt=late).new_percent == Decimal("100.00")


def test_dry_run_on_answered_versions_suggests_the_latest(staff_client, quiz, taken):
    correct_the_key(quiz)
    page = post(staff_client, quiz, "dry_run", versions="answered").content.decode()
    assert "No attempt would change." in page
    assert "latest version of each question" in page


def test_dry_run_says_which_questions_cannot_move(staff_client, quiz, taken):
    correct_the_key(quiz).options.filter(text="Elbow").delete()
    page = post(staff_client, quiz, "dry_run").content.decode()
    assert page.count('class="regrade-stuck"') == 1
    assert "An option these attempts showed or chose was deleted." in page


def test_a_regrade_needs_a_reason(staff_client, quiz, taken):
    response = post(staff_client, quiz, "apply", reason=" ")
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not Regrade.objects.exists()


def test_regrade_needs_a_staff_login(client, trainee, quiz, taken):
    correct_the_key(quiz)
    assert client.get(regrade_url(quiz)).status_code == 302
    client.force_login(trainee)
    assert client.get(regrade_url(quiz)).status_code == 302
    assert post(client, quiz, "apply").status_code == 302
    assert not Regrade.objects.exists()


def test_regrade_needs_the_change_permission_on_quizzes(client, quiz, taken):
    correct_the_key(quiz)
    viewer = make_user("viewer")
    viewer.is_staff = True  # staff, but may only view quizzes
    viewer.save()
    viewer.user_permissions.add(Permission.objects.get(codename="view_quiz"))
    client.force_login(viewer)
    assert client.get(regrade_url(quiz)).status_code == 403
    assert post(client, quiz, "dry_run").status_code == 403
    assert post(client, quiz, "apply").status_code == 403
    assert not Regrade.objects.exists()
    page = client.get(reverse("admin:quizzes_quiz_change", args=[quiz.pk])).content.decode()
    assert regrade_url(quiz) not in page


def test_regrade_is_csrf_protected(admin_user, quiz, taken):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    assert post(client, quiz, "apply").status_code == 403
    assert not Regrade.objects.exists()


def test_the_audit_is_read_only_and_filters_by_quiz(staff_client, admin_user, quiz, taken):
    correct_the_key(quiz)
    post(staff_client, quiz, "apply")
    done = Regrade.objects.get()

    listing = staff_client.get(
        reverse("admin:quizzes_regrade_changelist"), {"quiz__id__exact": quiz.pk}
    )
    assert listing.status_code == 200
    assert "“Where” was keyed Ear; Calf is right." in listing.content.decode()
    changes = staff_client.get(
        reverse("admin:quizzes_regradechange_changelist"), {"regrade__quiz__id__exact": quiz.pk}
    ).content.decode()
    assert "chose_calf" in changes
    assert "chose_ear" in changes
    assert "admin_a" in changes  # who

    detail = staff_client.get(reverse("admin:quizzes_regrade_change", args=[done.pk]))
    assert 'name="_save"' not in detail.content.decode()
    assert staff_client.get(reverse("admin:quizzes_regrade_add")).status_code == 403
    staff_client.post(
        reverse("admin:quizzes_regrade_change", args=[done.pk]), {"reason": "rewritten"}
    )
    assert Regrade.objects.get().reason == "“Where” was keyed Ear; Calf is right."


def test_a_quiz_editor_who_may_not_see_the_audit_goes_back_to_the_quiz(client, quiz, taken):
    correct_the_key(quiz)
    editor = make_user("editor")
    editor.is_staff = True
    editor.save()
    editor.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_quiz", "change_quiz"])
    )
    client.force_login(editor)
    assert "Earlier regrades" not in client.get(regrade_url(quiz)).content.decode()
    response = post(client, quiz, "apply")
    assert response.status_code == 302
    assert response.url == reverse("admin:quizzes_quiz_change", args=[quiz.pk])
    assert Regrade.objects.get().done_by == editor
