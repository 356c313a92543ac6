"""The synthetic data behind the benchmarks and load tests: whole, graded, and made once."""

from decimal import Decimal
from io import StringIO

from django.core.management import call_command

from quizzes import scoring
from quizzes.models import Attempt, AttemptQuestion
from training.models import Assignment, Membership, TrainingGroup


def seed():
    call_command("seed_demo", "--allow-production", "--groups", "3", "--trainees-per-group",
                 "4", "--with-attempts", stdout=StringIO())  # fmt: skip


def test_scale_groups_get_trainees_assignments_and_graded_attempts(db):
    call_command("load_course", stdout=StringIO())
    seed()
    groups = TrainingGroup.objects.filter(name__startswith="Scale group")
    assert groups.count() == 3
    assert all(group.coaches.count() == 1 for group in groups)
    assert Membership.objects.filter(group__in=groups).count() == 12
    assert Assignment.objects.filter(group__in=groups).count() == 3 * 4
    attempts = Attempt.objects.filter(trainee__memberships__group__in=groups)
    assert attempts.count() == 12 * 2  # the escape quiz and the final, once each
    for attempt in attempts.prefetch_related("slots__version"):
        slots = sorted(attempt.slots.all(), key=lambda slot: slot.position)
        assert [slot.position for slot in slots] == list(range(1, len(slots) + 1))
        earned = sum(
            (scoring.points_for(s.version.data, scoring.score_response(s.version.data, s.response))
             for s in slots),
            Decimal(0),
        )  # fmt: skip
        assert attempt.score == earned
        assert attempt.max_score == sum(Decimal(s.version.data["points"]) for s in slots)


def test_seeding_again_adds_nothing(db):
    call_command("load_course", stdout=StringIO())
    seed()
    counts = (Membership.objects.count(), Assignment.objects.count(),
              Attempt.objects.count(), AttemptQuestion.objects.count())  # fmt: skip
    seed()
    assert counts == (Membership.objects.count(), Assignment.objects.count(),
                      Attempt.objects.count(), AttemptQuestion.objects.count())  # fmt: skip
