"""What organisations keeps about a person, for My account (accounts gathers every app's module)."""

from django.db.models import Q
from django.utils import timezone

from organisations.models import StaffInvitation, StaffRole


def personal_data(user):
    roles = StaffRole.objects.of(user).select_related("organisation").defer("organisation__logo")
    offers = StaffInvitation.objects.filter(Q(person=user) | Q(accepted_by=user)).select_related(
        "organisation"
    )
    return {
        "staff_roles": [
            {
                "organisation": role.organisation.name,
                "role": role.get_role_display(),
                "since": role.granted_at,
                "until": role.ended_at,
            }
            for role in roles.order_by("granted_at", "pk")
        ],
        "staff_offers": [
            {
                "organisation": offer.organisation.name,
                "role": offer.get_role_display(),
                "offered_at": offer.created_at,
                "accepted_at": offer.accepted_at,
            }
            for offer in offers.order_by("created_at", "pk")
        ],
    }


def forget(user):
    """Running roles end (the register keeps that the role was held, by an account that no
    longer names anyone); offers made to the account are withdrawn. Offers e-mailed to an
    address stay: they are the club's, and the address may be anyone's (the club admin
    withdraws them)."""
    now = timezone.now()
    StaffRole.objects.active().of(user).update(ended_at=now)
    StaffInvitation.objects.pending().filter(person=user).update(withdrawn_at=now)
