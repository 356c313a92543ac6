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
        reverse("certification:my_certificates"): 4,
        reverse("training:my_assignments"): 6,
    }.items():
        with django_assert_max_num_queries(most):
            assert client.get(url).status_code == 200, url
