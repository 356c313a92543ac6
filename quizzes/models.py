import re
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crampcourse.addresses import reverse_remembered
from crampcourse.validators import validate_one_line, validate_text
from lessons.models import Lesson, TranslatedContent
from lessons.translation import shown_value
from quizzes.text_formats import render_text


class GradingMethod(models.TextChoices):
    HIGHEST = "highest", _("Highest grade")
    AVERAGE = "average", _("Average grade")
    FIRST = "first", _("First attempt")
    LAST = "last", _("Last attempt")


class QuestionType(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple response")
    TRUE_FALSE = "truefalse", _("True / false")
    ORDERING = "ordering", _("Ordering")
    MATCHING = "matching", _("Matching")
    NUMERICAL = "numerical", _("Numerical")
    SHORT_ANSWER = "shortanswer", _("Short answer")


class ReviewWhen(models.TextChoices):
    """When a part of a finished attempt's review is shown to the trainee who made it.

    Coaches of the trainee's groups and admins always see everything."""

    ALWAYS = "always", _("After every attempt")
    WHEN_DONE = "when_done", _("Once passed or out of attempts")
    AFTER_CLOSE = "after_close", _("After the quiz closes")
    NEVER = "never", _("Never")


def _review_field(label, help_text):
    return models.CharField(
        label,
        max_length=12,
        choices=ReviewWhen.choices,
        default=ReviewWhen.ALWAYS,
        help_text=help_text,
    )


class TextFormat(models.TextChoices):
    """Moodle's text formats; quizzes/text_formats.py renders each as Moodle does, sanitised."""

    MARKDOWN = "markdown", "Markdown"
    HTML = "html", "HTML"
    PLAIN = "plain", _("Plain text")
    MOODLE = "moodle", _("Moodle auto-format")


class QuizQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def visible_to(self, user):
        return self if user.is_staff else self.published()


class Quiz(TranslatedContent):
    slug = models.SlugField(_("slug"), unique=True)
    title = models.CharField(_("title"), max_length=200, validators=[validate_one_line])
    description = models.TextField(_("description"), blank=True, validators=[validate_text])
    lesson = models.ForeignKey(
        Lesson,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="quizzes",
        verbose_name=_("lesson"),
        help_text=_("The lesson this quiz follows."),
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    is_published = models.BooleanField(_("published"), default=True)

    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark"),
        default=70,
        validators=[MaxValueValidator(100)],
        help_text=_("Percent needed to pass."),
    )
    attempts_allowed = models.PositiveSmallIntegerField(
        _("attempts allowed"),
        null=True,
        blank=True,
        help_text=_("Leave empty for unlimited attempts."),
    )
    grading_method = models.CharField(
        _("grading method"),
        max_length=10,
        choices=GradingMethod.choices,
        default=GradingMethod.HIGHEST,
    )
    time_limit_minutes = models.PositiveSmallIntegerField(
        _("time limit minutes"),
        null=True,
        blank=True,
        help_text=_("Leave empty for no time limit."),
    )
    opens_at = models.DateTimeField(_("opens at"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=False)
    shuffle_options = models.BooleanField(_("shuffle options"), default=True)
    draw_count = models.PositiveSmallIntegerField(
        _("draw count"),
        null=True,
        blank=True,
        help_text=_(
            "Draw this many random questions from the pool for each attempt; empty uses them all."
        ),
    )
    questions_per_page = models.PositiveSmallIntegerField(
        _("questions per page"), default=5, validators=[MinValueValidator(1)]
    )
    # What the review shows the trainee, and from when (quizzes/review.py decides).
    review_answers = _review_field(
        _("the trainee's answers"), _("Their own answer under each question.")
    )
    review_marks = _review_field(
        _("marks per question"), _("Right, partly right or wrong, and the points, per question.")
    )
    review_correct_answers = _review_field(
        _("right answers"), _("The full-marks answer under each question.")
    )
    review_explanations = _review_field(
        _("explanations"), _("Each question's explanation, feedback and hints.")
    )
    review_overall_feedback = _review_field(
        _("overall feedback"), _("The feedback band the score reaches.")
    )

    source_hash = models.CharField(max_length=64, blank=True, editable=False)
    loaded_hash = models.CharField(max_length=64, blank=True, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = QuizQuerySet.as_manager()

    translated_fields = ("title", "description")

    class Meta:
        ordering = ["order", "title"]
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse_remembered("quizzes:quiz_detail", [self.slug])

    def is_open(self, now=None):
        now = now or timezone.now()
        return (self.opens_at is None or self.opens_at <= now) and (
            self.closes_at is None or now < self.closes_at
        )

    def feedback_for(self, percent, *, passed=True, pass_mark=None):
        """The overall feedback of the highest band the percent reaches.

        A failed attempt (a must-pass question wrong at 93%, say) only gets a band below the
        pass mark: a band at or above it congratulates, which would contradict "Not passed".
        """
        pass_mark = self.pass_mark if pass_mark is None else pass_mark
        for band in self.feedback_bands.all():
            if not passed and band.min_percent >= pass_mark:
                continue
            if percent >= band.min_percent:
                return shown_value(band, "text")
        return ""


class FeedbackBand(TranslatedContent):
    """Overall feedback shown to trainees whose score reaches min_percent."""

    quiz = models.ForeignKey(
        Quiz, on_delete=models.CASCADE, related_name="feedback_bands", verbose_name=_("quiz")
    )
    min_percent = models.PositiveSmallIntegerField(
        _("min percent"), validators=[MaxValueValidator(100)]
    )
    text = models.TextField(_("text"))

    translated_fields = ("text",)

    class Meta:
        ordering = ["quiz", "-min_percent"]
        verbose_name = _("feedback band")
        verbose_name_plural = _("feedback bands")
        constraints = [
            models.UniqueConstraint(fields=["quiz", "min_percent"], name="one_band_per_threshold")
        ]

    def __str__(self):
        return f"{self.min_percent}%+"


def validate_hints(value):
    if not isinstance(value, list) or not all(isinstance(hint, str) for hint in value):
        raise ValidationError(_('Write the hints as a list of texts: ["First hint", "Second"].'))


class Question(TranslatedContent):
    quiz = models.ForeignKey(
        Quiz, on_delete=models.CASCADE, related_name="questions", verbose_name=_("quiz")
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    type = models.CharField(_("type"), max_length=12, choices=QuestionType.choices)
    name = models.CharField(
        _("name"),
        max_length=200,
        blank=True,
        validators=[validate_one_line],
        help_text=_("Short name for lists and item analysis."),
    )
    text = models.TextField(
        _("text"),
        validators=[validate_text],
        help_text=_(
            "In the text format below. Five underscores (_____) mark the blank of a "
            "missing-word question: the answer is given there."
        ),
    )
    text_format = models.CharField(
        _("written in"),
        max_length=10,
        choices=TextFormat.choices,
        default=TextFormat.MARKDOWN,
        help_text=_("How the text, explanation, combined feedback and hints are written."),
    )
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2, default=1)
    must_pass = models.BooleanField(
        _("must pass"),
        default=False,
        help_text=_("The quiz is failed unless this question is answered fully right."),
    )
    explanation = models.TextField(
        _("explanation"), blank=True, help_text=_("Shown in the review.")
    )
    lesson = models.ForeignKey(
        Lesson,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lesson"),
        help_text=_("The lesson the explanation points back to."),
    )
    unit = models.CharField(
        _("unit"), max_length=20, blank=True, help_text=_("Numerical questions only.")
    )
    # Moodle's combined feedback and hints, shown in the review and kept for export.
    correct_feedback = models.TextField(
        _("correct feedback"), blank=True, help_text=_("Shown when fully right.")
    )
    partly_correct_feedback = models.TextField(
        _("partly correct feedback"), blank=True, help_text=_("Shown when partly right.")
    )
    incorrect_feedback = models.TextField(
        _("incorrect feedback"), blank=True, help_text=_("Shown when wrong.")
    )
    hints = models.JSONField(
        _("hints"),
        default=list,
        blank=True,
        validators=[validate_hints],
        help_text=_('A list of texts, e.g. ["Think of the calf."]'),
    )
    category = models.CharField(
        _("category"),
        max_length=1000,
        blank=True,
        help_text=_(
            "Moodle question-bank category, e.g. $course$/top/Cramp safety; kept for export."
        ),
    )

    # A translation of a must-pass question also carries reviewed_on (YYYY-MM-DD); without it
    # the question is shown in English (quizzes/translation.py).
    translated_fields = (
        "text", "explanation", "correct_feedback", "partly_correct_feedback",
        "incorrect_feedback", "hints",
    )  # fmt: skip

    class Meta:
        ordering = ["quiz", "order", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        return self.name or self.text[:80]

    def clean(self):
        if self.hints is None:  # an emptied hints box in the admin means no hints
            self.hints = []


_IMAGE_FILE = re.compile(r"[0-9a-f]{64}\.(?:png|jpeg|gif|webp)")


def validate_option_images(value):
    """An option's images: [{"file": "<sha256>.png", "alt": "what it shows"}, ...], each file
    one stored QuestionImage (quizzes/media.py names them)."""
    message = _(
        'Write the images as a list like [{"file": "<SHA-256>.png", "alt": "What it shows"}].'
    )
    if not isinstance(value, list):
        raise ValidationError(message, code="invalid")
    for entry in value:
        if (
            not isinstance(entry, dict)
            or set(entry) != {"file", "alt"}
            or not isinstance(entry["file"], str)
            or not _IMAGE_FILE.fullmatch(entry["file"])
            or not isinstance(entry["alt"], str)
            or len(entry["alt"]) > 300
        ):
            raise ValidationError(message, code="invalid")
        validate_one_line(entry["alt"])


class Option(TranslatedContent):
    """One option, ordering item, matching pair or accepted answer of a question.

    How the fields are used by type:
    - single, true/false, multiple: text, weight (percent of the question's points).
    - ordering: text; order is the right position.
    - matching: text is the item, match_text its answer; an empty text makes match_text a
      distractor (as in Moodle).
    - numerical: value and tolerance, weight; short answer: text is an accepted answer, weight.
    """

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="options", verbose_name=_("question")
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    text = models.TextField(_("text"), blank=True)
    match_text = models.CharField(_("match text"), max_length=300, blank=True)
    weight = models.DecimalField(
        _("weight"),
        max_digits=9,
        decimal_places=5,
        default=0,
        validators=[MinValueValidator(-100), MaxValueValidator(100)],
        help_text=_(
            "Percent of the question's points, one of Moodle's grades (33.33333 for a "
            "third); negative costs marks."
        ),
    )
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=4, null=True, blank=True)
    tolerance = models.DecimalField(
        _("tolerance"),
        max_digits=14,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    feedback = models.TextField(_("feedback"), blank=True)
    # Images from a Moodle bank, shown with the option (on the attempt page) and with its
    # feedback (in the review, when the review shows feedback); stored as QuestionImage rows.
    images = models.JSONField(
        _("images"), default=list, blank=True, validators=[validate_option_images]
    )
    feedback_images = models.JSONField(
        _("feedback images"), default=list, blank=True, validators=[validate_option_images]
    )

    translated_fields = ("text", "match_text", "feedback")

    class Meta:
        ordering = ["question", "order", "pk"]
        verbose_name = _("option")
        verbose_name_plural = _("options")

    def __str__(self):
        return self.text or self.match_text or str(self.value)


class QuizSlot(models.Model):
    """One place in a quiz: a fixed question, or questions drawn from a category per attempt.

    A quiz with slots asks exactly what its slots say (Moodle's quiz structure); a quiz without
    any asks all its questions (or draw_count of them). A drawn slot's points and must-pass
    apply to whatever it draws; the pool is the quiz's questions of that category that no
    fixed slot uses.
    """

    quiz = models.ForeignKey(
        Quiz, on_delete=models.CASCADE, related_name="slots", verbose_name=_("quiz")
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    question = models.ForeignKey(
        Question,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("question"),
        help_text=_("A fixed question: every attempt asks it."),
    )
    category = models.CharField(
        _("category"),
        max_length=1000,
        blank=True,
        help_text=_("Or draw from the quiz's questions of this category."),
    )
    draw = models.PositiveSmallIntegerField(
        _("draw"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("How many questions a drawn slot asks."),
    )
    points = models.DecimalField(
        _("points"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Points of each question asked here; empty: the question's own."),
    )
    must_pass = models.BooleanField(
        _("must pass"),
        default=False,
        help_text=_("Whatever this slot asks must be answered fully right to pass."),
    )

    class Meta:
        ordering = ["quiz", "order", "pk"]
        verbose_name = _("quiz slot")
        verbose_name_plural = _("quiz slots")
        constraints = [
            models.CheckConstraint(
                condition=(Q(question__isnull=False) & Q(category=""))
                | (Q(question__isnull=True) & ~Q(category="")),
                name="slot_is_fixed_or_drawn",
            )
        ]

    def __str__(self):
        if self.question_id:
            return str(self.question)
        return _("%(count)s from %(category)s") % {"count": self.draw, "category": self.category}

    @property
    def is_drawn(self):
        return not self.question_id


class QuestionVersion(models.Model):
    """A frozen copy of a question as attempts saw it.

    Attempts score and review from this copy, so editing or deleting the question later
    never changes a finished attempt (as Moodle keeps question versions).
    """

    question = models.ForeignKey(
        Question,
        on_delete=models.SET_NULL,
        null=True,
        related_name="versions",
        verbose_name=_("question"),
    )
    content_hash = models.CharField(_("content hash"), max_length=64)
    data = models.JSONField(_("data"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("question version")
        verbose_name_plural = _("question versions")
        constraints = [
            models.UniqueConstraint(
                fields=["question", "content_hash"], name="one_version_per_content"
            )
        ]

    def __str__(self):
        return (
            f"{self.data.get('name') or self.data.get('text', '')[:60]} ({self.content_hash[:8]})"
        )

    @property
    def type(self):
        return self.data["type"]

    @property
    def text_html(self):
        return render_text(self.data["text"], self.data.get("text_format", TextFormat.MARKDOWN))

    @property
    def explanation_html(self):
        return render_text(
            self.data.get("explanation", ""), self.data.get("text_format", TextFormat.MARKDOWN)
        )


class QuestionImage(models.Model):
    """An image imported with a question bank, kept in the database and served by the app.

    Named by the SHA-256 of its bytes, so the same image imported twice is stored once and its
    address never changes (it can be cached for good). Only PNG, JPEG, GIF and WebP whose bytes
    Pillow has checked are kept (quizzes/media.py).
    """

    sha256 = models.CharField(max_length=64, unique=True)
    name = models.CharField(
        _("name"), max_length=100, help_text=_("The file name it had in Moodle.")
    )
    content_type = models.CharField(_("content type"), max_length=20)
    data = models.BinaryField(_("data"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("question image")
        verbose_name_plural = _("question images")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("quizzes:question_image", args=[self.file_name])

    @property
    def file_name(self):
        return f"{self.sha256}.{self.content_type.split('/')[1]}"


class AttemptState(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    FINISHED = "finished", _("Finished")


class AttemptQuerySet(models.QuerySet):
    def finished(self):
        return self.filter(state=AttemptState.FINISHED)

    def in_progress(self):
        return self.filter(state=AttemptState.IN_PROGRESS)

    def of(self, trainee):
        return self.filter(trainee=trainee)

    def past_deadline(self, now):
        return self.in_progress().filter(deadline__isnull=False, deadline__lt=now)


class Attempt(models.Model):
    quiz = models.ForeignKey(
        Quiz, on_delete=models.PROTECT, related_name="attempts", verbose_name=_("quiz")
    )
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="attempts",
        verbose_name=_("trainee"),
    )
    number = models.PositiveSmallIntegerField(_("number"))
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=AttemptState.choices,
        default=AttemptState.IN_PROGRESS,
    )
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    timed_out = models.BooleanField(
        _("timed out"), default=False, help_text=_("Finished by the server when time ran out.")
    )
    score = models.DecimalField(_("score"), max_digits=8, decimal_places=2, null=True, blank=True)
    max_score = models.DecimalField(_("max score"), max_digits=8, decimal_places=2, default=0)
    percent = models.DecimalField(
        _("percent"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    passed = models.BooleanField(_("passed"), null=True)
    must_pass_met = models.BooleanField(
        _("must pass met"),
        null=True,
        help_text=_("Every must-pass question answered fully right."),
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark"), help_text=_("The quiz's pass mark when the attempt started.")
    )
    # Where the trainee last was, so another device (or tomorrow) resumes there.
    last_page = models.PositiveSmallIntegerField(_("last page"), default=1)

    objects = AttemptQuerySet.as_manager()

    class Meta:
        ordering = ["quiz", "trainee", "number"]
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        constraints = [
            # Two tabs starting the same quiz at once get one open attempt between them.
            models.UniqueConstraint(
                fields=["quiz", "trainee"],
                condition=Q(state="in_progress"),
                name="one_open_attempt_per_quiz",
            ),
            models.UniqueConstraint(
                fields=["quiz", "trainee", "number"], name="attempt_numbers_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["trainee", "quiz", "state"]),
            models.Index(fields=["state", "deadline"]),
        ]

    def __str__(self):
        return f"{self.trainee} – {self.quiz} #{self.number}"

    def get_absolute_url(self):
        if self.is_finished:
            return reverse("quizzes:attempt_result", args=[self.pk])
        return reverse("quizzes:attempt_page", args=[self.pk])

    @property
    def is_finished(self):
        return self.state == AttemptState.FINISHED

    def accepts_answers_at(self, now):
        """Answers count until the deadline plus a short grace for slow phone connections."""
        if self.is_finished:
            return False
        if self.deadline is None:
            return True
        grace = timedelta(seconds=settings.QUIZ_DEADLINE_GRACE_SECONDS)
        return now <= self.deadline + grace

    @property
    def time_taken(self):
        return (self.finished_at - self.started_at) if self.finished_at else None


class AttemptQuestion(models.Model):
    """A question as placed in one attempt: its version, layout, the answer and its score."""

    attempt = models.ForeignKey(
        Attempt, on_delete=models.CASCADE, related_name="slots", verbose_name=_("attempt")
    )
    version = models.ForeignKey(
        QuestionVersion,
        on_delete=models.PROTECT,
        related_name="slots",
        verbose_name=_("question version"),
    )
    position = models.PositiveSmallIntegerField(_("position"))
    # Option keys in the order this attempt shows them, fixed when the attempt starts.
    layout = models.JSONField(_("layout"), default=dict)
    response = models.JSONField(_("response"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    fraction = models.DecimalField(
        _("fraction"), max_digits=5, decimal_places=4, null=True, blank=True
    )
    score = models.DecimalField(_("score"), max_digits=8, decimal_places=2, null=True, blank=True)
    flagged = models.BooleanField(
        _("flagged"),
        default=False,
        help_text=_("The trainee marked it to look at again before submitting."),
    )
    # The quiz slot (1-based) this question was drawn for, so statistics can compare the
    # variants of one slot; empty for quizzes without slots.
    slot_number = models.PositiveSmallIntegerField(_("slot number"), null=True, blank=True)

    class Meta:
        # attempt_id, not attempt: ordering by the relation would join every attempt (and its
        # quiz) to sort by their own orderings, on every read of a few slots.
        ordering = ["attempt_id", "position"]
        verbose_name = _("attempt question")
        verbose_name_plural = _("attempt questions")
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="one_slot_per_position")
        ]

    def __str__(self):
        return f"{self.attempt} Q{self.position}"

    @property
    def points(self):
        return Decimal(self.version.data["points"])

    @property
    def is_fully_right(self):
        return self.fraction is not None and self.fraction >= 1


class Regrade(models.Model):
    """One regrade of a quiz's finished attempts, after a question was corrected."""

    quiz = models.ForeignKey(
        Quiz, on_delete=models.CASCADE, related_name="regrades", verbose_name=_("quiz")
    )
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("done by"),
    )
    done_at = models.DateTimeField(_("done at"), default=timezone.now)
    reason = models.TextField(_("reason"), help_text=_("Why: what was wrong with the question."))
    use_latest_versions = models.BooleanField(
        _("use latest versions"),
        default=False,
        help_text=_("Score every attempt on the questions as they are now, not as answered."),
    )

    class Meta:
        ordering = ["-done_at", "-pk"]
        verbose_name = _("regrade")
        verbose_name_plural = _("regrades")

    def __str__(self):
        return f"{self.quiz} {self.done_at:%Y-%m-%d %H:%M}"


class RegradeChange(models.Model):
    """An attempt whose score or result a regrade changed: the audit trail, old and new."""

    regrade = models.ForeignKey(
        Regrade, on_delete=models.CASCADE, related_name="changes", verbose_name=_("regrade")
    )
    attempt = models.ForeignKey(
        Attempt, on_delete=models.CASCADE, related_name="regrades", verbose_name=_("attempt")
    )
    old_score = models.DecimalField(_("old score"), max_digits=8, decimal_places=2)
    new_score = models.DecimalField(_("new score"), max_digits=8, decimal_places=2)
    old_percent = models.DecimalField(_("old percent"), max_digits=5, decimal_places=2)
    new_percent = models.DecimalField(_("new percent"), max_digits=5, decimal_places=2)
    old_passed = models.BooleanField(_("old passed"))
    new_passed = models.BooleanField(_("new passed"))

    class Meta:
        ordering = ["regrade", "attempt_id"]
        verbose_name = _("regrade change")
        verbose_name_plural = _("regrade changes")
        constraints = [
            models.UniqueConstraint(fields=["regrade", "attempt"], name="one_change_per_attempt")
        ]

    def __str__(self):
        return f"{self.attempt}: {self.old_percent}% → {self.new_percent}%"
