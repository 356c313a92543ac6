"""Certification rules as plain functions: practical marks, issuing, renewing, revoking and
refreshers. Views, the admin, hooks and commands call these."""

from collections import defaultdict
from datetime import timedelta
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext

from certification import assessments, cpd, frozen, renewal, standard
from certification.models import (
    Certificate,
    CertificateEvent,
    Certification,
    EventKind,
    MarkResult,
    PracticalMark,
    Refresher,
    add_months,
    certificate_number,
)
from organisations.models import Kind, Organisation
from quizzes.models import Attempt, AttemptState
from quizzes.services import overall_result
from training.models import Membership

# A phone may send a mark tapped offline much later; its own clock is trusted this far back.
OLDEST_OFFLINE_MARK = timedelta(days=7)


class StandingMark(NamedTuple):
    """The mark that stands on a trainee's skill once undos are applied."""

    result: str
    marked_at: object
    coach: str
    group_id: int | None = None
    note: str = ""


def standing_marks(trainee_ids, items, *, since=None, session=None):
    """{(trainee_id, item_id): StandingMark} from the marks, undos applied; one query.

    session: only the marks made in that assessment session (an undo there takes back a mark
    made there).

    since: only marks made from then on count (a re-check for a refresher).
    """
    marks = PracticalMark.objects.filter(trainee_id__in=trainee_ids, item__in=items)
    if session is not None:
        marks = marks.filter(session=session)
    if since is not None:
        marks = marks.filter(marked_at__gte=since)
    stacks = defaultdict(list)
    rows = marks.order_by("marked_at", "pk").values_list(
        "trainee_id", "item_id", "result", "marked_at", "coach__username", "group_id", "note"
    )
    for trainee_id, item_id, result, marked_at, coach, group_id, note in rows:
        stack = stacks[trainee_id, item_id]
        if result == MarkResult.UNDO:
            if stack:
                stack.pop()
        else:
            stack.append(StandingMark(result, marked_at, coach or "", group_id, note))
    return {key: stack[-1] for key, stack in stacks.items() if stack}


def shown_marks(marks, trainee_id):
    """{item_id: StandingMark} of one trainee's skills whose standing mark is "shown"."""
    return {
        item_id: mark
        for (owner, item_id), mark in marks.items()
        if owner == trainee_id and mark.result == MarkResult.SHOWN
    }


def practical_outcome(trainee, certification, *, since=None):
    """Where the trainee stands against the certification's pass standard (standard.py)."""
    items = list(certification.items.required())
    shown = shown_marks(standing_marks([trainee.pk], items, since=since), trainee.pk)
    return standard.outcome(items, shown, pass_min_others=certification.pass_min_others)


def practical_done(trainee, certification, *, since=None):
    """Every critical skill shown and enough of the others (standard.py): in one assessment
    session when the certification says so (assessments.py), else in the marks at practice.
    With no practical skills there is nothing to show, and nothing for an assessor to sign."""
    if certification.assessed_in_session and certification.items.required().exists():
        return assessments.passing_result(trainee, certification, since=since) is not None
    return practical_outcome(trainee, certification, since=since).passed


def quiz_passed(quiz, trainee, *, since=None):
    """Passed by the quiz's grading method (its must-pass questions included)."""
    attempts = Attempt.objects.filter(quiz=quiz, trainee=trainee, state=AttemptState.FINISHED)
    if since is not None:
        attempts = attempts.filter(started_at__gte=since)
    return overall_result(quiz.grading_method, quiz.pass_mark, list(attempts)).passed


def requirements_met(trainee, certification, *, since=None):
    """The full course: every quiz passed and the practical done (since: from then on)."""
    quizzes = list(certification.quizzes.all())
    if not quizzes and not certification.items.required().exists():
        return False  # a certification with nothing to show certifies nobody
    return all(quiz_passed(q, trainee, since=since) for q in quizzes) and practical_done(
        trainee, certification, since=since
    )


def refresher_met(trainee, certification, refresher):
    since = refresher.assigned_at
    quiz = certification.refresher_quiz
    if quiz is not None and not quiz_passed(quiz, trainee, since=since):
        return False
    return practical_done(trainee, certification, since=since)


def lock_trainee(trainee):
    """Serialise certification checks of one trainee: a quiz and the last practical mark
    finishing in two requests at once both end here, and the second sees the first's rows."""
    get_user_model().objects.select_for_update().filter(pk=trainee.pk).first()


