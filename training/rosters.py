"""Rosters: a coach's list of names in, trainee accounts and printable log-in cards out.

All or nothing: every line is checked first, and a single bad line creates no account.
Re-running with the same names creates nobody twice: a name this group's roster already
made is reported as existing, with its username.
"""

import base64
import csv
import hashlib
import io
import json
import re
import secrets
from dataclasses import asdict, dataclass

from anyascii import anyascii
from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from crampcourse.validators import describe, unsafe_character
from training.hashers import OneTimePasswordHasher
from training.models import JOIN_CODE_ALPHABET, ManagedAccount, Membership
from training.services import add_trainee

MAX_ROSTER_LINES = 200
MAX_NAME_LENGTH = 100
ONE_TIME_PASSWORD_LENGTH = 10


@dataclass(frozen=True)
class RosterLine:
    line: int
    name: str
    email: str = ""

    @property
    def key(self):
        return name_key(self.name)


@dataclass(frozen=True)
class Card:
    """One log-in card: shown once, never stored with the password in it."""

    name: str
    username: str
    password: str


@dataclass
class RosterResult:
    created: list
    existing: list  # (RosterLine, username) pairs this group's roster made before


class RosterError(Exception):
    """Lines that cannot become accounts: [(line number, reason)]."""

    def __init__(self, problems):
        super().__init__("; ".join(f"line {n}: {why}" for n, why in problems))
        self.problems = problems


def name_key(name):
    return " ".join(name.split()).casefold()


def clean_name(raw):
    return " ".join(raw.split())


def lines_from_text(text):
    """Pasted names, one a line; blank lines are skipped but still counted."""
    return [(number, [row]) for number, row in enumerate(text.splitlines(), start=1) if row.strip()]


def lines_from_csv(data):
    """CSV bytes with name and an optional email per row; a header row is allowed."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise RosterError(
            [(0, gettext("the file is not UTF-8 text; save it as CSV UTF-8"))]
        ) from error
    rows = []
    try:
        # newline="", as the csv module asks: a file saved with old Mac line endings (CR
        # alone) is read row by row instead of refused.
        for number, row in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
            if not any(cell.strip() for cell in row):
                continue
            if not rows and row[0].strip().casefold() in {"name", "names", "full name"}:
                continue
            rows.append((number, row))
    except csv.Error as error:
        raise RosterError(
            [(0, gettext("the file is not valid CSV (%(error)s)") % {"error": error})]
        ) from error
    return rows


def check_lines(rows):
    """RosterLines from (line number, cells) rows, or RosterError naming every bad line."""
    problems, lines, seen = [], [], {}
    if len(rows) > MAX_ROSTER_LINES:
        raise RosterError(
            [
                (
                    0,
                    ngettext(
                        "at most %(count)s name at a time",
                        "at most %(count)s names at a time",
                        MAX_ROSTER_LINES,
                    )
                    % {"count": MAX_ROSTER_LINES},
                )
            ]
        )
    for number, cells in rows:
        cells = [cell.strip() for cell in cells]
        while len(cells) > 1 and not cells[-1]:
            cells.pop()
        if len(cells) > 2:
            problems.append(
                (number, gettext("too many columns: give a name and, if you like, an email"))
            )
            continue
        name, email = clean_name(cells[0]), cells[1] if len(cells) > 1 else ""
        # NUL was a 500 on PostgreSQL and stored on SQLite; bidi overrides disguise a name.
        hidden = unsafe_character(name + email, one_line=True)
        if hidden is not None:
            problems.append(
                (
                    number,
                    gettext("remove %(character)s: a control character")
                    % {"character": describe(hidden)},
                )
            )
            continue
        if not any(ch.isalpha() for ch in name):
            problems.append((number, gettext("no name on this line")))
            continue
        if len(name) > MAX_NAME_LENGTH:
            problems.append(
                (
                    number,
                    ngettext(
                        "the name is longer than %(count)s character",
                        "the name is longer than %(count)s characters",
                        MAX_NAME_LENGTH,
                    )
                    % {"count": MAX_NAME_LENGTH},
                )
            )
            continue
        if email:
            try:
                validate_email(email)
            except ValidationError:
                problems.append(
                    (number, gettext("“%(email)s” is not an email address") % {"email": email})
                )
                continue
        line = RosterLine(number, name, email)
        if line.key in seen:
            problems.append(
                (
                    number,
                    gettext("same name as line %(line)s; add an initial to tell them apart")
                    % {"line": seen[line.key]},
                )
            )
            continue
        seen[line.key] = number
        lines.append(line)
    if problems:
        raise RosterError(problems)
    if not lines:
        raise RosterError([(0, gettext("no names given"))])
    return lines


def username_base(name):
    """'Zoë O'Brien' -> 'zoe.obrien': letters a phone keyboard has, no capitals to get wrong.

    Every script is transliterated (anyascii), not stripped: ø and ß are letters of their own
    that decomposing drops ("Ørsted" would lose its first letter), and a Cyrillic name would
    leave nothing: "Zoë Ørsted-Núñez" -> zoe.orstednunez, "Straße" -> strasse, "Иван Петров" ->
    ivan.petrov."""
    ascii_name = anyascii(name)
    words = [re.sub(r"[^a-z0-9]", "", word) for word in ascii_name.lower().split()]
    words = [word for word in words if word]
    base = ".".join(words[:1] + words[-1:] if len(words) > 1 else words)[:24]
    return base or "swimmer"


def allocate_usernames(bases):
    """Free usernames for the bases, in order: amy.jones, amy.jones2, ... (one query)."""
    User = get_user_model()
    query = Q()
    for base in set(bases):
        query |= Q(username__istartswith=base)
    taken = {name.lower() for name in User.objects.filter(query).values_list("username", flat=True)}
    usernames = []
    for base in bases:
        candidate, number = base, 1
        while candidate in taken:
            number += 1
            candidate = f"{base}{number}"
        taken.add(candidate)
        usernames.append(candidate)
    return usernames


def one_time_password():
    # The join-code alphabet: nothing to misread on a printed card (no 0/O, 1/I/L).
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(ONE_TIME_PASSWORD_LENGTH))


def hash_one_time_password(password):
    return make_password(password, hasher=OneTimePasswordHasher())


def make_roster(group, lines, *, coach):
    """Accounts for the names this group's roster has not made yet, all in one transaction."""
    existing = dict(
        ManagedAccount.objects.filter(
            group=group, roster_key__in=[line.key for line in lines]
        ).values_list("roster_key", "user__username")
    )
    new_lines = [line for line in lines if line.key not in existing]
    User = get_user_model()
    cards = []
    with transaction.atomic():
        usernames = allocate_usernames([username_base(line.name) for line in new_lines])
        for line, username in zip(new_lines, usernames, strict=True):
            password = one_time_password()
            user = User.objects.create(
                username=username,
                first_name=line.name[:150],
                email=line.email,
                password=hash_one_time_password(password),
            )
            ManagedAccount.objects.create(
                user=user, group=group, roster_key=line.key, created_by=coach
            )
            add_trainee(group, user)
            cards.append(Card(line.name, username, password))
    return RosterResult(
        created=cards,
        existing=[(line, existing[line.key]) for line in lines if line.key in existing],
    )


