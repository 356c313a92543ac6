"""What a certificate states is frozen at issue: a rename, a retitled certification or a
renamed coach changes nothing on the paper, /verify/ or the lists. A new name is printed by a
reissue, which supersedes the old certificate; both still verify, each with its state."""

import io
import re
import uuid
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pypdf
import pypdfium2
import pytest
import time_machine
from django.conf import settings
from django.db import IntegrityError, connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image, ImageDraw

from certification.models import (
    Certificate,
    CertificateEvent,
    CertificateState,
    EventKind,
    PracticalItem,
    Refresher,
)
from certification.services import (
    ReissueRefused,
    issue_certificate,
    reissue_certificate,
    renew_certificate,
    revoke_certificate,
)
from organisations.logos import check_logo, set_logo
from organisations.models import Role
from organisations.services import grant_role
from tests.certification.conftest import SKILLS, mark_all_shown, submit_over_http
from tests.certification.test_issuing import at_once
from tests.factories import (
    add_single,
    make_club,
    make_coach,
    make_group,
    make_quiz,
    make_trainee,
    make_user,
)
from tests.training.conftest import take
from training.models import Membership

NUMBER = re.compile(r"^CC-(\d{4})-(\d{6})$")


@pytest.fixture
def ben(dolphins):
    """The Dolphins' coach who signs the practical off."""
    coach = make_coach("ben", club=dolphins)
    coach.first_name, coach.last_name = "Ben", "Marsh"
    coach.save()
    return coach


@pytest.fixture
def ada(db):
    trainee = make_trainee("ada")
    trainee.first_name = "Ada Swimmer"  # My account keeps the display name in first_name
    trainee.save()
    return trainee


@pytest.fixture
def squad(dolphins, ben, ada):
    return make_group("Dolphins squad", coaches=[ben], trainees=[ada], club=dolphins)


@pytest.fixture
def earned(client, certification, final, ben, ada, squad):
    """Ada's certificate, earned as at the pool: the final passed, then every skill shown."""
    attempt = submit_over_http(client, final, ada)
    client.force_login(ben)
    mark_all_shown(client, squad, certification, ada)
    certificate = Certificate.objects.get(trainee=ada)
    certificate.passing_attempt = attempt
    return certificate


