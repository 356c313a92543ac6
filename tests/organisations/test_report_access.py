"""Who may read which report and register: a club's admins and its federation's admins, and
nobody else (a 404, as if the club did not exist); a federation's only its admins."""

import pytest
from django.urls import reverse
from django.utils import timezone

from organisations.models import StaffRole
from tests.organisations.report_world import build_world

EVERYONE = [
    "federation_admin",
    "other_federation_admin",
    "club_admin_a",
    "club_admin_b",
    "club_admin_c",
    "coach_a",
    "assessor_a",
    "trainee",
    "admin",
]


@pytest.fixture
def world(db):
    return build_world()


def addresses(world):
    """name -> (url, who may read it)"""
    club_a = [world.a.slug]
    federation = [world.federation.slug]
    club_readers = {"federation_admin", "club_admin_a"}
    federation_readers = {"federation_admin"}
    return {
        "club report": (reverse("organisation_reports:club", args=club_a), club_readers),
        "club csv": (
            reverse("organisation_reports:club", args=club_a) + "?format=csv",
            club_readers,
        ),
        "club register": (
            reverse("organisation_reports:club_register", args=club_a),
            club_readers,
        ),
        "club register csv": (
            reverse("organisation_reports:club_register", args=club_a) + "?format=csv",
            club_readers,
        ),
        "federation report": (
            reverse("organisation_reports:federation", args=federation),
            federation_readers,
        ),
        "federation csv": (
            reverse("organisation_reports:federation", args=federation) + "?format=csv",
            federation_readers,
        ),
        "federation register": (
            reverse("organisation_reports:federation_register", args=federation),
            federation_readers,
        ),
        "federation register csv": (
            reverse("organisation_reports:federation_register", args=federation) + "?format=csv",
            federation_readers,
        ),
    }  # fmt: skip


def test_each_page_opens_for_its_readers_only(client, world):
    for name, (url, readers) in addresses(world).items():
        for person in EVERYONE:
            client.force_login(world.people[person])
            status = client.get(url).status_code
            assert status == (200 if person in readers else 404), (name, person, status)


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    for name, (url, _) in addresses(world).items():
        response = client.get(url)
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("login")), name


def test_a_federation_admin_reads_every_club_of_theirs_and_no_other(client, world):
    client.force_login(world.people["federation_admin"])
    for club in (world.a, world.b):
        assert client.get(reverse("organisation_reports:club", args=[club.slug])).status_code == 200
    assert client.get(reverse("organisation_reports:club", args=[world.c.slug])).status_code == 404
    other = reverse("organisation_reports:federation", args=[world.other_federation.slug])
    assert client.get(other).status_code == 404


def test_a_club_admin_reads_their_club_only(client, world):
    client.force_login(world.people["club_admin_a"])
    assert client.get(reverse("organisation_reports:club", args=[world.b.slug])).status_code == 404
    # A club's slug given as a federation's finds nothing either.
    url = reverse("organisation_reports:federation", args=[world.a.slug])
    assert client.get(url).status_code == 404


def test_an_ended_role_reads_nothing(client, world):
    StaffRole.objects.filter(person=world.people["club_admin_a"]).update(ended_at=timezone.now())
    client.force_login(world.people["club_admin_a"])
    assert client.get(reverse("organisation_reports:club", args=[world.a.slug])).status_code == 404


def test_writes_are_refused(client, world):
    client.force_login(world.people["federation_admin"])
    for name, (url, _) in addresses(world).items():
        assert client.post(url).status_code == 405, name


def test_a_federation_admin_reads_counts_never_a_trainees_name_or_answers(client, world):
    for trainee in world.trainees.values():
        trainee.first_name, trainee.last_name = "Secret", f"Swimmer{trainee.pk}"
        trainee.save()
    client.force_login(world.people["federation_admin"])
    urls = [url for name, (url, _) in addresses(world).items() if "register" not in name]
    for url in urls:
        page = client.get(url).content.decode()
        assert "Secret" not in page, url
        for trainee in world.trainees.values():
            assert trainee.username not in page, url
        # Nothing a trainee answered: no question text, no attempt's address.
        assert "/quizzes/attempts/" not in page, url
        assert "question" not in page.lower(), url


def test_report_links_on_my_clubs_name_only_what_the_person_may_read(world):
    from django.template.loader import render_to_string

    links = render_to_string(
        "organisations/includes/report_links.html",
        {"organisation": world.federation, "administers": True},
    )
    assert reverse("organisation_reports:federation", args=[world.federation.slug]) in links
    assert reverse("organisation_reports:federation_register", args=[world.federation.slug]) in (
        links
    )
    links = render_to_string(
        "organisations/includes/report_links.html", {"organisation": world.a, "administers": True}
    )
    assert reverse("organisation_reports:club", args=[world.a.slug]) in links
    none = render_to_string(
        "organisations/includes/report_links.html", {"organisation": world.a, "administers": False}
    )
    assert "href" not in none
