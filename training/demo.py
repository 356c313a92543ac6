"""Demo accounts, groups and some finished work for `manage.py seed_demo`; safe to run again."""

import random
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.text import slugify

from crampcourse import verification
from lessons.models import Lesson, LessonProgress
from lessons.services import mark_lesson_read
from organisations.models import Kind, Organisation, Role, StaffRole
from organisations.services import grant_role
from quizzes import scoring
from quizzes.models import Attempt, AttemptQuestion, AttemptState, Quiz
from quizzes.services import (
    AttemptRefused,
    current_versions,
    grade_attempt,
    layout_for,
    save_answers,
    start_attempt,
    submit_attempt,
)
from quizzes.slots import draw, every_way_asked
from training.models import (
    Assignment,
    Invitation,
    ManagedAccount,
    Membership,
    TimeMultiplier,
    TrainingGroup,
)
from training.roles import COACH, TRAINEE
from training.rosters import name_key
from training.services import assign, set_override

DEMO_PASSWORD = "swim-safe-demo"

DEMO_GROUPS = {
    "Dolphins squad": {
        "coach": "coach1",
        "club": "Dolphins Swimming Club",
        "trainees": ["trainee1", "trainee2", "trainee3"],
    },
    "Lifeguard cohort": {
        "coach": "coach2",
        "club": "Riverside Lifesaving Club",
        "trainees": ["trainee4", "trainee5", "trainee6"],
    },
}
# The demo's federation, its two clubs and the staff each club has besides its coaches.
DEMO_FEDERATION = ("Riverside Swimming Federation", "federation1")
DEMO_CLUB_STAFF = {
    "Dolphins Swimming Club": {"club_admin": "clubadmin1", "assessor": "assessor1"},
    "Riverside Lifesaving Club": {"club_admin": "clubadmin2", "assessor": "assessor2"},
}
# One trainee trains with both groups, as happens in real clubs.
SHARED_TRAINEE = ("trainee3", "Lifeguard cohort")

# How far each demo trainee has got: lessons read, and how well they answer the quizzes
# (every question right, or every other question wrong). "quizzes": slugs, or None for all.
ESCAPE_QUIZ = "escape-algorithm-quiz"
DEMO_PROGRESS = {
    "trainee1": {"lessons": 7, "quizzes": None, "all_right": True},
    "trainee2": {"lessons": 3, "quizzes": [ESCAPE_QUIZ], "all_right": False},
    "trainee3": {"lessons": 1, "quizzes": [ESCAPE_QUIZ], "all_right": True},
    "trainee4": {"lessons": 6, "quizzes": None, "all_right": False},
    "trainee5": {"lessons": 2, "quizzes": ["what-is-a-cramp-quiz", ESCAPE_QUIZ], "all_right": True},
}


# What each demo group has been given, with due dates in days from today (negative: past due,
# so the dashboards show overdue work).
DEMO_ASSIGNMENTS = [
    ("lesson", "what-is-a-cramp", -3),
    ("lesson", "escape-algorithm", 7),
    ("quiz", "escape-algorithm-quiz", 7),
    ("quiz", "final-assessment", 14),
]
# A trainee who reads slowly gets extra time and an extra attempt on the final.
DEMO_OVERRIDE = ("Dolphins squad", "trainee2", "final-assessment", 1, 10)
# And one who needs longer on every timed quiz of the group (the final: 30 minutes, not 20).
DEMO_TIME_MULTIPLIER = ("Dolphins squad", "trainee1", TimeMultiplier.HALF_LONGER.value)


@dataclass
class DemoLogin:
    role: str
    username: str
    password: str
    created: bool


def _user(username, *, role_group=None, is_staff=False):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "email": f"{username}@example.com",
            "first_name": username.rstrip("0123456789").capitalize(),
            "last_name": username[-1] if username[-1].isdigit() else "",
            "is_staff": is_staff,
            "is_superuser": is_staff,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        # Demo addresses are taken as confirmed, so resets and invitations work in the demo.
        verification.confirm(user)
    if role_group:
        user.groups.add(Group.objects.get(name=role_group))
    return user, created