def rename(client, user, name):
    """The holder renames themselves on My account."""
    client.force_login(user)
    response = client.post(
        reverse("accounts:my_account"), {"first_name": name, "email": user.email}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.get_full_name() == name


def pdf_text(client, user, certificate):
    client.force_login(user)
    response = client.get(reverse("certification:certificate_pdf", args=[certificate.code]))
    assert response.status_code == 200
    return " ".join(pypdf.PdfReader(io.BytesIO(response.content)).pages[0].extract_text().split())


def verify_main(client, certificate):
    response = client.get(f"/verify/{certificate.code}/")
    assert response.status_code == 200
    page = response.content.decode()
    return page[page.index("<main") : page.index("</main>")]


def reissue_url(group, certificate):
    return reverse("certification:certificate_reissue", args=[group.pk, certificate.pk])


# Frozen at issue ---------------------------------------------------------------------------


def test_the_certificate_states_what_was_shown_when_it_was_issued(earned, ada, ben, final):
    attempt = earned.passing_attempt
    attempt.refresh_from_db()
    last_mark = ada.practical_marks.order_by("marked_at").last()
    assert earned.holder_name == "Ada Swimmer"
    assert earned.certification_title == "Cramp-safe swimmer"
    assert (earned.issuer_name, earned.issuer_federation_name) == ("Dolphins SC", "Swim Region")
    assert (earned.assessor, earned.assessor_name) == (ben, "Ben Marsh")
    assert earned.theory_percent == Decimal("100.00")
    assert earned.theory_passed_at == attempt.finished_at
    assert earned.practical_at == last_mark.marked_at
    assert earned.assessed == SKILLS
    year, serial = NUMBER.match(earned.number).groups()
    assert int(year) == timezone.localtime(earned.issued_at).year
    assert int(serial) == earned.pk


def test_a_rename_after_issue_changes_nothing_the_certificate_says(
    client, earned, ada, ben, squad, certification
):
    rename(client, ada, "Ada Jones")
    certification.title = "Cramp first response"
    certification.save()
    ben.first_name = "Benjamin"
    ben.save()
    PracticalItem.objects.filter(certification=certification).update(text="Reworded")

    main = verify_main(client, earned)
    assert "Ada Swimmer" in main
    assert "Cramp-safe swimmer" in main
    assert "Ada Jones" not in main
    text = pdf_text(client, ada, earned)
    for stated in ["Ada Swimmer", "Cramp-safe swimmer", "Ben Marsh", earned.number, SKILLS[0]]:
        assert stated in text
    for live in ["Ada Jones", "Cramp first response", "Benjamin", "Reworded"]:
        assert live not in text
    client.force_login(ada)
    mine = client.get(reverse("certification:my_certificates")).content.decode()
    assert "Issued in the name Ada Swimmer." in mine
    assert "Your name is now Ada Jones" in mine
    client.force_login(ben)
    listed = client.get(reverse("certification:group_certificates", args=[squad.pk]))
    listed = listed.content.decode()
    assert "Ada Swimmer: Cramp-safe swimmer" in listed
    assert "The trainee is now called Ada Jones" in listed
    assert reissue_url(squad, earned) in listed  # the way to print the new name


def test_the_theory_is_the_weakest_quiz_at_its_first_pass_and_the_latest_date(
    certification, final, ada
):
    second = make_quiz("second-check", pass_mark=50, attempts_allowed=None, is_published=True)
    add_single(second)
    certification.quizzes.add(second)
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False) as clock:
        take(final, ada)  # all blank: failed
        clock.shift(timedelta(days=1))
        passed = take(final, ada, right=(2,))  # the must-pass steps only: 4 of 5 points
        clock.shift(timedelta(days=1))
        take(final, ada, right=(1, 2))  # 100% later: the pass was the day before
        clock.shift(timedelta(days=1))
        last = take(second, ada, right=(1,))
        certificate = issue_certificate(ada, certification)
    assert passed.passed
    assert certificate.theory_percent == Decimal("80.00")  # the lower of 80% and 100%
    assert certificate.theory_passed_at == last.finished_at  # when the theory was complete


def test_a_renewal_keeps_what_the_certificate_states_and_its_number(client, earned, ada):
    rename(client, ada, "Ada Jones")
    refresher = Refresher.objects.create(
        certificate=earned, expiring_on=earned.valid_until, assigned_at=timezone.now()
    )
    renewed = renew_certificate(earned, refresher, now=earned.valid_until - timedelta(days=5))
    renewed.refresh_from_db()
    assert renewed.valid_until > earned.issued_at + timedelta(days=700)
    assert (renewed.number, renewed.holder_name) == (earned.number, "Ada Swimmer")
    assert renewed.issuer_name == "Dolphins SC"


def test_numbers_are_unique_and_say_the_year(certification, ada):
    other = make_trainee()
    with time_machine.travel("2031-03-04 12:00Z", tick=False):
        first = issue_certificate(ada, certification)
        second = issue_certificate(other, certification)
    assert first.number.startswith("CC-2031-")
    assert second.number.startswith("CC-2031-")
    assert first.number != second.number
    with pytest.raises(IntegrityError):
        Certificate.objects.filter(pk=second.pk).update(number=first.number)


# Reissue -----------------------------------------------------------------------------------


@pytest.fixture
def chair(dolphins):
    """The Dolphins' club admin, who coaches no group."""
    person = make_user("dolphins_chair")
    grant_role(person, dolphins, Role.CLUB_ADMIN)
    return person


