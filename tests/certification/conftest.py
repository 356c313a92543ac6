import uuid
from datetime import timedelta

import pytest
from django.urls import reverse

from certification.models import (
    AssessmentResult,
    AssessmentSession,
    Certification,
    MarkResult,
    PracticalItem,
    Water,
)
from certification.services import record_mark
from quizzes.services import save_answers, start_attempt
from tests.factories import (
    add_escape_ordering,
    add_single,
    make_assessor,
    make_club,
    make_federation,
    make_quiz,
)
from tests.training.conftest import take

SKILLS = ["Signals for help", "Floats on the back for a minute"]


def passed_in_session(certification, trainee, group, decided_at):
    """The trainee found competent at `decided_at`, in a closed session for the group."""
    session = AssessmentSession.objects.create(
        certification=certification,
        group=group,
        assessor=make_assessor(club=group.club),
        held_on=decided_at.date(),
        venue="Town pool",
        water=Water.POOL,
        depth_m=2,
        opened_at=decided_at - timedelta(hours=1),
        closed_at=decided_at,
    )
    return AssessmentResult.objects.create(
        session=session, trainee=trainee, passed=True, summary="Competent.", decided_at=decided_at
    )


def show_all(coach, group, certification, trainee, now=None):
    """Every skill of the certification marked shown for the trainee at practice."""
    for item in certification.items.all():
        record_mark(key=uuid.uuid4(), coach=coach, group=group, trainee=trainee, item=item,
                    result=MarkResult.SHOWN, now=now)  # fmt: skip


@pytest.fixture
def final(db):
    """Pass mark 60%; the escape ordering (4 of 5 points) is must-pass."""
    quiz = make_quiz("final-check", pass_mark=60, attempts_allowed=None, is_published=True)
    add_single(quiz)
    add_escape_ordering(quiz, points=4, must_pass=True)
    return quiz


@pytest.fixture
def refresher_quiz(db):
    quiz = make_quiz("refresher-check", pass_mark=60, attempts_allowed=None, is_published=True)
    add_escape_ordering(quiz, must_pass=True)
    return quiz


@pytest.fixture
def certification(final, refresher_quiz):
    certification = Certification.objects.create(
        assessed_in_session=False,
        slug="cramp-safe",
        title="Cramp-safe swimmer",
        refresher_quiz=refresher_quiz,
    )
    certification.quizzes.add(final)
    for order, text in enumerate(SKILLS, start=1):
        PracticalItem.objects.create(certification=certification, order=order, text=text)
    return certification


def mark_url(group, certification):
    return reverse("certification:poolside_mark", args=[group.pk, certification.slug])


def post_mark(client, group, certification, trainee, item, result="shown", key=None, **extra):
    """A coach's tap, as the plain form sends it."""
    data = {"key": str(key or uuid.uuid4()), "trainee": trainee.pk, "item": item.pk}
    return client.post(mark_url(group, certification), {**data, "result": result, **extra})


def mark_all_shown(client, group, certification, trainee):
    for item in certification.items.all():
        assert post_mark(client, group, certification, trainee, item).status_code == 302


def submit_over_http(client, quiz, trainee, *, right=True, now=None):
    """Answer every question (right or not) and submit through the quiz's own page."""
    from quizzes import scoring

    attempt = start_attempt(quiz, trainee, now=now)
    responses = {
        slot.pk: scoring.full_marks_response(slot.version.data) if right else None
        for slot in attempt.slots.select_related("version")
    }
    save_answers(attempt, responses, now=now)
    client.force_login(trainee)
    response = client.post(reverse("quizzes:attempt_submit", args=[attempt.pk]))
    assert response.status_code == 302
    return attempt


__all__ = ["take"]


# A federation and one of its clubs: where issuers and reissues are tested.
@pytest.fixture
def region(db):
    return make_federation("Swim Region")


@pytest.fixture
def dolphins(region):
    return make_club("Dolphins SC", federation=region)
