"""Training's figures in the club and federation reports (organisations/reports.py), counted in
SQL for every club at once: six queries, however many clubs, groups or trainees.

- trainees: people in a group of the club now (someone in two of its groups counts once; the
  federation's total counts each person once, so it can be less than the clubs added up).
- groups: the club's training groups.
- work: assigned work, one for each assignment and each trainee in its group now (an
  assignment given to a group of 20 is 20); done: what the dashboard calls done (a lesson
  read, a quiz passed by its grading method, late or not); overdue: past its due date and not
  done, which takes in the dashboard's Overdue and the quizzes it calls Failed once their due
  date has passed; work that was due before the trainee joined is never overdue for them.
- theory passes, per month: each trainee's pass of each quiz, counted once, in the month of the
  attempt that made it a pass, for quizzes assigned to the trainee's group in the club and
  started while they were in it (as a group's coaches see attempts: selectors.made_in_group).
"""

from django.db.models import Avg, Count, DateField, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Round, TruncMonth
from django.db.models.lookups import GreaterThanOrEqual
from django.utils.translation import gettext_lazy as _

from lessons.models import LessonProgress
from organisations.reports import Metric, month_start
from quizzes.models import Attempt, AttemptState, GradingMethod, Quiz
from training.models import Assignment, Membership, TrainingGroup

METRICS = [
    Metric("trainees", _("Trainees"), _("People in a group of the club now.")),
    Metric("groups", _("Groups"), _("The club’s training groups.")),
    Metric(
        "work",
        _("Work assigned"),
        _("Each lesson or quiz assigned to a group, once for each trainee in it now."),
    ),
    Metric(
        "work_done",
        _("Work done"),
        _("Lessons read and quizzes passed, late or not."),
        share_of="work",
        share_note=_("%(percent)s%% of the work assigned"),
    ),
    Metric(
        "work_overdue",
        _("Work overdue"),
        _("Past its due date and not done, including quizzes failed with no attempts left."),
        share_of="work",
        share_note=_("%(percent)s%% of the work assigned"),
    ),
    Metric(
        "theory_passes",
        _("Theory passes"),
        _("Quizzes passed, each trainee’s pass of a quiz counted once, in the month it came."),
        monthly=True,
    ),
]


def passing_attempt(methods=tuple(GradingMethod), *, first_only=True):
    """The finished attempt that makes a quiz passed by its grading method, if it is passed:
    at most one per trainee and quiz. Mirrors quizzes.services.overall_result (the tests
    compare the two on every grading method):

    highest: the first attempt that passed; first: the first attempt, if it passed; last: the
    last attempt, if it passed; average: the last attempt, when the mean percent of all
    (rounded to 0.01) reaches the quiz's pass mark and one of them met every must-pass question.

    methods: only the grading methods some quiz uses (grading_methods()): PostgreSQL reckons
    the cost of every branch on every attempt, and a branch nobody needs can tip a report
    into compiling its plan (JIT), which takes seconds. first_only=False: any passing
    attempt of a quiz graded by the highest grade, enough to ask whether one exists.
    """
    finished = Attempt.objects.filter(
        state=AttemptState.FINISHED, trainee_id=OuterRef("trainee_id"), quiz_id=OuterRef("quiz_id")
    ).order_by()
    earlier = finished.filter(number__lt=OuterRef("number"))
    later = finished.filter(number__gt=OuterRef("number"))
    mean = finished.values("trainee_id").annotate(mean=Round(Avg("percent"), 2)).values("mean")
    highest = Q(passed=True)
    if first_only:
        highest &= ~Exists(earlier.filter(passed=True))
    # The cheap tests first in each branch: SQLite tries them in the order written.
    branches = {
        GradingMethod.HIGHEST: highest,
        GradingMethod.FIRST: Q(passed=True) & ~Exists(earlier),
        GradingMethod.LAST: Q(passed=True) & ~Exists(later),
        GradingMethod.AVERAGE: (
            ~Exists(later)
            & Q(GreaterThanOrEqual(Subquery(mean), F("quiz__pass_mark")))
            & Q(Exists(finished.filter(must_pass_met=True)))
        ),
    }
    used = [Q(quiz__grading_method=m) & branches[m] for m in GradingMethod if m in methods]
    if not used:  # no quiz, no pass (a test that is never true, so no query is left out)
        return Q(pk__isnull=True)
    # One branch alone (every quiz graded alike, as the shipped course): no OR, so
    # PostgreSQL can run its NOT EXISTS as an anti-join.
    passing = used[0]
    for branch in used[1:]:
        passing |= branch
    return Q(state=AttemptState.FINISHED) & passing


