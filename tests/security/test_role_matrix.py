"""Every URL, requested by every role, with real objects: the status each role must get.

The list of URLs comes from the URL configuration itself, so a new URL without a row here
fails `test_every_url_is_in_the_matrix`. A URL may have more rows than one, for another method
or query (its CSV): their keys are the URL's name, a space, and what differs.

The world: a federation with two clubs. Club A runs group A ("Alpha squad": coach_a, trainee_a)
and has a club admin and an assessor; club B runs group B (coach_b, trainee_b) and has its own
club admin. Scoping is the security boundary: nobody reads or changes another club's data, and
the federation admin reads reports and the staff register but no one's answers.
"""

import base64
import re
import uuid
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.contrib import admin
from django.core import mail
from django.test import Client
from django.urls import URLResolver, get_resolver, resolve, reverse
from django.utils import timezone

from accounts.emails import make_token
from certification import assessments
from certification.cpd import log_pool_session
from certification.models import Certification, PracticalItem
from certification.openbadges import keys
from certification.services import issue_certificate
from lessons.services import mark_lesson_read
from organisations.logos import check_logo, set_logo
from organisations.models import Role
from organisations.services import grant_role, offer_role
from quizzes.media import check_image, save_images
from quizzes.models import QuestionImage
from quizzes.services import start_attempt
from tests.factories import (
    add_escape_ordering,
    add_single,
    make_admin,
    make_club,
    make_coach,
    make_federation,
    make_group,
    make_lesson,
    make_quiz,
    make_trainee,
    make_user,
)
from tests.training.conftest import take
from training.models import Invitation, ManagedAccount
from training.services import assign

ROLES = [
    "anonymous",
    "trainee_a",
    "trainee_b",
    "coach_a",
    "coach_b",
    "club_admin_a",
    "club_admin_b",
    "assessor_a",
    "federation_admin",
    "admin",
]
# Club B's people: whatever they open, nothing of club A is on the page.
PEOPLE_OF_B = ("trainee_b", "coach_b", "club_admin_b")
LOGIN = "login"  # a redirect to the log-in page
ADMIN_LOGIN = "admin-login"
CLUB_A = "Alphaville Swimming Club"
# Names that only club A's people (and the federation's admin) may ever see: its group, its
# trainee, the club itself, and its staff.
SECRETS_OF_A = ["Alpha squad", "alpha_trainee", CLUB_A, "alpha_chair", "alpha_coach"]
# Whoever holds a group's code or invitation sees its name and coach: that is what it is for.
# Whoever holds a certificate's code sees who issued it (the club): that is what it is for.
SHOWN_TO_CODE_HOLDERS = {
    "training:join_link": set(SECRETS_OF_A),
    "training:join_link (invitation)": set(SECRETS_OF_A),
    "verify_certificate": {CLUB_A},
    # An issuer's Open Badges profile is public: verifiers read the club's name there.
    "openbadges:issuer": {CLUB_A},
}
# A 4 x 3 PNG: a question image, and club A's logo.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAQAAAADCAIAAAA7ljmRAAAAFElEQVR4nGNkyNzCAANMDEgAhQMAKRkBI890pBIA"
    "AAAASUVORK5CYII="
)


@dataclass
class World:
    users: dict
    group: object
    lesson: object
    quiz: object
    open_attempt: object
    finished_attempt: object
    assignment: object
    image: object
    invitation: object
    certification: object = None
    certificate: object = None
    federation: object = None
    club: object = None  # club A
    offer: object = None  # club A offers assessor_a the coach role, to their account
    staff_invitation: object = None  # club A's e-mailed offer, waiting
    staff_role: object = None  # assessor_a's running role in club A
    session: object = None  # assessor_a's open assessment of group A; trainee_a's skill shown
    cpd_entry: object = None  # a pool session coach_a logged for trainee_a, to confirm


