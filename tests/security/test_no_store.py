"""Nothing a signed-in person sees is kept by a browser or a proxy cache: every page behind
log-in (results, the CSV export, the admin) sends Cache-Control: private, no-store."""

import pytest
from django.urls import reverse
from django.utils.cache import get_max_age

from tests.security.test_role_matrix import MATRIX, build_world, request_as

SIGNED_IN = ["trainee_a", "coach_a", "admin"]


def directives(response):
    return {part.strip() for part in response.get("Cache-Control", "").split(",")}


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_every_page_for_someone_signed_in_is_private_and_not_stored(client, db, name):
    world = build_world()
    for role in SIGNED_IN:
        response = request_as(client, world, role, name)
        if name == "logout":
            continue  # signed out by now
        assert "private" in directives(response), (name, role)
        assert "public" not in directives(response)
        if "immutable" in directives(response):
            continue  # content addressed by its hash (a question image): kept privately
        assert "no-store" in directives(response), (name, role)
        assert not get_max_age(response)
        client.logout()


def test_the_csv_export_and_the_admin_are_not_stored(client, db):
    world = build_world()
    client.force_login(world.users["coach_a"])
    csv = client.get(reverse("training:group_export_csv", args=[world.group.pk]))
    assert csv["Content-Type"].startswith("text/csv")
    assert {"private", "no-store"} <= directives(csv)
    client.force_login(world.users["admin"])
    admin = client.get(reverse("admin:index"))
    assert {"private", "no-store"} <= directives(admin)
