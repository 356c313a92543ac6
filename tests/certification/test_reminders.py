"""send_reminders through a real SMTP server (aiosmtpd) started by the test."""

import email
import email.policy
import io
import socket
import threading
from datetime import UTC, datetime, timedelta

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from certification.models import Certificate, ReminderPreference, SentReminder
from certification.reminders import (
    assignment_reminders,
    certificate_reminders,
    claim,
    digest_reminders,
    send_reminders,
)
from certification.services import issue_certificate
from quizzes.models import Quiz
from tests.factories import make_coach, make_group, make_lesson, make_trainee
from tests.training.conftest import take
from training.services import assign, set_override


class Mailbox:
    """An aiosmtpd handler keeping every message it receives."""

    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append((envelope.rcpt_tos, message))
        return "250 Message accepted for delivery"

    def to(self, address):
        return [m for rcpt, m in self.messages if address in rcpt]

    def subjects(self):
        return sorted(m["Subject"] for _, m in self.messages)


class BoundController(Controller):
    """aiosmtpd's Controller serving on a socket bound here to a port the system picks: no
    moment between finding a free port and binding it in which another process could take it.
    (_create_server is aiosmtpd's own hook, as requirements-dev.txt pins it: 1.4.6.)"""

    def __init__(self, handler):
        self.listening = socket.create_server(("127.0.0.1", 0))
        super().__init__(handler, hostname="127.0.0.1", port=self.listening.getsockname()[1])

    def _create_server(self):
        return self.loop.create_server(
            self._factory_invoker, sock=self.listening, ssl=self.ssl_context
        )


@pytest.fixture
def smtp(settings):
    mailbox = Mailbox()
    controller = BoundController(mailbox)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = controller.hostname, controller.port
    settings.EMAIL_USE_TLS = False
    yield mailbox
    controller.stop()


@pytest.fixture
def nobody_listening():
    """A port of 127.0.0.1 that refuses connections: bound, never listened on, and held by the
    test so that nothing else can take it meanwhile."""
    with socket.socket() as bound:
        bound.bind(("127.0.0.1", 0))
        yield bound.getsockname()[1]


def run():
    out = io.StringIO()
    call_command("send_reminders", stdout=out)
    return out.getvalue()


def set_due_work(group, now):
    soon = make_lesson(title="Cramp first aid", is_published=True)
    late = make_lesson(title="Water and salts", is_published=True)
    later = make_lesson(title="Next month's lesson", is_published=True)
    assign(group, soon, due_at=now + timedelta(hours=30))
    assign(group, late, due_at=now - timedelta(days=2))
    assign(group, later, due_at=now + timedelta(days=20))
    return soon, late


@pytest.fixture
def due_work(coach, trainee, group):
    return set_due_work(group, timezone.now())


# A Wednesday noon of ISO week 10, in any time zone: the digest's week number is written out.
NOW = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)


def test_running_twice_sends_each_reminder_once(smtp, coach, trainee, group, certification):
    group.memberships.update(joined_at=NOW - timedelta(days=30))
    set_due_work(group, NOW)
    certificate = issue_certificate(trainee, certification, now=NOW - timedelta(days=350))
    assert len(send_reminders(now=NOW).sent) == 4
    assert smtp.subjects() == [
        "Due soon: Cramp first aid",
        "Overdue: Water and salts",
        "Your Cramp-safe swimmer certificate expires soon",
        "Your groups this week (week 10)",
    ]
    assert send_reminders(now=NOW).sent == []
    assert len(smtp.messages) == 4
    assert certificate.refreshers.count() == 1
    mail = smtp.to(trainee.email)[0]
    assert mail.get_body("plain") is not None
    html = mail.get_body("html").get_content()
    assert "<a href=" in html
    assert "/certification/my/reminders/" in html
    assert "training, not medical advice" in mail.get_body("plain").get_content()