def build_world():
    federation = make_federation("Swim Region North")
    club_a = make_club(CLUB_A, federation=federation)
    club_b = make_club("Bravoton Swimming Club", federation=federation)
    set_logo(club_a, check_logo(PNG))
    club_admin_a, club_admin_b = make_user("alpha_chair"), make_user("bravo_chair")
    grant_role(club_admin_a, club_a, Role.CLUB_ADMIN)
    grant_role(club_admin_b, club_b, Role.CLUB_ADMIN)
    assessor_a = make_user("alpha_assessor")
    staff_role = grant_role(assessor_a, club_a, Role.ASSESSOR)
    federation_admin = make_user("region_admin")
    grant_role(federation_admin, federation, Role.FEDERATION_ADMIN)
    coach_a = make_coach("alpha_coach", club=club_a)
    coach_b = make_coach("bravo_coach", club=club_b)
    trainee_a, trainee_b = make_trainee("alpha_trainee"), make_trainee("bravo_trainee")
    group = make_group("Alpha squad", coaches=[coach_a], trainees=[trainee_a], club=club_a)
    make_group("Bravo squad", coaches=[coach_b], trainees=[trainee_b], club=club_b)
    lesson = make_lesson(is_published=True)
    mark_lesson_read(trainee_a, lesson)
    quiz = make_quiz("open-quiz", is_published=True, attempts_allowed=None)
    add_single(quiz)
    done_quiz = make_quiz("done-quiz", is_published=True)
    add_escape_ordering(done_quiz, must_pass=True)
    assign(group, done_quiz)
    finished = take(done_quiz, trainee_a, right=(1,))
    # trainee_a's account came from group A's roster (password already their own).
    ManagedAccount.objects.create(
        user=trainee_a, group=group, roster_key="alpha trainee", must_change_password=False
    )
    assignment = assign(group, quiz)
    # trainee_a holds a certificate; the public check shows the display name, not the username.
    trainee_a.first_name, trainee_a.last_name = "Alex", "Ample"
    trainee_a.save()
    certification = Certification.objects.create(
        assessed_in_session=False,
        slug="cramp-safe",
        title="Cramp-safe swimmer",
        cpd_hours_required=20,
    )
    PracticalItem.objects.create(certification=certification, order=1, text="Floats")
    certificate = issue_certificate(trainee_a, certification)
    keys.create_key(club_a)  # club A signs Open Badges (tests/security/conftest.py)
    session = assessments.open_session(
        assessor=assessor_a,
        group=group,
        certification=certification,
        held_on=timezone.localdate(),
        venue="Alpha pool",
        water="pool",
        depth_m=2,
    )
    assessments.record_assessment_mark(
        session, trainee_a, certification.items.get(), key=uuid.uuid4(), result="shown"
    )
    return World(
        users={
            "anonymous": None,
            "trainee_a": trainee_a,
            "trainee_b": trainee_b,
            "coach_a": coach_a,
            "coach_b": coach_b,
            "club_admin_a": club_admin_a,
            "club_admin_b": club_admin_b,
            "assessor_a": assessor_a,
            "federation_admin": federation_admin,
            "admin": make_admin("site_admin"),
        },
        group=group,
        lesson=lesson,
        quiz=quiz,
        open_attempt=start_attempt(quiz, trainee_a),
        finished_attempt=finished,
        assignment=assignment,
        certification=certification,
        certificate=certificate,
        image=store_image(),
        invitation=Invitation.objects.create(group=group, email="kid@example.com"),
        federation=federation,
        club=club_a,
        offer=offer_role(club_a, Role.COACH, invited_by=club_admin_a, person=assessor_a),
        staff_invitation=offer_role(
            club_a, Role.COACH, invited_by=club_admin_a, email="new.coach@example.com"
        ),
        staff_role=staff_role,
        session=session,
        cpd_entry=log_pool_session(
            coach=coach_a,
            trainee=trainee_a,
            certification=certification,
            hours="1.5",
            what="Pool session",
            done_on=timezone.localdate(),
        ),
    )


def store_image():
    """An image of a question bank, as an import stores it."""
    save_images([check_image("flag.png", PNG)])
    return QuestionImage.objects.get()


def everyone(status):
    return dict.fromkeys(ROLES, status)


def signed_in(status, anonymous=LOGIN):
    return {**everyone(status), "anonymous": anonymous}


def only(allowed, status, others, anonymous=LOGIN):
    return {**signed_in(others, anonymous), **dict.fromkeys(allowed, status)}