def quiz_passed_at(quiz, trainee, *, since=None):
    """When the quiz first counted as passed by its grading method, or None if it does not."""
    attempts = Attempt.objects.filter(quiz=quiz, trainee=trainee, state=AttemptState.FINISHED)
    if since is not None:
        attempts = attempts.filter(started_at__gte=since)
    attempts = list(attempts.order_by("number"))
    if not overall_result(quiz.grading_method, quiz.pass_mark, attempts).passed:
        return None
    for count in range(1, len(attempts) + 1):
        if overall_result(quiz.grading_method, quiz.pass_mark, attempts[:count]).passed:
            return attempts[count - 1].finished_at
    return None


def met_at(trainee, certification, quizzes, *, since=None):
    """When the last of the quizzes was passed and the practical met its pass standard; None
    if one is not done."""
    times = [quiz_passed_at(quiz, trainee, since=since) for quiz in quizzes]
    items = list(certification.items.required())
    if items and certification.assessed_in_session:  # when the assessor found them competent
        result = assessments.passing_result(trainee, certification, since=since)
        times.append(result.decided_at if result is not None else None)
    elif items:  # the practical was done with the mark that met its pass standard
        shown = shown_marks(standing_marks([trainee.pk], items, since=since), trainee.pk)
        mark = standard.deciding_mark(items, shown, pass_min_others=certification.pass_min_others)
        times.append(mark.marked_at if mark is not None else None)
    if not times or None in times:
        return None
    return max(times)


def check_certification(trainee, certification, *, now=None, backdate=False):
    """Issue or renew when the last requirement is met; returns the certificate if it changed.

    backdate: issue or renew as of when the last requirement was met, not now (a regrade
    found a pass made earlier: the dates are those the trainee would have had then).
    Runs inside the caller's transaction (the attempt's scoring or the mark's save).
    """
    now = now or timezone.now()
    with transaction.atomic():
        lock_trainee(trainee)
        certificate = (
            Certificate.objects.current()
            .filter(certification=certification, trainee=trainee)
            .first()
        )
        if certificate is None:
            if requirements_met(trainee, certification):
                if backdate:
                    quizzes = list(certification.quizzes.all())
                    now = met_at(trainee, certification, quizzes) or now
                return issue_certificate(trainee, certification, now=now)
            return None
        if certificate.revoked_at is not None:
            return None  # a revoked certificate is restored only by an admin
        if certificate.suspended_at is not None:
            return None  # like a revoked one, until it is reinstated (renewal_problem)
        return _check_renewal(trainee, certification, certificate, now=now, backdate=backdate)
    return None


def _check_renewal(trainee, certification, certificate, *, now, backdate):
    """Renew when the rules of renewal.py allow it now and its work is done (trainee locked)."""
    if renewal.phase(certificate.valid_until, certification, now) == renewal.Phase.LAPSED:
        # The full course again, done since the grace period ended.
        since = renewal.grace_until(certificate.valid_until, certification)
        if not requirements_met(trainee, certification, since=since):
            return None
        if backdate:
            quizzes = list(certification.quizzes.all())
            now = met_at(trainee, certification, quizzes, since=since) or now
        return renew_certificate(certificate, None, now=now)
    refresher = certificate.refreshers.filter(completed_at__isnull=True).first()
    if refresher is None or not refresher_met(trainee, certification, refresher):
        return None
    if backdate:
        quiz = certification.refresher_quiz
        quizzes = [quiz] if quiz is not None else []
        since = refresher.assigned_at
        now = met_at(trainee, certification, quizzes, since=since) or now
    if renewal_problem(certificate, refresher, now=now) is not None:
        return None  # e.g. CPD hours still missing: a confirmed session will renew it
    return renew_certificate(certificate, refresher, now=now)


