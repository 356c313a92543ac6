"""My account: the person's own data out, and the account gone."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from accounts import registry


def export_personal_data(user):
    """Everything the site keeps about the person, by app, ready for JSON."""
    return {
        "exported_at": timezone.now(),
        "account": {
            "username": user.username,
            "display_name": user.get_full_name(),
            "email": user.email,
            "joined": user.date_joined,
            "last_log_in": user.last_login,
        },
        **registry.personal_data(user),
    }


def delete_account(user):
    """Each app forgets what it keeps; the account row stays, anonymised and unusable, so
    attempts keep an owner and statistics stay true, but nothing names the person."""
    with transaction.atomic():
        registry.forget(user)
        user.username = f"deleted-{user.pk}"
        user.first_name = user.last_name = user.email = ""
        user.is_active = False
        user.set_unusable_password()
        user.save()
        user.groups.clear()
        user.user_permissions.clear()
    return get_user_model().objects.get(pk=user.pk)
