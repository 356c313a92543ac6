"""The site in English and Russian: the header's switcher, the browser's Accept-Language, the
language saved on the account (followed at log-in, on any device), mail in the recipient's
language, and the Language box on My account (issue 31)."""

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from accounts.languages import choose, language_of
from accounts.models import LanguagePreference
from tests.factories import PASSWORD, make_coach, make_group, make_trainee, make_user

COOKIE = settings.LANGUAGE_COOKIE_NAME
RUSSIAN_LANDING = "Как справиться с судорогой в ноге на глубокой воде"
ENGLISH_LANDING = "Get out of a leg cramp in deep water"


def page(response):
    return response.content.decode()


def switch(client, language, next_url="/"):
    return client.post(
        reverse("accounts:choose_language"), {"language": language, "next": next_url}
    )


# Signed out -----------------------------------------------------------------------------------


def test_the_switcher_sets_the_cookie_and_the_landing_page_is_then_russian(client, db):
    response = switch(client, "ru")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert response.cookies[COOKIE].value == "ru"
    landing = page(client.get("/"))
    assert '<html lang="ru"' in landing
    assert RUSSIAN_LANDING in landing
    assert ">Войти</a>" in landing
    assert "Это обучение, а не медицинская консультация." in landing  # the footer
    assert ENGLISH_LANDING not in landing


def test_the_switcher_offers_the_other_language_named_in_itself(client, db):
    english = page(client.get("/"))
    assert 'value="ru" lang="ru" class="link-button">Русский</button>' in english
    switch(client, "ru")
    russian = page(client.get("/"))
    # In itself, not as the page's language names it ("Английский").
    assert 'value="en-gb" lang="en-gb" class="link-button">English</button>' in russian


@pytest.mark.parametrize("code", ["xx", "../", "ru" * 250, "", "<script>"])
def test_an_unknown_language_falls_back_to_english_never_an_error(client, db, code):
    response = switch(client, code)
    assert response.status_code == 302
    assert response.cookies[COOKIE].value == "en-gb"
    landing = page(client.get("/"))
    assert '<html lang="en-gb"' in landing
    assert ENGLISH_LANDING in landing


def test_a_russian_reader_who_sends_nonsense_gets_english_back(client, db):
    switch(client, "ru")
    switch(client, "../../etc/passwd")
    assert '<html lang="en-gb"' in page(client.get("/"))


@pytest.mark.parametrize(
    "elsewhere", ["https://evil.example/", "//evil.example/", "http://evil.example/ru/"]
)
def test_next_to_another_host_is_not_followed(client, db, elsewhere):
    response = switch(client, "ru", elsewhere)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert "evil.example" not in response["Location"]


def test_next_on_this_site_is_followed(client, db):
    response = switch(client, "ru", reverse("login"))
    assert response["Location"] == reverse("login")
    assert "<h1>Войти</h1>" in page(client.get(response["Location"]))


def test_the_switcher_answers_only_a_post(client, db):
    assert client.get(reverse("accounts:choose_language")).status_code == 405


def test_accept_language_russian_alone_gives_russian(client, db):
    landing = page(client.get("/", HTTP_ACCEPT_LANGUAGE="ru-RU,ru;q=0.9,en;q=0.5"))
    assert '<html lang="ru"' in landing
    assert RUSSIAN_LANDING in landing


