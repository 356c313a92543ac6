"""Every URL with a whole number answers 404 for any number the database cannot hold.

Read from the URL configuration, as the role matrix is: a new URL with a number is covered
without a line here. (Once /training/groups/1/trainees/99999999999999999999999/ raised
OverflowError on SQLite.)
"""

import pytest
from django.db import connection
from django.urls import URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crampcourse.converters import DatabaseIdConverter
from tests.security.test_role_matrix import MATRIX, ROLES, build_world


def numbered_urls(patterns=None, namespace=None):
    """(url name, converters) of every URL of the site with a whole number in it."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # the admin reads its ids itself (an unknown one redirects)
            yield from numbered_urls(pattern.url_patterns, pattern.namespace or namespace)
            continue
        converters = pattern.pattern.converters
        numbers = {
            name: converter
            for name, converter in converters.items()
            if isinstance(converter, IntConverter | DatabaseIdConverter)
        }
        if numbers:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield name, numbers


NUMBERED = dict(numbered_urls())


def test_the_site_has_numbered_urls_and_each_number_is_bounded():
    assert len(NUMBERED) > 10
    loose = {
        name: sorted(kwarg for kwarg, c in numbers.items() if isinstance(c, IntConverter))
        for name, numbers in NUMBERED.items()
    }
    assert {name: kwargs for name, kwargs in loose.items() if kwargs} == {}


def cases():
    """Each number of each URL, for each role the matrix lets through with real objects."""
    for name, numbers in sorted(NUMBERED.items()):
        expected = MATRIX[name][3]
        for kwarg in sorted(numbers):
            for role in ROLES:
                if role != "anonymous" and expected[role] in (200, 302):
                    yield name, kwarg, role


@pytest.fixture
def world(db):
    return build_world()


PLACEHOLDER = 987654321


@pytest.mark.parametrize(("name", "kwarg", "role"), list(cases()))
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_a_number_beyond_the_database_is_a_404(client, world, name, kwarg, role, data):
    largest = connection.ops.integer_field_range("BigIntegerField")[1]
    huge = data.draw(
        st.sampled_from([largest + 1, 10**23 - 1]) | st.integers(min_value=largest + 1),
        label="id",
    )
    method, kwargs_from, post_from, _ = MATRIX[name]
    kwargs = {**kwargs_from(world), kwarg: PLACEHOLDER}
    url = reverse(name, kwargs=kwargs).replace(f"/{PLACEHOLDER}/", f"/{huge}/")
    assert str(huge) in url
    client.force_login(world.users[role])
    response = getattr(client, method)(url, post_from(world) if post_from else {})
    assert response.status_code == 404
