import pytest

from tests import factories


@pytest.fixture
def coach(db):
    return factories.make_coach("coach_a")


@pytest.fixture
def trainee(db):
    return factories.make_trainee("trainee_a")


@pytest.fixture
def admin_user(db):
    return factories.make_admin("admin_a")


@pytest.fixture
def group(coach, trainee):
    return factories.make_group("Dolphins", coaches=[coach], trainees=[trainee])