def certificate_issuer(trainee, certification):
    """The organisation in whose name the trainee's certificate is issued (or renewed) now.

    1. The certification's owner, when that is a federation.
    2. Else the club of the group the practical was signed off in: the group of the latest
       assessment session that found the trainee competent (assessed_in_session), or for a
       badge marked at practice the group of the latest "shown" mark standing on one of the
       certification's skills (a mark made outside any group says nothing and is passed over).
    3. Else the club of the trainee's current group: the oldest membership still running.
    4. Else the certification's owner, a club.
    5. Else the default club (DEFAULT_CLUB_NAME, where training's 0010 put the old groups).

    Example: "Cramp first response" is owned by Dolphins SC. Ada joined the Otters' squad
    (Otters SC) in March and the Dolphins' squad (Dolphins SC) in May; coach Ben marked her
    last skill "shown" at the Dolphins' session on 3 June and she passed the final on 5 June:
    Dolphins SC issues it (2), although her oldest group is the Otters'. For a certification
    with no practical skills it would be Otters SC (3); for one owned by Swim Region, a
    federation, Swim Region whatever her groups (1). A year on, her re-check is marked at the
    Otters' pool: the renewed certificate is issued by Otters SC.
    """
    owner = certification.owner
    if owner is not None and owner.kind == Kind.FEDERATION:
        return owner
    if certification.assessed_in_session:  # the club of the group the assessment was for
        result = assessments.passing_result(trainee, certification)
        if result is not None:
            return Organisation.objects.get(groups=result.session.group_id)
    items = list(certification.items.required())
    signed_off = [
        mark
        for mark in standing_marks([trainee.pk], items).values()
        if mark.result == MarkResult.SHOWN and mark.group_id is not None
    ]
    if signed_off:
        latest = max(signed_off, key=lambda mark: mark.marked_at)
        club = Organisation.objects.filter(groups=latest.group_id).first()
        if club is not None:
            return club
    membership = (
        Membership.objects.active()
        .filter(trainee=trainee)
        .select_related("group__club")
        .order_by("joined_at", "pk")
        .first()
    )
    if membership is not None:
        return membership.group.club
    return owner or default_club()


def default_club():
    """The club named by DEFAULT_CLUB_NAME, with the slug training's 0010 gave it."""
    name = settings.DEFAULT_CLUB_NAME
    club, _created = Organisation.objects.get_or_create(
        slug=slugify(name)[:50] or "club", defaults={"name": name, "kind": Kind.CLUB}
    )
    return club


def issue_certificate(trainee, certification, *, now=None):
    """A new certificate stating what was shown (frozen.certificate_facts), with its number;
    None if another request issued it a moment ago."""
    now = now or timezone.now()
    issuer = certificate_issuer(trainee, certification)
    facts = frozen.certificate_facts(trainee, certification, issuer)
    try:
        with transaction.atomic():
            certificate = Certificate.objects.create(
                certification=certification,
                trainee=trainee,
                issuer=issuer,
                issued_at=now,
                valid_until=add_months(now, certification.validity_months),
                **facts,
            )
            _number(certificate)
    except IntegrityError:  # issued a moment ago by another request
        return None
    CertificateEvent.objects.create(
        certificate=certificate, kind=EventKind.ISSUED, at=now, valid_until=certificate.valid_until
    )
    return certificate


# Renewal (the rules and their dates: renewal.py) ----------------------------------------


class RenewalRefused(Exception):
    """The certificate cannot be renewed now; the message says why."""


def renewal_problem(certificate, refresher, *, now):
    """Why this renewal may not happen now, or None. refresher None: by the full course
    after a lapse. Read under the certificate's lock by renew_certificate."""
    certification = certificate.certification
    if certificate.revoked_at is not None:
        return gettext("A revoked certificate is not renewed.")
    if certificate.suspended_at is not None:
        return gettext("A suspended certificate is not renewed until it is reinstated.")
    if certificate.superseded_at is not None:
        return gettext("This certificate was reissued: renew the new one.")
    phase = renewal.phase(certificate.valid_until, certification, now)
    if refresher is None:
        if phase != renewal.Phase.LAPSED:
            return gettext("Only a lapsed certificate is renewed by the full course.")
        return None
    if refresher.completed_at is not None or refresher.expiring_on != certificate.valid_until:
        return gettext("This certificate was already renewed for this expiry date.")
    if phase == renewal.Phase.BEFORE_WINDOW:
        opens = renewal.window_opens(certificate.valid_until, certification)
        return gettext("Renewal opens on %(date)s.") % {
            "date": date_format(timezone.localtime(opens), "j M Y")
        }
    if phase == renewal.Phase.LAPSED:
        return gettext("The grace period is over: the full course renews it now.")
    if not cpd.cpd_met(certificate, now=now):
        return gettext("%(hours)s more CPD hours are needed to renew.") % {
            "hours": certification.cpd_hours_required - cpd.hours_done(certificate, now=now)
        }
    return None


