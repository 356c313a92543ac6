import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

# No 0/O or 1/I/L: codes are read aloud at the pool and typed on phones.
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 8


def generate_join_code():
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


class TrainingGroupQuerySet(models.QuerySet):
    def coached_by(self, user):
        return self.filter(coaches=user)


class TrainingGroup(models.Model):
    """A squad, class or lifeguard cohort, run by one or more coaches."""

    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    coaches = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="coached_groups", blank=True
    )
    trainees = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="Membership",
        related_name="training_groups",
        blank=True,
    )
    join_code = models.CharField(
        max_length=JOIN_CODE_LENGTH, unique=True, default=generate_join_code, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TrainingGroupQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("training:group_dashboard", args=[self.pk])


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(removed_at__isnull=True)


class Membership(models.Model):
    """A trainee in a group. Removing a trainee ends the membership but keeps their history."""

    group = models.ForeignKey(TrainingGroup, on_delete=models.CASCADE, related_name="memberships")
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    joined_at = models.DateTimeField(default=timezone.now)
    removed_at = models.DateTimeField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["group", "trainee__username"]
        constraints = [
            models.UniqueConstraint(fields=["group", "trainee"], name="one_membership_per_trainee")
        ]

    def __str__(self):
        return f"{self.trainee} in {self.group}"

    @property
    def is_active(self):
        return self.removed_at is None
