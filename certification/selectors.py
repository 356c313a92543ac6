"""Reads that several certification pages share, above all what a user may see."""

from django.db.models import Count, Exists, F, FilteredRelation, OuterRef, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext

from certification import renewal
from certification.models import (
    AssessmentResult,
    AssessmentSession,
    Certificate,
    Certification,
    CPDEntry,
    PracticalItem,
    Refresher,
)
from crampcourse import languages
from lessons.translation import shown_text
from organisations.access import club_admins_subquery, organisations_where
from organisations.models import Role
from training.models import Membership, TrainingGroup


def published_certifications():
    """Published certifications, in title order: the poolside index and the dashboard's
    columns list them the same way."""
    return Certification.objects.published().order_by("title", "pk")


def certificates_by_trainee(trainee_ids, certifications):
    """{(trainee_id, certification_id): Certificate} in one query."""
    if not trainee_ids or not certifications:
        return {}
    rows = (
        Certificate.objects.current()
        .filter(trainee_id__in=trainee_ids, certification__in=certifications)
        .only(
            "trainee_id",
            "certification_id",
            "valid_until",
            "revoked_at",
            "superseded_at",
            "code",
            "flagged_for_review",
        )
    )
    return {(c.trainee_id, c.certification_id): c for c in rows}


def certificate_dates_by_certification(trainee_ids):
    """{(certification id, title): {trainee_id: (valid_until, revoked_at, suspended_at)}} for
    every published
    certification in title order, those none of the trainees holds included, in one query: a
    left join to just these trainees' certificates (the dashboard asks on every visit)."""
    # Titles in the reader's language, read by the database out of the translations.
    published = published_certifications().annotate(shown_title=shown_text("title"))
    if not trainee_ids:
        return {c: {} for c in published.values_list("pk", "shown_title")}
    held = FilteredRelation(
        "certificates",
        condition=Q(
            certificates__trainee_id__in=trainee_ids, certificates__superseded_at__isnull=True
        ),
    )
    rows = published.annotate(held=held).values_list(
        "pk",
        "shown_title",
        "held__trainee_id",
        "held__valid_until",
        "held__revoked_at",
        "held__suspended_at",
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
        certificate__superseded_at__isnull=True,
        completed_at__isnull=True,
    ).order_by("expiring_on")


def renewable_refreshers_of(trainee, now):
    """Open refreshers that can still renew, with their certificate and certification: one
    whose certificate has lapsed (past its grace period) is left out, as the full course is
    what renews it now (My certificates says so)."""
    refreshers = open_refreshers_of(trainee).select_related(
        "certificate__certification__refresher_quiz"
    )
    return [
        refresher
        for refresher in refreshers
        if renewal.phase(
            refresher.certificate.valid_until, refresher.certificate.certification, now
        )
        != renewal.Phase.LAPSED
    ]


def get_certification(slug):
    return get_object_or_404(
        Certification.objects.published().prefetch_related(
            Prefetch("items", queryset=PracticalItem.objects.active().order_by("order", "pk"))
        ),
        slug=slug,
    )


def active_members(group):
    """The group's trainees now, with the little of each account the pages show."""
    return list(
        Membership.objects.active()
        .filter(group=group)
        .select_related("trainee")
        .only(
            "trainee",
            "trainee__username",
            "trainee__first_name",
            "trainee__last_name",
            "trainee__email",
        )
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
        raise Http404(gettext("No such trainee in this group."))
    return membership.trainee


def certificates_of_group(group):
    """Certificates of the group's current trainees, those a reissue replaced included."""
    return (
        Certificate.objects.filter(
            trainee__memberships__group=group, trainee__memberships__removed_at__isnull=True
        )
        .select_related("certification", "trainee", "superseded_by")
        .order_by("trainee__username", "certification__title", "-issued_at")
    )


def issuers_answered_for_by(club):
    """The issuers whose certificates a club's staff answer for: the club, and its
    federation (a federation's certificate is issued through its clubs)."""
    return {club.pk, club.federation_id} - {None}


def certificates_for_staff(user):
    """Certificates the person may download and reissue as staff of the issuing club: every
    certificate of a club they administer, and those of trainees now in a group they run in
    the issuing club (or in a club of the issuing federation). A coach whose trainee has
    left, or who coaches in another club, is not among them."""
    in_their_group = Membership.objects.active().filter(
        Q(group__club_id=OuterRef("issuer_id"))
        | Q(group__club__federation_id=OuterRef("issuer_id")),
        trainee_id=OuterRef("trainee_id"),
        group__in=TrainingGroup.objects.run_by(user),
    )
    return Certificate.objects.filter(
        Q(issuer_id__in=club_admins_subquery(user)) | Q(Exists(in_their_group))
    )


def with_language(path):
    """What to select_related so `path`'s user comes with their saved language (none if no
    app keeps one): [path], or [path__<the language relation>]."""
    name = languages.related_name()
    return [f"{path}__{name}" if name else path]


def certificate_for_viewer(user, code):
    """The certificate, for its holder and the issuing club's staff (certificates_for_staff);
    anyone else gets a 404, site admins too (they have the admin)."""
    # The holder and their language come along: the paper is made in it (pdf.py).
    certificate = get_object_or_404(
        Certificate.objects.select_related(
            "certification", "issuer", "superseded_by", *with_language("trainee")
        ),
        code=code,
    )
    if certificate.trainee_id == user.pk:
        return certificate
    if not certificates_for_staff(user).filter(pk=certificate.pk).exists():
        raise Http404(gettext("No such certificate."))
    return certificate


def certificate_for_reissue(user, group, certificate_pk):
    """A certificate of one of the group's trainees, issued for the group's club, that the
    person running the group may reissue (certificates_for_staff); else 404."""
    return get_object_or_404(
        certificates_of_group(group).filter(
            issuer_id__in=issuers_answered_for_by(group.club),
            pk__in=certificates_for_staff(user).values("pk"),
        ),
        pk=certificate_pk,
    )


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


# Assessment sessions -------------------------------------------------------------------------


def groups_to_assess(user):
    """The groups of every club where the person is an assessor now."""
    return (
        TrainingGroup.objects.filter(club_id__in=organisations_where(user, Role.ASSESSOR))
        .select_related("club")
        .order_by("club__name", "name", "pk")
    )


def sessions_of_assessor(user):
    """The person's sessions, open ones first, with how many swimmers each has finished."""
    return (
        AssessmentSession.objects.filter(assessor=user)
        .select_related("group", "certification")
        .annotate(
            finished=Count("results"), competent=Count("results", filter=Q(results__passed=True))
        )
        .order_by(F("closed_at").desc(nulls_first=True), "-held_on", "-pk")
    )


def assessment_results_of(trainee):
    """The trainee's own assessment outcomes, newest first, with the session and assessor."""
    return AssessmentResult.objects.filter(trainee=trainee).select_related(
        "session__certification", "session__assessor"
    )


def get_session_for_assessor(user, pk):
    """One of the person's own sessions, or 404: another assessor's does not exist for them."""
    return get_object_or_404(
        AssessmentSession.objects.select_related("group__club", "certification", "assessor"),
        pk=pk,
        assessor=user,
    )


def cpd_certifications():
    """Published certifications with a CPD rule: what a pool session may count towards."""
    return published_certifications().filter(cpd_hours_required__isnull=False)


def cpd_entries_of(trainee):
    """A trainee's CPD entries, newest first, with who entered them."""
    return (
        CPDEntry.objects.filter(trainee=trainee)
        .select_related("certification", "entered_by")
        .order_by("-done_on", "-pk")
    )
