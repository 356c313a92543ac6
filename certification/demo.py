"""The certification part of `seed_demo`: a certified trainee (practised with their coach,
then assessed by the club's assessor), one whose certificate expires within 30 days, one
expired with a refresher assigned, and a half-done practical. Safe to run again: trainees who
already have marks or a certificate are left alone."""

import uuid
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from certification import assessments
from certification.models import Certificate, Certification, MarkResult, Water, add_months
from certification.services import assign_refreshers, issue_certificate, record_mark
from training.demo import BENCH_SQUAD
from training.models import TrainingGroup

# username: (group, coach, results per practical item in order)
DEMO_PRACTICALS = {
    "trainee1": ("Dolphins squad", "coach1", [MarkResult.SHOWN] * 6),
    "trainee2": (
        "Dolphins squad",
        "coach1",
        [MarkResult.SHOWN, MarkResult.SHOWN, MarkResult.NEEDS_PRACTICE],
    ),
}
# username: days from today to the certificate's expiry (negative: already expired)
DEMO_CERTIFICATES = {"trainee4": 20, "trainee6": -5}
DEMO_CERTIFICATION = "cramp-safe-swimmer"
# username: (group, assessor): assessed today, every skill shown, after their practice
DEMO_ASSESSMENTS = {"trainee1": ("Dolphins squad", "assessor1")}


def seed_demo_certificates(now=None):
    now = now or timezone.now()
    certification = Certification.objects.filter(slug=DEMO_CERTIFICATION).first()
    if certification is None:
        return  # the course is not loaded yet
    users = get_user_model().objects.in_bulk(
        [*DEMO_PRACTICALS, *DEMO_CERTIFICATES, "coach1", "assessor1"], field_name="username"
    )
    items = list(certification.items.active().order_by("order", "pk"))
    for username, (group_name, coach_name, results) in DEMO_PRACTICALS.items():
        trainee, coach = users.get(username), users.get(coach_name)
        group = TrainingGroup.objects.filter(name=group_name).first()
        if not (trainee and coach and group) or trainee.practical_marks.exists():
            continue
        for minutes, (item, result) in enumerate(zip(items, results, strict=False)):
            record_mark(
                key=uuid.uuid4(),
                coach=coach,
                group=group,
                trainee=trainee,
                item=item,
                result=result,
                note="Calm and clear" if result == MarkResult.SHOWN else "Try again next week",
                marked_at=now - timedelta(days=1, minutes=-minutes),
                now=now,
            )
    for username, (group_name, assessor_name) in DEMO_ASSESSMENTS.items():
        trainee, assessor = users.get(username), users.get(assessor_name)
        group = TrainingGroup.objects.filter(name=group_name).first()
        if trainee and assessor and group and not trainee.assessment_results.exists():
            assess_demo(trainee, assessor, group, certification, items, now)
    for username, days_left in DEMO_CERTIFICATES.items():
        trainee = users.get(username)
        if trainee is None or Certificate.objects.filter(trainee=trainee).exists():
            continue
        expires = now + timedelta(days=days_left)
        issued = add_months(expires, -certification.validity_months)
        issue_certificate(trainee, certification, now=issued)
    seed_bench_certificates(certification, now)
    assign_refreshers(now=now)


def assess_demo(trainee, assessor, group, certification, items, now):
    """A session at the club's pool today in which the trainee shows every skill."""
    session = assessments.open_session(
        assessor=assessor,
        group=group,
        certification=certification,
        held_on=now.date(),
        today=now.date(),
        venue="Dolphins pool, lane 1",
        water=Water.POOL,
        depth_m=2,
        conditions_note="Deep end, 28 °C, calm water.",
    )
    for minutes, item in enumerate(items):
        assessments.record_assessment_mark(
            session,
            trainee,
            item,
            key=uuid.uuid4(),
            result=MarkResult.SHOWN,
            marked_at=now - timedelta(minutes=len(items) - minutes),
        )
    assessments.finish(session, trainee, now=now)
    assessments.close_session(session, now=now)


def seed_bench_certificates(certification, now):
    """The benchmark's squad (seed_demo --bench-squad): every other trainee certified, with
    expiry dates spread over the states, so the dashboard's column has work to do."""
    group = TrainingGroup.objects.filter(name=BENCH_SQUAD).first()
    if group is None or Certificate.objects.filter(trainee__memberships__group=group).exists():
        return
    trainees = [m.trainee for m in group.memberships.select_related("trainee")[::2]]
    for index, trainee in enumerate(trainees):
        expires = now + timedelta(days=(index % 4) * 100 - 20)  # expired, 80, 180, 280 days
        issue_certificate(
            trainee, certification, now=add_months(expires, -certification.validity_months)
        )
