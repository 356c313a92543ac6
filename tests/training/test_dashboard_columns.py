"""Columns another app adds to a group's dashboard (training.hooks): each trainee's own cell,
and the coach's filter by the column's state.

The column here is a small one of the test's own, plugged in as certification plugs in its
"certified until" column, so that what the dashboard asks for (which group, which trainees,
which clock) is seen directly."""

import re
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from tests.factories import make_trainee
from training import hooks
from training.hooks import ColumnCell, DashboardColumn
from training.progress import group_progress

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
NO_LANE = ColumnCell("–", "none", "No lane")


@pytest.fixture
def lanes(group, trainee, monkeypatch):
    """Dolphins: trainee_a swims in the fast lane, bea in the slow one, cal in none. Returns
    what the column was asked: [(group name, trainee ids, clock)]."""
    bea, cal = make_trainee("bea"), make_trainee("cal")
    for member in (bea, cal):
        group.memberships.create(trainee=member)
    chosen = {trainee.pk: ("fast", "Fast"), bea.pk: ("slow", "Slow")}
    asked = []

    def lane_column(group, trainee_ids, now):
        asked.append((group.name, list(trainee_ids), now))
        cells = {
            pk: ColumnCell(label, state, label)
            for pk, (state, label) in chosen.items()
            if pk in trainee_ids
        }
        return [
            DashboardColumn(
                key="lane",
                title=f"{group.name} lane on {now:%Y-%m-%d}",
                cells=cells,
                states=[("fast", "Fast"), ("slow", "Slow"), ("none", "No lane")],
                empty=NO_LANE,
            )
        ]

    monkeypatch.setattr(hooks, "_column_providers", [lane_column])
    return {"trainee_a": trainee, "bea": bea, "cal": cal, "asked": asked}


def lanes_shown(board):
    return [(row.trainee.username, row.extra[0].text) for row in board.rows]


def test_an_added_column_shows_each_trainee_their_own_cell(group, lanes):
    board = group_progress(group, now=NOW)
    assert [column.title for column in board.extra_columns] == ["Dolphins lane on 2026-03-02"]
    assert lanes_shown(board) == [("bea", "Slow"), ("cal", "–"), ("trainee_a", "Fast")]
    # Asked once, about this group's trainees (in username order) at the clock given.
    assert lanes["asked"] == [
        ("Dolphins", [lanes["bea"].pk, lanes["cal"].pk, lanes["trainee_a"].pk], NOW)
    ]


@pytest.mark.parametrize(
    ("filters", "shown"),
    [
        ({"lane": "fast"}, ["trainee_a"]),
        ({"lane": "slow"}, ["bea"]),
        ({"lane": "none"}, ["cal"]),  # those without a cell have the empty one's state
        ({"lane": ""}, ["bea", "cal", "trainee_a"]),  # "Any"
        ({"lane": "butterfly"}, ["bea", "cal", "trainee_a"]),  # no such state: no filter
        ({"cert": "fast"}, ["bea", "cal", "trainee_a"]),  # another column's key
        ({}, ["bea", "cal", "trainee_a"]),
        (None, ["bea", "cal", "trainee_a"]),
    ],
)
def test_filtering_by_an_added_columns_state(group, lanes, filters, shown):
    board = group_progress(group, now=NOW, filters=filters)
    assert [row.trainee.username for row in board.rows] == shown


def test_the_dashboard_and_csv_filter_by_the_added_column(client, coach, group, lanes):
    client.force_login(coach)
    page = client.get(reverse("training:group_dashboard", args=[group.pk]), {"lane": "slow"})
    html = page.content.decode()
    assert re.findall(r'<th scope="row"><a href="[^"]*">([^<]+)</a>', html) == ["bea"]
    assert '<span class="status status-slow">Slow</span> Slow</td>' in html
    export = client.get(reverse("training:group_export_csv", args=[group.pk]), {"lane": "fast"})
    lines = export.content.decode("utf-8-sig").splitlines()
    assert [line.split(",")[0] for line in lines[1:]] == ["trainee_a"]
    assert lines[1].split(",")[3:7] == ["0", "0", "Fast", "Fast"]  # nothing assigned: 0 done