def test_done_work_gets_no_reminder(smtp, trainee, group, due_work):
    from lessons.services import mark_lesson_read

    for lesson in due_work:
        mark_lesson_read(trainee, lesson)
    run()
    assert smtp.to(trainee.email) == []


def test_trainees_can_turn_reminders_off(client, smtp, trainee, group, due_work):
    client.force_login(trainee)
    url = reverse("certification:reminder_settings")
    assert client.get(url).status_code == 200
    response = client.post(url, {})  # the box unticked
    assert response.status_code == 302
    assert ReminderPreference.objects.get(user=trainee).email_reminders is False
    run()
    assert smtp.to(trainee.email) == []
    client.post(url, {"email_reminders": "on"})
    run()
    assert len(smtp.to(trainee.email)) == 2


def test_coach_digest_lists_trainees_without_email(smtp, coach, trainee, group, due_work):
    silent = make_trainee("no_mail_trainee")
    silent.email = ""
    silent.first_name = "Quiet"
    silent.save()
    group.memberships.create(trainee=silent)
    run()
    [digest] = smtp.to(coach.email)
    text = digest.get_body("plain").get_content()
    assert "Dolphins:" in text
    assert "trainee_a: 1 overdue" in text
    assert "no email address (they get no reminders): Quiet" in text
    assert "Quiet" in digest.get_body("html").get_content()


def test_a_claimed_reminder_is_not_sent_by_a_second_server(smtp, trainee, group, due_work):
    """Two runs at once: whichever claims a key first sends it; the other skips it."""
    from certification.reminders import assignment_reminders

    first = assignment_reminders(timezone.now())[0]
    assert claim(first, timezone.now())  # the other server got there first
    report = send_reminders()
    assert first.key not in [r.key for r in report.sent]
    assert SentReminder.objects.filter(key=first.key).count() == 1


def test_a_failed_send_is_retried_next_run(settings, trainee, group, due_work, nobody_listening):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", nobody_listening
    with pytest.raises(ConnectionRefusedError):
        send_reminders()
    assert not SentReminder.objects.exists()


def test_the_renewal_dates_are_each_reminded_once(trainee, certification):
    """The window opening, the expiry and the grace period ending: one mail each, however
    often the command runs."""
    from django.core import mail

    certificate = issue_certificate(
        trainee, certification, now=timezone.now() - timedelta(days=400)
    )
    expires = timezone.now() - timedelta(days=5)
    Certificate.objects.filter(pk=certificate.pk).update(valid_until=expires - timedelta(days=30))

    def subjects_at(moment):
        mail.outbox.clear()
        send_reminders(now=moment)
        send_reminders(now=moment + timedelta(minutes=15))  # the next run sends nothing new
        return sorted(m.subject for m in mail.outbox if trainee.email in m.to)

    expires = expires - timedelta(days=30)
    assert subjects_at(expires - timedelta(days=29)) == [
        "Your Cramp-safe swimmer certificate expires soon"
    ]
    assert subjects_at(expires + timedelta(days=1)) == [
        "Your Cramp-safe swimmer certificate has expired"
    ]
    assert subjects_at(expires + timedelta(days=24)) == [
        "Last days to renew your Cramp-safe swimmer certificate"
    ]
    assert subjects_at(expires + timedelta(days=31)) == []  # lapsed: nothing more
    kinds = sorted(SentReminder.objects.filter(user=trainee).values_list("kind", flat=True))
    assert kinds == ["expired", "expiring", "grace_ending"]
    grace = SentReminder.objects.get(kind="grace_ending")
    assert grace.key.startswith(f"grace_ending:{certificate.pk}:")