def renew_certificate(certificate, refresher, *, now=None):
    """Renew by the rules of renewal.py: in the early-renewal window from the old expiry, in
    the grace period or by the full course after a lapse (refresher None) from `now`. The
    issuer is chosen again by the same rule (certificate_issuer): the re-check's club.

    The certificate (and refresher) rows are locked first, so of two renewals at once the
    second finds the expiry already moved and is refused (RenewalRefused, nothing changed)."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = (
            Certificate.objects.select_for_update()
            .select_related("certification", "trainee")
            .get(pk=certificate.pk)
        )
        if refresher is not None:
            refresher = Refresher.objects.select_for_update().get(pk=refresher.pk)
        problem = renewal_problem(locked, refresher, now=now)
        if problem is not None:
            raise RenewalRefused(problem)
        certification = locked.certification
        phase = renewal.phase(locked.valid_until, certification, now)
        locked.valid_until = renewal.renewed_until(locked.valid_until, certification, now)
        locked.renewed_at = now
        locked.issuer = certificate_issuer(locked.trainee, certification)
        # Everything else it states stays as issued; the issuer is the re-check's club.
        for field, value in frozen.issuer_names(locked.issuer).items():
            setattr(locked, field, value)
        locked.save(
            update_fields=[
                "valid_until",
                "renewed_at",
                "issuer",
                "issuer_name",
                "issuer_federation_name",
            ]
        )
        # The full course closes any refresher left open: it no longer renews anything.
        open_ones = [refresher.pk] if refresher is not None else []
        Refresher.objects.filter(
            Q(pk__in=open_ones) | Q(completed_at__isnull=True), certificate=locked
        ).update(completed_at=now)
        CertificateEvent.objects.create(
            certificate=locked,
            kind=EventKind.RENEWED,
            at=now,
            valid_until=locked.valid_until,
            reason=RENEWAL_REASONS[phase],
        )
    return locked


RENEWAL_REASONS = {
    renewal.Phase.WINDOW: "Renewed early: the new term runs from the old expiry date.",
    renewal.Phase.GRACE: "Renewed in the grace period: the new term runs from the renewal.",
    renewal.Phase.LAPSED: "Lapsed, renewed by the full course: the new term runs from then.",
}


def _number(certificate):
    """Give a new row its number, in the transaction that made it."""
    certificate.number = certificate_number(certificate)
    certificate.save(update_fields=["number"])


class ReissueRefused(Exception):
    """The certificate cannot be reissued; the message says why."""


# Copied to the new certificate as they were: everything it states but the holder's name.
REISSUE_KEEPS = [
    "certification_id", "trainee_id", "issuer_id", "certification_title", "issuer_name",
    "issuer_federation_name", "assessor_id", "assessor_name", "theory_percent",
    "theory_passed_at", "practical_at", "assessed", "valid_until", "renewed_at",
    "flagged_for_review", "flagged_at", "flag_reason",
]  # fmt: skip


def reissue_certificate(certificate, *, reason, by=None, now=None):
    """A new certificate in the holder's current name, with a new number and code, stating
    the same results and valid as long; the old one is superseded by it (and still verifies,
    saying so). Its open refresher moves with it. Returns the new certificate.

    Refused (ReissueRefused, nothing changed) for a revoked or already superseded one; of two
    reissues at once, the second waits for the first's lock and is refused."""
    now = now or timezone.now()
    with transaction.atomic():
        old = (
            Certificate.objects.select_for_update().select_related("trainee").get(pk=certificate.pk)
        )
        if old.revoked_at is not None:
            raise ReissueRefused(
                gettext("A revoked certificate cannot be reissued: it stays revoked.")
            )
        if old.suspended_at is not None:
            raise ReissueRefused(
                gettext("A suspended certificate cannot be reissued: reinstate it first.")
            )
        if old.superseded_at is not None and old.superseded_by is None:  # deleted since
            raise ReissueRefused(gettext("This certificate was already reissued."))
        if old.superseded_at is not None:
            raise ReissueRefused(
                gettext("This certificate was already reissued as %(number)s.")
                % {"number": old.superseded_by.number}
            )
        old.superseded_at = now  # first: only one certificate per trainee may be current
        old.save(update_fields=["superseded_at"])
        new = Certificate.objects.create(
            **{field: getattr(old, field) for field in REISSUE_KEEPS},
            holder_name=frozen.display_name(old.trainee),
            issued_at=now,
        )
        _number(new)
        old.superseded_by = new
        old.save(update_fields=["superseded_by"])
        Refresher.objects.filter(certificate=old, completed_at__isnull=True).update(certificate=new)
        CertificateEvent.objects.create(
            certificate=old, kind=EventKind.SUPERSEDED, at=now, by=by, reason=reason
        )
        CertificateEvent.objects.create(
            certificate=new,
            kind=EventKind.REISSUED,
            at=now,
            by=by,
            reason=reason,
            valid_until=new.valid_until,
        )
    return new