COACHES = ["coach_a", "coach_b", "club_admin_a", "club_admin_b"]
# Assessors and federation admins run no groups: the site treats them as it treats trainees.
TRAINEE_LIKE = ["trainee_a", "trainee_b", "assessor_a", "federation_admin"]


def coach_page(status=200):
    """A page of group A: its coach and club A's admin get in, club B's coach and admin find
    nothing, everyone else (assessors and the federation's admin too) is refused."""
    return {**only(["coach_a", "club_admin_a"], status, 403), "coach_b": 404, "club_admin_b": 404}


def own_attempt(status):
    return only(["trainee_a"], status, 404)


def seen_by_group_a_staff(status=200):
    """trainee_a's own, shown to whoever runs group A and to the site's admins."""
    return {**own_attempt(status), **dict.fromkeys(["coach_a", "club_admin_a", "admin"], status)}


def club_admin_page(status=200):
    """A staff page of club A: for its club admins; nobody else finds the club."""
    return only(["club_admin_a"], status, 404)


def club_report():
    """Club A's report and register: its club admins and its federation's admins."""
    return only(["club_admin_a", "federation_admin"], 200, 404)


def federation_page():
    return only(["federation_admin"], 200, 404)


def offer_to_assessor(status, *, others=404, anonymous=LOGIN):
    """Club A's offer to assessor_a's account: only they answer it."""
    return only(["assessor_a"], status, others, anonymous=anonymous)