def _take_quiz(quiz, trainee, all_right):
    try:
        attempt = start_attempt(quiz, trainee)
    except AttemptRefused:
        return
    slots = list(attempt.slots.select_related("version"))
    responses = {}
    for index, slot in enumerate(slots):
        right = scoring.full_marks_response(slot.version.data)
        if not all_right and "order" in right:
            # Two middle steps swapped: the mistake coaches most often see.
            order = right["order"]
            order[1], order[2] = order[2], order[1]
        elif not all_right and index % 2 == 0:
            right = None
        responses[slot.pk] = right
    save_answers(attempt, responses)
    submit_attempt(attempt)


def seed_demo_assignments(groups=None):
    """Assign shipped lessons and quizzes to the demo groups (once the course is loaded)."""
    today = timezone.now().replace(hour=18, minute=0, second=0, microsecond=0)
    items = {
        "lesson": {lesson.slug: lesson for lesson in Lesson.objects.published()},
        "quiz": {quiz.slug: quiz for quiz in Quiz.objects.published()},
    }
    if groups is None:
        groups = TrainingGroup.objects.filter(name__in=DEMO_GROUPS)
    # Only groups with nothing assigned yet, so a second run changes nothing; in bulk, as
    # load tests seed thousands of groups.
    Assignment.objects.bulk_create(
        [
            Assignment(group_id=group_id, due_at=today + timedelta(days=days), **{kind: item})
            for group_id in groups.filter(assignments__isnull=True).values_list("pk", flat=True)
            for kind, slug, days in DEMO_ASSIGNMENTS
            if (item := items[kind].get(slug)) is not None
        ],
        batch_size=2000,
    )
    if not TrainingGroup.objects.filter(name=DEMO_OVERRIDE[0]).exists():
        return
    group_name, username, quiz_slug, attempts, minutes = DEMO_OVERRIDE
    assignment = (
        TrainingGroup.objects.get(name=group_name).assignments.filter(quiz__slug=quiz_slug).first()
    )
    if assignment is not None:
        trainee = get_user_model().objects.get(username=username)
        set_override(assignment, trainee, extra_attempts=attempts, extra_minutes=minutes)


def seed_demo_progress():
    """Lessons read and finished attempts for some demo trainees, once per trainee."""
    User = get_user_model()
    lessons = list(Lesson.objects.published().order_by("course", "order"))
    quizzes = list(Quiz.objects.published().order_by("order"))
    for username, plan in DEMO_PROGRESS.items():
        trainee = User.objects.get(username=username)
        if Attempt.objects.filter(trainee=trainee).exists():
            continue
        for lesson in lessons[: plan["lessons"]]:
            mark_lesson_read(trainee, lesson)
        for quiz in quizzes:
            if plan["quizzes"] is not None and quiz.slug not in plan["quizzes"]:
                continue
            _take_quiz(quiz, trainee, plan["all_right"])


def demo_club(name=None, *, federation=None):
    """A club of the demo (by default the one named by DEFAULT_CLUB_NAME, as the migration
    that made clubs names the one it moves old groups into)."""
    name = name or settings.DEFAULT_CLUB_NAME
    club, _ = Organisation.objects.get_or_create(
        slug=slugify(name)[:50] or "club",
        defaults={"name": name, "kind": Kind.CLUB, "federation": federation},
    )
    return club


def seed_demo_organisations():
    """The federation, its two clubs, a club admin and an assessor in each, and the federation
    admin; returns their log-ins. Running it again adds only what is missing."""
    name, admin_name = DEMO_FEDERATION
    federation, _ = Organisation.objects.get_or_create(
        slug=slugify(name), defaults={"name": name, "kind": Kind.FEDERATION}
    )
    logins = []
    admin, created = _user(admin_name)
    grant_role(admin, federation, Role.FEDERATION_ADMIN)
    logins.append(DemoLogin("federation admin", admin.username, DEMO_PASSWORD, created))
    for club_name, staff in DEMO_CLUB_STAFF.items():
        club = demo_club(club_name, federation=federation)
        for role, username in staff.items():
            person, created = _user(username)
            grant_role(person, club, role)
            logins.append(DemoLogin(Role(role).label.lower(), username, DEMO_PASSWORD, created))
    return logins


