import secrets
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from crampcourse import verification
from crampcourse.validators import validate_one_line, validate_text
from lessons.models import LessonProgress
from lessons.translation import content_language, shown_text
from organisations.access import club_admins_subquery

# No 0/O or 1/I/L: codes are read aloud at the pool and typed on phones.
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 8


def generate_join_code():
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


class TrainingGroupQuerySet(models.QuerySet):
    def coached_by(self, user):
        return self.filter(coaches=user)

    def run_by(self, user):
        """The groups the person coaches, and every group of the clubs they administer."""
        coaches_it = TrainingGroup.coaches.through.objects.filter(
            traininggroup_id=models.OuterRef("pk"), user_id=user.pk
        )
        return self.filter(
            models.Q(models.Exists(coaches_it)) | models.Q(club_id__in=club_admins_subquery(user))
        )


class TrainingGroup(models.Model):
    """A squad, class or lifeguard cohort, run by one or more coaches."""

    name = models.CharField(_("name"), max_length=120, validators=[validate_one_line])
    description = models.TextField(_("description"), blank=True, validators=[validate_text])
    club = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("club"),
        on_delete=models.PROTECT,
        related_name="groups",
        limit_choices_to={"kind": "club"},
        help_text=_("The club this group trains with; its admins see the group too."),
    )
    coaches = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coaches"),
        related_name="coached_groups",
        blank=True,
    )
    trainees = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainees"),
        through="Membership",
        related_name="training_groups",
        blank=True,
    )
    join_code = models.CharField(
        _("join code"),
        max_length=JOIN_CODE_LENGTH,
        unique=True,
        default=generate_join_code,
        editable=False,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = TrainingGroupQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("training group")
        verbose_name_plural = _("training groups")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("training:group_dashboard", args=[self.pk])


# What an assignment is, in words: "kind" itself is an identifier ("lesson", "quiz").
KIND_LABELS = {
    "lesson": pgettext_lazy("kind of assignment", "lesson"),
    "quiz": pgettext_lazy("kind of assignment", "quiz"),
}


class TimeMultiplier(Decimal, models.Choices):
    """How much longer than a quiz's own time limit a trainee gets, e.g. one who reads slowly."""

    USUAL = "1.00", _("The usual time")
    QUARTER_LONGER = "1.25", _("1.25 times the usual time")
    HALF_LONGER = "1.50", _("1.5 times the usual time")
    TWICE = "2.00", _("Twice the usual time")

    def __str__(self):  # "1.50", as a form sends it back, not "TimeMultiplier.HALF_LONGER"
        return str(self.value)


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(removed_at__isnull=True)


class Membership(models.Model):
    """A trainee in a group. Removing a trainee ends the membership but keeps their history."""

    # PROTECT: a group that ever had trainees keeps its history; the admin refuses to delete it.
    group = models.ForeignKey(
        TrainingGroup,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("group"),
    )
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("trainee"),
    )
    joined_at = models.DateTimeField(_("joined"), default=timezone.now)
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)
    # On every timed quiz assigned in the group, besides any extra minutes on one quiz; it
    # ends with the membership, like the overrides.
    time_multiplier = models.DecimalField(
        _("time on timed quizzes"),
        max_digits=3,
        decimal_places=2,
        choices=TimeMultiplier.choices,
        default=TimeMultiplier.USUAL.value,
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["group", "trainee__username"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["group", "trainee"], name="one_membership_per_trainee"),
            models.CheckConstraint(
                condition=models.Q(time_multiplier__in=TimeMultiplier.values),
                name="time_multiplier_is_a_choice",
            ),
        ]

    def __str__(self):
        return gettext("%(trainee)s in %(group)s") % {"trainee": self.trainee, "group": self.group}

    @property
    def is_active(self):
        return self.removed_at is None