def test_accept_language_german_gives_english(client, db):
    landing = page(client.get("/", HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9"))
    assert '<html lang="en-gb"' in landing
    assert ENGLISH_LANDING in landing


def test_the_cookie_wins_over_accept_language(client, db):
    switch(client, "en-gb")
    landing = page(client.get("/", HTTP_ACCEPT_LANGUAGE="ru"))
    assert '<html lang="en-gb"' in landing


def test_a_signed_out_choice_is_saved_on_no_account(client, db):
    switch(client, "ru")
    assert not LanguagePreference.objects.exists()


def test_error_pages_are_russian_too(client, db):
    switch(client, "ru")
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "<h1>Страница не найдена</h1>" in page(response)


# Signed in ------------------------------------------------------------------------------------


def log_in(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, page(response)
    return response


def test_a_signed_in_choice_is_saved_on_the_account(client, trainee):
    client.force_login(trainee)
    switch(client, "ru", reverse("accounts:my_account"))
    assert LanguagePreference.objects.get(user=trainee).language == "ru"
    account = page(client.get(reverse("accounts:my_account")))
    assert '<html lang="ru"' in account
    assert "<h1>Мой аккаунт</h1>" in account


def test_a_later_log_in_on_a_fresh_client_gets_the_saved_language(client, trainee):
    from django.test import Client

    client.force_login(trainee)
    switch(client, "ru")
    fresh = Client()  # another phone: no cookie, an English browser
    response = log_in(fresh, trainee)
    assert response.cookies[COOKIE].value == "ru"
    landing_page = fresh.get(response["Location"], follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="ru"' in page(landing_page)
    assert "Мои задания" in page(landing_page)


def test_a_log_in_without_a_saved_choice_leaves_the_language_alone(client, trainee):
    response = log_in(client, trainee)
    assert COOKIE not in response.cookies
    assert '<html lang="en-gb"' in page(client.get(response["Location"], follow=True))


def test_a_language_chosen_before_the_first_log_in_is_kept_on_the_account(client, trainee):
    switch(client, "ru")
    log_in(client, trainee)
    assert language_of(trainee.__class__.objects.get(pk=trainee.pk)) == "ru"


def test_a_saved_choice_wins_over_the_cookie_of_this_browser(client, trainee):
    choose(trainee, "en-gb")
    switch(client, "ru")
    response = log_in(client, trainee)
    assert response.cookies[COOKIE].value == "en-gb"
    assert LanguagePreference.objects.get(user=trainee).language == "en-gb"


def test_switching_back_to_english_is_saved_too(client, trainee):
    client.force_login(trainee)
    switch(client, "ru")
    switch(client, "en-gb")
    assert LanguagePreference.objects.get(user=trainee).language == "en-gb"
    trainee.refresh_from_db()
    assert language_of(trainee) == "en-gb"


# Mail in the recipient's language ---------------------------------------------------------------


def test_the_confirmation_mail_to_a_russian_account_is_russian(client, db):
    user = make_user("olga", first_name="Ольга", verified=False)
    choose(user, "ru")
    client.force_login(user)
    # Asked from an English page: the mail follows the account, not this browser.
    response = client.post(reverse("accounts:email_confirm_send"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.subject == "Подтвердите адрес электронной почты в CrampCourse"
    assert message.body.startswith("Здравствуйте, Ольга!")
    assert "Ссылка действует" in message.body
    assert "/account/email/confirm/" in message.body


def test_the_confirmation_mail_to_an_english_account_stays_english(client, db):
    user = make_user("olive", first_name="Olive", verified=False)
    client.force_login(user)
    client.post(reverse("accounts:email_confirm_send"))
    [message] = mail.outbox
    assert message.subject == "Confirm your e-mail address on CrampCourse"
    assert message.body.startswith("Hello Olive,")


def test_without_a_saved_choice_the_mail_follows_the_page_it_was_asked_from(client, db):
    user = make_user("oleg", first_name="Олег", verified=False)
    client.force_login(user)
    client.post(reverse("accounts:email_confirm_send"), HTTP_ACCEPT_LANGUAGE="ru")
    [message] = mail.outbox
    assert message.subject == "Подтвердите адрес электронной почты в CrampCourse"


def test_the_password_reset_mail_to_a_russian_account_is_russian(client, db):
    user = make_user("pavel", email="pavel@example.com")
    choose(user, "ru")
    response = client.post(reverse("password_reset"), {"email": "pavel@example.com"})
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.subject == "Сброс пароля в CrampCourse"
    assert "Кто-то (надеемся, что вы) попросил сбросить ваш пароль" in message.body


# The Language box on My account -------------------------------------------------------------


def test_my_account_says_no_language_is_chosen_yet(client, trainee):
    client.force_login(trainee)
    account = page(client.get(reverse("accounts:my_account")))
    assert '<h2 id="language-heading">Language</h2>' in account
    assert "You have not chosen a language yet" in account
    assert f'action="{reverse("accounts:choose_language")}"' in account
    assert '<option value="en-gb" lang="en-gb" selected>English</option>' in account
    assert '<option value="ru" lang="ru">Русский</option>' in account


def test_my_account_shows_the_saved_language_and_changes_it(client, db):
    trainee = make_trainee("tanya")
    choose(trainee, "ru")
    client.force_login(trainee)
    client.cookies[COOKIE] = "ru"
    account = page(client.get(reverse("accounts:my_account")))
    assert '<h2 id="language-heading">Язык</h2>' in account
    assert 'Ваш язык: <strong lang="ru">Русский</strong>' in account
    assert '<option value="ru" lang="ru" selected>Русский</option>' in account
    response = client.post(
        reverse("accounts:choose_language"),
        {"language": "en-gb", "next": reverse("accounts:my_account")},
    )
    assert response["Location"] == reverse("accounts:my_account")
    assert LanguagePreference.objects.get(user=trainee).language == "en-gb"
    account = page(client.get(reverse("accounts:my_account")))
    assert 'Your language: <strong lang="en-gb">English</strong>' in account


def test_the_language_box_costs_my_account_no_query(client, db, django_assert_num_queries):
    """The proof of the address and the saved language are read in one query: the page's
    count stays what it was before the box (tests/training/test_queries.py pins it at 6)."""
    trainee = make_trainee("quentin")
    make_group("Seals", coaches=[make_coach("sam")], trainees=[trainee])
    choose(trainee, "ru")
    client.force_login(trainee)
    with django_assert_num_queries(6):
        response = client.get(reverse("accounts:my_account"))
    assert 'Ваш язык: <strong lang="ru">Русский</strong>' not in page(response)  # no cookie yet
    assert 'Your language: <strong lang="ru">Русский</strong>' in page(response)
    assert "is confirmed" in page(response)