@transaction.atomic
def seed_demo_accounts():
    """Create the demo admin, coaches, trainees and their two groups; return the log-ins."""
    logins = []
    _, created = _user("admin", is_staff=True)
    logins.append(DemoLogin("admin", "admin", DEMO_PASSWORD, created))
    logins += seed_demo_organisations()
    for group_name, spec in DEMO_GROUPS.items():
        coach, created = _user(spec["coach"], role_group=COACH)
        logins.append(DemoLogin("coach", coach.username, DEMO_PASSWORD, created))
        club = demo_club(spec["club"])
        group, _ = TrainingGroup.objects.get_or_create(name=group_name, defaults={"club": club})
        group.coaches.add(coach)
        grant_role(coach, club, Role.COACH)
        for username in spec["trainees"]:
            trainee, created = _user(username, role_group=TRAINEE)
            logins.append(DemoLogin("trainee", trainee.username, DEMO_PASSWORD, created))
            multiplier = _demo_time_multiplier(group_name, username)
            # Set when the membership is made only: a second run keeps what a coach chose since.
            Membership.objects.get_or_create(
                group=group, trainee=trainee, defaults={"time_multiplier": multiplier}
            )
    username, group_name = SHARED_TRAINEE
    Membership.objects.get_or_create(
        group=TrainingGroup.objects.get(name=group_name),
        trainee=get_user_model().objects.get(username=username),
    )
    seed_demo_assignments()
    seed_demo_progress()
    logins.append(seed_demo_onboarding())
    return logins


def _demo_time_multiplier(group_name, username):
    group, trainee, multiplier = DEMO_TIME_MULTIPLIER
    return multiplier if (group_name, username) == (group, trainee) else TimeMultiplier.USUAL.value


# A swimmer without email whose account coach1's roster made (they must choose a password at
# first log-in), and an emailed invitation nobody has accepted yet.
DEMO_ROSTER_ACCOUNT = ("roster1", "Robin Roster", "Dolphins squad", "coach1")
DEMO_INVITATION = ("Dolphins squad", "new.swimmer@example.com", "coach1")


def seed_demo_onboarding():
    User = get_user_model()
    username, name, group_name, coach_name = DEMO_ROSTER_ACCOUNT
    group = TrainingGroup.objects.get(name=group_name)
    coach = User.objects.get(username=coach_name)
    user, created = _user(username, role_group=TRAINEE)
    if created:
        user.first_name, user.last_name, user.email = name, "", ""
        user.save(update_fields=["first_name", "last_name", "email"])
        ManagedAccount.objects.create(
            user=user, group=group, roster_key=name_key(name), created_by=coach
        )
    Membership.objects.get_or_create(group=group, trainee=user)
    group_name, email, coach_name = DEMO_INVITATION
    Invitation.objects.get_or_create(
        group=TrainingGroup.objects.get(name=group_name),
        email=email,
        defaults={"invited_by": User.objects.get(username=coach_name)},
    )
    return DemoLogin("roster", username, DEMO_PASSWORD, created)


def demo_invitation_path():
    from django.urls import reverse

    group_name, email, _ = DEMO_INVITATION
    invitation = Invitation.objects.filter(group__name=group_name, email=email).first()
    return reverse("training:join_link", args=[invitation.token]) if invitation else None


SCALE_PREFIX = "scale"


def scale_username(group_number, trainee_number):
    return f"{SCALE_PREFIX}-g{group_number:04d}-t{trainee_number:03d}"


SCALE_FEDERATION = ("Scale federation", "bench-federation")
SCALE_CLUB_SIZE = 100  # groups in each "Scale club NN"


def scale_club_number(group_number):
    return (group_number - 1) // SCALE_CLUB_SIZE + 1


