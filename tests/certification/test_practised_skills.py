"""A practised-only skill (the tuck-and-stretch) is recorded at the pool but never required:
no certificate depends on going under."""

import re
import uuid

import pytest
from django.urls import reverse

from certification.course_files import write_practical
from certification.models import Certificate, Certification, MarkResult
from certification.services import practical_done, record_mark
from lessons.course_files import load_course
from tests.factories import make_coach, make_group, make_trainee


@pytest.fixture
def certification(db):
    certification = Certification.objects.create(
        assessed_in_session=False, slug="first-response", title="First response"
    )
    write_practical(certification, ["Floats", "Calls for help"], ["Tuck and stretch"])
    return certification


def mark(coach, group, trainee, item, result=MarkResult.SHOWN):
    return record_mark(
        key=uuid.uuid4(), coach=coach, group=group, trainee=trainee, item=item, result=result
    )


def test_the_practical_is_done_without_the_practised_only_skill(certification):
    coach, trainee = make_coach(), make_trainee()
    group = make_group(coaches=[coach], trainees=[trainee])
    tuck = certification.items.get(text="Tuck and stretch")
    mark(coach, group, trainee, tuck, MarkResult.NEEDS_PRACTICE)
    for item in certification.items.required():
        mark(coach, group, trainee, item)
    assert practical_done(trainee, certification)
    assert Certificate.objects.filter(trainee=trainee, certification=certification).exists()


def test_the_poolside_page_counts_only_what_the_certificate_needs(client, certification):
    coach, trainee = make_coach(), make_trainee()
    group = make_group(coaches=[coach], trainees=[trainee])
    for item in certification.items.all():
        mark(coach, group, trainee, item)
    client.force_login(coach)
    url = reverse("certification:poolside", args=[group.pk, certification.slug])
    page = client.get(url).content.decode()
    assert "2 of 2 shown" in re.sub(r"<[^>]+>", "", page)
    assert "Practised only: not needed for the certificate" in page


def test_the_shipped_certification_practises_the_tuck_and_stretch_without_requiring_it(db):
    load_course()
    certification = Certification.objects.get(slug="cramp-safe-swimmer")
    practised = certification.items.active().filter(required=False)
    assert [item.text.split(":")[0] for item in practised] == [
        "Practises the tuck-and-stretch once, only where they can stand, with the coach watching"
    ]
    assert not any("tuck" in item.text.lower() for item in certification.items.required())