# URL name (and what differs, for a second row) -> (method, kwargs from the world, data from
# the world: POSTed, or a GET's query, status per role)
MATRIX = {
    "home": ("get", None, None, signed_in(302, anonymous=200)),
    "healthz": ("get", None, None, everyone(200)),
    "favicon": ("get", None, None, everyone(301)),
    "login": ("get", None, None, everyone(200)),
    "logout": ("post", None, None, everyone(LOGIN)),
    "password_change": ("get", None, None, signed_in(200)),
    "password_change_done": ("get", None, None, signed_in(200)),
    "password_reset": ("get", None, None, everyone(200)),
    "password_reset_done": ("get", None, None, everyone(200)),
    "password_reset_confirm": (
        "get",
        lambda w: {"uidb64": "MQ", "token": "bad-token"},
        None,
        everyone(200),
    ),
    "password_reset_complete": ("get", None, None, everyone(200)),
    "lessons:course_list": ("get", None, None, signed_in(302)),
    "lessons:course_detail": (
        "get",
        lambda w: {"slug": w.lesson.course.slug},
        None,
        signed_in(200),
    ),
    "lessons:lesson_detail": (
        "get",
        lambda w: {"course_slug": w.lesson.course.slug, "lesson_slug": w.lesson.slug},
        None,
        signed_in(200),
    ),
    "lessons:mark_read": (
        "post",
        lambda w: {"course_slug": w.lesson.course.slug, "lesson_slug": w.lesson.slug},
        None,
        signed_in(302),
    ),
    "quizzes:quiz_list": ("get", None, None, signed_in(200)),
    "quizzes:quiz_detail": ("get", lambda w: {"slug": w.quiz.slug}, None, signed_in(200)),
    "quizzes:start_attempt": ("post", lambda w: {"slug": w.quiz.slug}, None, signed_in(302)),
    "quizzes:quiz_preview": (
        "get",
        lambda w: {"slug": w.quiz.slug},
        None,
        only(["admin"], 200, ADMIN_LOGIN, anonymous=ADMIN_LOGIN),
    ),
    # Question images: any signed-in person may see them (the address is the bytes' hash).
    "quizzes:question_image": (
        "get",
        lambda w: {"file_name": w.image.file_name},
        None,
        signed_in(200),
    ),
    "quizzes:attempt_page": ("get", lambda w: {"pk": w.open_attempt.pk}, None, own_attempt(200)),
    "quizzes:attempt_autosave": (
        "post",
        lambda w: {"pk": w.open_attempt.pk},
        None,
        own_attempt(200),
    ),
    "quizzes:attempt_summary": (
        "get",
        lambda w: {"pk": w.open_attempt.pk},
        None,
        own_attempt(200),
    ),
    "quizzes:attempt_submit": (
        "post",
        lambda w: {"pk": w.open_attempt.pk},
        None,
        own_attempt(302),
    ),
    "quizzes:attempt_result": (
        "get",
        lambda w: {"pk": w.finished_attempt.pk},
        None,
        seen_by_group_a_staff(),
    ),
    "training:coach_groups": ("get", None, None, only(COACHES, 200, 403)),
    "training:group_create": ("get", None, None, only(COACHES, 200, 403)),
    "training:group_dashboard": ("get", lambda w: {"pk": w.group.pk}, None, coach_page()),
    "training:group_export_csv": ("get", lambda w: {"pk": w.group.pk}, None, coach_page()),
    "training:group_members": ("get", lambda w: {"pk": w.group.pk}, None, coach_page()),
    "training:join_code_renew": ("post", lambda w: {"pk": w.group.pk}, None, coach_page(302)),
    "training:membership_remove": (
        "post",
        lambda w: {"pk": w.group.pk, "trainee_pk": w.users["trainee_a"].pk},
        None,
        coach_page(302),
    ),
    "training:trainee_detail": (
        "get",
        lambda w: {"pk": w.group.pk, "trainee_pk": w.users["trainee_a"].pk},
        None,
        coach_page(),
    ),
    "training:override_set": (
        "post",
        lambda w: {
            "pk": w.group.pk,
            "trainee_pk": w.users["trainee_a"].pk,
            "assignment_pk": w.assignment.pk,
        },
        lambda w: {
            f"a{w.assignment.pk}-extra_attempts": "1",
            f"a{w.assignment.pk}-extra_minutes": "5",
        },
        coach_page(302),
    ),
    "training:time_multiplier_set": (
        "post",
        lambda w: {"pk": w.group.pk, "trainee_pk": w.users["trainee_a"].pk},
        lambda w: {"time_multiplier": "1.50"},
        coach_page(302),
    ),
    "training:assignment_create": ("get", lambda w: {"pk": w.group.pk}, None, coach_page()),
    "training:assignment_delete": (
        "post",
        lambda w: {"pk": w.group.pk, "assignment_pk": w.assignment.pk},
        None,
        coach_page(302),
    ),
    "training:quiz_analysis": (
        "get",
        lambda w: {"pk": w.group.pk, "quiz_pk": w.finished_attempt.quiz_id},
        None,
        coach_page(),
    ),
    "training:my_assignments": ("get", None, None, signed_in(200)),
    "training:my_results": ("get", None, None, signed_in(200)),
    "training:join": ("get", None, None, everyone(200)),
    "training:join_link": ("get", lambda w: {"code": w.group.join_code}, None, everyone(200)),
    # An invitation bound to kid@example.com, which no account here has: whoever opens it
    # signed out may make an account; every account is told whose it is (403), except those
    # that may never join as trainees, who are told that instead.
    "training:join_link (invitation)": (
        "get",
        lambda w: {"code": w.invitation.token},
        None,
        {**everyone(403), "anonymous": 200, **dict.fromkeys([*COACHES, "admin"], 200)},
    ),
    # Open sign-up is off unless settings.OPEN_SIGNUP turns it on.
    "training:signup": ("get", None, None, everyone(404)),
    "training:invitation_withdraw": (
        "post",
        lambda w: {"pk": w.group.pk, "invitation_pk": w.invitation.pk},
        None,
        coach_page(302),
    ),
    "training:roster": ("get", lambda w: {"pk": w.group.pk}, None, coach_page()),
    "training:roster_cards": ("get", lambda w: {"pk": w.group.pk}, None, coach_page()),
    "training:roster_cards_csv": ("get", lambda w: {"pk": w.group.pk}, None, coach_page()),
    # trainee_a chose their own password and confirmed their address: the account is theirs,
    # so even group A's coach and club admin are refused (a page that says why).
    "training:managed_password_reset": (
        "post",
        lambda w: {"pk": w.group.pk, "trainee_pk": w.users["trainee_a"].pk},
        None,
        coach_page(403),
    ),
    "accounts:my_account": ("get", None, None, signed_in(200)),
    # The header's language switcher: anyone, signed in or not, back to the page they were on.
    "accounts:choose_language": ("post", None, lambda w: {"language": "ru"}, everyone(302)),
    # The strings of the site's JavaScript, in the page's language: public, like the scripts.
    "javascript-catalog": ("get", None, None, everyone(200)),
    "accounts:password": ("get", None, None, signed_in(200)),
    # Mails the link that confirms one's own address; every account's is confirmed here, so
    # it only goes back to My account.
    "accounts:email_confirm_send": ("post", None, None, signed_in(302)),
    # The link mailed to trainee_a's address: whoever holds it may confirm that address (the
    # link is the proof), signed in or not; it shows nothing of the account but the address.
    "accounts:email_confirm": (
        "get",
        lambda w: {"token": make_token(w.users["trainee_a"])},
        None,
        everyone(200),
    ),
    "accounts:leave_group": ("post", lambda w: {"group_pk": w.group.pk}, None, signed_in(302)),
    "accounts:download_data": ("get", None, None, signed_in(200)),
    "accounts:delete_account": ("get", None, None, only(TRAINEE_LIKE, 200, 403)),
    "verify_certificate": ("get", lambda w: {"code": w.certificate.code}, None, everyone(200)),
    # The paper: its holder and the issuing club's staff (club A's admin, the coach of the
    # holder's group there); the site's admins read certificates in the admin.
    "certification:certificate_pdf": (
        "get",
        lambda w: {"code": w.certificate.code},
        None,
        only(["trainee_a", "coach_a", "club_admin_a"], 200, 404),
    ),
    "certification:my_certificates": ("get", None, None, signed_in(200)),
    # The Open Badges credential: for whoever may have the paper.
    "certification:certificate_badge": (
        "get",
        lambda w: {"code": w.certificate.code, "fmt": "jwt"},
        None,
        only(["trainee_a", "coach_a", "club_admin_a"], 200, 404),
    ),
    # Anyone checks a credential; what verifiers fetch is public.
    "verify_credential": ("get", None, None, everyone(200)),
    "verify_credential (post)": (
        "post",
        None,
        lambda w: {"credential": "not a credential"},
        everyone(200),
    ),
    "openbadges:did_document": ("get", None, None, everyone(200)),
    "openbadges:issuer": ("get", lambda w: {"slug": w.club.slug}, None, everyone(200)),
    "openbadges:status_list": ("get", lambda w: {"slug": w.club.slug}, None, everyone(200)),
    "openbadges:suspension_list": ("get", lambda w: {"slug": w.club.slug}, None, everyone(200)),
    "openbadges:badge_image": ("get", None, None, everyone(200)),
    "certification:reminder_settings": ("get", None, None, signed_in(200)),
    "certification:poolside_index": ("get", lambda w: {"pk": w.group.pk}, None, coach_page(302)),
    "certification:poolside": (
        "get",
        lambda w: {"pk": w.group.pk, "slug": w.certification.slug},
        None,
        coach_page(),
    ),
    "certification:poolside_mark": (
        "post",
        lambda w: {"pk": w.group.pk, "slug": w.certification.slug},
        lambda w: {
            "key": "5f0b8a3e-8c1e-4d4b-9f51-2b7f6a0c9d11",
            "trainee": w.users["trainee_a"].pk,
            "item": w.certification.items.get().pk,
            "result": "shown",
        },
        coach_page(302),
    ),
    "certification:group_certificates": ("get", lambda w: {"pk": w.group.pk}, None, coach_page()),
    # Assessment sessions: the assessors' own; nobody else, club staff included, sees one.
    "certification:assessments": (
        "get",
        None,
        None,
        only(["assessor_a"], 200, 403),
    ),
    "certification:assessment": (
        "get",
        lambda w: {"pk": w.session.pk},
        None,
        only(["assessor_a"], 200, 404),
    ),
    "certification:assessment_mark": (
        "post",
        lambda w: {"pk": w.session.pk},
        lambda w: {
            "key": "6a1c9b4f-9d2f-4e5c-8a62-3c8f7b1d0e22",
            "trainee": w.users["trainee_a"].pk,
            "item": w.certification.items.get().pk,
            "result": "needs_practice",
        },
        only(["assessor_a"], 302, 404),
    ),
    "certification:assessment_finish": (
        "post",
        lambda w: {"pk": w.session.pk},
        lambda w: {"trainee": w.users["trainee_a"].pk},
        only(["assessor_a"], 302, 404),
    ),
    "certification:assessment_close": (
        "post",
        lambda w: {"pk": w.session.pk},
        None,
        only(["assessor_a"], 302, 404),
    ),
    "certification:certificate_revoke": (
        "post",
        lambda w: {"pk": w.group.pk, "certificate_pk": w.certificate.pk},
        lambda w: {f"c{w.certificate.pk}-reason": "Test"},
        coach_page(302),
    ),
    # Suspension and reinstatement: the issuing club's staff running the holder's group (the
    # reissue rule); everyone else finds nothing. Reinstating one not suspended changes nothing.
    "certification:certificate_suspend": (
        "post",
        lambda w: {"pk": w.group.pk, "certificate_pk": w.certificate.pk},
        lambda w: {f"s{w.certificate.pk}-reason": "Test"},
        only(["coach_a", "club_admin_a"], 302, 404),
    ),
    "certification:certificate_reinstate": (
        "post",
        lambda w: {"pk": w.group.pk, "certificate_pk": w.certificate.pk},
        lambda w: {f"r{w.certificate.pk}-reason": "Test"},
        only(["coach_a", "club_admin_a"], 302, 404),
    ),
    # A reissue (asked first, then posted): the issuing club's staff running the holder's
    # group; for anyone else, club B's staff, assessors and the federation's admin included,
    # the certificate is not there.
    "certification:certificate_reissue": (
        "get",
        lambda w: {"pk": w.group.pk, "certificate_pk": w.certificate.pk},
        None,
        only(["coach_a", "club_admin_a"], 200, 404),
    ),
    "certification:certificate_reissue (post)": (
        "post",
        lambda w: {"pk": w.group.pk, "certificate_pk": w.certificate.pk},
        lambda w: {"reason": "The holder changed their name."},
        only(["coach_a", "club_admin_a"], 302, 404),
    ),
    # CPD: a coach of the trainee's group logs a pool session; the trainee confirms their own.
    "certification:cpd_log": (
        "get",
        lambda w: {"pk": w.group.pk, "trainee_pk": w.users["trainee_a"].pk},
        None,
        coach_page(),
    ),
    "certification:cpd_log (post)": (
        "post",
        lambda w: {"pk": w.group.pk, "trainee_pk": w.users["trainee_a"].pk},
        lambda w: {
            "certification": w.certification.pk,
            "hours": "1",
            "what": "Pool session",
            "done_on": timezone.localdate().isoformat(),
        },
        coach_page(302),
    ),
    "certification:cpd_confirm": (
        "post",
        lambda w: {"pk": w.cpd_entry.pk},
        None,
        only(["trainee_a"], 302, 404),
    ),
    # My clubs and the offers made to one's own account.
    "organisations:my_clubs": ("get", None, None, signed_in(200)),
    "organisations:offer_accept": (
        "post",
        lambda w: {"pk": w.offer.pk},
        None,
        offer_to_assessor(302),
    ),
    "organisations:offer_decline": (
        "post",
        lambda w: {"pk": w.offer.pk},
        None,
        offer_to_assessor(302),
    ),
    # Club A's staff pages: its club admins only; the federation's admin changes no club.
    "organisations:club_staff": ("get", lambda w: {"slug": w.club.slug}, None, club_admin_page()),
    "organisations:club_invite": (
        "post",
        lambda w: {"slug": w.club.slug},
        lambda w: {"invite-email": "assessor@example.com", "invite-role": "assessor"},
        club_admin_page(302),
    ),
    "organisations:club_add_account": (
        "post",
        lambda w: {"slug": w.club.slug},
        lambda w: {"add-who": "alpha_trainee", "add-role": "assessor"},
        club_admin_page(302),
    ),
    "organisations:invitation_resend": (
        "post",
        lambda w: {"slug": w.club.slug, "pk": w.staff_invitation.pk},
        None,
        club_admin_page(302),
    ),
    "organisations:invitation_withdraw": (
        "post",
        lambda w: {"slug": w.club.slug, "pk": w.staff_invitation.pk},
        None,
        club_admin_page(302),
    ),
    "organisations:role_end": (
        "get",
        lambda w: {"slug": w.club.slug, "pk": w.staff_role.pk},
        None,
        club_admin_page(),
    ),
    "organisations:role_end (post)": (
        "post",
        lambda w: {"slug": w.club.slug, "pk": w.staff_role.pk},
        None,
        club_admin_page(302),
    ),
    "organisations:federation": (
        "get",
        lambda w: {"slug": w.federation.slug},
        None,
        federation_page(),
    ),
    # The link of an offer: whoever holds it sees what is offered; only the account it was made
    # to answers it (a signed-out visitor is sent to log in first).
    "organisations:staff_invitation": (
        "get",
        lambda w: {"token": w.offer.token},
        None,
        offer_to_assessor(200, others=403, anonymous=200),
    ),
    "organisations:staff_invitation (post)": (
        "post",
        lambda w: {"token": w.offer.token},
        None,
        offer_to_assessor(302, others=403),
    ),
    "organisations:staff_invitation_decline": (
        "post",
        lambda w: {"token": w.offer.token},
        None,
        offer_to_assessor(302, others=403),
    ),
    # Club A's offer e-mailed to an address none of them has confirmed: signed out, the page
    # offers to log in or sign up with it; every account is refused, whatever it holds.
    "organisations:staff_invitation (e-mailed)": (
        "get",
        lambda w: {"token": w.staff_invitation.token},
        None,
        signed_in(403, anonymous=200),
    ),
    "organisations:staff_invitation (e-mailed, post)": (
        "post",
        lambda w: {"token": w.staff_invitation.token},
        None,
        signed_in(403, anonymous=400),
    ),
    "organisations:staff_invitation_decline (e-mailed)": (
        "post",
        lambda w: {"token": w.staff_invitation.token},
        None,
        signed_in(403),
    ),
    # Logos are public, as the /verify/ page that shows them.
    "organisation_logos:logo": (
        "get",
        lambda w: logo_kwargs(w.club),
        None,
        everyone(200),
    ),
    # Reports and registers: counts and staff, never anyone's answers.
    "organisation_reports:club": ("get", lambda w: {"slug": w.club.slug}, None, club_report()),
    "organisation_reports:club (csv)": (
        "get",
        lambda w: {"slug": w.club.slug},
        lambda w: {"format": "csv"},
        club_report(),
    ),
    "organisation_reports:club_register": (
        "get",
        lambda w: {"slug": w.club.slug},
        None,
        club_report(),
    ),
    "organisation_reports:club_register (csv)": (
        "get",
        lambda w: {"slug": w.club.slug},
        lambda w: {"format": "csv"},
        club_report(),
    ),
    "organisation_reports:federation": (
        "get",
        lambda w: {"slug": w.federation.slug},
        None,
        federation_page(),
    ),
    "organisation_reports:federation (csv)": (
        "get",
        lambda w: {"slug": w.federation.slug},
        lambda w: {"format": "csv"},
        federation_page(),
    ),
    "organisation_reports:federation_register": (
        "get",
        lambda w: {"slug": w.federation.slug},
        None,
        federation_page(),
    ),
    "organisation_reports:federation_register (csv)": (
        "get",
        lambda w: {"slug": w.federation.slug},
        lambda w: {"format": "csv"},
        federation_page(),
    ),
}


