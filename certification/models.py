import calendar
import secrets
import uuid
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from certification import standard
from crampcourse.validators import validate_one_line, validate_text
from lessons.models import TranslatedContent
from lessons.translation import shown_value

# Days before expiry when a certificate counts as "expiring" and a refresher is assigned.
EXPIRY_WARNING_DAYS = 30


def generate_certificate_code():
    """About 128 random bits, URL-safe: printed on the certificate and in its QR code."""
    return secrets.token_urlsafe(16)


def add_months(moment, months):
    """The same day and time `months` later, on the month's last day if it is shorter.

    An aware moment is counted on the site's wall clock (TIME_ZONE), so a certificate issued
    on 1 March in Auckland runs to 1 March there, not to the UTC date (28 or 29 February)."""
    aware = timezone.is_aware(moment)
    local = timezone.localtime(moment) if aware else moment
    month_index = local.month - 1 + months
    year, month = local.year + month_index // 12, month_index % 12 + 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    moved = local.replace(year=year, month=month, day=day)
    # Re-read the offset: the same wall time may be in summer time on the other date.
    return timezone.make_aware(moved.replace(tzinfo=None), local.tzinfo) if aware else moved


class CertificationQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class Certification(TranslatedContent):
    """What a trainee must show to be certified, e.g. "Cramp-safe swimmer"."""

    slug = models.SlugField(_("slug"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    quizzes = models.ManyToManyField(
        "quizzes.Quiz",
        verbose_name=_("quizzes"),
        related_name="+",
        blank=True,
        help_text=_("Quizzes to pass, by each quiz's pass mark and must-pass questions."),
    )
    validity_months = models.PositiveSmallIntegerField(_("validity months"), default=12)
    refresher_quiz = models.ForeignKey(
        "quizzes.Quiz",
        verbose_name=_("refresher quiz"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Passed again (with a practical re-check) to renew before expiry."),
    )
    is_published = models.BooleanField(_("is published"), default=True)
    # The pass standard of the practical: every critical skill shown, and at least this many
    # of the other required skills (empty: all of them), as providers' assessment forms say.
    pass_min_others = models.PositiveSmallIntegerField(
        _("other skills needed"),
        null=True,
        blank=True,
        help_text=_(
            "How many of the required skills that are not critical must be shown as well as "
            "every critical one. Empty: all of them."
        ),
    )
    # Providers' rule: the practical that certifies is an assessment, run by an assessor in a
    # session that records where and in what water, not a coach's marks at practice.
    assessed_in_session = models.BooleanField(
        _("practical assessed in a session"),
        default=True,
        help_text=_(
            "The practical counts only when an assessor signs it off in an assessment session. "
            "Off: a coach's marks at practice certify (for a club's own badge)."
        ),
    )
    independent_assessor = models.BooleanField(
        _("assessor must not be the candidate's coach"),
        default=True,
        help_text=_("An assessor may not assess a swimmer in a group they coach."),
    )
    owner = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_certifications",
        help_text=_(
            "The federation or club whose certification this is. A federation's is issued in "
            "the federation's name; any other in the name of the club the trainee trained with."
        ),
    )
    loaded_hash = models.CharField(max_length=64, blank=True, editable=False)

    # Recertification rules (certification/renewal.py says how they combine) ---------------
    early_renewal_days = models.PositiveSmallIntegerField(
        _("early-renewal window (days)"),
        default=30,
        help_text=_(
            "The refresher is given this many days before expiry; renewed within them, the "
            "new term runs from the old expiry date, so the anniversary is kept."
        ),
    )
    grace_days = models.PositiveSmallIntegerField(
        _("grace period (days)"),
        default=30,
        help_text=_(
            "After expiry the refresher still renews for this many days (the new term runs "
            "from the day of renewal); after them the full course is needed. 0: no grace."
        ),
    )
    cpd_hours_required = models.DecimalField(
        _("CPD hours per validity period"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.5"))],
        help_text=_(
            "Hours of logged training a renewal needs, counted within the current validity "
            "period. Empty: no CPD rule."
        ),
    )

    objects = CertificationQuerySet.as_manager()

    translated_fields = ("title", "description")

    class Meta:
        ordering = ["title"]
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")

    def __str__(self):
        return self.title

    def shown_title(self):
        """The title in the reader's language (English where it is not translated)."""
        return shown_value(self, "title")

    # The admin's form checks the pass standard against the skills in its inline instead of
    # the saved ones (which the same save may be changing), and sets this to skip the check.
    skills_checked_by_form = False

    def clean(self):
        """The pass standard must be one the running skills can meet (standard.py)."""
        if self.pk is None or self.skills_checked_by_form:
            return
        items = list(self.items.active())
        problems = standard.standard_problems(items, self.pass_min_others)
        if problems:
            raise ValidationError({"pass_min_others": problems})


class PracticalItemQuerySet(models.QuerySet):
    def active(self):
        return self.filter(retired_at__isnull=True)

    def required(self):
        """The skills a certificate needs: running ones, not practised-only ones."""
        return self.active().filter(required=True)


class PracticalItem(TranslatedContent):
    """One thing a coach watches the trainee do at the pool.

    A skill whose wording a new edition changes is a new skill: the old one is retired, not
    renamed, so a mark given for what the trainee showed then never counts for something else.
    """

    certification = models.ForeignKey(
        Certification,
        verbose_name=_("certification"),
        on_delete=models.CASCADE,
        related_name="items",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.CharField(_("text"), max_length=300)
    # What the assessor must see for "shown": observable, one per line.
    criteria = models.TextField(
        _("what counts as shown"),
        blank=True,
        help_text=_("What the assessor must see, one observable point per line."),
    )
    critical = models.BooleanField(
        _("critical"),
        default=False,
        help_text=_("Must be shown for a pass, whatever else is shown."),
    )
    required = models.BooleanField(
        _("required"),
        default=True,
        help_text=_(
            "Needed for the certificate. A practised-only skill (the tuck-and-stretch) is "
            "recorded at the pool but never required."
        ),
    )
    retired_at = models.DateTimeField(
        _("retired at"),
        null=True,
        blank=True,
        help_text=_(
            "No longer part of the practical; its marks stay in the record but no longer count."
        ),
    )

    objects = PracticalItemQuerySet.as_manager()

    translated_fields = ("text", "criteria")

    class Meta:
        ordering = ["certification", "order", "pk"]
        verbose_name = _("practical item")
        verbose_name_plural = _("practical items")

    def __str__(self):
        return self.text

    def clean(self):
        if self.critical and not self.required:
            raise ValidationError(
                {
                    "critical": _(
                        "A practised-only skill cannot be critical: nothing that is not needed "
                        "for the certificate can decide it."
                    )
                }
            )


class Water(models.TextChoices):
    POOL = "pool", _("Pool")
    OPEN_WATER = "open_water", _("Open water")


class AssessmentSessionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(closed_at__isnull=True)


class AssessmentSession(models.Model):
    """An assessor's practical assessment of a group's swimmers on one day, at one place, in
    recorded conditions. Every session is kept: a swimmer not yet competent is reassessed in a
    later one. Coaches' practice marks belong to no session."""

    certification = models.ForeignKey(
        Certification,
        verbose_name=_("certification"),
        on_delete=models.PROTECT,
        related_name="assessment_sessions",
    )
    group = models.ForeignKey(
        "training.TrainingGroup",
        verbose_name=_("group"),
        on_delete=models.PROTECT,
        related_name="assessment_sessions",
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessor"),
        on_delete=models.PROTECT,
        related_name="assessment_sessions",
    )
    held_on = models.DateField(_("date"))
    venue = models.CharField(_("venue"), max_length=200, validators=[validate_one_line])
    water = models.CharField(_("water"), max_length=20, choices=Water.choices)
    depth_m = models.DecimalField(
        _("depth at the spot (m)"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(99)],
    )
    conditions_note = models.TextField(
        _("conditions"),
        blank=True,
        max_length=1000,
        validators=[validate_text],
        help_text=_("Water temperature, waves, visibility: what made it easier or harder."),
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    objects = AssessmentSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("assessment session")
        verbose_name_plural = _("assessment sessions")

    def __str__(self):
        return f"{self.certification} · {self.group} · {self.held_on:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("certification:assessment", args=[self.pk])

    @property
    def is_open(self):
        return self.closed_at is None


class AssessmentResult(models.Model):
    """A swimmer's outcome in one session against the pass standard, decided once when the
    assessor finishes them: what was shown and by whom stays as it was then."""

    session = models.ForeignKey(
        AssessmentSession,
        verbose_name=_("session"),
        on_delete=models.PROTECT,
        related_name="results",
    )
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainee"),
        on_delete=models.CASCADE,
        related_name="assessment_results",
    )
    passed = models.BooleanField(_("competent"))
    summary = models.CharField(_("outcome"), max_length=300)
    decided_at = models.DateTimeField(_("decided"), default=timezone.now)

    class Meta:
        ordering = ["-decided_at", "-pk"]
        verbose_name = _("assessment result")
        verbose_name_plural = _("assessment results")
        constraints = [
            # "Computed once": two devices finishing a swimmer at once make one result.
            models.UniqueConstraint(fields=["session", "trainee"], name="one_result_per_session")
        ]

    def __str__(self):
        return f"{self.trainee}: {self.summary}"


class MarkResult(models.TextChoices):
    SHOWN = "shown", _("Shown")
    NEEDS_PRACTICE = "needs_practice", _("Needs practice")
    UNDO = "undo", _("Undo")  # takes back the latest mark on the same trainee and item


class PracticalMark(models.Model):
    """A coach's mark at the pool. Marks are never edited: an undo is a mark of its own, so
    the record shows what happened. `key` comes from the page, so a mark resent after the
    network dropped is stored once."""

    key = models.UUIDField(_("key"), unique=True, default=uuid.uuid4, editable=False)
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainee"),
        on_delete=models.CASCADE,
        related_name="practical_marks",
    )
    item = models.ForeignKey(
        PracticalItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="marks"
    )
    group = models.ForeignKey(
        "training.TrainingGroup",
        verbose_name=_("group"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    # Set on an assessor's marks in an assessment session; practice marks have none.
    session = models.ForeignKey(
        AssessmentSession,
        verbose_name=_("session"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="marks",
    )
    result = models.CharField(_("result"), max_length=20, choices=MarkResult.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coach"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    marked_at = models.DateTimeField(
        _("marked at"), default=timezone.now, help_text=_("When the coach tapped it.")
    )
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        ordering = ["marked_at", "pk"]
        verbose_name = _("practical mark")
        verbose_name_plural = _("practical marks")
        indexes = [models.Index(fields=["trainee", "item"])]

    def __str__(self):
        return f"{self.get_result_display()}: {self.item} ({self.trainee})"


class CertificateState(models.TextChoices):
    VALID = "valid", _("Valid")
    EXPIRING = "expiring", _("Expires within 30 days")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")
    SUPERSEDED = "superseded", _("Superseded")
    SUSPENDED = "suspended", _("Suspended")
    # The empty cell of a dashboard column: the trainee holds no certificate.
    NONE = "none", pgettext_lazy("certificate state", "None")


def certificate_state(valid_until, revoked_at, now):
    """valid, expiring (within 30 days), expired or revoked."""
    if revoked_at is not None:
        return CertificateState.REVOKED
    if valid_until <= now:
        return CertificateState.EXPIRED
    if valid_until <= now + timedelta(days=EXPIRY_WARNING_DAYS):
        return CertificateState.EXPIRING
    return CertificateState.VALID


def certificate_number(certificate):
    """ "CC-2026-000123": the year of issue and the row's number, for people to quote."""
    year = timezone.localtime(certificate.issued_at).year
    return f"CC-{year}-{certificate.pk:06d}"


class CertificateQuerySet(models.QuerySet):
    def current(self):
        """Not replaced by a reissue (revoked ones included): one per trainee and
        certification."""
        return self.filter(superseded_at__isnull=True)

    def active(self):
        """In force: neither revoked nor superseded (expired ones included)."""
        return self.filter(revoked_at__isnull=True, superseded_at__isnull=True)

    def expiring_by(self, moment):
        return self.active().filter(valid_until__lte=moment)


class Certificate(models.Model):
    """One current per trainee and certification: renewals move valid_until, a reissue
    supersedes it with a new one, the events keep history.

    What it states is frozen at issue (holder_name to practical_at): the paper, /verify/ and
    the lists read these, never the live user, certification or marks, so a rename or a new
    edition does not change a certificate already issued. A name change is a reissue.
    """

    certification = models.ForeignKey(
        Certification,
        verbose_name=_("certification"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainee"),
        on_delete=models.CASCADE,
        related_name="certificates",
    )
    code = models.CharField(
        _("code"), max_length=32, unique=True, default=generate_certificate_code, editable=False
    )
    # Set by the issuer rule (certification.services.certificate_issuer) on issue and renewal;
    # empty only on a certificate issued before issuers were recorded and not yet migrated.
    issuer = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issued_certificates",
    )
    # "CC-2026-000123" (certificate_number), set in the transaction that makes the row: what
    # people quote. The code stays the secret that the QR carries.
    number = models.CharField(
        _("number"), max_length=20, unique=True, null=True, blank=True, editable=False
    )
    # What it states, frozen at issue.
    holder_name = models.CharField(_("holder's name as issued"), max_length=300, blank=True)
    certification_title = models.CharField(_("certification as issued"), max_length=200)
    issuer_name = models.CharField(_("issuer as issued"), max_length=200, blank=True)
    issuer_federation_name = models.CharField(
        _("issuer's federation as issued"), max_length=200, blank=True
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    assessor_name = models.CharField(_("assessor as issued"), max_length=300, blank=True)
    theory_percent = models.DecimalField(
        _("theory result (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    theory_passed_at = models.DateTimeField(_("theory passed on"), null=True, blank=True)
    practical_at = models.DateTimeField(_("practical shown on"), null=True, blank=True)
    assessed = models.JSONField(
        _("skills assessed"), default=list, blank=True, help_text=_("As worded at issue.")
    )
    issued_at = models.DateTimeField(_("issued at"))
    valid_until = models.DateTimeField(_("valid until"))
    renewed_at = models.DateTimeField(_("renewed at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.TextField(_("revoked reason"), blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Suspended for now (an inquiry, say): not in force, and not renewed, until reinstated.
    # Revoked and superseded win over it; the events keep every suspension and reinstatement.
    suspended_at = models.DateTimeField(_("suspended on"), null=True, blank=True)
    suspended_reason = models.TextField(_("why it is suspended"), blank=True)
    # A regrade turned a pass it rests on into a fail: the trainee keeps the certificate (the
    # public check still says valid) until a coach or admin has looked at it.
    flagged_for_review = models.BooleanField(_("flagged for review"), default=False)
    flagged_at = models.DateTimeField(_("flagged on"), null=True, blank=True)
    flag_reason = models.TextField(_("why it was flagged"), blank=True)
    # Replaced by a reissue (a new name, say): it still verifies, as superseded by the new one.
    superseded_at = models.DateTimeField(_("superseded on"), null=True, blank=True)
    superseded_by = models.ForeignKey(
        "self",
        verbose_name=_("superseded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaced",
    )

    objects = CertificateQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            # The guard that makes "issued exactly once" hold under concurrent requests; the
            # certificates a reissue replaced stay beside the current one.
            models.UniqueConstraint(
                fields=["certification", "trainee"],
                condition=models.Q(superseded_at__isnull=True),
                name="one_current_certificate_per_trainee",
            )
        ]

    def __str__(self):
        return f"{self.number or self.certification_title}: {self.holder_name}"

    def get_absolute_url(self):
        return reverse("verify_certificate", args=[self.code])

    def shown_title(self):
        """The certification's title in the reader's language while it is still the title the
        certificate was issued under; the title as issued once the certification is renamed
        (the paper and the public check keep what was issued)."""
        if self.certification_title == self.certification.title:
            return shown_value(self.certification, "title")
        return self.certification_title

    def state(self, now=None):
        if self.superseded_at is not None and self.revoked_at is None:
            return CertificateState.SUPERSEDED
        if self.suspended_at is not None and self.revoked_at is None:
            return CertificateState.SUSPENDED
        return certificate_state(self.valid_until, self.revoked_at, now or timezone.now())

    def public_state(self, now=None):
        """What the verification page says: valid, expired, revoked, superseded or suspended."""
        state = self.state(now)
        return CertificateState.VALID if state == CertificateState.EXPIRING else state


class EventKind(models.TextChoices):
    ISSUED = "issued", _("Issued")
    RENEWED = "renewed", _("Renewed")
    REVOKED = "revoked", _("Revoked")
    REFRESHER = "refresher", _("Refresher assigned")
    FLAGGED = "flagged", _("Flagged for review")
    FLAG_CLEARED = "flag_cleared", _("Review flag cleared")
    SUPERSEDED = "superseded", _("Superseded by a reissue")
    REISSUED = "reissued", _("Reissued")
    SUSPENDED = "suspended", _("Suspended")
    REINSTATED = "reinstated", _("Reinstated")


class CertificateEvent(models.Model):
    """The audit trail: every issue, renewal, revocation and refresher."""

    certificate = models.ForeignKey(
        Certificate, verbose_name=_("certificate"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    at = models.DateTimeField(_("at"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("certificate event")
        verbose_name_plural = _("certificate events")

    def __str__(self):
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d}"


class Refresher(models.Model):
    """Re-certification work given before a certificate runs out: the refresher quiz and a
    practical re-check, both done after `assigned_at`. One per expiry date."""

    certificate = models.ForeignKey(
        Certificate,
        verbose_name=_("certificate"),
        on_delete=models.CASCADE,
        related_name="refreshers",
    )
    expiring_on = models.DateTimeField(_("expiring on"))
    assigned_at = models.DateTimeField(_("assigned at"))
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        ordering = ["-assigned_at"]
        verbose_name = _("refresher")
        verbose_name_plural = _("refreshers")
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "expiring_on"], name="one_refresher_per_expiry"
            )
        ]

    def __str__(self):
        return f"Refresher for {self.certificate}"


class ReminderPreference(models.Model):
    """A trainee's choice about reminder mail; no row means reminders are on."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="reminder_preference",
    )
    email_reminders = models.BooleanField(_("Send me reminders by email"), default=True)

    class Meta:
        verbose_name = _("reminder preference")
        verbose_name_plural = _("reminder preferences")

    def __str__(self):
        return f"{self.user}: reminders {'on' if self.email_reminders else 'off'}"


class SentReminder(models.Model):
    """One row per reminder sent. The unique key is claimed before the mail goes, so two
    servers running send_reminders at once send each reminder once."""

    key = models.CharField(_("key"), max_length=200, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="sent_reminders",
    )
    kind = models.CharField(_("kind"), max_length=20)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("sent reminder")
        verbose_name_plural = _("sent reminders")

    def __str__(self):
        return self.key


# Continuing professional development (renewal.py, cpd.py) -----------------------------------

# One entry is at most a day's training: more is a typing slip (40 for 4.0), refused.
CPD_MAX_HOURS = Decimal(24)


class CPDKind(models.TextChoices):
    ONLINE_REFRESHER = "online_refresher", _("Online refresher")
    COURSE_QUIZ = "course_quiz", _("Course quiz")
    POOL_SESSION = "pool_session", _("Pool session")


class CPDEntryQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def pending(self):
        return self.filter(confirmed_at__isnull=True)


class CPDEntry(models.Model):
    """Hours of training towards a certification's CPD rule. Quizzes log themselves,
    confirmed at once (one entry per attempt); a pool session is entered by a coach and
    counts once its trainee has confirmed it."""

    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainee"),
        on_delete=models.CASCADE,
        related_name="cpd_entries",
    )
    certification = models.ForeignKey(
        Certification,
        verbose_name=_("certification"),
        on_delete=models.CASCADE,
        related_name="cpd_entries",
    )
    hours = models.DecimalField(
        _("hours"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(CPD_MAX_HOURS)],
    )
    what = models.CharField(_("what was done"), max_length=200, validators=[validate_one_line])
    kind = models.CharField(_("kind"), max_length=20, choices=CPDKind.choices)
    done_on = models.DateField(_("done on"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("entered on"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed on"), null=True, blank=True)
    source_attempt = models.OneToOneField(
        "quizzes.Attempt",
        verbose_name=_("from attempt"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = CPDEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-done_on", "-pk"]
        verbose_name = _("CPD entry")
        verbose_name_plural = _("CPD entries")
        indexes = [models.Index(fields=["trainee", "certification", "done_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours__gt=0, hours__lte=CPD_MAX_HOURS),
                name="cpd_hours_within_a_day",
            )
        ]

    def __str__(self):
        return f"{self.hours} h {self.what} ({self.trainee}, {self.done_on})"


# Open Badges 3.0 (certification/openbadges) --------------------------------------------------


class IssuerKeyQuerySet(models.QuerySet):
    def active(self):
        return self.filter(retired_at__isnull=True)


class IssuerKey(models.Model):
    """An issuing organisation's signing key (P-256, ES256). The private half is kept encrypted with
    settings.OPENBADGES_KEY_SECRET; a retired key signs nothing new but stays published, so the
    credentials it signed still verify."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="badge_keys",
    )
    # The fragment of its id in the site's DID document: did:web:<host>#<key_id>.
    key_id = models.CharField(_("key id"), max_length=80, unique=True)
    public_jwk = models.JSONField(_("public jwk"))
    private_key_encrypted = models.BinaryField(_("private key encrypted"), editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)

    objects = IssuerKeyQuerySet.as_manager()

    class Meta:
        ordering = ["organisation", "created_at", "pk"]
        verbose_name = _("Open Badges signing key")
        verbose_name_plural = _("Open Badges signing keys")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=models.Q(retired_at__isnull=True),
                name="one_active_badge_key_per_issuer",
            )
        ]

    def __str__(self):
        return self.key_id


class BadgeCredential(models.Model):
    """An Open Badges credential issued for a certificate, as signed. A renewal (a new
    validUntil) issues a new one; the earlier one still verifies until it runs out."""

    certificate = models.ForeignKey(
        Certificate,
        verbose_name=_("certificate"),
        on_delete=models.CASCADE,
        related_name="badge_credentials",
    )
    credential_id = models.UUIDField(
        _("credential id"), unique=True, default=uuid.uuid4, editable=False
    )
    issuer = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("issuer"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    key = models.ForeignKey(
        IssuerKey,
        verbose_name=_("key"),
        on_delete=models.PROTECT,
        related_name="credentials",
    )
    # Its place in the issuer's revocation list, drawn at random so the place says nothing.
    status_index = models.PositiveIntegerField(_("status index"))
    valid_until = models.DateTimeField(_("valid until"))
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    document = models.JSONField(_("document"))
    jwt = models.TextField(_("jwt"))

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("badge credential")
        verbose_name_plural = _("badge credentials")
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "status_index"], name="one_credential_per_status_index"
            ),
        ]

    def __str__(self):
        return f"urn:uuid:{self.credential_id}"
