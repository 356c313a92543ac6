"""What accounts itself keeps about a person besides the account: the proof of their address."""

from accounts.emails import forget_proof
from accounts.models import VerifiedEmail


def personal_data(user):
    proof = VerifiedEmail.objects.filter(user=user).first()
    return {
        "email_verified": (
            {"email": proof.email, "verified_at": proof.verified_at} if proof else None
        )
    }


def forget(user):
    forget_proof(user)
