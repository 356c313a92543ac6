"""Reads for the staff pages. Who may open a club's or federation's page is decided once, here,
from the person's running roles (organisations/access.py); anybody else gets a 404."""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Case, Count, IntegerField, Prefetch, Q, Value, When
from django.shortcuts import get_object_or_404
from django.urls import reverse

from crampcourse import verification
from organisations import access, hooks
from organisations.models import Kind, Organisation, Role, StaffInvitation, StaffRole


def get_club_for_admin(user, slug):
    """A club the person is a club admin of now, or 404: other clubs do not exist for them."""
    return get_object_or_404(
        Organisation.objects.clubs().filter(pk__in=access.administered_club_ids(user)), slug=slug
    )


def get_federation_for_admin(user, slug):
    """A federation the person is a federation admin of now, or 404."""
    return get_object_or_404(
        Organisation.objects.federations().filter(
            pk__in=access.organisations_where(user, Role.FEDERATION_ADMIN)
        ),
        slug=slug,
    )


# Club admins first, then coaches, then assessors: who runs the club comes first.
ROLE_ORDER = Case(
    When(role=Role.CLUB_ADMIN, then=Value(0)),
    When(role=Role.COACH, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def running_staff(club):
    """Everyone who holds a role in the club now, club admins first, then by name."""
    return (
        StaffRole.objects.active()
        .filter(organisation=club)
        .select_related("person", "granted_by")
        .order_by(ROLE_ORDER, "person__first_name", "person__username")
    )


def open_staff_invitations(club):
    """Offers of the club's roles not yet accepted or withdrawn, newest first: those waiting
    and those expired, which the club admin may offer again or withdraw."""
    return (
        StaffInvitation.objects.open()
        .filter(organisation=club)
        .select_related("person", "invited_by")
        .order_by("-created_at")
    )


def get_running_role_in_club(club, pk):
    return get_object_or_404(running_staff(club), pk=pk)


def get_open_invitation_in_club(club, pk):
    return get_object_or_404(open_staff_invitations(club), pk=pk)


def offers_to(person):
    """Offers made to the person's own account that wait for their answer."""
    return (
        StaffInvitation.objects.pending()
        .filter(person=person)
        .select_related("organisation", "invited_by")
        .order_by("-created_at")
    )


def get_offer_to(person, pk):
    """One of the person's waiting offers, or 404 (someone else's offer is not theirs to see)."""
    return get_object_or_404(offers_to(person), pk=pk)


def find_invitation(token):
    """The invitation a link carries, whatever became of it, or None."""
    return (
        StaffInvitation.objects.select_related("organisation", "invited_by", "person")
        .filter(token=token)
        .first()
    )


def find_account(text):
    """The active account with this username or e-mail address (any case), or why there is not
    exactly one: returns (user, None), (None, "none") or (None, "several")."""
    User = get_user_model()
    found = list(
        User.objects.filter(
            # Only a confirmed address finds its account: anyone may type anyone's address.
            Q(username__iexact=text) | (Q(email__iexact=text) & verification.verified_filter()),
            is_active=True,
        ).order_by("pk")[:10]
    )
    exact = [user for user in found if user.username == text]
    if len(exact) == 1:
        return exact[0], None
    if len(found) == 1:
        return found[0], None
    return None, "several" if found else "none"


@dataclass
class OrganisationRoles:
    """One organisation on My clubs: the person's running roles there."""

    organisation: Organisation
    roles: list = field(default_factory=list)

    @property
    def administers_club(self):
        return self.organisation.kind == Kind.CLUB and any(
            r.role == Role.CLUB_ADMIN for r in self.roles
        )

    @property
    def administers_federation(self):
        return self.organisation.kind == Kind.FEDERATION and any(
            r.role == Role.FEDERATION_ADMIN for r in self.roles
        )

    @property
    def administers(self):
        return self.administers_club or self.administers_federation

    @property
    def role_pages(self):
        """Pages upper apps offer for these roles (hooks.register_role_page)."""
        return [
            (label, reverse(url_name))
            for label, url_name in hooks.role_pages({r.role for r in self.roles})
        ]


def roles_by_organisation(person):
    """The person's running roles, one entry per organisation, in name order."""
    entries = {}
    roles = (
        StaffRole.objects.active()
        .of(person)
        .select_related("organisation__federation")
        .order_by("organisation__name", "organisation_id", "role")
    )
    for staff_role in roles:
        entry = entries.setdefault(
            staff_role.organisation_id, OrganisationRoles(staff_role.organisation)
        )
        entry.roles.append(staff_role)
    return list(entries.values())


def clubs_of_federation(federation):
    """The federation's clubs with how many staff each has now and who runs them."""
    return (
        federation.clubs.order_by("name")
        .annotate(
            staff_count=Count(
                "staff_roles__person",
                filter=Q(staff_roles__ended_at__isnull=True),
                distinct=True,
            )
        )
        .prefetch_related(
            Prefetch(
                "staff_roles",
                queryset=StaffRole.objects.active()
                .filter(role=Role.CLUB_ADMIN)
                .select_related("person")
                .order_by("person__first_name", "person__username"),
                to_attr="club_admins",
            )
        )
    )