def seed_scale_organisations(groups):
    """The scale federation, its clubs of 100 groups ("Scale club NN", in bulk: 50 of them at
    100x) and its federation admin, bench-federation; returns {club number: club id}."""
    name, admin_name = SCALE_FEDERATION
    federation, _ = Organisation.objects.get_or_create(
        slug=slugify(name), defaults={"name": name, "kind": Kind.FEDERATION}
    )
    User = get_user_model()
    admin, created = User.objects.get_or_create(username=admin_name)
    if created:
        admin.password = make_password(DEMO_PASSWORD)
        admin.save(update_fields=["password"])
    grant_role(admin, federation, Role.FEDERATION_ADMIN)
    wanted = {
        number: (f"Scale club {number:02d}", f"scale-club-{number:02d}")
        for number in range(1, scale_club_number(groups) + 1)
    }
    slugs = {slug for _, slug in wanted.values()}
    existing = set(Organisation.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    Organisation.objects.bulk_create(
        [
            Organisation(name=club, slug=slug, kind=Kind.CLUB, federation=federation)
            for club, slug in wanted.values()
            if slug not in existing
        ]
    )
    ids = dict(Organisation.objects.filter(slug__in=slugs).values_list("slug", "pk"))
    return {number: ids[slug] for number, (_, slug) in wanted.items()}


@transaction.atomic
def seed_scale(groups, trainees_per_group):
    """Synthetic groups for load tests and benchmarks: scale-coach-NNNN runs "Scale group NNNN"
    with trainees scale-gNNNN-tMMM, all with the demo password, and the demo assignments.
    The groups are spread over clubs of 100 ("Scale club NN") in one "Scale federation", whose
    admin is bench-federation. Existing scale groups are kept, so running it again only adds
    what is missing."""
    User = get_user_model()
    password = make_password(DEMO_PASSWORD)  # hashed once: hashing 10,000 times takes minutes
    coach_role, trainee_role = Group.objects.get(name=COACH), Group.objects.get(name=TRAINEE)
    wanted = {
        f"{SCALE_PREFIX}-coach-{g:04d}": [
            scale_username(g, t) for t in range(1, trainees_per_group + 1)
        ]
        for g in range(1, groups + 1)
    }
    names = set(wanted) | {name for trainees in wanted.values() for name in trainees}
    existing = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    User.objects.bulk_create(
        [User(username=name, password=password) for name in sorted(names - existing)],
        batch_size=1000,
    )
    users = dict(User.objects.filter(username__in=names).values_list("username", "pk"))
    Through = User.groups.through
    Through.objects.bulk_create(
        [
            Through(user_id=users[name], group=coach_role if "-coach-" in name else trainee_role)
            for name in names - existing
        ],
        batch_size=1000,
    )
    # In bulk: 100x data is 5,000 groups, and a few queries each would take minutes.
    names = [f"Scale group {number:04d}" for number in range(1, len(wanted) + 1)]
    existing = set(TrainingGroup.objects.filter(name__in=names).values_list("name", flat=True))
    clubs = seed_scale_organisations(len(names))
    club_of = [clubs[scale_club_number(number)] for number in range(1, len(names) + 1)]
    TrainingGroup.objects.bulk_create(
        [
            TrainingGroup(name=name, club_id=club_id)
            for name, club_id in zip(names, club_of, strict=True)
            if name not in existing
        ],
        batch_size=1000,
    )
    StaffRole.objects.bulk_create(
        [
            StaffRole(person_id=users[coach], organisation_id=club_id, role=Role.COACH)
            for coach, club_id in zip(wanted, club_of, strict=True)
        ],
        batch_size=1000,
        ignore_conflicts=True,  # a second run: the running role is there already
    )
    groups = dict(TrainingGroup.objects.filter(name__in=names).values_list("name", "pk"))
    new_groups = [(name, coach) for name, coach in zip(names, wanted, strict=True)
                  if name not in existing]  # fmt: skip
    TrainingGroup.coaches.through.objects.bulk_create(
        [
            TrainingGroup.coaches.through(traininggroup_id=groups[name], user_id=users[coach])
            for name, coach in new_groups
        ],
        batch_size=1000,
    )
    # Joined a month ago: the seeded attempts (seed_scale_work) were made while in the group,
    # so a club's reports count them as its trainees' passes.
    joined = timezone.now() - timedelta(days=30)
    Membership.objects.bulk_create(
        [
            Membership(group_id=groups[name], trainee_id=users[trainee], joined_at=joined)
            for name, coach in new_groups
            for trainee in wanted[coach]
        ],
        batch_size=2000,
    )
    seed_demo_assignments(TrainingGroup.objects.filter(name__in=names))
    return names


BENCH_SQUAD = "Bench squad"
BENCH_SQUAD_SIZE = 40
BENCH_ASSIGNMENTS = 20


def seed_finished_attempts(trainee_ids, quizzes, *, seed=7):
    """One finished attempt per trainee and quiz, written in bulk (benchmarks need millions of
    answers: PostgreSQL takes them with COPY), a few thousand trainees at a time.

    Answers are right or blank at random; the grading is the quizzes app's own.
    """
    rng = random.Random(seed)
    now = timezone.now()
    done = set(
        Attempt.objects.filter(trainee_id__in=trainee_ids, quiz__in=quizzes).values_list(
            "trainee_id", "quiz_id"
        )
    )
    for quiz in quizzes:
        questions = list(
            quiz.questions.select_related("lesson__course").prefetch_related("options")
        )
        quiz_slots = list(quiz.slots.all())
        # Every question as each slot would ask it, frozen once: a trainee's draw is then a
        # lookup, not a query (a quiz's own draw reads what the trainee saw before; a first
        # attempt has seen nothing).
        everything = every_way_asked(quiz_slots, questions)
        versions = dict(
            zip(
                [(d.question.pk, d.slot_number) for d in everything],
                current_versions(
                    [d.question for d in everything], [d.overrides for d in everything]
                ),
                strict=True,
            )
        )
        waiting = [trainee_id for trainee_id in trainee_ids if (trainee_id, quiz.pk) not in done]
        for start in range(0, len(waiting), 2000):
            attempts, slot_lists = [], []
            for trainee_id in waiting[start : start + 2000]:
                asked = draw(quiz, quiz_slots, questions, {}, rng)
                if quiz.shuffle_questions:
                    rng.shuffle(asked)
                chosen = [versions[(d.question.pk, d.slot_number)] for d in asked]
                attempt = Attempt(
                    quiz=quiz,
                    trainee_id=trainee_id,
                    number=1,
                    state=AttemptState.FINISHED,
                    started_at=now - timedelta(minutes=12),
                    finished_at=now - timedelta(minutes=rng.randint(1, 10)),
                    pass_mark=quiz.pass_mark,
                    max_score=sum((Decimal(v.data["points"]) for v in chosen), Decimal(0)),
                )
                slots = [
                    SeededSlot(
                        version=version,
                        position=position,
                        layout=layout_for(version.data, quiz.shuffle_options, rng),
                        response=scoring.full_marks_response(version.data)
                        if rng.random() < 0.75
                        else None,
                        slot_number=drawn.slot_number,
                    )
                    for position, (version, drawn) in enumerate(
                        zip(chosen, asked, strict=True), start=1
                    )
                ]
                attempts.append(grade_attempt(attempt, slots))
                slot_lists.append(slots)
            with transaction.atomic():
                for attempt, slots in zip(
                    Attempt.objects.bulk_create(attempts, batch_size=500), slot_lists, strict=True
                ):
                    for slot in slots:
                        slot.attempt_id = attempt.pk
                write_slots([slot for slots in slot_lists for slot in slots])


@dataclass(slots=True)
class SeededSlot:
    """An attempt slot on its way into the database: what grading reads and writes, without
    the cost of a model instance (2 million of them at 100x data)."""

    version: object
    position: int
    layout: object
    response: object
    slot_number: int | None = None
    attempt_id: int | None = None
    fraction: Decimal | None = None
    score: Decimal | None = None


def write_slots(slots):
    """Insert attempt slots: COPY on PostgreSQL (ten times faster than INSERTs), else in bulk.
    Every column is written: those a seeded slot does not carry take the field's default."""
    if connection.vendor != "postgresql":
        AttemptQuestion.objects.bulk_create(
            [
                AttemptQuestion(
                    attempt_id=slot.attempt_id, version=slot.version, position=slot.position,
                    layout=slot.layout, response=slot.response, fraction=slot.fraction,
                    score=slot.score, slot_number=slot.slot_number,
                )
                for slot in slots
            ],
            batch_size=2000,
        )  # fmt: skip
        return
    from psycopg.types.json import Jsonb

    fields = [field for field in AttemptQuestion._meta.concrete_fields if not field.primary_key]
    carried = {field.attname for field in fields} & set(SeededSlot.__slots__) | {"version_id"}
    defaults = {field.attname: field.get_default() for field in fields}
    json_fields = {field.attname for field in fields if isinstance(field, models.JSONField)}

    def column(slot, name):
        if name == "version_id":
            value = slot.version.pk
        else:
            value = getattr(slot, name) if name in carried else defaults[name]
        return Jsonb(value) if name in json_fields and value is not None else value

    names = [field.attname for field in fields]
    table = AttemptQuestion._meta.db_table
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({', '.join(names)}) FROM STDIN") as copy,
    ):
        for slot in slots:
            copy.write_row([column(slot, name) for name in names])


