"""Whether a person's e-mail address is proven theirs.

accounts keeps the proof (a confirmed link, `accounts.models.VerifiedEmail`) and registers
itself here in its AppConfig.ready(); training, organisations and certification ask here, so
none of them imports accounts. An address is only ever used for invitations, password resets
and reminders once it is verified. With nothing registered no address counts as verified:
the rules fail closed.

A keeper offers:
- `is_verified(user) -> bool`: the account's present address is confirmed;
- `related_name`: the user's relation is_verified reads, for select_related;
- `verified_filter(prefix="") -> Q`: the same, for a query over users (`prefix` is the path
  to the user, e.g. "trainee__");
- `confirm(user)`: mark the present address as confirmed (demo data);
- `send_confirmation(user, *, site_url) -> bool`: mail a link that confirms the address.
"""

from django.db.models import Q
from django.utils.translation import gettext

_keeper = None


def register(keeper):
    global _keeper
    _keeper = keeper


def is_verified(user):
    return bool(_keeper and user.email and _keeper.is_verified(user))


def related_name():
    """What to select_related on users (or `prefix__` + it) to check many addresses at once."""
    return _keeper.related_name if _keeper is not None else None


def verified_filter(prefix=""):
    if _keeper is None:
        return Q(pk__in=[])
    return _keeper.verified_filter(prefix)


def confirm(user):
    if _keeper is not None and user.email:
        _keeper.confirm(user)


def send_confirmation(user, *, site_url):
    if _keeper is None or not user.email:
        return False
    return _keeper.send_confirmation(user, site_url=site_url)


def same_address(first, second):
    """E-mail addresses compared as people mean them: in any case."""
    first, second = (first or "").strip().casefold(), (second or "").strip().casefold()
    return bool(first) and first == second


def mask(address):
    """n***@example.com: enough to say where a mail went, not the whole address."""
    local, at, domain = (address or "").partition("@")
    if not at:
        return "***"
    return f"{local[:1]}***@{domain}"


def owns_address(user, address):
    """An e-mailed invitation is the account's only when its confirmed address is the invited
    one: the link may be forwarded, and anyone can type anyone's address into their account."""
    return is_verified(user) and same_address(user.email, address)


def not_the_owner(user, address, *, elsewhere):
    """Why an invitation e-mailed to `address` is not this account's, in words: an account that
    has typed the address without confirming it is told how to confirm it first; any other gets
    `elsewhere`, the inviting app's own sentence (who to ask for a new invitation), given the
    address masked as %(address)s."""
    names = {"address": mask(address)}
    if same_address(user.email, address):
        return (
            gettext(
                "This invitation is for %(address)s. Confirm that address first: open the link "
                "we e-mailed to it (or send it again from My account), then open this "
                "invitation again."
            )
            % names
        )
    return elsewhere % names
