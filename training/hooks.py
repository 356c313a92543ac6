"""Extension points for apps built on training (certification), registered from their
AppConfig.ready(), so training never imports them.

- Dashboard columns: (group, trainee_ids, now) -> [DashboardColumn]; extra columns on a
  group's dashboard and CSV (e.g. "certified until"), each with states a coach can filter by.
  A provider must read a fixed number of queries whatever the number of trainees.
- Group links: (group) -> [GroupLink], shown in a group's navigation.
- Extra work: (trainee, now) -> [ExtraWork], shown at the top of "My assignments".
- Demo seeders: () -> None, run by `seed_demo` after the demo groups and work exist.
"""

from dataclasses import dataclass, field

_column_providers = []
_group_link_providers = []
_extra_work_providers = []
_demo_seeders = []


@dataclass(frozen=True)
class ColumnCell:
    text: str
    state: str
    state_label: str


@dataclass
class DashboardColumn:
    key: str  # the query parameter that filters by this column's state
    title: str
    cells: dict = field(default_factory=dict)  # trainee id -> ColumnCell
    states: list = field(default_factory=list)  # [(state, label)] for the filter
    empty: ColumnCell | None = None  # a trainee without a cell

    def cell_for(self, trainee_id):
        return self.cells.get(trainee_id, self.empty)


@dataclass(frozen=True)
class GroupLink:
    label: str
    url: str
    name: str  # the "current" value that marks it as the page shown


@dataclass(frozen=True)
class ExtraWork:
    title: str
    url: str
    status: str
    status_label: str
    note: str = ""


def register_column_provider(provider):
    if provider not in _column_providers:
        _column_providers.append(provider)


def register_group_link_provider(provider):
    if provider not in _group_link_providers:
        _group_link_providers.append(provider)


def register_extra_work_provider(provider):
    if provider not in _extra_work_providers:
        _extra_work_providers.append(provider)


def dashboard_columns(group, trainee_ids, now):
    return [column for p in _column_providers for column in p(group, trainee_ids, now)]


def group_links(group):
    return [link for provider in _group_link_providers for link in provider(group)]


def extra_work(trainee, now):
    return [work for provider in _extra_work_providers for work in provider(trainee, now)]


def register_demo_seeder(seeder):
    if seeder not in _demo_seeders:
        _demo_seeders.append(seeder)


def seed_demo():
    for seeder in _demo_seeders:
        seeder()
