"""Certificates are issued in an organisation's name: the federation owning the certification,
else the club where the practical was signed off, else the trainee's club, else the owner club,
else the default club. The PDF and /verify/ say so, with the issuer's logo."""

import hashlib
import io
import uuid
from datetime import timedelta

import pypdf
import pytest
import time_machine
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image

from certification.course_files import (
    CertificationFileError,
    load_certifications,
    read_certification_file,
)
from certification.models import (
    Certificate,
    Certification,
    MarkResult,
    PracticalMark,
)
from certification.services import (
    assign_refreshers,
    certificate_issuer,
    issue_certificate,
    revoke_certificate,
)
from lessons.course_files import LoadReport
from organisations.logos import check_logo, set_logo
from organisations.models import Organisation
from tests.certification.conftest import mark_all_shown, passed_in_session, submit_over_http
from tests.factories import make_club, make_coach, make_group, make_trainee
from training.models import Membership


@pytest.fixture
def otters(db):
    return make_club("Otters SC")


def shown(trainee, item, group, *, minutes_ago, result=MarkResult.SHOWN):
    return PracticalMark.objects.create(
        key=uuid.uuid4(),
        trainee=trainee,
        item=item,
        group=group,
        result=result,
        marked_at=timezone.now() - timedelta(minutes=minutes_ago),
    )


def join(trainee, group, *, days_ago, removed=False):
    now = timezone.now()
    Membership.objects.create(
        group=group,
        trainee=trainee,
        joined_at=now - timedelta(days=days_ago),
        removed_at=now if removed else None,
    )


