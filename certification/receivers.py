"""How certification plugs into the apps below it (registered in CertificationConfig.ready)."""

from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.formats import date_format
from django.utils.translation import gettext

from certification import cpd, selectors, services
from certification.course_files import (
    CertificationFileError,
    export_certifications,
    load_certifications,
)
from certification.models import Certificate, CertificateState, certificate_state
from crampcourse.addresses import reverse_remembered
from lessons.course_files import CourseFileError
from lessons.signals import course_exported, course_loaded
from quizzes.models import GradingMethod
from training.hooks import ColumnCell, DashboardColumn, ExtraWork, GroupLink


def certify_after_attempt(attempt, now, *, backdate=False):
    """A finished attempt may be the last requirement (or the refresher): check, in the same
    transaction as the score. backdate: date it when the requirements were met (a regrade).

    A quiz graded by the average can be passed by an attempt that fails on its own (a must-pass
    question right in this one, the marks in an earlier one): check after each of its attempts."""
    if not attempt.passed and attempt.quiz.grading_method != GradingMethod.AVERAGE:
        return
    certifications = list(services.certifications_for_quiz(attempt.quiz))
    # CPD first: the hours this attempt logs may be what a renewal is waiting for.
    cpd.log_quiz_attempt(attempt, certifications)
    for certification in certifications:
        if not certification.requires and not services.has_open_refresher(
            attempt.trainee, certification
        ):
            continue  # the refresher quiz taken for practice: nothing to renew
        services.check_certification(attempt.trainee, certification, now=now, backdate=backdate)


def practical_still_to_do(attempt):
    """On a passed quiz's result page: the certification it counts towards still needs the
    practical (and, if so, who signs it off), so passing the final does not read as certified."""
    if not attempt.passed:
        return []
    notes = []
    for certification in services.certifications_for_quiz(attempt.quiz).filter(requires=True):
        if (
            Certificate.objects.active()
            .filter(trainee=attempt.trainee_id, certification=certification)
            .exists()
        ):
            continue
        if not certification.items.required().exists():
            continue
        if services.practical_done(attempt.trainee, certification):
            continue
        if certification.assessed_in_session:
            text = gettext(
                "This counts towards “%(title)s”. The certificate also needs the practical: "
                "show the skills at the pool to an assessor from your club."
            )
        else:
            text = gettext(
                "This counts towards “%(title)s”. The certificate also needs the practical: "
                "show the skills at the pool to your coach."
            )
        notes.append(text % {"title": certification.title})
    return notes


def review_after_regrade(attempt, was_passed):
    """A regrade turned a fail into a pass or a pass into a fail (inside its transaction).

    Newly passed: certified (or renewed) as if it had happened then: as of the attempt's
    finish, or of the later moment the other requirements were met. Newly failed: the trainee
    keeps the certificate, flagged for a coach to look at, unless the quizzes it rests on are
    still passed. A flag whose quizzes are passed again (a later regrade) is cleared."""
    if bool(attempt.passed) == bool(was_passed):
        return
    if attempt.passed:
        certify_after_attempt(attempt, attempt.finished_at, backdate=True)
    certificates = Certificate.objects.filter(
        trainee=attempt.trainee_id,
        certification__in=services.certifications_for_quiz(attempt.quiz),
        revoked_at__isnull=True,
    ).select_related("certification", "trainee")
    when = date_format(timezone.localtime(attempt.finished_at), "j M Y")
    values = {"quiz": attempt.quiz.title, "number": attempt.number, "finished": when}
    for certificate in certificates:
        passed = services.certificate_quizzes_passed(certificate)
        if not attempt.passed and not passed:
            reason = gettext(
                "A regrade of “%(quiz)s” turned attempt %(number)s (finished %(finished)s) "
                "from passed to failed."
            )
            services.flag_for_review(certificate, reason=reason % values)
        elif attempt.passed and passed and certificate.flagged_for_review:
            reason = gettext(
                "A later regrade of “%(quiz)s” turned attempt %(number)s (finished "
                "%(finished)s) back to passed."
            )
            services.clear_review_flag(certificate, reason=reason % values)


COLUMN_STATES = [
    CertificateState.VALID,
    CertificateState.EXPIRING,
    CertificateState.EXPIRED,
    CertificateState.REVOKED,
    CertificateState.SUSPENDED,
    CertificateState.NONE,
]


def certified_until_columns(group, trainee_ids, now):
    """ "<certification>: certified until" on the dashboard and CSV; one query."""
    columns = []
    tz = timezone.get_current_timezone()  # once, not once a trainee
    # The labels in the reader's language, translated once here rather than once a cell.
    states = [(state, str(state.label)) for state in COLUMN_STATES]
    labels = dict(states)
    empty = ColumnCell("–", CertificateState.NONE, labels[CertificateState.NONE])
    months = {number: str(name).title() for number, name in MONTHS_3.items()}  # as "M" does
    held = selectors.certificate_dates_by_certification(trainee_ids)
    for index, ((pk, title), dates) in enumerate(held.items()):
        column = DashboardColumn(
            key="cert" if index == 0 else f"cert{pk}",
            title=gettext("%(title)s: certified until") % {"title": title},
            states=states,
            empty=empty,
        )
        for trainee_id, (valid_until, revoked_at, suspended_at) in dates.items():
            state = certificate_state(valid_until, revoked_at, now)
            if suspended_at is not None and revoked_at is None:  # revoked wins (Certificate.state)
                state = CertificateState.SUSPENDED
            # Not Django's date filter: one per trainee (see training_tags.due_time); the month
            # names were translated once, above.
            local = timezone.localtime(valid_until, tz)
            column.cells[trainee_id] = ColumnCell(
                f"{local.day} {months[local.month]} {local.year}", state, labels[state]
            )
        columns.append(column)
    return columns


def poolside_links(group):
    """Fixed links, no query: they show on every page of a group."""
    return [
        GroupLink(
            gettext("Poolside"),
            reverse_remembered("certification:poolside_index", [group.pk]),
            "poolside",
        ),
        GroupLink(
            gettext("Certificates"),
            reverse_remembered("certification:group_certificates", [group.pk]),
            "certificates",
        ),
    ]


def refresher_work(trainee, now):
    """An open refresher that can still renew shows at the top of the trainee's assignments."""
    work = []
    for refresher in selectors.renewable_refreshers_of(trainee, now):
        certificate = refresher.certificate
        certification, valid_until = certificate.certification, certificate.valid_until
        expired = valid_until <= now
        if certification.refresher_quiz_id:
            url = certification.refresher_quiz.get_absolute_url()
        else:  # a certification without a refresher quiz: the practical re-check only
            url = reverse("certification:my_certificates")
        when = date_format(timezone.localtime(valid_until), "j M Y")
        work.append(
            ExtraWork(
                title=gettext("Refresher: %(title)s") % {"title": certification.title},
                url=url,
                status="overdue" if expired else "in_progress",
                status_label=gettext("Certificate expired")
                if expired
                else gettext("Renew before it expires"),
                note=(gettext("Expired %(date)s.") if expired else gettext("Expires %(date)s."))
                % {"date": when}
                + " "
                + gettext(
                    "Pass the refresher quiz and show the practical skills again at the pool."
                ),
            )
        )
    return work


@receiver(course_loaded)
def load_course_certifications(sender, course, directory, force, report, **kwargs):
    try:
        load_certifications(directory, force=force, report=report)
    except CertificationFileError as error:
        raise CourseFileError(str(error)) from error


@receiver(course_exported)
def export_course_certifications(sender, course, directory, report, **kwargs):
    report.extend(export_certifications(directory, course))