@pytest.mark.parametrize("who", ["ben", "chair"])
def test_the_issuing_clubs_coach_or_admin_reissues_in_the_new_name(
    client, earned, ada, squad, who, request
):
    staff = request.getfixturevalue(who)
    rename(client, ada, "Ada Jones")
    client.force_login(staff)
    url = reissue_url(squad, earned)
    page = client.get(url)
    assert page.status_code == 200
    assert "A new certificate is issued in the name “Ada Jones”" in page.content.decode()
    assert Certificate.objects.count() == 1  # asking first changed nothing

    response = client.post(url, {"reason": "The holder changed their name."})
    assert response.status_code == 302
    old = Certificate.objects.get(pk=earned.pk)
    new = Certificate.objects.get(trainee=ada, superseded_at__isnull=True)
    assert old.superseded_by == new
    assert old.state() == CertificateState.SUPERSEDED
    assert (old.holder_name, new.holder_name) == ("Ada Swimmer", "Ada Jones")
    assert new.number != old.number
    assert NUMBER.match(new.number)
    assert new.code != old.code
    for kept in [
        "valid_until", "certification_title", "issuer_id", "issuer_name", "assessor_id",
        "assessor_name", "theory_percent", "theory_passed_at", "practical_at", "assessed",
    ]:  # fmt: skip
        assert getattr(new, kept) == getattr(old, kept), kept
    assert list(old.events.values_list("kind", "by", "reason")) == [
        (EventKind.ISSUED, None, ""),
        (EventKind.SUPERSEDED, staff.pk, "The holder changed their name."),
    ]
    assert new.events.get().kind == EventKind.REISSUED

    old_page, new_page = verify_main(client, old), verify_main(client, new)
    assert f"Superseded by {new.number}" in old_page
    assert "Ada Swimmer" in old_page
    assert "Valid" in new_page
    assert "Ada Jones" in new_page
    assert "Superseded" not in new_page


def test_after_a_reissue_more_marks_issue_nothing_new(
    client, earned, ben, ada, squad, certification
):
    new = reissue_certificate(earned, reason="New name", by=ben)
    client.force_login(ben)
    mark_all_shown(client, squad, certification, ada)
    assert Certificate.objects.filter(trainee=ada).count() == 2
    assert Certificate.objects.current().get(trainee=ada) == new


def test_a_reissue_needs_a_reason(client, earned, ben, squad):
    client.force_login(ben)
    response = client.post(reissue_url(squad, earned), {"reason": "  "})
    assert response.status_code == 400
    assert "Say why the certificate is reissued." in response.content.decode()
    assert Certificate.objects.count() == 1
    assert Certificate.objects.get().superseded_at is None


def test_a_revoked_or_superseded_certificate_is_not_reissued(client, earned, ben, squad):
    revoke_certificate(earned, reason="Certified by mistake", by=ben)
    client.force_login(ben)
    url = reissue_url(squad, earned)
    page = client.get(url)
    assert page.status_code == 409
    assert "A revoked certificate cannot be reissued" in page.content.decode()
    response = client.post(url, {"reason": "New name"})
    assert response.status_code == 409
    assert "A revoked certificate cannot be reissued" in response.content.decode()
    assert Certificate.objects.count() == 1
    assert not CertificateEvent.objects.filter(kind=EventKind.SUPERSEDED).exists()


def test_a_second_reissue_of_the_same_certificate_is_refused(client, earned, ben, squad):
    client.force_login(ben)
    url = reissue_url(squad, earned)
    assert client.post(url, {"reason": "New name"}).status_code == 302
    again = client.post(url, {"reason": "New name"})
    assert again.status_code == 409
    new = Certificate.objects.current().get()
    assert f"already reissued as {new.number}" in again.content.decode()
    assert Certificate.objects.count() == 2
    with pytest.raises(ReissueRefused):
        reissue_certificate(earned, reason="Again")


