"""Who holds which staff role where: every "may this person…" question about clubs and
federations is answered here, from the person's running roles, read once per request."""

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q

from organisations.models import Kind, Organisation, Role, StaffInvitation, StaffRole

# Roles that run a club's groups from the coach pages.
RUNS_GROUPS = {Role.COACH, Role.CLUB_ADMIN}


def running_roles(user):
    """{(organisation id, role)} of the person's running roles; cached on the user object."""
    if not user.is_authenticated:
        return frozenset()
    if not hasattr(user, "_running_roles"):
        user._running_roles = frozenset(
            StaffRole.objects.active().of(user).values_list("organisation_id", "role")
        )
    return user._running_roles


def runs_groups_filter():
    """An Exists() for annotating users with whether they run groups for some club, so the
    log-in backend reads it with the user (every page's navigation asks)."""
    return Exists(
        StaffRole.objects.active().filter(person=OuterRef("pk"), role__in=list(RUNS_GROUPS))
    )


def sees_my_clubs_filter():
    """An expression for annotating users with whether "My clubs" is theirs: they hold a role
    now, or an offer to their account waits. For the log-in backend to read with the user, so
    the navigation costs no query (as `runs_groups` does)."""
    holds = StaffRole.objects.active().filter(person=OuterRef("pk"))
    offered = StaffInvitation.objects.pending().filter(person=OuterRef("pk"))
    return ExpressionWrapper(Q(Exists(holds)) | Q(Exists(offered)), output_field=BooleanField())


def organisations_where(user, *roles):
    """Ids of the organisations where the person holds any of these roles now."""
    return {org_id for org_id, role in running_roles(user) if role in roles}


def holds(user, role, organisation=None):
    """Whether the person holds the role now (in this organisation, if one is given)."""
    return any(
        r == role and (organisation is None or org_id == organisation.pk)
        for org_id, r in running_roles(user)
    )


def runs_groups(user):
    """Coach or club admin somewhere; read with the user by the log-in backend if it can."""
    if not hasattr(user, "_runs_groups"):
        user._runs_groups = bool(organisations_where(user, *RUNS_GROUPS))
    return user._runs_groups


def not_running_groups_in(club, people):
    """Those of the people who hold no running coach or club admin role in the club: a group
    moved to the club cannot keep them as its coaches. One query, however many people."""
    staff = set(
        StaffRole.objects.active()
        .filter(organisation=club, role__in=list(RUNS_GROUPS), person__in=people)
        .values_list("person_id", flat=True)
    )
    return [person for person in people if person.pk not in staff]


def administered_club_ids(user):
    return organisations_where(user, Role.CLUB_ADMIN)


def club_admins_subquery(user):
    """The clubs the person administers, as a subquery for filters."""
    return (
        StaffRole.objects.active()
        .filter(person=user, role=Role.CLUB_ADMIN)
        .values("organisation_id")
    )


def clubs_for_new_groups(user):
    """The clubs a person may put a new group in: those they coach in or administer."""
    return Organisation.objects.clubs().filter(pk__in=organisations_where(user, *RUNS_GROUPS))


def may_run_group_in(user, club):
    return club.kind == Kind.CLUB and bool(
        {(club.pk, role) for role in RUNS_GROUPS} & running_roles(user)
    )


def reportable_clubs(user):
    """The clubs whose reports the person may read: those they administer, and every club of
    the federations they administer. Reports hold counts, never anyone's answers."""
    federations = organisations_where(user, Role.FEDERATION_ADMIN)
    return Organisation.objects.clubs().filter(
        pk__in=administered_club_ids(user)
    ) | Organisation.objects.clubs().filter(federation_id__in=federations)
