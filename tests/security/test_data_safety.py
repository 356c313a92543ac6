"""Content edits never remove what a trainee did: the admin refuses to delete what has history."""

from django.urls import reverse
from django.utils import timezone

from lessons.models import Lesson, LessonProgress
from quizzes.models import Attempt, Quiz
from quizzes.services import start_attempt
from tests.factories import add_single, make_group, make_lesson, make_quiz, make_trainee
from training.models import Membership, TrainingGroup


def admin_delete_url(model, obj):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_delete", args=[obj.pk])


def refused_in_admin(client, model, obj):
    """The admin's delete page names what protects the object, and deleting anyway is refused."""
    url = admin_delete_url(model, obj)
    for page in (client.get(url), client.post(url, {"post": "yes"})):
        assert page.status_code == 200
        assert "would require deleting the following protected related objects" in (
            page.content.decode()
        )
    return model.objects.filter(pk=obj.pk).exists()


def test_a_lesson_someone_has_read_cannot_be_deleted(staff_client, trainee):
    lesson = make_lesson()
    LessonProgress.objects.create(lesson=lesson, trainee=trainee, completed_at=timezone.now())
    assert refused_in_admin(staff_client, Lesson, lesson)
    assert LessonProgress.objects.filter(trainee=trainee).count() == 1


def test_a_quiz_with_attempts_cannot_be_deleted(staff_client, trainee):
    quiz = make_quiz()
    add_single(quiz)
    start_attempt(quiz, trainee)
    assert refused_in_admin(staff_client, Quiz, quiz)
    assert Attempt.objects.filter(trainee=trainee).count() == 1


def test_a_group_that_had_trainees_cannot_be_deleted_even_after_they_left(
    staff_client, group, trainee
):
    group.memberships.update(removed_at=timezone.now())
    assert refused_in_admin(staff_client, TrainingGroup, group)
    assert Membership.objects.filter(group=group, trainee=trainee).exists()


def test_an_empty_group_or_unused_lesson_can_still_be_deleted(staff_client):
    empty = make_group("Never used")
    lesson = make_lesson()
    for model, obj in [(TrainingGroup, empty), (Lesson, lesson)]:
        response = staff_client.post(admin_delete_url(model, obj), {"post": "yes"})
        assert response.status_code == 302
        assert not model.objects.filter(pk=obj.pk).exists()


def test_bulk_delete_in_the_admin_also_spares_groups_with_history(staff_client, group):
    other = make_group("Sharks", trainees=[make_trainee("shark")])
    url = reverse("admin:training_traininggroup_changelist")
    page = staff_client.post(
        url,
        {"action": "delete_selected", "_selected_action": [group.pk, other.pk], "post": "yes"},
    )
    assert page.status_code in (200, 403)
    assert TrainingGroup.objects.filter(pk__in=[group.pk, other.pk]).count() == 2
