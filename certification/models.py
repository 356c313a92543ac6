import calendar
import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Days before expiry when a certificate counts as "expiring" and a refresher is assigned.
EXPIRY_WARNING_DAYS = 30


def generate_certificate_code():
    """About 128 random bits, URL-safe: printed on the certificate and in its QR code."""
    return secrets.token_urlsafe(16)


def add_months(moment, months):
    """The same day and time `months` later, on the month's last day if it is shorter."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


class CertificationQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class Certification(models.Model):
    """What a trainee must show to be certified, e.g. "Cramp-safe swimmer"."""

    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    quizzes = models.ManyToManyField(
        "quizzes.Quiz",
        related_name="+",
        blank=True,
        help_text="Quizzes to pass, by each quiz's pass mark and must-pass questions.",
    )
    validity_months = models.PositiveSmallIntegerField(default=12)
    refresher_quiz = models.ForeignKey(
        "quizzes.Quiz",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Passed again (with a practical re-check) to renew before expiry.",
    )
    is_published = models.BooleanField(default=True)
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

    objects = CertificationQuerySet.as_manager()

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title


class PracticalItemQuerySet(models.QuerySet):
    def active(self):
        return self.filter(retired_at__isnull=True)

    def required(self):
        """The skills a certificate needs: running ones, not practised-only ones."""
        return self.active().filter(required=True)


class PracticalItem(models.Model):
    """One thing a coach watches the trainee do at the pool.

    A skill whose wording a new edition changes is a new skill: the old one is retired, not
    renamed, so a mark given for what the trainee showed then never counts for something else.
    """

    certification = models.ForeignKey(Certification, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=300)
    required = models.BooleanField(
        default=True,
        help_text="Needed for the certificate. A practised-only skill (the tuck-and-stretch) is "
        "recorded at the pool but never required.",
    )
    retired_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="No longer part of the practical; its marks stay in the record but no longer "
        "count.",
    )

    objects = PracticalItemQuerySet.as_manager()

    class Meta:
        ordering = ["certification", "order", "pk"]

    def __str__(self):
        return self.text


class MarkResult(models.TextChoices):
    SHOWN = "shown", "Shown"
    NEEDS_PRACTICE = "needs_practice", "Needs practice"
    UNDO = "undo", "Undo"  # takes back the latest mark on the same trainee and item


class PracticalMark(models.Model):
    """A coach's mark at the pool. Marks are never edited: an undo is a mark of its own, so
    the record shows what happened. `key` comes from the page, so a mark resent after the
    network dropped is stored once."""

    key = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practical_marks"
    )
    item = models.ForeignKey(PracticalItem, on_delete=models.PROTECT, related_name="marks")
    group = models.ForeignKey(
        "training.TrainingGroup", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    result = models.CharField(max_length=20, choices=MarkResult.choices)
    note = models.CharField(max_length=300, blank=True)
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    marked_at = models.DateTimeField(default=timezone.now, help_text="When the coach tapped it.")
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["marked_at", "pk"]
        indexes = [models.Index(fields=["trainee", "item"])]

    def __str__(self):
        return f"{self.get_result_display()}: {self.item} ({self.trainee})"


class CertificateState(models.TextChoices):
    VALID = "valid", "Valid"
    EXPIRING = "expiring", "Expires within 30 days"
    EXPIRED = "expired", "Expired"
    REVOKED = "revoked", "Revoked"
    NONE = "none", "None"


def certificate_state(valid_until, revoked_at, now):
    """valid, expiring (within 30 days), expired or revoked."""
    if revoked_at is not None:
        return CertificateState.REVOKED
    if valid_until <= now:
        return CertificateState.EXPIRED
    if valid_until <= now + timedelta(days=EXPIRY_WARNING_DAYS):
        return CertificateState.EXPIRING
    return CertificateState.VALID


class CertificateQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)

    def expiring_by(self, moment):
        return self.active().filter(valid_until__lte=moment)


class Certificate(models.Model):
    """One per trainee and certification: renewals move valid_until, the events keep history."""

    certification = models.ForeignKey(
        Certification, on_delete=models.PROTECT, related_name="certificates"
    )
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="certificates"
    )
    code = models.CharField(
        max_length=32, unique=True, default=generate_certificate_code, editable=False
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
    issued_at = models.DateTimeField()
    valid_until = models.DateTimeField()
    renewed_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.TextField(blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A regrade turned a pass it rests on into a fail: the trainee keeps the certificate (the
    # public check still says valid) until a coach or admin has looked at it.
    flagged_for_review = models.BooleanField(_("flagged for review"), default=False)
    flagged_at = models.DateTimeField(_("flagged on"), null=True, blank=True)
    flag_reason = models.TextField(_("why it was flagged"), blank=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at"]
        constraints = [
            # The guard that makes "issued exactly once" hold under concurrent requests.
            models.UniqueConstraint(
                fields=["certification", "trainee"], name="one_certificate_per_trainee"
            )
        ]

    def __str__(self):
        return f"{self.certification} for {self.trainee}"

    def get_absolute_url(self):
        return reverse("verify_certificate", args=[self.code])

    def state(self, now=None):
        return certificate_state(self.valid_until, self.revoked_at, now or timezone.now())

    def public_state(self, now=None):
        """What the verification page says: valid, expired or revoked."""
        state = self.state(now)
        return CertificateState.VALID if state == CertificateState.EXPIRING else state


class EventKind(models.TextChoices):
    ISSUED = "issued", "Issued"
    RENEWED = "renewed", "Renewed"
    REVOKED = "revoked", "Revoked"
    REFRESHER = "refresher", "Refresher assigned"
    FLAGGED = "flagged", _("Flagged for review")
    FLAG_CLEARED = "flag_cleared", _("Review flag cleared")


class CertificateEvent(models.Model):
    """The audit trail: every issue, renewal, revocation and refresher."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    valid_until = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d}"


class Refresher(models.Model):
    """Re-certification work given before a certificate runs out: the refresher quiz and a
    practical re-check, both done after `assigned_at`. One per expiry date."""

    certificate = models.ForeignKey(
        Certificate, on_delete=models.CASCADE, related_name="refreshers"
    )
    expiring_on = models.DateTimeField()
    assigned_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-assigned_at"]
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
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_preference"
    )
    email_reminders = models.BooleanField("Send me reminders by email", default=True)

    def __str__(self):
        return f"{self.user}: reminders {'on' if self.email_reminders else 'off'}"


class SentReminder(models.Model):
    """One row per reminder sent. The unique key is claimed before the mail goes, so two
    servers running send_reminders at once send each reminder once."""

    key = models.CharField(max_length=200, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sent_reminders"
    )
    kind = models.CharField(max_length=20)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self):
        return self.key