def get_managed_account(group, trainee_pk):
    """An account this group's roster made whose owner is still in the group, or None.

    Nobody else's password is the coach's to reset, not even a trainee's who joined by code.
    """
    in_group = Membership.objects.active().filter(group=group, trainee_id=trainee_pk)
    return (
        ManagedAccount.objects.select_related("user")
        .filter(group=group, user_id=trainee_pk, user__is_active=True)
        .filter(user__in=in_group.values("trainee_id"))
        .first()
    )


class ResetRefused(Exception):
    """The account is its owner's now; the message says why in plain words."""


TAKEN_OVER = _(
    "%(name)s has chosen their own password and confirmed their own e-mail address, so the "
    "account is theirs now and a coach can no longer reset it. If they forget the password, "
    "they reset it themselves with “Forgotten your password?” on the log-in page."
)


def reset_password(managed):
    """A new one-time password for a roster-made account; the old password stops working.
    Refused (ResetRefused) once the owner has taken the account over."""
    if managed.is_taken_over():
        user = managed.user
        raise ResetRefused(TAKEN_OVER % {"name": user.get_full_name() or user.username})
    password = one_time_password()
    user = managed.user
    with transaction.atomic():
        user.password = hash_one_time_password(password)
        user.save(update_fields=["password"])
        managed.must_change_password = True
        managed.save(update_fields=["must_change_password"])
    return Card(user.get_full_name() or user.username, user.username, password)


def password_changed(user):
    """The person chose their own password: no more forced change."""
    ManagedAccount.objects.filter(user=user, must_change_password=True).update(
        must_change_password=False
    )


# Cards (with their one-time passwords) stay printable this long, then only a reset helps.
CARDS_SECONDS = 30 * 60


def _cards_cipher():
    """A Fernet key of the site's own (from SECRET_KEY): the session table never holds a
    one-time password in plain text, and a token older than CARDS_SECONDS is refused."""
    key = hashlib.sha256(f"roster-cards:{settings.SECRET_KEY}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def cards_to_session(cards, *, now=None):
    """The cards, encrypted and stamped with the time: a string to keep in the session."""
    data = json.dumps([asdict(card) for card in cards]).encode()
    stamp = int((now or timezone.now()).timestamp())
    return _cards_cipher().encrypt_at_time(data, stamp).decode()


def cards_from_session(token, *, now=None):
    """The cards kept by cards_to_session, or none once CARDS_SECONDS have passed (or if the
    token is anything else)."""
    if not isinstance(token, str) or not token:
        return []
    stamp = int((now or timezone.now()).timestamp())
    try:
        data = _cards_cipher().decrypt_at_time(token.encode(), CARDS_SECONDS, stamp)
    except InvalidToken:
        return []
    return [Card(**card) for card in json.loads(data)]
