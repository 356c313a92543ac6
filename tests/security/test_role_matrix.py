"""Every URL, requested by every role, with real objects: the status each role must get.

The list of URLs comes from the URL configuration itself, so a new URL without a row here
fails `test_every_url_is_in_the_matrix`.
"""

import base64
from dataclasses import dataclass

import pytest
from django.contrib import admin
from django.urls import URLResolver, get_resolver, reverse

from certification.models import Certification, PracticalItem
from certification.services import issue_certificate
from lessons.services import mark_lesson_read
from quizzes.media import check_image, save_images
from quizzes.models import QuestionImage
from quizzes.services import start_attempt
from tests.factories import (
    add_escape_ordering,
    add_single,
    make_admin,
    make_coach,
    make_group,
    make_lesson,
    make_quiz,
    make_trainee,
)
from tests.training.conftest import take
from training.models import Invitation, ManagedAccount
from training.services import assign

ROLES = ["anonymous", "trainee_a", "trainee_b", "coach_a", "coach_b", "admin"]
LOGIN = "login"  # a redirect to the log-in page
ADMIN_LOGIN = "admin-login"
# Names that only group A's people may ever see.
SECRETS_OF_A = ["Alpha squad", "alpha_trainee"]
# Whoever holds a group's code or invitation sees its name and coach: that is what it is for.
SHOWN_TO_CODE_HOLDERS = {"training:join_link"}


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


def build_world():
    coach_a, coach_b = make_coach("alpha_coach"), make_coach("bravo_coach")
    trainee_a, trainee_b = make_trainee("alpha_trainee"), make_trainee("bravo_trainee")
    group = make_group("Alpha squad", coaches=[coach_a], trainees=[trainee_a])
    make_group("Bravo squad", coaches=[coach_b], trainees=[trainee_b])
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
    certification = Certification.objects.create(slug="cramp-safe", title="Cramp-safe swimmer")
    PracticalItem.objects.create(certification=certification, order=1, text="Floats")
    certificate = issue_certificate(trainee_a, certification)
    return World(
        users={
            "anonymous": None,
            "trainee_a": trainee_a,
            "trainee_b": trainee_b,
            "coach_a": coach_a,
            "coach_b": coach_b,
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
    )


def store_image():
    """An image of a question bank, as an import stores it."""
    data = base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAQAAAADCAIAAAA7ljmRAAAAFElEQVR4nGNkyNzCAANMDEgAhQMAKRkBI890pBIA"
        "AAAASUVORK5CYII="
    )
    save_images([check_image("flag.png", data)])
    return QuestionImage.objects.get()


def everyone(status):
    return dict.fromkeys(ROLES, status)


def signed_in(status, anonymous=LOGIN):
    return {**everyone(status), "anonymous": anonymous}


def only(allowed, status, others, anonymous=LOGIN):
    return {**signed_in(others, anonymous), **dict.fromkeys(allowed, status)}


def coach_page(status=200):
    """A page of group A: its coach gets in, the other coach finds nothing, others are refused."""
    return {**only(["coach_a"], status, 403), "coach_b": 404}


def own_attempt(status):
    return only(["trainee_a"], status, 404)


# name -> (method, kwargs from the world, POST data from the world, status per role)
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
        {**own_attempt(200), "coach_a": 200, "admin": 200},
    ),
    "training:coach_groups": ("get", None, None, only(["coach_a", "coach_b"], 200, 403)),
    "training:group_create": ("get", None, None, only(["coach_a", "coach_b"], 200, 403)),
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
    "training:managed_password_reset": (
        "post",
        lambda w: {"pk": w.group.pk, "trainee_pk": w.users["trainee_a"].pk},
        None,
        coach_page(302),
    ),
    "accounts:my_account": ("get", None, None, signed_in(200)),
    "accounts:password": ("get", None, None, signed_in(200)),
    "accounts:leave_group": ("post", lambda w: {"group_pk": w.group.pk}, None, signed_in(302)),
    "accounts:download_data": ("get", None, None, signed_in(200)),
    "accounts:delete_account": ("get", None, None, only(["trainee_a", "trainee_b"], 200, 403)),
    "verify_certificate": ("get", lambda w: {"code": w.certificate.code}, None, everyone(200)),
    "certification:certificate_pdf": (
        "get",
        lambda w: {"code": w.certificate.code},
        None,
        {**own_attempt(200), "coach_a": 200, "admin": 200},
    ),
    "certification:my_certificates": ("get", None, None, signed_in(200)),
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
    "certification:certificate_revoke": (
        "post",
        lambda w: {"pk": w.group.pk, "certificate_pk": w.certificate.pk},
        lambda w: {f"c{w.certificate.pk}-reason": "Test"},
        coach_page(302),
    ),
}


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
    assert set(url_names()) == set(MATRIX)


def request_as(client, world, role, name):
    method, kwargs, data, _ = MATRIX[name]
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    url = reverse(name, kwargs=kwargs(world) if kwargs else None)
    return getattr(client, method)(url, data(world) if data else {})


def outcome(response):
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith(reverse("admin:login")):
            return ADMIN_LOGIN
        if location.startswith(reverse("login")):
            return LOGIN
    return response.status_code


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_role_gets_the_expected_status(client, db, name, role):
    world = build_world()
    response = request_as(client, world, role, name)
    expected = MATRIX[name][3][role]
    assert outcome(response) == expected
    if (
        role in ("trainee_b", "coach_b")
        and response.status_code == 200
        and name not in SHOWN_TO_CODE_HOLDERS
    ):
        page = response.content.decode(errors="replace")
        assert not [secret for secret in SECRETS_OF_A if secret in page]


def admin_urls():
    for model in admin.site._registry:
        info = model._meta.app_label, model._meta.model_name
        yield f"admin:{info[0]}_{info[1]}_changelist"


@pytest.mark.parametrize("name", sorted(admin_urls()))
def test_only_admins_reach_the_admin(client, db, name):
    world = build_world()
    url = reverse(name)
    for role in ["trainee_a", "coach_a"]:
        client.force_login(world.users[role])
        assert outcome(client.get(url)) == ADMIN_LOGIN
    client.logout()
    assert outcome(client.get(url)) == ADMIN_LOGIN
    client.force_login(world.users["admin"])
    assert client.get(url).status_code == 200