def seed_reading(trainee_ids, lessons):
    """Lessons marked read, in bulk."""
    now = timezone.now()
    LessonProgress.objects.bulk_create(
        [
            LessonProgress(lesson=lesson, trainee_id=trainee_id, completed_at=now)
            for trainee_id in trainee_ids
            for lesson in lessons
        ],
        ignore_conflicts=True,
        batch_size=2000,
    )


def seed_scale_work(group_names):
    """Reading and finished attempts for every trainee of these groups on what they were given."""
    lessons = list(Lesson.objects.published().order_by("order")[:3])
    quizzes = list(Quiz.objects.filter(slug__in=[ESCAPE_QUIZ, "final-assessment"]))
    trainee_ids = list(
        Membership.objects.filter(group__name__in=group_names).values_list("trainee_id", flat=True)
    )
    seed_reading(trainee_ids, lessons)
    seed_finished_attempts(trainee_ids, quizzes)


@transaction.atomic
def seed_bench_squad():
    """A 40-trainee group with 20 assignments and work on all of them, for the benchmark."""
    from lessons.models import Course

    User = get_user_model()
    password = make_password(DEMO_PASSWORD)
    coach, _ = User.objects.get_or_create(username="bench-coach", defaults={"password": password})
    coach.groups.add(Group.objects.get(name=COACH))
    trainee_role = Group.objects.get(name=TRAINEE)
    club = demo_club()
    group, created = TrainingGroup.objects.get_or_create(name=BENCH_SQUAD, defaults={"club": club})
    if not created:
        return group
    group.coaches.add(coach)
    grant_role(coach, club, Role.COACH)
    for number in range(1, BENCH_SQUAD_SIZE + 1):
        trainee, _ = User.objects.get_or_create(
            username=f"bench-t{number:02d}", defaults={"password": password}
        )
        trainee.groups.add(trainee_role)
        Membership.objects.create(group=group, trainee=trainee)
    lessons = list(Lesson.objects.published().order_by("order"))
    quizzes = list(Quiz.objects.published().order_by("order"))
    # The shipped course has 15 items; hidden extra lessons make up the twenty.
    extras, _ = Course.objects.get_or_create(
        slug="bench-extras", defaults={"title": "Benchmark extras", "is_published": False}
    )
    for number in range(BENCH_ASSIGNMENTS - len(lessons) - len(quizzes)):
        lesson, _ = Lesson.objects.get_or_create(
            slug=f"bench-extra-{number}",
            defaults={"course": extras, "title": f"Extra reading {number}", "order": 100 + number,
                      "body": "Stretch the calf gently after training.", "is_published": False},
        )  # fmt: skip
        lessons.append(lesson)
    today = timezone.now()
    for index, item in enumerate(lessons + quizzes):
        assign(group, item, due_at=today + timedelta(days=index - 5), assigned_by=coach)
    trainee_ids = list(group.memberships.values_list("trainee_id", flat=True))
    seed_reading(trainee_ids[::2], lessons)
    seed_finished_attempts(trainee_ids, quizzes)
    return group
