"""Errors are pages in the site's own layout, with a way back and no internals."""

from django.urls import reverse

FOOTER = "This is training, not medical advice"


def test_unknown_address_is_a_404_in_the_site_layout(client, trainee):
    client.force_login(trainee)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "<h1>Page not found</h1>" in page
    assert FOOTER in page
    assert f'href="{reverse("training:my_assignments")}"' in page  # the trainee's navigation


def test_a_coach_page_opened_by_a_trainee_is_a_403_saying_why(client, trainee):
    client.force_login(trainee)
    response = client.get(reverse("training:coach_groups"))
    assert response.status_code == 403
    assert "This page is not for your account" in response.content.decode()


def test_a_forged_host_is_a_400_in_the_site_layout(client):
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "We could not read that request" in response.content.decode()


def test_a_form_without_its_csrf_token_explains_what_to_do(db):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(reverse("login"), {"username": "x"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "That form has expired" in page
    assert FOOTER in page


def test_a_server_error_shows_our_page_and_no_traceback(client, settings):
    settings.ROOT_URLCONF = "tests.core.urls_with_a_fault"
    settings.DEBUG = False
    client.raise_request_exception = False
    response = client.get("/broken/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong on our side" in page
    assert FOOTER in page
    for internal in ("Traceback", "RuntimeError", "secret"):
        assert internal not in page


def test_a_database_that_does_not_answer_is_a_friendly_503(client, trainee, settings):
    """While PostgreSQL restarts, every page says "back in a minute", never a traceback."""
    from django.db import OperationalError, connection

    settings.DEBUG = False
    client.force_login(trainee)
    client.raise_request_exception = False

    def refuse(execute, sql, params, many, context):
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")

    with connection.execute_wrapper(refuse):
        response = client.get(reverse("training:my_assignments"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "We will be back in a minute" in page
    assert "the answers you saved before are kept" in page
    assert FOOTER in page
    for internal in ("Traceback", "OperationalError", "127.0.0.1", "Connection refused"):
        assert internal not in page


def test_the_page_nginx_shows_with_no_app_server_keeps_the_sites_layout():
    """static/unavailable.html is a plain copy of the layout (no template engine runs then),
    in both languages, as nothing there knows the reader's: the footer as the site says it."""
    from django.conf import settings
    from django.template.loader import render_to_string
    from django.utils import translation

    static_page = (settings.BASE_DIR / "static" / "unavailable.html").read_text()
    for language, code in (("en-gb", "en"), ("ru", "ru")):
        with translation.override(language):
            layout = render_to_string("base.html")
        footer = layout.split('<footer class="site-footer">', 1)[1].split("</footer>", 1)[0]
        said = footer.split("<p>", 1)[1].split("</p>", 1)[0]
        assert f'<p lang="{code}">{said}</p>' in static_page
    assert '<a class="skip-link" href="#main">Skip to content</a>' in static_page
    assert '<div class="narrow" lang="en">' in static_page
    assert '<div class="narrow" lang="ru">' in static_page
    assert "We will be back in a minute" in static_page
    assert "Мы вернёмся через минуту" in static_page
    assert "<script" not in static_page


def test_a_request_too_big_is_refused_in_the_readers_language(client, db, settings):
    """The 413 is drawn before LocaleMiddleware runs: it asks the request's language itself."""
    settings.MAX_REQUEST_BYTES = 1000
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    response = client.post(reverse("login"), {"username": "x" * 2000, "password": "y"})
    assert response.status_code == 413
    page = response.content.decode()
    assert '<html lang="ru"' in page
    assert "<h1>Это слишком много для одной отправки</h1>" in page


def test_a_page_not_found_in_russian(client, trainee):
    client.force_login(trainee)
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 404
    page = response.content.decode()
    assert "<h1>Страница не найдена</h1>" in page
    assert ">Мои задания</a>" in page
    assert "Это обучение, а не медицинская консультация." in page


def test_a_page_drawn_without_the_request_has_no_switcher_that_could_not_post(db):
    """The 500 and 503 pages have no request, so no CSRF token: a switcher there would only
    lead to the "form expired" page."""
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override("en-gb"):
        page = render_to_string("500.html")
    assert "Something went wrong on our side" in page
    assert "language-switch" not in page


def test_a_page_with_the_request_has_the_switcher(client, db):
    assert 'class="language-switch"' in client.get("/").content.decode()
