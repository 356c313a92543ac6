"""A small federation worked by hand, for the report tests: every figure below is counted in
the comments, so a test failing says which rule moved.

Federation "Riverside" has clubs A ("Alpha SC") and B ("Bravo SC"); club C ("Charlie SC") is in
another federation. Months are the report's: M0 is this month, M-3 three months back.

Groups: A1 and A2 in A, B1 in B, C1 in C.
Trainees:
- t1 in A1 and A2 (two groups of one club: one trainee of A), joined at M-6.
- t2 in A1, joined at M-6.
- t3 in A1 and B1 (a trainee of both clubs, once in the federation's total).
- t4 was in B1 and was removed: counted nowhere now.
- t5 in C1: never in the federation's report.
- t6 joined A1 today, after passing the quiz at M-2.
Work (assignment x trainee in its group now):
- A1: lesson L, due yesterday; quiz Q, due in a week. A2: lesson L, due in a week.
  B1: quiz Q, due yesterday. C1: quiz Q.
- A: A1 4 trainees x 2 + A2 1 x 1 = 9; done: t1 read L (A1, A2), t1, t2 and t6 passed Q
  = 5; overdue: L in A1 not read by t2, t3 = 2 (t6 joined after it was due: not theirs
  to be late with).
- B: B1 1 trainee (t3) x 1 = 1; done 0; overdue 1 (t3 used both attempts without passing:
  the dashboard's Failed, past its due date).
Theory passes: A: t1 at M-3, t2 at M0 (passed twice, counted once); t6's pass came before
  joining: not A's. B: none (t3 never passed).
Certificates (certification "Cramp-safe"): t1 issued at M-3 (valid); t2 issued at M-11, runs
  out within 60 days (expiring); t3 issued 13 months ago (lapsed, in A and B: once in the
  total); t6 revoked; t4 valid but removed from B1; t5 valid in C.
Practicals (two skills needed, a third practised only): t1 completed at M-2 in A1; t2 undid a
  skill (not complete); t3 completed at M0 in B1; t5 completed at M0 in C1.
"""

import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from certification.models import Certification, MarkResult, PracticalItem, PracticalMark
from certification.services import issue_certificate, revoke_certificate
from lessons.services import mark_lesson_read
from organisations.models import Role
from organisations.reports import last_months, month_start
from organisations.services import grant_role
from tests.factories import (
    add_escape_ordering,
    add_single,
    make_club,
    make_coach,
    make_federation,
    make_group,
    make_lesson,
    make_quiz,
    make_trainee,
    make_user,
)
from tests.training.conftest import take
from training.models import Membership
from training.services import assign


@dataclass
class World:
    federation: object
    other_federation: object
    a: object
    b: object
    c: object
    groups: dict
    trainees: dict
    people: dict  # staff and others, by the role they play in the tests
    quiz: object
    lesson: object
    certification: object
    months: list


def months_ago(months, count, days=10):
    """A moment in the month `count` months back (0: this month), days into it."""
    if count == 0:
        return timezone.now() - timedelta(minutes=5)
    return month_start(months[-1 - count]) + timedelta(days=days, hours=12)


