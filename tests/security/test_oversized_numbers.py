"""Every number read from a request goes through one bounded parser (crampcourse.numbers), and a
number longer than any id in the address is a 400 before the admin's filters read it.

Before: `goto` with 4,300+ digits, an ordering position of 5,000 digits, `?sort=a` with 4,301
digits, the admin's `?quiz=` with 30 digits and a preview `seed=` with 5,000 digits were 500s."""

import pytest
from django.contrib import admin
from django.urls import reverse
from hypothesis import example, given
from hypothesis import strategies as st

from crampcourse.numbers import MAX_ID, bounded_int


@given(st.text(), st.integers(0, 1000), st.integers(0, 1000))
@example("9" * 5000, 1, 10)
@example("٣", 1, 10)
def test_bounded_int_never_raises_and_keeps_to_its_range(text, low, span):
    high = low + span
    number = bounded_int(text, low=low, high=high)
    assert number is None or low <= number <= high


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("12", 12),
        (" 12 ", 12),
        ("١٢", 12),  # Arabic-Indic digits
        ("１２", 12),  # full-width digits
        ("𝟏𝟐", 12),  # mathematical bold digits
        ("1_2", None),  # int() would read 12
        ("+12", None),
        ("-1", None),
        ("1.0", None),
        ("1 2", None),
        ("²", None),  # a digit to isdigit(), not a number to int()
        ("9" * 19, None),
        ("", None),
        (None, None),
    ],
)
def test_digits_of_any_script_are_numbers_and_nothing_else_is(typed, read):
    assert bounded_int(typed, low=0, high=MAX_ID) == read


def admin_filters():
    """(changelist URL name, parameter) for every list filter of every registered model."""
    for model, model_admin in admin.site._registry.items():
        for spec in model_admin.list_filter:
            field = spec[0] if isinstance(spec, tuple) else spec
            if isinstance(field, str):
                name = f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
                yield name, field


@pytest.mark.parametrize(("url_name", "parameter"), sorted(set(admin_filters())))
def test_admin_list_filters_refuse_a_thirty_digit_number_with_a_400(
    admin_client, url_name, parameter
):
    for key in (parameter, f"{parameter}__id__exact", f"{parameter}__exact"):
        response = admin_client.get(reverse(url_name), {key: "9" * 30})
        assert response.status_code == 400, (url_name, key)
        assert "We could not read that request" in response.content.decode()


def test_the_admin_search_box_takes_a_long_number_as_text(admin_client):
    response = admin_client.get(reverse("admin:auth_user_changelist"), {"q": "9" * 30})
    assert response.status_code == 200
