"""Security headers and cookies as a browser sees them."""

from django.conf import settings
from django.urls import reverse


def test_content_security_policy_forbids_inline_script(client, db):
    response = client.get(reverse("login"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


def test_pages_carry_no_inline_script_or_style(client, trainee, db):
    client.force_login(trainee)
    for url in [reverse("training:my_assignments"), reverse("quizzes:quiz_list")]:
        html = client.get(url).content.decode()
        assert "<script>" not in html
        assert " style=" not in html
        assert " onclick=" not in html


def test_session_cookie_is_http_only(client, trainee, db):
    from tests.factories import PASSWORD

    response = client.post(reverse("login"), {"username": trainee.username, "password": PASSWORD})
    assert response.cookies[settings.SESSION_COOKIE_NAME]["httponly"]