def logo_kwargs(organisation):
    """The kwargs of the organisation's logo address, read back from the address itself."""
    match = resolve(organisation.logo_url)
    assert match.view_name == "organisation_logos:logo"
    return match.kwargs


def url_name(key):
    """The URL name of a row's key ("name" or "name (what differs)")."""
    return key.partition(" ")[0]


def url_names(patterns=None, namespace=None):
    """Every named URL of the site except Django's admin (checked below, model by model)."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            yield from url_names(pattern.url_patterns, pattern.namespace or namespace)
        else:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_url_is_in_the_matrix():
    assert set(url_names()) == {url_name(key) for key in MATRIX}


def test_every_role_has_a_status_in_every_row():
    assert {key: sorted(row[3]) for key, row in MATRIX.items() if set(row[3]) != set(ROLES)} == {}


def sign_in(client, world, role):
    user = world.users[role]
    if user is not None:
        client.force_login(user)


def send(client, world, name):
    method, kwargs, data, _ = MATRIX[name]
    url = reverse(url_name(name), kwargs=kwargs(world) if kwargs else None)
    return getattr(client, method)(url, data(world) if data else {})


def request_as(client, world, role, name):
    sign_in(client, world, role)
    return send(client, world, name)


def outcome(response):
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith(reverse("admin:login")):
            return ADMIN_LOGIN
        if location.startswith(reverse("login")):
            return LOGIN
    return response.status_code


# What a refused request must leave as it was: staff, offers, groups, members, work, marks,
# certificates, attempts and accounts.
WATCHED_MODELS = [
    "auth.User",
    "organisations.Organisation",
    "organisations.StaffRole",
    "organisations.StaffInvitation",
    "training.TrainingGroup",
    "training.Membership",
    "training.Assignment",
    "training.QuizOverride",
    "training.Invitation",
    "training.ManagedAccount",
    "certification.PracticalMark",
    "certification.AssessmentSession",
    "certification.AssessmentResult",
    "certification.Certificate",
    "certification.CPDEntry",
    "lessons.LessonProgress",
    "quizzes.Attempt",
]
REFUSED = {403, 404, LOGIN, ADMIN_LOGIN}


def snapshot():
    """Every row of the watched models, every field."""
    rows = {}
    for label in WATCHED_MODELS:
        model = apps.get_model(label)
        fields = [field.attname for field in model._meta.concrete_fields]
        rows[label] = list(model._base_manager.order_by("pk").values_list(*fields))
    return rows


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_role_gets_the_expected_status(client, db, name, role):
    world = build_world()
    sign_in(client, world, role)
    before = snapshot()
    mail.outbox.clear()
    response = send(client, world, name)
    expected = MATRIX[name][3][role]
    assert outcome(response) == expected
    if name.endswith("(csv)") and expected == 200:
        assert response["Content-Type"].startswith("text/csv")
    if expected in REFUSED:
        assert snapshot() == before, "a refused request changed something"
        assert not mail.outbox
    if role in PEOPLE_OF_B and response.status_code == 200:
        page = b"".join(response) if response.streaming else response.content
        page = page.decode(errors="replace")
        shown = SHOWN_TO_CODE_HOLDERS.get(name, set())
        assert not [secret for secret in SECRETS_OF_A if secret in page and secret not in shown]


def csrf_cases():
    """Each POST row, by the first signed-in role it lets through."""
    for name, (method, _, _, statuses) in sorted(MATRIX.items()):
        allowed = [r for r in ROLES if r != "anonymous" and statuses[r] not in REFUSED]
        if method == "post" and allowed:
            yield name, allowed[0]


def csrf_token(client):
    page = client.get(reverse("login")).content.decode()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


@pytest.mark.parametrize(("name", "role"), list(csrf_cases()))
def test_a_post_needs_the_csrf_token(db, name, role):
    """The matrix's client skips CSRF checks; a browser's does not: without the token the role
    the row lets in is refused and nothing changes, with it the row's status holds."""
    browser = Client(enforce_csrf_checks=True)
    world = build_world()
    sign_in(browser, world, role)
    before = snapshot()
    mail.outbox.clear()
    assert send(browser, world, name).status_code == 403
    assert snapshot() == before
    assert not mail.outbox
    _, kwargs, data, statuses = MATRIX[name]
    url = reverse(url_name(name), kwargs=kwargs(world) if kwargs else None)
    posted = {**(data(world) if data else {}), "csrfmiddlewaretoken": csrf_token(browser)}
    assert outcome(browser.post(url, posted)) == statuses[role]


def admin_urls():
    for model in admin.site._registry:
        info = model._meta.app_label, model._meta.model_name
        yield f"admin:{info[0]}_{info[1]}_changelist"


@pytest.mark.parametrize("name", sorted(admin_urls()))
def test_only_admins_reach_the_admin(client, db, name):
    world = build_world()
    url = reverse(name)
    for role in ["trainee_a", "coach_a", "club_admin_a", "assessor_a", "federation_admin"]:
        client.force_login(world.users[role])
        assert outcome(client.get(url)) == ADMIN_LOGIN
    client.logout()
    assert outcome(client.get(url)) == ADMIN_LOGIN
    client.force_login(world.users["admin"])
    assert client.get(url).status_code == 200
