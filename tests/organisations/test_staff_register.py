"""The staff register: who holds which role where, since when, and the roles that ended."""

import csv
import io
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from organisations.models import Role, StaffRole
from organisations.services import grant_role
from tests.factories import make_club, make_federation, make_user


@pytest.fixture
def register(db):
    federation = make_federation("Riverside")
    a = make_club("Alpha SC", federation=federation)
    b = make_club("Bravo SC", federation=federation)
    c = make_club("Charlie SC")
    people = {name: make_user(name) for name in ["fed", "ann", "ben", "cat", "dan", "eve"]}
    people["ann"].first_name, people["ann"].last_name = "Ann", "Admin"
    people["ann"].save()
    started = timezone.now() - timedelta(days=400)
    grant_role(people["fed"], federation, Role.FEDERATION_ADMIN, now=started)
    grant_role(people["ann"], a, Role.CLUB_ADMIN, now=started)
    grant_role(people["ben"], a, Role.COACH, now=started + timedelta(days=30))
    ended = grant_role(people["cat"], a, Role.ASSESSOR, now=started)
    ended.ended_at = started + timedelta(days=200)
    ended.save()
    grant_role(people["dan"], b, Role.CLUB_ADMIN, now=started)
    grant_role(people["eve"], c, Role.CLUB_ADMIN, now=started)
    return SimpleNamespace(federation=federation, a=a, b=b, c=c, people=people, started=started)


def test_a_club_register_lists_its_roles_running_and_ended(client, register):
    client.force_login(register.people["ann"])
    response = client.get(reverse("organisation_reports:club_register", args=[register.a.slug]))
    assert response.status_code == 200
    roles = response.context["roles"]
    assert [(r.person.username, r.role) for r in roles] == [
        ("ann", Role.CLUB_ADMIN),
        ("ben", Role.COACH),
        ("cat", Role.ASSESSOR),
    ]
    page = response.content.decode()
    assert "Ann Admin" in page  # the name, not the username, where there is one
    assert timezone.localtime(register.started).strftime("%-d %b %Y") in page
    ended_on = timezone.localtime(register.started + timedelta(days=200)).strftime("%-d %b %Y")
    assert ended_on in page
    assert "dan" not in page  # another club's staff
    assert response.context["running"] == 2


def test_a_federation_register_holds_the_federation_and_every_club_of_it(client, register):
    client.force_login(register.people["fed"])
    url = reverse("organisation_reports:federation_register", args=[register.federation.slug])
    roles = client.get(url).context["roles"]
    assert [(r.organisation.name, r.person.username) for r in roles] == [
        ("Riverside", "fed"),
        ("Alpha SC", "ann"),
        ("Alpha SC", "ben"),
        ("Alpha SC", "cat"),
        ("Bravo SC", "dan"),
    ]


def test_the_register_as_csv(client, register):
    client.force_login(register.people["fed"])
    url = reverse("organisation_reports:federation_register", args=[register.federation.slug])
    response = client.get(url + "?format=csv")
    assert response.status_code == 200
    text = response.content.decode()
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == ["organisation", "name", "username", "role", "since", "until"]
    by_user = {row[2]: row for row in rows[1:]}
    assert by_user["ann"][:4] == ["Alpha SC", "Ann Admin", "ann", "Club admin"]
    assert by_user["ann"][4] == timezone.localdate(register.started).isoformat()
    assert by_user["ann"][5] == ""
    assert (
        by_user["cat"][5] == timezone.localdate(register.started + timedelta(days=200)).isoformat()
    )


def test_register_cells_a_spreadsheet_would_run_are_quoted(client, register):
    register.people["ben"].first_name = "=cmd|'/C calc'!A0"
    register.people["ben"].save()
    client.force_login(register.people["ann"])
    url = reverse("organisation_reports:club_register", args=[register.a.slug]) + "?format=csv"
    text = client.get(url).content.decode()
    assert "'=cmd" in text
    assert ",=cmd" not in text


def test_a_club_admin_reads_no_other_register(client, register):
    client.force_login(register.people["ann"])
    for url in [
        reverse("organisation_reports:club_register", args=[register.b.slug]),
        reverse("organisation_reports:club_register", args=[register.c.slug]),
        reverse("organisation_reports:federation_register", args=[register.federation.slug]),
    ]:
        assert client.get(url).status_code == 404


def test_ended_roles_stay_in_the_register_after_a_new_one(client, register):
    grant_role(register.people["cat"], register.a, Role.ASSESSOR)  # back again
    assert StaffRole.objects.filter(person=register.people["cat"]).count() == 2
    client.force_login(register.people["ann"])
    roles = client.get(
        reverse("organisation_reports:club_register", args=[register.a.slug])
    ).context["roles"]
    cat = [r for r in roles if r.person == register.people["cat"]]
    assert [r.ended_at is None for r in cat] == [True, False]  # the running one first