def test_nobody_else_may_reissue(client, earned, ada, squad, region, admin_user):
    otters = make_club("Otters SC", federation=region)
    federation_admin = make_user("region_admin")
    grant_role(federation_admin, region, Role.FEDERATION_ADMIN)
    otters_chair = make_user("otters_chair")
    grant_role(otters_chair, otters, Role.CLUB_ADMIN)
    strangers = [
        make_coach("otters_coach", club=otters),
        otters_chair,
        ada,  # the holder asks a coach
        make_trainee(),
        federation_admin,
        admin_user,  # the site's admin uses the admin
    ]
    url = reissue_url(squad, earned)
    for stranger in strangers:
        client.force_login(stranger)
        assert client.get(url).status_code == 404, stranger
        assert client.post(url, {"reason": "x"}).status_code == 404, stranger
    assert Certificate.objects.count() == 1


def test_a_coach_of_the_trainees_group_in_another_club_may_not_reissue(client, earned, ada, region):
    """Ada also trains with the Otters; the Dolphins issued her certificate."""
    otters = make_club("Otters SC")
    otters_coach = make_coach("otters_coach", club=otters)
    otters_squad = make_group(coaches=[otters_coach], trainees=[ada], club=otters)
    client.force_login(otters_coach)
    assert client.get(reissue_url(otters_squad, earned)).status_code == 404
    page = client.get(reverse("certification:group_certificates", args=[otters_squad.pk]))
    assert "Issued by another club" in page.content.decode()
    assert reverse("certification:certificate_pdf", args=[earned.code]) not in (
        page.content.decode()
    )


def test_a_federations_certificate_is_reissued_through_the_holders_club(
    client, certification, region, ben, ada, squad
):
    certification.owner = region
    certification.save()
    certificate = issue_certificate(ada, certification)
    assert certificate.issuer_name == "Swim Region"
    federation_admin = make_user("region_admin")
    grant_role(federation_admin, region, Role.FEDERATION_ADMIN)
    pdf_url = reverse("certification:certificate_pdf", args=[certificate.code])
    client.force_login(federation_admin)
    assert client.get(pdf_url).status_code == 404
    client.force_login(ben)  # coaches Ada at the Dolphins, a club of the region
    assert client.get(pdf_url).status_code == 200
    response = client.post(reissue_url(squad, certificate), {"reason": "New name"})
    assert response.status_code == 302
    assert Certificate.objects.current().get(trainee=ada).issuer_name == "Swim Region"


@pytest.mark.django_db(transaction=True)
def test_two_reissues_at_once_make_one_new_certificate(certification):
    if connection.vendor == "sqlite":
        pytest.skip("concurrent writers need PostgreSQL (DATABASE_URL=postgres://...)")
    from django.apps import apps

    from training.roles import sync_role_groups

    sync_role_groups(apps)
    club = make_club("Dolphins SC")
    coach, trainee = make_coach(club=club), make_trainee()
    group = make_group(coaches=[coach], trainees=[trainee], club=club)
    certificate = issue_certificate(trainee, certification)
    browsers = [Client(), Client()]
    for browser in browsers:
        browser.force_login(coach)
    url = reissue_url(group, certificate)
    statuses = at_once(*[lambda b=b: b.post(url, {"reason": "New name"}) for b in browsers])
    assert sorted(statuses) == [302, 409]
    assert Certificate.objects.filter(trainee=trainee).count() == 2
    assert Certificate.objects.current().filter(trainee=trainee).count() == 1


# The paper ---------------------------------------------------------------------------------


def test_revoked_and_superseded_papers_are_stamped(client, earned, ada, ben):
    assert "REVOKED" not in pdf_text(client, ada, earned)
    assert "SUPERSEDED" not in pdf_text(client, ada, earned)
    new = reissue_certificate(earned, reason="New name", by=ben)
    earned.refresh_from_db()
    text = pdf_text(client, ada, earned)
    assert "SUPERSEDED" in text
    assert f"by {new.number}" in text
    revoke_certificate(new, reason="Certified by mistake", by=ben)
    new.refresh_from_db()
    assert "REVOKED" in pdf_text(client, ada, new)


