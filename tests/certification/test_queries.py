"""Certification pages and the dashboard's new column read a fixed number of queries."""

import uuid

import pytest
from django.urls import reverse

from certification.models import MarkResult
from certification.services import issue_certificate, record_mark
from tests.factories import make_group, make_lesson, make_trainee
from training.services import assign


def build(size, coach, certification):
    trainees = [make_trainee() for _ in range(size)]
    group = make_group(coaches=[coach], trainees=trainees)
    assign(group, make_lesson(is_published=True))
    items = list(certification.items.all())
    for index, trainee in enumerate(trainees):
        if index % 2:
            issue_certificate(trainee, certification)
        for item in items[: index % 3]:
            record_mark(
                key=uuid.uuid4(),
                coach=coach,
                group=group,
                trainee=trainee,
                item=item,
                result=MarkResult.NEEDS_PRACTICE,
            )
    return group, trainees


@pytest.mark.parametrize("size", [4, 40])
def test_coach_pages_keep_their_query_count(
    client, coach, certification, django_assert_max_num_queries, size
):
    group, _ = build(size, coach, certification)
    client.force_login(coach)
    pages = {
        reverse("training:group_dashboard", args=[group.pk]): 7,
        reverse("training:group_dashboard", args=[group.pk]) + "?cert=valid": 7,
        reverse("training:group_export_csv", args=[group.pk]): 7,
        reverse("certification:poolside", args=[group.pk, certification.slug]): 10,
        reverse("certification:group_certificates", args=[group.pk]): 5,
    }
    for url, most in pages.items():
        with django_assert_max_num_queries(most):
            assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("size", [4, 40])
def test_trainee_pages_keep_their_query_count(
    client, coach, certification, django_assert_max_num_queries, size
):
    _, trainees = build(size, coach, certification)
    client.force_login(trainees[1])
    for url, most in {
        reverse("certification:my_certificates"): 5,  # the assessments' outcomes: one query
        reverse("training:my_assignments"): 6,
    }.items():
        with django_assert_max_num_queries(most):
            assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("size", [4, 40])
def test_my_certificates_with_cpd_keeps_its_query_count(
    client, coach, certification, django_assert_max_num_queries, size
):
    """The renewal dates, the CPD progress and the sessions to confirm: one query more."""
    from django.utils import timezone

    from certification.cpd import log_pool_session

    certification.cpd_hours_required = 20
    certification.save()
    _, trainees = build(4, coach, certification)
    for day in range(size):
        entry = log_pool_session(
            coach=coach,
            trainee=trainees[1],
            certification=certification,
            hours="1",
            what=f"Session {day}",
            done_on=timezone.localdate(),
        )
        if day % 2:
            entry.confirmed_at = timezone.now()
            entry.save()
    client.force_login(trainees[1])
    with django_assert_max_num_queries(6):
        page = client.get(reverse("certification:my_certificates"))
    assert page.status_code == 200
    assert f"Training logged (CPD): {size // 2} of 20 hours" in page.content.decode()