def revoke_certificate(certificate, *, reason, by=None, now=None):
    now = now or timezone.now()
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.revoked_at is not None:
            return locked
        locked.revoked_at, locked.revoked_reason, locked.revoked_by = now, reason, by
        locked.save(update_fields=["revoked_at", "revoked_reason", "revoked_by"])
        CertificateEvent.objects.create(
            certificate=locked, kind=EventKind.REVOKED, at=now, by=by, reason=reason
        )
    return locked


class SuspensionRefused(Exception):
    """The certificate cannot be suspended or reinstated; the message says why."""


def _suspension_problem(certificate):
    if certificate.revoked_at is not None:
        return gettext("A revoked certificate cannot be suspended or reinstated: it stays revoked.")
    if certificate.superseded_at is not None:
        return gettext(
            "This certificate was reissued: it cannot be suspended or reinstated; the new one can."
        )
    return None


def suspend_certificate(certificate, *, reason, by=None, now=None):
    """Take the certificate out of force for now (an inquiry, say) until reinstate_certificate:
    /verify/ and its Open Badges credentials say "suspended" (the issuer's suspension list), and
    it is not renewed meanwhile (treated like a revoked one by check_certification and
    renewal_problem). Refused (SuspensionRefused, nothing changed) when revoked or superseded;
    suspended twice, the first suspension and its reason stay."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        problem = _suspension_problem(locked)
        if problem is not None:
            raise SuspensionRefused(problem)
        if locked.suspended_at is not None:
            return locked
        locked.suspended_at, locked.suspended_reason = now, reason
        locked.save(update_fields=["suspended_at", "suspended_reason"])
        CertificateEvent.objects.create(
            certificate=locked, kind=EventKind.SUSPENDED, at=now, by=by, reason=reason
        )
    return locked


def reinstate_certificate(certificate, *, reason, by=None, now=None):
    """End a suspension: the certificate is in force again (its expiry unchanged) and its bit in
    the suspension list is cleared. Refused (SuspensionRefused) when revoked or superseded; one
    not suspended is left as it is."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        problem = _suspension_problem(locked)
        if problem is not None:
            raise SuspensionRefused(problem)
        if locked.suspended_at is None:
            return locked
        locked.suspended_at, locked.suspended_reason = None, ""
        locked.save(update_fields=["suspended_at", "suspended_reason"])
        CertificateEvent.objects.create(
            certificate=locked, kind=EventKind.REINSTATED, at=now, by=by, reason=reason
        )
    return locked


def flag_for_review(certificate, *, reason, now=None):
    """Keep the certificate (the public check still says valid) but show it to the coach as
    needing a look, with why; returns it. Flagged twice, the first reason stays."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.flagged_for_review:
            return locked
        locked.flagged_for_review, locked.flagged_at, locked.flag_reason = True, now, reason
        locked.save(update_fields=["flagged_for_review", "flagged_at", "flag_reason"])
        CertificateEvent.objects.create(
            certificate=locked, kind=EventKind.FLAGGED, at=now, reason=reason
        )
    return locked


def clear_review_flag(certificate, *, reason, by=None, now=None):
    """The flag has been dealt with (looked at, or the pass it rests on is back)."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if not locked.flagged_for_review:
            return locked
        locked.flagged_for_review, locked.flagged_at, locked.flag_reason = False, None, ""
        locked.save(update_fields=["flagged_for_review", "flagged_at", "flag_reason"])
        CertificateEvent.objects.create(
            certificate=locked, kind=EventKind.FLAG_CLEARED, at=now, by=by, reason=reason
        )
    return locked


