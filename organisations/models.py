"""Clubs, the federation they may belong to, and the staff roles people hold in them.

A role is a row, not an auth group: a person can coach in one club and assess in another, and
who may see what is read from these rows (organisations/access.py) on every request.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crampcourse import verification
from crampcourse.validators import validate_one_line


class Kind(models.TextChoices):
    FEDERATION = "federation", _("Federation")
    CLUB = "club", _("Club")


class Role(models.TextChoices):
    CLUB_ADMIN = "club_admin", _("Club admin")
    COACH = "coach", _("Coach")
    ASSESSOR = "assessor", _("Assessor")
    FEDERATION_ADMIN = "federation_admin", _("Federation admin")


# Which roles each kind of organisation has.
ROLES_OF_KIND = {
    Kind.CLUB: {Role.CLUB_ADMIN, Role.COACH, Role.ASSESSOR},
    Kind.FEDERATION: {Role.FEDERATION_ADMIN},
}


# Words the organisation pages' own addresses use where a slug could stand
# (organisations/urls.py, report_urls.py, logo_urls.py): a club called one of them would hide
# those pages, or have its own pages hidden.
RESERVED_SLUGS = frozenset(
    {"federation", "logo", "offers", "reports", "staff", "staff-invitations"}
)


def validate_slug_is_free(value):
    if value.lower() in RESERVED_SLUGS:
        raise ValidationError(
            _("“%(slug)s” is one of the site's own addresses: choose another."),
            code="reserved",
            params={"slug": value},
        )


class OrganisationQuerySet(models.QuerySet):
    def clubs(self):
        return self.filter(kind=Kind.CLUB)

    def federations(self):
        return self.filter(kind=Kind.FEDERATION)


class OrganisationManager(models.Manager.from_queryset(OrganisationQuerySet)):
    def get_queryset(self):
        # A logo is up to a megabyte: lists, reports and certificates read the organisation
        # without it, and the logo view (and the PDF) ask for the bytes when they need them.
        return super().get_queryset().defer("logo")


class Organisation(models.Model):
    """A club, or a federation of clubs (Swim England, RLSS UK, a national lifesaving society).

    A club belongs to at most one federation; a federation belongs to none, so there are no
    cycles. Certificates name the organisation that issued them.
    """

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.CLUB)
    name = models.CharField(_("name"), max_length=200, validators=[validate_one_line])
    slug = models.SlugField(_("slug"), unique=True, validators=[validate_slug_is_free])
    federation = models.ForeignKey(
        "self",
        verbose_name=_("federation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="clubs",
        limit_choices_to={"kind": Kind.FEDERATION},
        help_text=_("The federation this club belongs to, if any."),
    )
    website = models.URLField(_("website"), blank=True)
    # The logo is kept in the database, checked as question images are (organisations/logos.py).
    logo = models.BinaryField(blank=True, null=True, editable=False)
    logo_type = models.CharField(max_length=20, blank=True, editable=False)
    # The SHA-256 of the logo's bytes: its address, so a new logo is a new address and browsers
    # may keep each one for a year.
    logo_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    # Its size in pixels, so a page can give the picture its box without reading the bytes.
    logo_width = models.PositiveIntegerField(default=0, editable=False)
    logo_height = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = OrganisationManager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=Kind.CLUB) | Q(federation__isnull=True),
                name="a_federation_belongs_to_none",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.federation_id is None:
            return
        if self.kind == Kind.FEDERATION:
            raise ValidationError({"federation": _("A federation cannot belong to another.")})
        if self.federation_id == self.pk:
            raise ValidationError({"federation": _("A club cannot belong to itself.")})
        if self.federation.kind != Kind.FEDERATION:
            raise ValidationError({"federation": _("Clubs belong to a federation, not a club.")})

    @property
    def is_club(self):
        return self.kind == Kind.CLUB

    @property
    def logo_url(self):
        """Where the logo is served (organisations/logo_views.py), or "" if there is none."""
        if not self.logo_sha256:
            return ""
        extension = self.logo_type.partition("/")[2]
        return reverse("organisation_logos:logo", args=[self.pk, self.logo_sha256, extension])


class StaffRoleQuerySet(models.QuerySet):
    def active(self):
        return self.filter(ended_at__isnull=True)

    def of(self, person):
        return self.filter(person=person)


class StaffRole(models.Model):
    """A person's role in a club or federation, from when it was granted until it ended.

    Ended roles stay as the register's history; nobody's data goes with them."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_roles",
        verbose_name=_("person"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="staff_roles",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("granted by"),
    )
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    objects = StaffRoleQuerySet.as_manager()

    class Meta:
        verbose_name = _("staff role")
        verbose_name_plural = _("staff roles")
        ordering = ["organisation", "role", "granted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organisation", "role"],
                condition=Q(ended_at__isnull=True),
                name="one_running_role_per_person",
            )
        ]
        indexes = [models.Index(fields=["person", "ended_at"])]

    def __str__(self):
        return f"{self.person} – {self.get_role_display()}, {self.organisation}"

    def clean(self):
        if self.organisation_id and self.role not in ROLES_OF_KIND[self.organisation.kind]:
            if self.organisation.kind == Kind.FEDERATION:
                message = _("A federation has no such role.")
            else:
                message = _("A club has no such role.")
            raise ValidationError({"role": message})


def generate_token():
    return secrets.token_urlsafe(24)


def invitation_cutoff(now=None):
    """Offers made before this moment have expired: they last INVITATION_DAYS."""
    return (now or timezone.now()) - timedelta(days=settings.INVITATION_DAYS)


class StaffInvitationQuerySet(models.QuerySet):
    def open(self):
        """Neither accepted nor withdrawn, expired or not: what a club admin still has to see."""
        return self.filter(accepted_at__isnull=True, withdrawn_at__isnull=True)

    def pending(self, *, now=None):
        """Open and younger than INVITATION_DAYS: the offers whose link still works."""
        return self.open().filter(created_at__gte=invitation_cutoff(now))


class StaffInvitation(models.Model):
    """An offer of a staff role: nobody is made staff until they accept it themselves.

    Sent by e-mail (the link carries the token) or addressed to an existing account, which sees
    it on its own staff page; either way the accept step is the person's."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="staff_invitations",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    email = models.EmailField(_("email"), blank=True)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="staff_invitations",
        help_text=_("An existing account the offer is for."),
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=generate_token)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    sent = models.BooleanField(
        _("sent"), default=False, help_text=_("The e-mail went out; a failed send leaves this off.")
    )

    objects = StaffInvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("staff invitation")
        verbose_name_plural = _("staff invitations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(email="") | Q(person__isnull=False),
                name="invitation_names_someone",
            )
        ]

    def __str__(self):
        return f"{self.email or self.person} – {self.get_role_display()}, {self.organisation}"

    @property
    def expires_at(self):
        return self.created_at + timedelta(days=settings.INVITATION_DAYS)

    def is_expired(self, now=None):
        return self.expires_at < (now or timezone.now())

    def may_be_accepted_by(self, user):
        """An offer to an account: only that account. An e-mailed one: only an account whose
        confirmed address is the invited one (any case)."""
        if self.person_id:
            return self.person_id == user.pk
        return verification.owns_address(user, self.email)