def grading_methods():
    """The grading methods the quizzes use (one query)."""
    return set(Quiz.objects.order_by().values_list("grading_method", flat=True).distinct())


# A trainee in the group now. `isnull=False` keeps the join to the memberships inner: the
# `removed_at` test alone would let Django join them outer and pair work with nobody.
IN_GROUP_NOW = {"group__memberships__isnull": False, "group__memberships__removed_at__isnull": True}


def work_done(methods):
    """Whether the trainee of an assignment's membership (joined as IN_GROUP_NOW does) has done
    it, as the dashboard counts done (training.progress.DONE): the lesson read or the quiz
    passed, late or not."""
    trainee = OuterRef("group__memberships__trainee_id")
    read = LessonProgress.objects.filter(
        trainee_id=trainee, lesson_id=OuterRef("lesson_id"), completed_at__isnull=False
    )
    # Started while in the group, as the dashboard counts a group's attempts
    # (progress.made_since): a pass made in another group before joining this one is not
    # this group's work done.
    passed = Attempt.objects.filter(
        passing_attempt(methods, first_only=False),
        trainee_id=trainee,
        quiz_id=OuterRef("quiz_id"),
        started_at__gte=OuterRef("group__memberships__joined_at"),
    )
    return (Q(lesson_id__isnull=False) & Q(Exists(read))) | (
        Q(quiz_id__isnull=False) & Q(Exists(passed))
    )


def figures(club_ids, months, now):
    """{(club_id or None, month or None, key): number} for the report's clubs and months."""
    out = {}
    methods = grading_methods()
    for club_id, groups, trainees in (
        TrainingGroup.objects.filter(club_id__in=club_ids)
        .values_list("club_id")
        .annotate(
            groups=Count("pk", distinct=True),
            trainees=Count(
                "memberships__trainee_id",
                filter=Q(memberships__removed_at__isnull=True),
                distinct=True,
            ),
        )
        .order_by()
    ):
        out[club_id, None, "groups"] = groups
        out[club_id, None, "trainees"] = trainees
    out[None, None, "trainees"] = (
        Membership.objects.active()
        .filter(group__club_id__in=club_ids)
        .aggregate(n=Count("trainee_id", distinct=True))["n"]
    )

    # Work: one for each assignment and trainee in its group now, done or not, late or not.
    for club_id in club_ids:
        for key in ("work", "work_done", "work_overdue"):
            out[club_id, None, key] = 0
    pairs = (
        Assignment.objects.filter(group__club_id__in=club_ids, **IN_GROUP_NOW)
        # Late: due and gone, and due after the trainee joined (as the dashboards count it).
        .annotate(
            late=Q(due_at__lt=now, due_at__gt=F("group__memberships__joined_at")),
            done=work_done(methods),
        )
        .values_list("group__club_id", "late", "done")
        .annotate(count=Count("pk"))
        .order_by()
    )
    for club_id, late, done, count in pairs:
        out[club_id, None, "work"] += count
        if done:
            out[club_id, None, "work_done"] += count
        elif late:
            out[club_id, None, "work_overdue"] += count

    # Theory passes per month, by trainees in the club's group when they started the attempt
    # (as selectors.made_in_group reads a group's attempts).
    made_in_club = (
        Attempt.objects.filter(passing_attempt(methods))
        .filter(
            Q(trainee__memberships__removed_at__isnull=True)
            | Q(trainee__memberships__removed_at__gte=F("started_at")),
            finished_at__gte=month_start(months[0]),
            trainee__memberships__joined_at__lte=F("started_at"),
            trainee__memberships__group__club_id__in=club_ids,
            trainee__memberships__group__assignments__quiz_id=F("quiz_id"),
        )
        .annotate(month=TruncMonth("finished_at", output_field=DateField()))
        .order_by()
    )
    for club_id, month, count in made_in_club.values_list(
        "trainee__memberships__group__club_id", "month"
    ).annotate(count=Count("pk", distinct=True)):
        out[club_id, month, "theory_passes"] = count
    for month, count in made_in_club.values_list("month").annotate(
        count=Count("pk", distinct=True)
    ):
        out[None, month, "theory_passes"] = count
    return out