def certificate_quizzes_passed(certificate):
    """Whether the quizzes a certificate rests on count as passed as they are graded now:
    each required quiz, and the refresher quiz since the refresher that last renewed it."""
    trainee, certification = certificate.trainee, certificate.certification
    if not all(quiz_passed(quiz, trainee) for quiz in certification.quizzes.all()):
        return False
    quiz = certification.refresher_quiz
    renewed_by = certificate.refreshers.filter(completed_at__isnull=False).first()
    if quiz is not None and renewed_by is not None:
        return quiz_passed(quiz, trainee, since=renewed_by.assigned_at)
    return True


def assign_refreshers(*, now=None):
    """Give a refresher to every live certificate whose early-renewal window has opened and
    whose grace period has not ended (renewal.py) that has none for this expiry date yet;
    returns the new refreshers. A lapsed certificate gets none: the full course renews it."""
    now = now or timezone.now()
    already = Refresher.objects.filter(
        certificate=OuterRef("pk"), expiring_on=OuterRef("valid_until")
    )
    # One condition per certification (a handful): each has its own window and grace.
    windows = Q(pk__in=[])
    rules = Certification.objects.values_list("pk", "early_renewal_days", "grace_days")
    for pk, early_days, grace_days in rules:
        windows |= Q(
            certification_id=pk,
            valid_until__lte=now + timedelta(days=early_days),
            valid_until__gt=now - timedelta(days=grace_days),
        )
    due = (
        Certificate.objects.active()
        .filter(windows, suspended_at__isnull=True)
        .filter(~Exists(already))
    )
    created = []
    for certificate in due:
        try:
            with transaction.atomic():
                refresher = Refresher.objects.create(
                    certificate=certificate, expiring_on=certificate.valid_until, assigned_at=now
                )
                CertificateEvent.objects.create(
                    certificate=certificate,
                    kind=EventKind.REFRESHER,
                    at=now,
                    valid_until=certificate.valid_until,
                )
        except IntegrityError:  # another server assigned it at the same moment
            continue
        created.append(refresher)
    return created


class MarkRefused(Exception):
    """The mark cannot be stored; the message says why."""


def existing_mark(key, trainee, item):
    """The mark already stored under this key (a resend), or None; refused (MarkRefused) if
    the key was used for someone or something else."""
    existing = PracticalMark.objects.filter(key=key).first()
    return _same_mark(existing, trainee, item) if existing is not None else None


def record_mark(
    *, key, coach, group, trainee, item, result, note="", marked_at=None, now=None, session=None
):
    """Store a poolside mark once per key; returns (mark, created). Checks the certification
    in the same transaction, so the last "shown" issues or renews the certificate (of a
    certification whose practical is not assessed in a session).

    A resend (a phone that lost its connection sends again) is found by the key's unique
    constraint, the same way as two copies arriving at once: one path for both."""
    now = now or timezone.now()
    if marked_at is None or marked_at > now or marked_at < now - OLDEST_OFFLINE_MARK:
        marked_at = now
    try:
        with transaction.atomic():
            mark = PracticalMark.objects.create(
                key=key,
                coach=coach,
                group=group,
                session=session,
                trainee=trainee,
                item=item,
                result=result,
                note=note,
                marked_at=marked_at,
            )
            check_certification(trainee, item.certification, now=now)
    except IntegrityError:  # a resend, or the same mark twice at once: the copy stored first
        return _same_mark(PracticalMark.objects.get(key=key), trainee, item), False
    return mark, True


def _same_mark(mark, trainee, item):
    if mark.trainee_id != trainee.pk or mark.item_id != item.pk:
        raise MarkRefused(gettext("That mark key was already used for another trainee or item."))
    return mark


def certifications_for_quiz(quiz):
    """Certifications that this quiz counts towards, as a requirement or a refresher, each
    with `requires`: whether it is a requirement (else only the refresher)."""
    required = Certification.quizzes.through.objects.filter(certification=OuterRef("pk"), quiz=quiz)
    return (
        Certification.objects.filter(Q(quizzes=quiz) | Q(refresher_quiz=quiz))
        .annotate(requires=Exists(required))
        .distinct()
    )


def has_open_refresher(trainee, certification):
    return Refresher.objects.filter(
        certificate__trainee=trainee,
        certificate__certification=certification,
        certificate__revoked_at__isnull=True,
        completed_at__isnull=True,
    ).exists()