def logo_png(size=(90, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "teal").save(buffer, "PNG")
    return buffer.getvalue()


# The rule, branch by branch ----------------------------------------------------------------


def test_a_federations_certification_is_issued_by_the_federation(certification, region, dolphins):
    certification.owner = region
    certification.save()
    trainee = make_trainee()
    group = make_group(club=dolphins)
    join(trainee, group, days_ago=30)
    for item in certification.items.all():
        shown(trainee, item, group, minutes_ago=5)
    assert certificate_issuer(trainee, certification) == region


def test_the_club_where_the_practical_was_signed_off_issues_it(certification, dolphins, otters):
    certification.owner = make_club("Owner club")
    certification.save()
    trainee = make_trainee()
    otters_squad, dolphins_squad = make_group(club=otters), make_group(club=dolphins)
    join(trainee, otters_squad, days_ago=90)  # the oldest group she is in
    join(trainee, dolphins_squad, days_ago=30)
    first, second = certification.items.all()
    shown(trainee, first, otters_squad, minutes_ago=60)
    shown(trainee, second, dolphins_squad, minutes_ago=10)  # the last skill signed off
    shown(trainee, first, None, minutes_ago=1)  # a mark made outside any group says nothing
    assert certificate_issuer(trainee, certification) == dolphins


def test_an_undone_or_needs_practice_mark_is_not_where_it_was_signed_off(
    certification, dolphins, otters
):
    trainee = make_trainee()
    otters_squad, dolphins_squad = make_group(club=otters), make_group(club=dolphins)
    join(trainee, dolphins_squad, days_ago=90)
    first, second = certification.items.all()
    shown(trainee, first, otters_squad, minutes_ago=60)
    shown(trainee, second, dolphins_squad, minutes_ago=20)
    shown(trainee, second, dolphins_squad, minutes_ago=10, result=MarkResult.UNDO)
    shown(trainee, first, dolphins_squad, minutes_ago=5, result=MarkResult.NEEDS_PRACTICE)
    shown(trainee, first, dolphins_squad, minutes_ago=4, result=MarkResult.UNDO)
    # Standing: the first skill "shown" at the Otters'; the second unmarked.
    assert certificate_issuer(trainee, certification) == otters


def test_without_a_practical_the_club_of_the_oldest_current_group_issues_it(
    certification, dolphins, otters
):
    certification.items.all().delete()  # quizzes only
    certification.owner = make_club("Owner club")
    certification.save()
    trainee = make_trainee()
    join(trainee, make_group(club=make_club("Left long ago")), days_ago=400, removed=True)
    join(trainee, make_group(club=otters), days_ago=90)
    join(trainee, make_group(club=dolphins), days_ago=30)
    assert certificate_issuer(trainee, certification) == otters


def test_in_no_group_the_certifications_owner_club_issues_it(certification, otters):
    certification.owner = otters
    certification.save()
    trainee = make_trainee()
    join(trainee, make_group(club=make_club()), days_ago=10, removed=True)
    assert certificate_issuer(trainee, certification) == otters


def test_with_nothing_else_the_default_club_issues_it_made_once(certification, settings):
    settings.DEFAULT_CLUB_NAME = "Riverside Swimming Club"
    first, second = make_trainee(), make_trainee()
    club = certificate_issuer(first, certification)
    assert (club.name, club.slug, club.kind) == (
        "Riverside Swimming Club",
        "riverside-swimming-club",
        "club",
    )
    assert certificate_issuer(second, certification) == club
    assert Organisation.objects.filter(slug="riverside-swimming-club").count() == 1


# Issuing and renewing ----------------------------------------------------------------------


def test_a_certificate_earned_at_the_pool_records_the_club(client, certification, final, dolphins):
    coach = make_coach(club=dolphins)
    trainee = make_trainee()
    group = make_group(coaches=[coach], trainees=[trainee], club=dolphins)
    submit_over_http(client, final, trainee)
    client.force_login(coach)
    mark_all_shown(client, group, certification, trainee)
    assert Certificate.objects.get(trainee=trainee).issuer == dolphins


def test_a_renewal_is_issued_by_the_club_of_the_recheck(
    client, certification, final, refresher_quiz, dolphins, otters
):
    otters_coach, dolphins_coach = make_coach(club=otters), make_coach(club=dolphins)
    trainee = make_trainee()
    otters_squad = make_group(coaches=[otters_coach], trainees=[trainee], club=otters)
    with time_machine.travel(timezone.now().replace(microsecond=0), tick=False) as clock:
        submit_over_http(client, final, trainee)
        client.force_login(otters_coach)
        mark_all_shown(client, otters_squad, certification, trainee)
        certificate = Certificate.objects.get(trainee=trainee)
        assert certificate.issuer == otters
        # She moves to the Dolphins; a month before expiry the refresher is given.
        Membership.objects.filter(trainee=trainee).update(removed_at=timezone.now())
        dolphins_squad = make_group(coaches=[dolphins_coach], trainees=[trainee], club=dolphins)
        clock.move_to(certificate.valid_until - timedelta(days=20))
        assert assign_refreshers()
        submit_over_http(client, refresher_quiz, trainee)
        client.force_login(dolphins_coach)
        mark_all_shown(client, dolphins_squad, certification, trainee)
    certificate.refresh_from_db()
    assert certificate.renewed_at is not None
    assert certificate.issuer == dolphins


# The PDF and /verify/ ----------------------------------------------------------------------


@pytest.fixture
def certificate(certification, dolphins):
    trainee = make_trainee()
    trainee.first_name, trainee.last_name = "Ada", "Swimmer"
    trainee.save()
    join(trainee, make_group(club=dolphins), days_ago=30)
    return issue_certificate(trainee, certification)


def pdf_page(client, certificate):
    client.force_login(certificate.trainee)
    response = client.get(reverse("certification:certificate_pdf", args=[certificate.code]))
    assert response.status_code == 200
    return pypdf.PdfReader(io.BytesIO(response.content)).pages[0]


def test_the_pdf_names_the_club_and_its_federation(client, certificate):
    page = pdf_page(client, certificate)
    text = " ".join(page.extract_text().split())
    assert "Issued by Dolphins SC, a member of Swim Region" in text
    assert len(page.images) == 1  # the QR code; the club has no logo


def test_the_pdf_carries_the_issuers_logo(client, certificate, dolphins):
    set_logo(dolphins, check_logo(logo_png()))
    page = pdf_page(client, certificate)
    sizes = sorted(picture.image.size for picture in page.images)
    assert (90, 30) in sizes
    assert len(sizes) == 2


def test_a_club_without_a_federation_is_named_alone(client, certification, otters):
    trainee = make_trainee()
    join(trainee, make_group(club=otters), days_ago=3)
    page = pdf_page(client, issue_certificate(trainee, certification))
    text = " ".join(page.extract_text().split())
    assert "Issued by Otters SC" in text
    assert "a member of" not in text


def verify_page(client, certificate):
    response = client.get(f"/verify/{certificate.code}/")
    assert response.status_code == 200
    page = response.content.decode()
    return page[page.index("<main") : page.index("</main>")]


def test_verify_shows_the_issuer_and_its_logo_to_anyone(client, certificate, dolphins):
    main = verify_page(client, certificate)
    assert "Issued by Dolphins SC, a member of Swim Region" in main
    assert "<img" not in main
    png = logo_png()
    set_logo(dolphins, check_logo(png))
    main = verify_page(client, certificate)
    url = f"/organisations/logo/{dolphins.pk}-{hashlib.sha256(png).hexdigest()}.png"
    assert f'<img src="{url}" alt="" width="90" height="30">' in main
    logo = client.get(url)  # still signed out
    assert logo.status_code == 200
    assert logo.content == png
    assert logo["X-Content-Type-Options"] == "nosniff"


def test_verify_says_revoked_and_still_names_the_issuer(client, certificate):
    revoke_certificate(certificate, reason="Certified by mistake")
    main = verify_page(client, certificate)
    assert "Revoked" in main
    assert "Issued by Dolphins SC" in main


def test_verify_reads_no_logo_bytes(client, certificate, dolphins):
    """The page links to the logo; a megabyte read on every check would be wasted."""
    set_logo(dolphins, check_logo(logo_png()))
    with connection.execute_wrapper(_refuse_logo_reads):
        verify_page(client, certificate)


def _refuse_logo_reads(execute, sql, params, many, context):
    assert '"logo",' not in sql, sql
    assert '"logo" ' not in sql, sql
    return execute(sql, params, many, context)


# The admin ---------------------------------------------------------------------------------


def test_the_certificate_admin_lists_and_filters_by_issuer(
    staff_client, certification, certificate, otters
):
    other = make_trainee("otter_trainee")
    join(other, make_group(club=otters), days_ago=3)
    issue_certificate(other, certification)
    url = reverse("admin:certification_certificate_changelist")
    page = staff_client.get(url).content.decode()
    assert "Dolphins SC" in page
    assert "Otters SC" in page
    filtered = staff_client.get(url, {"issuer__id__exact": otters.pk})
    assert [c.trainee.username for c in filtered.context["cl"].result_list] == ["otter_trainee"]


# Course files ------------------------------------------------------------------------------

SPEC = """slug: region-swimmer
title: Region swimmer
practical:
  - Floats on the back
"""


def test_a_course_file_may_name_the_owner_by_slug(db, tmp_path, region):
    folder = tmp_path / "certifications"
    folder.mkdir()
    path = folder / "region-swimmer.yaml"
    path.write_text(SPEC + f"issuer: {region.slug}\n")
    report = LoadReport()
    load_certifications(tmp_path, report=report)
    assert report.created == ["certification region-swimmer"]
    certification = region.owned_certifications.get()
    assert certification.slug == "region-swimmer"
    again = LoadReport()
    load_certifications(tmp_path, report=again)
    assert again.unchanged == ["certification region-swimmer"]


def test_a_course_file_naming_an_unknown_issuer_is_refused(db, tmp_path):
    (tmp_path / "certifications").mkdir()
    (tmp_path / "certifications" / "x.yaml").write_text(SPEC + "issuer: no-such-club\n")
    with pytest.raises(CertificationFileError, match="no club or federation with slug"):
        load_certifications(tmp_path, report=LoadReport())
    (tmp_path / "certifications" / "x.yaml").write_text(SPEC + "issuer: [a, b]\n")
    with pytest.raises(CertificationFileError, match="'issuer' must be the slug"):
        load_certifications(tmp_path, report=LoadReport())


def test_a_file_without_an_issuer_reads_as_before(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text(SPEC)
    assert "issuer" not in read_certification_file(path)


# The data migration ------------------------------------------------------------------------

BEFORE = [
    ("certification", "0004_certificate_issuer_certification_owner"),
    ("training", "0011_every_group_in_a_club"),  # groups in clubs, as the data then was
]
AFTER = [("certification", "0005_issuers_of_earlier_certificates")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def back_to_the_latest_migrations():
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_earlier_certificates_get_the_club_of_the_trainees_group(
    settings, back_to_the_latest_migrations
):
    settings.DEFAULT_CLUB_NAME = "Riverside Swimming Club"
    old = migrate(BEFORE)
    User = old.get_model("auth", "User")
    Organisation = old.get_model("organisations", "Organisation")
    TrainingGroup = old.get_model("training", "TrainingGroup")
    Membership = old.get_model("training", "Membership")
    Certification = old.get_model("certification", "Certification")
    PracticalItem = old.get_model("certification", "PracticalItem")
    PracticalMark = old.get_model("certification", "PracticalMark")
    Certificate = old.get_model("certification", "Certificate")
    clubs = {
        name: Organisation.objects.create(name=name, slug=name.lower(), kind="club")
        for name in ["Dolphins", "Otters", "Seals"]
    }
    groups = {
        name: TrainingGroup.objects.create(name=f"{name} squad", club=club, join_code=name[:8])
        for name, club in clubs.items()
    }
    certification = Certification.objects.create(slug="cramp-safe", title="Cramp-safe")
    item = PracticalItem.objects.create(certification=certification, order=1, text="Floats")
    now = timezone.now()

    def person(username, *, marks=(), groups_in=(), groups_left=(), issuer=None):
        user = User.objects.create(username=username)
        for minutes, (group, result) in enumerate(marks):
            PracticalMark.objects.create(
                trainee=user,
                item=item,
                group=groups[group],
                result=result,
                marked_at=now - timedelta(hours=1) + timedelta(minutes=minutes),
            )
        for days, group in enumerate(groups_in):
            Membership.objects.create(
                trainee=user, group=groups[group], joined_at=now - timedelta(days=100 - days)
            )
        for group in groups_left:
            Membership.objects.create(trainee=user, group=groups[group], removed_at=now)
        Certificate.objects.create(
            certification=certification,
            trainee=user,
            code=username,
            issued_at=now,
            valid_until=now + timedelta(days=365),
            issuer=issuer,
        )

    person("signed-off", marks=[("Otters", "shown"), ("Dolphins", "shown")], groups_in=["Seals"])
    person("undone", marks=[("Otters", "shown"), ("Dolphins", "shown"), ("Dolphins", "undo")])
    person("in-groups", groups_in=["Seals", "Otters"])
    person("left", groups_left=["Otters"])
    person("nowhere")
    person("already", groups_in=["Otters"], issuer=clubs["Seals"])

    new = migrate(AFTER)
    issued_by = dict(
        new.get_model("certification", "Certificate").objects.values_list(
            "trainee__username", "issuer__name"
        )
    )
    assert issued_by == {
        "signed-off": "Dolphins",  # where the practical was signed off
        "undone": "Otters",  # the Dolphins' mark was taken back
        "in-groups": "Seals",  # the oldest group still running
        "left": "Otters",  # the group they were in last
        "nowhere": "Riverside Swimming Club",  # made, with training's slug
        "already": "Seals",  # left as it was
    }
    default = new.get_model("organisations", "Organisation").objects.get(
        name="Riverside Swimming Club"
    )
    assert (default.slug, default.kind) == ("riverside-swimming-club", "club")


def test_the_oldest_group_is_the_one_joined_first_not_the_one_added_first(certification, otters):
    certification.items.all().delete()
    trainee = make_trainee()
    dolphins_squad = make_group(club=make_club("Dolphins SC"))
    join(trainee, dolphins_squad, days_ago=30)  # added first, joined later
    join(trainee, make_group(club=otters), days_ago=90)  # a rejoin dates a row anew, say
    assert certificate_issuer(trainee, certification) == otters


def test_an_assessed_practical_is_issued_by_the_club_the_session_was_for(
    certification, dolphins, otters
):
    certification.assessed_in_session = True
    certification.save()
    trainee = make_trainee()
    otters_squad, dolphins_squad = make_group(club=otters), make_group(club=dolphins)
    join(trainee, otters_squad, days_ago=90)
    join(trainee, dolphins_squad, days_ago=60)
    passed_in_session(certification, trainee, dolphins_squad, timezone.now() - timedelta(days=10))
    first = certification.items.first()
    shown(trainee, first, otters_squad, minutes_ago=5)  # practice at the Otters' since
    assert certificate_issuer(trainee, certification) == dolphins


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Плавательный клуб", "club"),  # nothing left once slugified: the slug 0010 gave it
        ("The Royal Borough of Kingston upon Thames Swimming Club", None),
    ],
)
def test_the_default_club_is_found_by_the_slug_migration_0010_gave_it(
    certification, settings, name, slug
):
    """0010 named the club with slugify(name)[:50], or "club" when that is empty."""
    settings.DEFAULT_CLUB_NAME = name
    made_by_0010 = Organisation.objects.create(
        name=name, slug=slug or slugify(name)[:50], kind="club"
    )
    assert certificate_issuer(make_trainee(), certification) == made_by_0010
    assert Organisation.objects.filter(name=name).count() == 1


def test_only_this_trainees_marks_on_this_certifications_skills_choose_the_club(
    certification, dolphins, otters
):
    trainee, other = make_trainee(), make_trainee()
    otters_squad, dolphins_squad = make_group(club=otters), make_group(club=dolphins)
    first = certification.items.first()
    shown(trainee, first, otters_squad, minutes_ago=60)
    shown(other, first, dolphins_squad, minutes_ago=5)  # someone else, later, elsewhere
    another = Certification.objects.create(slug="other-badge", title="Other badge")
    elsewhere = another.items.create(order=1, text="Treads water")
    shown(trainee, elsewhere, dolphins_squad, minutes_ago=1)  # another badge's skill
    assert certificate_issuer(trainee, certification) == otters
