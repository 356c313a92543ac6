"""Groups made before clubs existed move into one club named by a setting, and their coaches
become its coaches: run on data laid out as the second edition's demo left it."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("training", "0008_time_multiplier"),
    ("organisations", "0001_clubs_federations_staff_roles"),
]
AFTER = [("training", "0011_every_group_in_a_club")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture(autouse=True)
def back_to_the_latest_migrations():
    """Going back to BEFORE undoes every later migration that depends on it (certification's
    issuers among them); the tests after this one need them all."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_old_groups_move_into_the_named_club_with_their_coaches(settings):
    settings.DEFAULT_CLUB_NAME = "Riverside Swimming Club"
    old = migrate(BEFORE)
    User = old.get_model("auth", "User")
    Group = old.get_model("auth", "Group")
    TrainingGroup = old.get_model("training", "TrainingGroup")
    Membership = old.get_model("training", "Membership")
    coach_group, _ = Group.objects.get_or_create(name="Coach")
    coach1 = User.objects.create(username="coach1")
    coach2 = User.objects.create(username="coach2")
    idle = User.objects.create(username="idle-coach")  # in the Coach group, no group yet
    idle.groups.add(coach_group)
    trainee = User.objects.create(username="trainee1")
    dolphins = TrainingGroup.objects.create(name="Dolphins squad", join_code="DOLPHIN2")
    cohort = TrainingGroup.objects.create(name="Lifeguard cohort", join_code="COHORT22")
    dolphins.coaches.add(coach1)
    cohort.coaches.add(coach1, coach2)
    Membership.objects.create(group=dolphins, trainee=trainee)

    new = migrate(AFTER)
    Organisation = new.get_model("organisations", "Organisation")
    StaffRole = new.get_model("organisations", "StaffRole")
    club = Organisation.objects.get()
    assert (club.name, club.kind) == ("Riverside Swimming Club", "club")
    groups = new.get_model("training", "TrainingGroup").objects.all()
    assert {g.club_id for g in groups} == {club.pk}
    coaches = set(
        StaffRole.objects.filter(organisation=club, role="coach").values_list(
            "person__username", flat=True
        )
    )
    assert coaches == {"coach1", "coach2", "idle-coach"}
    assert (
        new.get_model("training", "Membership")
        .objects.filter(trainee__username="trainee1")
        .exists()
    )