def build_world():
    now = timezone.now()
    months = last_months(timezone.localdate(now))
    federation = make_federation("Riverside")
    other_federation = make_federation("Hillside")
    a = make_club("Alpha SC", federation=federation)
    b = make_club("Bravo SC", federation=federation)
    c = make_club("Charlie SC", federation=other_federation)

    coach_a = make_coach("coach_alpha", club=a)
    coach_b = make_coach("coach_bravo", club=b)
    coach_c = make_coach("coach_charlie", club=c)
    t = {n: make_trainee(f"swimmer{n}") for n in range(1, 7)}
    groups = {
        "A1": make_group("Alpha squad", coaches=[coach_a], club=a),
        "A2": make_group("Alpha juniors", coaches=[coach_a], club=a),
        "B1": make_group("Bravo squad", coaches=[coach_b], club=b),
        "C1": make_group("Charlie squad", coaches=[coach_c], club=c),
    }
    long_ago = months_ago(months, 6)
    for group, members in {"A1": [1, 2, 3], "A2": [1], "B1": [3, 4], "C1": [5]}.items():
        for n in members:
            Membership.objects.create(group=groups[group], trainee=t[n], joined_at=long_ago)
    Membership.objects.filter(group=groups["B1"], trainee=t[4]).update(removed_at=now)

    lesson = make_lesson(title="What a cramp is", is_published=True)
    # Pass mark 60%: both questions right passes (100%); the first alone fails (20%).
    quiz = make_quiz("escape-check", pass_mark=60, attempts_allowed=2, is_published=True)
    add_single(quiz)
    add_escape_ordering(quiz, points=4, must_pass=True)
    yesterday, next_week = now - timedelta(days=1), now + timedelta(days=7)
    assign(groups["A1"], lesson, due_at=yesterday)
    assign(groups["A1"], quiz, due_at=next_week)
    assign(groups["A2"], lesson, due_at=next_week)
    assign(groups["B1"], quiz, due_at=yesterday)
    assign(groups["C1"], quiz, due_at=yesterday)

    mark_lesson_read(t[1], lesson)
    take(quiz, t[1], right=(1, 2), now=months_ago(months, 3))
    take(quiz, t[2], right=(1, 2))
    take(quiz, t[2], right=(1, 2))  # a second pass: still one pass of the quiz
    take(quiz, t[3], right=(1,))
    take(quiz, t[3], right=(1,))  # no attempts left: Failed on the dashboard
    take(quiz, t[5], right=(1, 2))
    take(quiz, t[6], right=(1, 2), now=months_ago(months, 2))
    Membership.objects.create(group=groups["A1"], trainee=t[6])  # joins today

    certification = Certification.objects.create(
        assessed_in_session=False, slug="cramp-safe", title="Cramp-safe"
    )
    items = [
        PracticalItem.objects.create(certification=certification, order=n, text=text)
        for n, text in enumerate(["Floats on the back", "Calls for help"], start=1)
    ]
    # Practised only: nobody's checklist waits for it.
    PracticalItem.objects.create(
        certification=certification, order=3, text="Tuck and stretch", required=False
    )

    def mark(trainee, item, group, when, result=MarkResult.SHOWN):
        PracticalMark.objects.create(
            key=uuid.uuid4(), trainee=trainee, item=item, group=group, result=result,
            coach=coach_a, marked_at=when,
        )  # fmt: skip

    two_months_ago = months_ago(months, 2)
    mark(t[1], items[0], groups["A1"], two_months_ago)
    mark(t[1], items[1], groups["A1"], two_months_ago + timedelta(hours=1))
    mark(t[2], items[0], groups["A1"], two_months_ago)
    mark(t[2], items[1], groups["A1"], two_months_ago + timedelta(hours=1))
    mark(t[2], items[1], groups["A1"], two_months_ago + timedelta(hours=2), MarkResult.UNDO)
    mark(t[3], items[0], groups["A1"], now - timedelta(days=40))
    mark(t[3], items[1], groups["B1"], now - timedelta(minutes=30))
    mark(t[5], items[0], groups["C1"], now - timedelta(minutes=30))
    mark(t[5], items[1], groups["C1"], now - timedelta(minutes=20))

    issue_certificate(t[1], certification, now=months_ago(months, 3))
    issue_certificate(t[2], certification, now=months_ago(months, 11))
    issue_certificate(t[3], certification, now=months_ago(months, 11) - timedelta(days=62))
    issue_certificate(t[4], certification, now=months_ago(months, 1))
    issue_certificate(t[5], certification, now=months_ago(months, 1))
    revoked = issue_certificate(t[6], certification, now=months_ago(months, 1))
    revoke_certificate(revoked, reason="Issued by mistake")

    people = {
        "federation_admin": make_user("fed_admin"),
        "other_federation_admin": make_user("hill_admin"),
        "club_admin_a": make_user("alpha_admin"),
        "club_admin_b": make_user("bravo_admin"),
        "club_admin_c": make_user("charlie_admin"),
        "coach_a": coach_a,
        "assessor_a": make_user("alpha_assessor"),
        "trainee": t[1],
        "admin": make_user("site_admin", is_staff=True),
    }
    grant_role(people["federation_admin"], federation, Role.FEDERATION_ADMIN)
    grant_role(people["other_federation_admin"], other_federation, Role.FEDERATION_ADMIN)
    grant_role(people["club_admin_a"], a, Role.CLUB_ADMIN)
    grant_role(people["club_admin_b"], b, Role.CLUB_ADMIN)
    grant_role(people["club_admin_c"], c, Role.CLUB_ADMIN)
    grant_role(people["assessor_a"], a, Role.ASSESSOR)
    return World(
        federation, other_federation, a, b, c, groups, t, people, quiz, lesson,
        certification, months,
    )  # fmt: skip