class AssignmentQuerySet(models.QuerySet):
    def for_group(self, group):
        # The model's order without its first key, the group: ordering by a relation follows
        # the related model's own ordering, which cost a tenth of a dashboard's queries' time.
        return self.filter(group=group).order_by("due_at", "created_at", "pk")

    def with_items(self, *, links=True):
        """With the lesson or quiz, only the fields pages show (dashboards read many rows).
        links=False leaves out each lesson's course, which only a lesson's address needs."""
        fields = [
            "group_id", "lesson_id", "quiz_id", "due_at", "created_at",
            "lesson__slug", "lesson__title",
            "quiz__slug", "quiz__title", "quiz__grading_method", "quiz__pass_mark",
            "quiz__attempts_allowed",
        ]  # fmt: skip
        if not links:
            chosen = self.select_related("lesson", "quiz").only(*fields)
        else:
            chosen = self.select_related("lesson__course", "quiz").only(
                *fields, "lesson__course__slug"
            )
        return chosen.with_shown_titles()

    def with_shown_titles(self):
        """Each with its lesson's or quiz's title in the reader's language (lessons.translation
        .shown_text), English where it is not translated."""
        if content_language() is None:
            return self
        return self.annotate(
            lesson_title_shown=shown_text("title", through="lesson__"),
            quiz_title_shown=shown_text("title", through="quiz__"),
        )

    def with_reading_of(self, trainee):
        """Each annotated with the trainee's reading of its lesson (`read`: None when never
        opened, False when opened, True when read): what would otherwise take a query of its
        own on every visit to "my assignments"."""
        reading = LessonProgress.objects.filter(
            trainee=trainee, lesson=models.OuterRef("lesson_id")
        )
        return self.annotate(
            read=models.Subquery(
                reading.annotate(done=models.Q(completed_at__isnull=False)).values("done")[:1],
                output_field=models.BooleanField(),
            )
        )


class Assignment(models.Model):
    """A lesson to read or a quiz to pass, set by a coach for a whole group."""

    group = models.ForeignKey(
        TrainingGroup,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("group"),
    )
    lesson = models.ForeignKey(
        "lessons.Lesson",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lesson"),
    )
    quiz = models.ForeignKey(
        "quizzes.Quiz",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("quiz"),
    )
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["group", "due_at", "created_at", "pk"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(lesson__isnull=False, quiz__isnull=True)
                    | models.Q(lesson__isnull=True, quiz__isnull=False)
                ),
                name="assignment_is_a_lesson_or_a_quiz",
            ),
            models.UniqueConstraint(
                fields=["group", "lesson"],
                condition=models.Q(lesson__isnull=False),
                name="lesson_assigned_once_per_group",
            ),
            models.UniqueConstraint(
                fields=["group", "quiz"],
                condition=models.Q(quiz__isnull=False),
                name="quiz_assigned_once_per_group",
            ),
        ]

    def __str__(self):
        return gettext("%(title)s for %(group)s") % {"title": self.title, "group": self.group}

    @property
    def item(self):
        return self.lesson or self.quiz

    @property
    def kind(self):
        return "lesson" if self.lesson_id else "quiz"

    @property
    def kind_label(self):
        """ "lesson" or "quiz" in the reader's language (kind stays the identifier)."""
        return KIND_LABELS[self.kind]

    @property
    def title(self):
        """The lesson's or quiz's title in the reader's language (with_shown_titles), else its
        English one."""
        if not self.item:
            return gettext("(nothing)")
        shown = getattr(self, "lesson_title_shown" if self.lesson_id else "quiz_title_shown", None)
        return shown or self.item.title

    def is_past_due(self, now=None):
        return self.due_at is not None and (now or timezone.now()) > self.due_at


class QuizOverrideQuerySet(models.QuerySet):
    def active(self):
        """Overrides of trainees still in the assignment's group: one ends with the membership."""
        # A join rather than EXISTS: the same rows (one membership per group and trainee), and
        # a third cheaper to build, which every dashboard and quiz page pays.
        return self.filter(
            assignment__group__memberships__trainee=models.F("trainee"),
            assignment__group__memberships__removed_at__isnull=True,
        )