def test_only_the_holder_and_the_issuing_clubs_current_staff_download(
    client, earned, ada, ben, chair, squad, dolphins, region, admin_user
):
    url = reverse("certification:certificate_pdf", args=[earned.code])
    otters = make_club("Otters SC", federation=region)
    otters_coach = make_coach("otters_coach", club=otters)
    make_group(coaches=[otters_coach], trainees=[ada], club=otters)  # not the issuer's group
    other_dolphins_coach = make_coach("dolphins_other", club=dolphins)
    make_group(coaches=[other_dolphins_coach], club=dolphins)  # not Ada's group
    federation_admin = make_user("region_admin")
    grant_role(federation_admin, region, Role.FEDERATION_ADMIN)
    for allowed in [ada, ben, chair]:
        client.force_login(allowed)
        assert client.get(url).status_code == 200, allowed
    for refused in [otters_coach, other_dolphins_coach, federation_admin, admin_user]:
        client.force_login(refused)
        assert client.get(url).status_code == 404, refused
    # Ada leaves the squad: her former coach no longer gets her paper; the club admin does.
    Membership.objects.filter(group=squad, trainee=ada).update(removed_at=timezone.now())
    client.force_login(ben)
    assert client.get(url).status_code == 404
    client.force_login(chair)
    assert client.get(url).status_code == 200


def test_the_lists_cost_the_same_queries_however_many_certificates(
    client, certification, dolphins, ben, django_assert_max_num_queries
):
    group = make_group(coaches=[ben], club=dolphins)

    def add(count):
        for _ in range(count):
            trainee = make_trainee()
            Membership.objects.create(group=group, trainee=trainee)
            reissue_certificate(issue_certificate(trainee, certification), reason="New name")

    client.force_login(ben)
    url = reverse("certification:group_certificates", args=[group.pk])
    add(2)
    with django_assert_max_num_queries(12) as small:
        assert client.get(url).status_code == 200
    add(8)
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(url)
    assert page.content.decode().count("Superseded by CC-") == 10


def test_my_certificates_costs_the_same_queries_however_many_reissues(
    client, certification, ada, django_assert_max_num_queries
):
    certificate = issue_certificate(ada, certification)
    client.force_login(ada)
    url = reverse("certification:my_certificates")
    certificate = reissue_certificate(certificate, reason="New name")
    with django_assert_max_num_queries(10) as small:
        assert client.get(url).status_code == 200
    for _ in range(5):
        certificate = reissue_certificate(certificate, reason="New name")
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count("Superseded by CC-") == 6
    assert page.index(certificate.number) < page.index("Superseded by CC-")  # current first


# Pictures: var/screenshots/certificate-*.png ------------------------------------------------

SHIPPED_SKILLS = [
    "Gets support first: takes hold of the wall, a lane rope or a float, or stands up where "
    "the water is shallow enough",
    "Floats on the back for a minute in deep water: head back with the ears in the water, arms "
    "and legs spread, breathing calmly",
    "Calls for help once breathing is calm: shouts, and raises one arm while holding on, or "
    "while floating without sinking",
    "Eases a calf cramp while holding on or standing: straightens the leg and pulls the toes "
    "gently toward the shin",
    "Helps from the side without going in: lies or kneels, reaches with a pole or kickboard or "
    "throws something that floats, and tells the swimmer to float",
    "Says who to call: the lifeguard first; with no lifeguard, 999 or 112, asking for the "
    "Coastguard at the coast or the fire and rescue service inland",
]
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"


def crest():
    """A small club crest, as a club would upload it."""
    image = Image.new("RGB", (240, 240), "white")
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, 232, 232), fill=(0, 84, 147))
    draw.ellipse((60, 60, 180, 180), fill="white")
    draw.polygon([(120, 70), (170, 150), (70, 150)], fill=(0, 140, 200))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def render_png(pdf_bytes, path):
    """The PDF's only page as a PNG (pdfium, 110 dpi); returns the picture."""
    document = pypdfium2.PdfDocument(pdf_bytes)
    assert len(document) == 1
    picture = document[0].render(scale=110 / 72).to_pil()
    path.parent.mkdir(parents=True, exist_ok=True)
    picture.save(path)
    return picture


