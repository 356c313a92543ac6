"""Small factories that make real rows for tests."""

import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from training.models import Membership, TrainingGroup
from training.roles import COACH, TRAINEE

PASSWORD = "correct-horse-battery"
_numbers = itertools.count(1)


def make_user(username=None, *, role=None, is_staff=False, verified=True, **fields):
    """An account with its own address, confirmed unless verified=False."""
    username = username or f"user{next(_numbers)}"
    fields.setdefault("email", f"{username}@example.com")
    user = get_user_model().objects.create_user(
        username=username,
        password=PASSWORD,
        is_staff=is_staff,
        is_superuser=is_staff,
        **fields,
    )
    if verified and user.email:
        verify_email(user)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def verify_email(user):
    from accounts.emails import confirm

    return confirm(user)


def make_admin(username=None):
    return make_user(username, is_staff=True)


def make_club(name=None, *, federation=None):
    from organisations.models import Kind, Organisation

    name = name or f"Club {next(_numbers)}"
    return Organisation.objects.create(
        name=name, slug=f"club-{next(_numbers)}", kind=Kind.CLUB, federation=federation
    )


def make_federation(name=None):
    from organisations.models import Kind, Organisation

    name = name or f"Federation {next(_numbers)}"
    return Organisation.objects.create(
        name=name, slug=f"federation-{next(_numbers)}", kind=Kind.FEDERATION
    )


def home_club():
    """The club factories put groups and coaches in unless told otherwise."""
    from organisations.models import Kind, Organisation

    club, _ = Organisation.objects.get_or_create(
        slug="home-club", defaults={"name": "Home club", "kind": Kind.CLUB}
    )
    return club


def make_coach(username=None, *, club=None):
    from organisations.models import Role
    from organisations.services import grant_role

    coach = make_user(username, role=COACH)
    grant_role(coach, club or home_club(), Role.COACH)
    return coach


def make_assessor(username=None, *, club=None):
    """An assessor of the club (no coach role): may assess any of its groups."""
    from organisations.models import Role
    from organisations.services import grant_role

    assessor = make_user(username or f"assessor{next(_numbers)}")
    grant_role(assessor, club or home_club(), Role.ASSESSOR)
    return assessor


def assess(
    trainee, group, certification, *, assessor=None, results=None, held_on=None, now=None,
    close=True,
):  # fmt: skip
    """An assessment session for the group in which the trainee is marked (every required skill
    shown unless `results` says otherwise, one result per skill in order) and finished, then
    closed unless told not to; returns the session's result. The assessor is a new one of the
    group's club unless given."""
    import uuid

    from django.utils import timezone

    from certification import assessments
    from certification.models import MarkResult, Water

    now = now or timezone.now()
    assessor = assessor or make_assessor(club=group.club)
    day = timezone.localdate(now)
    session = assessments.open_session(
        assessor=assessor,
        group=group,
        certification=certification,
        held_on=held_on or day,
        today=day,
        venue="Club pool",
        water=Water.POOL,
        depth_m=2,
    )
    items = list(certification.items.required())
    results = results or [MarkResult.SHOWN] * len(items)
    for item, result in zip(items, results, strict=True):
        assessments.record_assessment_mark(
            session, trainee, item, key=uuid.uuid4(), result=result, marked_at=now
        )
    result = assessments.finish(session, trainee, now=now)
    if close:
        assessments.close_session(session, now=now)
    return result


def make_trainee(username=None):
    return make_user(username, role=TRAINEE)


def make_group(name=None, *, coaches=(), trainees=(), club=None):
    group = TrainingGroup.objects.create(
        name=name or f"Squad {next(_numbers)}", club=club or home_club()
    )
    group.coaches.add(*coaches)
    for trainee in trainees:
        Membership.objects.create(group=group, trainee=trainee)
    return group


def make_course(slug=None, **fields):
    from lessons.models import Course

    slug = slug or f"course-{next(_numbers)}"
    return Course.objects.create(slug=slug, title=fields.pop("title", slug.title()), **fields)


def make_lesson(course=None, slug=None, **fields):
    from lessons.models import Lesson

    course = course or make_course()
    number = next(_numbers)
    return Lesson.objects.create(
        course=course,
        slug=slug or f"lesson-{number}",
        title=fields.pop("title", f"Lesson {number}"),
        order=fields.pop("order", number),
        body=fields.pop("body", "Stretch the calf by pulling the toes toward the shin."),
        **fields,
    )


def make_quiz(slug=None, *, lesson=None, **fields):
    from quizzes.models import Quiz

    slug = slug or f"quiz-{next(_numbers)}"
    fields.setdefault("shuffle_options", False)
    return Quiz.objects.create(
        slug=slug, title=fields.pop("title", slug.title()), lesson=lesson, **fields
    )


def add_question(quiz, kind, options, **fields):
    """options: dicts of Option fields, e.g. {"text": "Calf", "weight": 100}."""
    from quizzes.models import Option, Question

    question = Question.objects.create(
        quiz=quiz,
        type=kind,
        text=fields.pop("text", f"{kind} question {next(_numbers)}"),
        order=fields.pop("order", quiz.questions.count() + 1),
        **fields,
    )
    for index, option in enumerate(options):
        Option.objects.create(question=question, order=index, **option)
    return question


def add_single(quiz, right="Calf", wrong=("Ear", "Elbow"), **fields):
    options = [{"text": right, "weight": 100}] + [{"text": w, "weight": 0} for w in wrong]
    return add_question(quiz, "single", options, **fields)


ESCAPE_STEPS = [
    "Breathe in as much air as you can",
    "Go under and press your knees to your chest",
    "Grab your big toes with both hands",
    "Pull the toes hard toward your shin and hold",
]


def add_escape_ordering(quiz, **fields):
    return add_question(quiz, "ordering", [{"text": step} for step in ESCAPE_STEPS], **fields)
