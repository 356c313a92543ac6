"""Links made up or tampered with: the e-mail confirmation link and invitation addresses.

Hypothesis throws random tokens at the confirmation link (a 400 that says why, never a 500,
and nothing confirmed) and random addresses at the masking and matching rules."""

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.emails import SALT, LinkRefused, make_token, read_token
from accounts.models import VerifiedEmail
from crampcourse.verification import mask, same_address
from tests.factories import make_user, verify_email

TOKEN_TEXT = st.text(
    st.characters(blacklist_categories=["Cs"], blacklist_characters="/"), min_size=1, max_size=300
)


@pytest.mark.django_db
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(token=TOKEN_TEXT)
def test_any_made_up_token_is_a_400_and_confirms_nothing(token):
    User = VerifiedEmail._meta.get_field("user").related_model
    if not User.objects.filter(username="target").exists():
        make_user("target", verified=False)
    response = Client().post(reverse("accounts:email_confirm", args=[token]))
    assert response.status_code in (400, 404)  # 404: the router refuses it (e.g. "." or "..")
    assert not VerifiedEmail.objects.exists()


@pytest.mark.django_db
@settings(max_examples=40, deadline=None)
@given(
    payload=st.one_of(
        st.none(),
        st.integers(),
        st.text(max_size=50),
        st.dictionaries(
            st.sampled_from(["u", "e", "x"]),
            st.one_of(st.integers(), st.text(max_size=20), st.none()),
        ),
    )
)
def test_a_signed_token_of_another_shape_is_refused(payload):
    """Signed with the site's key but not of the shape we make (a key leak aside, this cannot
    happen): still refused in words, never a crash."""
    token = signing.dumps(payload, salt=SALT)
    with pytest.raises(LinkRefused):
        read_token(token)


def test_a_token_for_one_account_does_not_confirm_another(db):
    owner = make_user("owner", verified=False)
    other = make_user("other", verified=False)
    user, address = read_token(make_token(owner))
    assert user == owner
    assert address == owner.email
    assert user != other


@given(st.emails())
def test_mask_keeps_the_first_letter_and_the_domain(address):
    local, _, domain = address.partition("@")
    masked = mask(address)
    assert masked == f"{local[0]}***@{domain}"
    assert (
        same_address(address, address.upper()) or address.upper().casefold() != address.casefold()
    )


@given(st.text(max_size=80))
def test_mask_never_fails_and_never_shows_more_than_one_letter_of_the_name(text):
    masked = mask(text)
    local, at, _ = text.partition("@")
    if not at:
        assert masked == "***"
    else:
        assert masked.startswith(local[:1] + "***@")


@given(st.text(max_size=40), st.text(max_size=40))
def test_same_address_is_symmetric_and_never_matches_nothing(first, second):
    assert same_address(first, second) == same_address(second, first)
    if not first.strip() or not second.strip():
        assert not same_address(first, second)


@pytest.mark.django_db
@settings(max_examples=40, deadline=None)
@given(address=st.emails(), shout=st.booleans(), other=st.emails())
def test_a_bound_invitation_is_for_its_confirmed_address_in_any_case(address, shout, other):
    from training.models import Invitation

    User = VerifiedEmail._meta.get_field("user").related_model
    holder, _ = User.objects.update_or_create(
        username="holder", defaults={"email": address.upper() if shout else address}
    )
    bound = Invitation(email=address, bound_to_address=True)
    VerifiedEmail.objects.filter(user=holder).delete()
    holder = User.objects.get(pk=holder.pk)
    assert not bound.may_be_used_by(holder)  # typed, not confirmed
    verify_email(holder)
    assert bound.may_be_used_by(holder)
    assert Invitation(email=address, bound_to_address=False).may_be_used_by(holder)
    if not same_address(other, address):
        holder.email = other
        holder.save()
        holder = User.objects.get(pk=holder.pk)
        assert not bound.may_be_used_by(holder)