def test_gathering_reminders_takes_the_same_queries_for_five_times_the_swimmers(
    coach, trainee, group, certification
):
    """The 15-minute job reads everyone's work, certificates, address and language in a fixed
    number of queries; before, each recipient's confirmed address was one query more."""
    group.memberships.update(joined_at=NOW - timedelta(days=30))
    set_due_work(group, NOW)

    def squad_with_a_coach():
        squad = make_group(coaches=[make_coach()], trainees=[make_trainee()])
        squad.memberships.update(joined_at=NOW - timedelta(days=30))
        set_due_work(squad, NOW)
        for membership in squad.memberships.all():
            issue_certificate(membership.trainee, certification, now=NOW - timedelta(days=350))

    def gathered():
        with CaptureQueriesContext(connection) as queries:
            reminders = [
                *assignment_reminders(NOW),
                *certificate_reminders(NOW),
                *digest_reminders(NOW),
            ]
        global CAP
        CAP = queries.captured_queries
        return len(reminders), len(queries)

    squad_with_a_coach()
    few, queries_for_few = gathered()
    for _ in range(4):
        squad_with_a_coach()
    many, queries_for_many = gathered()
    # The Dolphins: two assignment reminders and the coach's digest. Each squad: two assignment
    # reminders, one for the certificate, and its coach's digest.
    assert (few, many) == (3 + 4, 3 + 4 * 5)
    import collections

    print("QQ", collections.Counter(q["sql"][:90] for q in CAP))
    assert queries_for_many == queries_for_few


def failed_their_only_attempt(final, group):
    """The final allows one attempt; trainee_a and a teammate, a month in the group, have each
    failed theirs (left it blank) ten days ago. Returns the teammate."""
    Quiz.objects.filter(pk=final.pk).update(attempts_allowed=1)
    final.refresh_from_db()
    group.memberships.update(joined_at=NOW - timedelta(days=30))
    teammate = make_trainee()
    group.memberships.create(trainee=teammate, joined_at=NOW - timedelta(days=30))
    for membership in group.memberships.all():
        take(final, membership.trainee, now=NOW - timedelta(days=10))
    return teammate


def test_a_quiz_failed_in_one_group_is_still_reminded_in_a_group_joined_after(
    trainee, group, final
):
    """Each group counts the attempts made since joining it, as its dashboard does: failed in
    the Dolphins with no attempt left, nothing is reminded there; the Sharks, joined after,
    set the same quiz, and there it is due soon."""
    teammate = failed_their_only_attempt(final, group)
    assign(group, final, due_at=NOW - timedelta(days=2))
    sharks = make_group("Sharks", coaches=[make_coach()], trainees=[trainee])
    sharks.memberships.update(joined_at=NOW - timedelta(days=5))
    assign(sharks, final, due_at=NOW + timedelta(hours=30))
    reminders = assignment_reminders(NOW)
    assert [(r.subject, r.lines[0]) for r in reminders if r.user == trainee] == [
        ("Due soon: Final-Check", "“Final-Check” for Sharks is due Thursday 5 Mar 2026, 18:00.")
    ]
    assert [r for r in reminders if r.user == teammate] == []


def test_an_extra_attempt_granted_after_a_fail_brings_the_reminders_back(trainee, group, final):
    teammate = failed_their_only_attempt(final, group)
    overdue = assign(group, final, due_at=NOW - timedelta(days=2))
    set_override(overdue, teammate, extra_attempts=1)
    reminders = assignment_reminders(NOW)
    assert [(r.user, r.subject) for r in reminders] == [(teammate, "Overdue: Final-Check")]


def test_the_digest_counts_overdue_at_the_moment_given_and_only_since_joining(coach, group):
    """Read at a moment years ahead of the machine's clock: what is overdue then is counted, and
    not for a newcomer who joined after it was due."""
    later = datetime(2031, 3, 5, 12, 0, tzinfo=UTC)
    group.memberships.update(joined_at=later - timedelta(days=30))
    newcomer = make_trainee("newcomer")
    group.memberships.create(trainee=newcomer, joined_at=later - timedelta(days=1))
    assign(group, make_lesson(title="Float first", is_published=True), due_at=later - timedelta(2))
    [digest] = digest_reminders(later)
    assert digest.lines == ["Dolphins:", "  - trainee_a: 1 overdue"]
