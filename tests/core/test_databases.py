"""DATABASE_URL with a primary and its standby, and which reads may go to the standby."""

import pytest
from django.test import override_settings

from crampcourse.databases import parse
from crampcourse.routers import REPLICA, StandbyRouter, stale_reads_ok
from quizzes.models import Attempt
from tests.factories import make_coach, make_group, make_quiz, make_trainee
from training.models import TrainingGroup
from training.services import assign


def test_several_hosts_reach_psycopg_as_libpq_lists_them():
    config = parse(
        "postgres://app:secret@db1.internal:5432,db2.internal:5433/crampcourse"
        "?target_session_attrs=read-write"
    )
    assert config["HOST"] == "db1.internal,db2.internal"
    assert config["PORT"] == "5432,5433"
    assert (config["NAME"], config["USER"], config["PASSWORD"]) == ("crampcourse", "app", "secret")
    assert config["OPTIONS"]["target_session_attrs"] == "read-write"
    # A machine that does not answer is given up quickly and the next host tried.
    assert config["OPTIONS"]["connect_timeout"] == "3"


def test_a_host_without_a_port_gets_postgresqls_own():
    config = parse("postgres://app@db1,db2:6543/crampcourse")
    assert (config["HOST"], config["PORT"]) == ("db1,db2", "5432,6543")


def test_one_host_is_parsed_as_before():
    config = parse("postgres://app@db1:5432/crampcourse?sslmode=require")
    assert (config["HOST"], config["PORT"]) == ("db1", 5432)
    assert config["OPTIONS"] == {"sslmode": "require"}


def test_an_empty_host_in_the_list_is_refused():
    with pytest.raises(ValueError, match="empty host"):
        parse("postgres://app@db1:5432,:5433/crampcourse")


REPLICA_DATABASES = {"default": {}, REPLICA: {}}


@override_settings(DATABASES=REPLICA_DATABASES)
def test_only_reads_that_say_so_go_to_the_standby():
    router = StandbyRouter()
    assert router.db_for_read(Attempt) == "default"
    with stale_reads_ok():
        assert router.db_for_read(TrainingGroup) == REPLICA
        # Writes never do, even inside the block.
        assert router.db_for_write(Attempt) == "default"
    assert router.db_for_read(Attempt) == "default"
    assert router.allow_migrate(REPLICA, "quizzes") is False


def test_without_a_standby_every_read_is_the_primarys():
    with stale_reads_ok():
        assert StandbyRouter().db_for_read(Attempt) == "default"


@pytest.mark.django_db
def test_the_item_analysis_reads_statistics_inside_the_block_and_the_rest_outside(
    client, monkeypatch
):
    """The coach's item analysis asks for its figures with stale reads allowed; who may see the
    group was read before, from the primary. (With no standby here, the router is watched.)"""
    seen = []
    real = StandbyRouter.db_for_read

    def watched(self, model, **hints):
        from crampcourse.routers import _stale_ok

        seen.append((model.__name__, _stale_ok.get()))
        return real(self, model, **hints)

    monkeypatch.setattr(StandbyRouter, "db_for_read", watched)
    coach = make_coach("coach_router")
    group = make_group("Router squad", coaches=[coach], trainees=[make_trainee("t_router")])
    quiz = make_quiz("router-quiz", is_published=True)
    assign(group, quiz)
    client.force_login(coach)
    seen.clear()
    response = client.get(f"/training/groups/{group.pk}/quizzes/{quiz.pk}/analysis/")
    assert response.status_code == 200
    assert ("TrainingGroup", False) in seen  # the permission check: the primary's
    assert ("Attempt", True) in seen  # the statistics: may be the standby's
