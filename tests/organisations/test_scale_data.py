"""The benchmark's scale data: groups spread over clubs of 100 in one federation, whose admin
reads its report; made in bulk, and made once."""

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organisations.models import Kind, Organisation, Role, StaffRole
from training import demo
from training.models import Membership, TrainingGroup


def test_scale_groups_are_spread_over_clubs_of_one_federation(db, monkeypatch):
    monkeypatch.setattr(demo, "SCALE_CLUB_SIZE", 2)
    demo.seed_scale(5, 3)
    federation = Organisation.objects.get(name="Scale federation", kind=Kind.FEDERATION)
    clubs = {
        club.name: sorted(club.groups.values_list("name", flat=True))
        for club in Organisation.objects.filter(federation=federation)
    }
    assert clubs == {
        "Scale club 01": ["Scale group 0001", "Scale group 0002"],
        "Scale club 02": ["Scale group 0003", "Scale group 0004"],
        "Scale club 03": ["Scale group 0005"],
    }
    # Each coach is staff of the club of their group.
    coach = get_user_model().objects.get(username="scale-coach-0003")
    assert set(StaffRole.objects.active().filter(person=coach).values_list(
        "organisation__name", "role"
    )) == {("Scale club 02", Role.COACH)}  # fmt: skip
    admin = get_user_model().objects.get(username="bench-federation")
    assert admin.check_password(demo.DEMO_PASSWORD)
    assert (
        StaffRole.objects.active()
        .filter(person=admin, organisation=federation, role=Role.FEDERATION_ADMIN)
        .exists()
    )


def test_seeding_again_adds_nothing(db, monkeypatch):
    monkeypatch.setattr(demo, "SCALE_CLUB_SIZE", 2)
    demo.seed_scale(3, 2)
    counts = (Organisation.objects.count(), TrainingGroup.objects.count(),
              Membership.objects.count(), StaffRole.objects.count())  # fmt: skip
    demo.seed_scale(3, 2)
    assert counts == (Organisation.objects.count(), TrainingGroup.objects.count(),
                      Membership.objects.count(), StaffRole.objects.count())  # fmt: skip


def test_scale_data_is_made_in_bulk_not_a_query_per_group(db, monkeypatch):
    monkeypatch.setattr(demo, "SCALE_CLUB_SIZE", 2)
    with CaptureQueriesContext(connection) as few:
        demo.seed_scale(4, 2)
    Membership.objects.all().delete()
    TrainingGroup.objects.all().delete()
    with CaptureQueriesContext(connection) as many:
        demo.seed_scale(40, 2)  # ten times the groups, twenty clubs
    assert len(many) <= len(few) + 2  # a second batch of inserts at most


def test_the_federation_admin_reads_the_scale_federations_report(client, db):
    demo.seed_scale(3, 2)
    client.force_login(get_user_model().objects.get(username="bench-federation"))
    response = client.get(reverse("organisation_reports:federation", args=["scale-federation"]))
    assert response.status_code == 200
    assert response.context["report"].total["groups"] == 3
    assert response.context["report"].total["trainees"] == 6
