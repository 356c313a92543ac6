"""Every form with errors opens with a summary that names each problem, links to its field
and takes the focus; what was typed stays (passwords excepted)."""

import re

from django.urls import reverse


def test_a_failed_sign_up_opens_with_a_summary_linking_each_field(client, db, settings):
    settings.OPEN_SIGNUP = True
    response = client.post(
        reverse("training:signup"),
        {
            "username": "ada swims",  # a space: not a valid username
            "first_name": "Ada",
            "password1": "short",
            "password2": "different",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    summary = re.search(r'<div class="error-summary"[^>]*>(.*?)</div>', html, re.S)
    assert summary, "no error summary"
    opening = html[summary.start() : summary.start() + 200]
    assert "autofocus" in opening
    assert 'role="alert"' in opening
    assert 'tabindex="-1"' in opening
    links = re.findall(r'<a href="#(id_[a-z0-9_]+)">', summary.group(1))
    assert "id_username" in links
    assert "id_password2" in links
    for field_id in links:
        assert f'id="{field_id}"' in html  # each link lands on its field
    # The summary comes before the first field, and only it asks for the focus.
    assert summary.start() < html.index('id="id_username"')
    assert html.count("autofocus") == 1
    # What was typed stays, except the passwords.
    assert 'value="ada swims"' in html
    assert 'value="short"' not in html


def test_a_valid_form_has_no_summary(client, db, settings):
    settings.OPEN_SIGNUP = True
    html = client.get(reverse("training:signup")).content.decode()
    assert "error-summary" not in html