class QuizOverride(models.Model):
    """Extra time or attempts on an assigned quiz for one trainee, e.g. one who reads slowly."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="overrides", verbose_name=_("assignment")
    )
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="quiz_overrides",
        verbose_name=_("trainee"),
    )
    extra_attempts = models.PositiveSmallIntegerField(_("extra attempts"), default=0)
    extra_minutes = models.PositiveSmallIntegerField(_("extra minutes"), default=0)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("granted by"),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = QuizOverrideQuerySet.as_manager()

    class Meta:
        verbose_name = _("quiz allowance")
        verbose_name_plural = _("quiz allowances")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "trainee"], name="one_override_per_trainee"
            )
        ]

    def __str__(self):
        return gettext("%(trainee)s on %(assignment)s") % {
            "trainee": self.trainee,
            "assignment": self.assignment,
        }


def generate_invitation_token():
    # Long and random: unlike a join code it is never typed, only followed from an email.
    return secrets.token_urlsafe(24)


class InvitationQuerySet(models.QuerySet):
    def pending(self, *, now=None):
        """Not accepted, and younger than INVITATION_DAYS: an older link no longer works."""
        cutoff = (now or timezone.now()) - timedelta(days=settings.INVITATION_DAYS)
        return self.filter(accepted_at__isnull=True, created_at__gte=cutoff)


class Invitation(models.Model):
    """An emailed link to one group; nobody joins until the person who opens it accepts."""

    group = models.ForeignKey(
        TrainingGroup,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("group"),
    )
    email = models.EmailField(_("email address"))
    token = models.CharField(
        _("token"), max_length=64, unique=True, default=generate_invitation_token
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # The coach's choice: only an account whose confirmed address is this one may accept it
    # (the default), or whoever opens the link (a parent's address for a child's account).
    bound_to_address = models.BooleanField(
        _("only the invited address can use it"),
        default=True,
        help_text=_("Off: anyone with the link can use it, once."),
    )
    # The e-mail went out; a send the mail server refused leaves it off, and the group's page
    # says "not sent" so the coach can try again rather than wait for nobody.
    sent = models.BooleanField(_("sent"), default=False)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="accepted_invitations",
        verbose_name=_("accepted by"),
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return gettext("%(email)s to %(group)s") % {"email": self.email, "group": self.group}

    @property
    def expires_at(self):
        return self.created_at + timedelta(days=settings.INVITATION_DAYS)

    def may_be_used_by(self, user):
        """Anyone, if the coach chose so; else only an account whose confirmed address is the
        invited one (any case)."""
        if not self.bound_to_address:
            return True
        return verification.owns_address(user, self.email)


class ManagedAccount(models.Model):
    """A trainee account a coach's roster made (for swimmers without email).

    The group's coaches may reset its password until the owner has taken it over (their own
    password and a confirmed address); must_change_password holds while the person still logs
    in with a one-time password a coach printed.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="managed_account",
        verbose_name=_("account"),
    )
    group = models.ForeignKey(
        TrainingGroup,
        on_delete=models.CASCADE,
        related_name="managed_accounts",
        verbose_name=_("group"),
    )
    roster_key = models.CharField(
        _("name on the roster"),
        max_length=150,
        help_text=_("The name as the coach typed it, folded, to spot the same swimmer again."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("made by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    must_change_password = models.BooleanField(_("must change password"), default=True)

    class Meta:
        ordering = ["group", "roster_key"]
        verbose_name = _("account made from a roster")
        verbose_name_plural = _("accounts made from a roster")
        indexes = [models.Index(fields=["group", "roster_key"])]

    def __str__(self):
        return gettext("%(user)s made for %(group)s") % {"user": self.user, "group": self.group}

    def is_taken_over(self):
        """The owner chose their own password and confirmed their own address: the account is
        theirs, and a forgotten password is reset through that address, not by a coach."""
        return not self.must_change_password and verification.is_verified(self.user)
