"""Reads that several certification pages share, above all what a user may see."""

from django.db.models import FilteredRelation, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from certification.models import Certificate, Certification, PracticalItem, Refresher
from training.models import Membership, TrainingGroup


def published_certifications():
    """Published certifications, in title order: the poolside index and the dashboard's
    columns list them the same way."""
    return Certification.objects.published().order_by("title", "pk")


def certificates_by_trainee(trainee_ids, certifications):
    """{(trainee_id, certification_id): Certificate} in one query."""
    if not trainee_ids or not certifications:
        return {}
    rows = Certificate.objects.filter(
        trainee_id__in=trainee_ids, certification__in=certifications
    ).only(
        "trainee_id", "certification_id", "valid_until", "revoked_at", "code", "flagged_for_review"
    )
    return {(c.trainee_id, c.certification_id): c for c in rows}


def certificate_dates_by_certification(trainee_ids):
    """{(certification id, title): {trainee_id: (valid_until, revoked_at)}} for every published
    certification in title order, those none of the trainees holds included, in one query: a
    left join to just these trainees' certificates (the dashboard asks on every visit)."""
    published = published_certifications()
    if not trainee_ids:
        return {certification: {} for certification in published.values_list("pk", "title")}
    held = FilteredRelation("certificates", condition=Q(certificates__trainee_id__in=trainee_ids))
    rows = published.annotate(held=held).values_list(
        "pk", "title", "held__trainee_id", "held__valid_until", "held__revoked_at"
    )
    columns = {}
    for pk, title, trainee_id, *dates in rows:
        column = columns.setdefault((pk, title), {})
        if trainee_id is not None:  # the certification's row when none of them holds it
            column[trainee_id] = tuple(dates)
    return columns


def open_refreshers_of(trainee):
    """Refreshers still to do on certificates in force, the soonest expiry first."""
    return Refresher.objects.filter(
        certificate__trainee=trainee,
        certificate__revoked_at__isnull=True,
        completed_at__isnull=True,
    ).order_by("expiring_on")


def get_certification(slug):
    return get_object_or_404(
        Certification.objects.published().prefetch_related(
            Prefetch("items", queryset=PracticalItem.objects.active().order_by("order", "pk"))
        ),
        slug=slug,
    )


def active_members(group):
    return list(
        Membership.objects.active()
        .filter(group=group)
        .select_related("trainee")
        .order_by("trainee__first_name", "trainee__last_name", "trainee__username")
    )


def get_member(group, trainee_pk):
    """A trainee in the coach's group now, or 404."""
    membership = (
        Membership.objects.active()
        .filter(group=group, trainee_id=trainee_pk)
        .select_related("trainee")
        .first()
    )
    if membership is None:
        raise Http404("No such trainee in this group.")
    return membership.trainee


def certificates_of_group(group):
    """Certificates of the group's current trainees."""
    return (
        Certificate.objects.filter(
            trainee__memberships__group=group, trainee__memberships__removed_at__isnull=True
        )
        .select_related("certification", "trainee")
        .order_by("trainee__username", "certification__title")
    )


def certificate_for_viewer(user, code):
    """The certificate's owner, admins and coaches of a group the trainee is in; else 404."""
    certificate = get_object_or_404(
        Certificate.objects.select_related("certification", "trainee"), code=code
    )
    if certificate.trainee_id == user.pk or user.is_staff:
        return certificate
    coaches_them = Membership.objects.filter(
        trainee_id=certificate.trainee_id, group__in=TrainingGroup.objects.run_by(user)
    ).exists()
    if not coaches_them:
        raise Http404("No such certificate.")
    return certificate


def open_refresher_dates(trainee_ids, certification):
    """{trainee_id: when their open refresher was assigned}: marks from then on re-check."""
    return dict(
        Refresher.objects.filter(
            certificate__trainee_id__in=trainee_ids,
            certificate__certification=certification,
            certificate__revoked_at__isnull=True,
            completed_at__isnull=True,
        ).values_list("certificate__trainee_id", "assigned_at")
    )