def red_pixels(picture):
    return sum(1 for r, g, b in picture.convert("RGB").getdata() if r > 150 and g < 80 and b < 90)


def test_the_paper_as_pictures(client, certification, final, ben, ada, squad, dolphins, settings):
    """Writes var/screenshots/certificate-valid.png and certificate-superseded.png (the README
    shows the first): one A4 page each, the stamp in red on the superseded one only."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "crampcourse.example.org"]
    PracticalItem.objects.filter(certification=certification).delete()
    for order, text in enumerate(SHIPPED_SKILLS, start=1):
        PracticalItem.objects.create(certification=certification, order=order, text=text)
    certification.title = "Cramp first response"
    certification.save()
    set_logo(dolphins, check_logo(crest()))
    with time_machine.travel("2026-06-03 10:00Z", tick=False) as clock:
        take(final, ada, right=(2,))
        clock.shift(timedelta(days=2))
        client.force_login(ben)
        mark_all_shown(client, squad, certification, ada)
    valid = Certificate.objects.get(trainee=ada)
    rename(client, ada, "Ada Jones")
    with time_machine.travel("2026-09-14 09:00Z", tick=False):
        reissue_certificate(valid, reason="The holder changed their name.", by=ben)
    valid.refresh_from_db()

    pictures = {}
    for name, certificate in [("valid", valid.superseded_by), ("superseded", valid)]:
        client.force_login(ada)
        response = client.get(
            reverse("certification:certificate_pdf", args=[certificate.code]),
            HTTP_HOST="crampcourse.example.org",
        )
        assert response.status_code == 200
        pictures[name] = render_png(response.content, SCREENSHOTS / f"certificate-{name}.png")
    width, height = pictures["valid"].size
    assert width > height  # landscape A4
    assert abs(width / height - 297 / 210) < 0.01
    assert red_pixels(pictures["valid"]) == 0
    assert red_pixels(pictures["superseded"]) > 2000


# The migration -----------------------------------------------------------------------------

BEFORE = [("certification", "0008_frozen_certificates")]
AFTER = [("certification", "0009_freeze_earlier_certificates")]


def migrate(targets):
    """Migrate to the targets, every other app staying at its latest (the quizzes' attempts
    as they are now), and return the models as they are there."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    apps = {app for app, _name in targets}
    targets = targets + [node for node in executor.loader.graph.leaf_nodes() if node[0] not in apps]
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def back_to_the_latest_migrations():
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_earlier_certificates_get_their_facts_and_a_number(back_to_the_latest_migrations):
    old = migrate(BEFORE)
    User = old.get_model("auth", "User")
    Organisation = old.get_model("organisations", "Organisation")
    Quiz = old.get_model("quizzes", "Quiz")
    Attempt = old.get_model("quizzes", "Attempt")
    Certification = old.get_model("certification", "Certification")
    PracticalItem = old.get_model("certification", "PracticalItem")
    PracticalMark = old.get_model("certification", "PracticalMark")
    Certificate = old.get_model("certification", "Certificate")
    region = Organisation.objects.create(name="Swim Region", slug="region", kind="federation")
    club = Organisation.objects.create(name="Dolphins SC", slug="dolphins", federation=region)
    reviews = ["answers", "marks", "correct_answers", "explanations", "overall_feedback"]
    quiz = Quiz.objects.create(
        slug="final", title="Final", pass_mark=60, **{f"review_{r}": "always" for r in reviews}
    )
    certification = Certification.objects.create(slug="cramp-safe", title="Cramp-safe swimmer")
    certification.quizzes.add(quiz)
    now = timezone.now().replace(microsecond=0)
    issued_at = now - timedelta(days=10)
    floats = PracticalItem.objects.create(certification=certification, order=1, text="Floats")
    calls = PracticalItem.objects.create(certification=certification, order=2, text="Calls")
    PracticalItem.objects.create(  # retired before the certificate: not assessed
        certification=certification, order=3, text="Old", retired_at=issued_at - timedelta(1)
    )
    PracticalItem.objects.create(  # practised only: not assessed
        certification=certification, order=4, text="Tuck", required=False
    )
    coach = User.objects.create(username="ben", first_name="Ben", last_name="Marsh")
    other = User.objects.create(username="cara")
    ada = User.objects.create(username="ada", first_name="Ada", last_name="Swimmer")
    nameless = User.objects.create(username="nameless")

    def mark(item, result, days_ago, by=coach):
        return PracticalMark.objects.create(
            key=uuid.uuid4(), trainee=ada, item=item, result=result, coach=by,
            marked_at=now - timedelta(days=days_ago),
        )  # fmt: skip

    mark(floats, "shown", 14)
    mark(calls, "shown", 12, by=other)
    mark(calls, "undo", 11.5, by=other)  # taken back
    last = mark(calls, "shown", 11)
    mark(floats, "needs_practice", 2)  # after the issue: a later re-check says nothing
    for number, (percent, passed, days_ago) in enumerate(
        [(Decimal(40), False, 20), (Decimal(80), True, 15), (Decimal(100), True, 13)], start=1
    ):
        Attempt.objects.create(
            quiz=quiz, trainee=ada, number=number, state="finished", pass_mark=60,
            percent=percent, passed=passed, must_pass_met=passed,
            started_at=now - timedelta(days=days_ago),
            finished_at=now - timedelta(days=days_ago),
        )  # fmt: skip
    for trainee, code in [(ada, "ada-code"), (nameless, "nameless-code")]:
        Certificate.objects.create(
            certification=certification, trainee=trainee, code=code, issuer=club,
            issued_at=issued_at, valid_until=issued_at + timedelta(days=365),
        )  # fmt: skip

    new = migrate(AFTER)
    frozen = {
        c.trainee.username: c for c in new.get_model("certification", "Certificate").objects.all()
    }
    certificate = frozen["ada"]
    assert certificate.holder_name == "Ada Swimmer"
    assert certificate.certification_title == "Cramp-safe swimmer"
    assert (certificate.issuer_name, certificate.issuer_federation_name) == (
        "Dolphins SC",
        "Swim Region",
    )
    assert (certificate.assessor_id, certificate.assessor_name) == (coach.pk, "Ben Marsh")
    assert certificate.practical_at == last.marked_at
    assert certificate.assessed == ["Floats", "Calls"]
    assert certificate.theory_percent == Decimal("80.00")  # its first pass
    assert certificate.theory_passed_at == now - timedelta(days=15)
    year = timezone.localtime(issued_at).year
    assert certificate.number == f"CC-{year}-{certificate.pk:06d}"
    nobody = frozen["nameless"]
    assert nobody.holder_name == "nameless"
    assert (nobody.assessor_id, nobody.practical_at, nobody.theory_percent) == (None, None, None)
    assert nobody.number != certificate.number


def test_the_admin_finds_a_certificate_by_its_number_and_shows_what_it_states(
    client, earned, ada, admin_user
):
    rename(client, ada, "Ada Jones")
    client.force_login(admin_user)
    listed = client.get(reverse("admin:certification_certificate_changelist"), {"q": earned.number})
    assert listed.status_code == 200
    assert "Ada Swimmer" in listed.content.decode()  # the name as issued
    page = client.get(reverse("admin:certification_certificate_change", args=[earned.pk]))
    content = page.content.decode()
    assert earned.number in content
    assert "Ben Marsh" in content  # the assessor as issued
    assert 'name="holder_name"' not in content  # shown, not editable
