"""The staff pages in Russian, and staff invitations mailed in the recipient's language
(issue 31)."""

import csv
import io

from django.conf import settings
from django.core import mail
from django.urls import reverse

from accounts.languages import choose
from organisations.models import Role
from tests.factories import make_user
from tests.organisations.conftest import staff_url

COOKIE = settings.LANGUAGE_COOKIE_NAME


def text(response):
    return response.content.decode()


def test_my_clubs_in_russian(client, clubs):
    client.force_login(clubs.coach)
    client.cookies[COOKIE] = "ru"
    page = text(client.get(reverse("organisations:my_clubs")))
    assert '<html lang="ru"' in page
    assert "<h1>Мои клубы</h1>" in page
    assert "Ваши роли" in page
    assert "Dolphins SC" in page  # names are data: never translated
    assert "Тренер, с " in page  # the role and since when, as one sentence
    assert "Клуб, входит в Swim Region" in page
    assert ">Мои группы</a>" in page  # the navigation too
    assert "Your roles" not in page


def test_my_clubs_offer_in_russian_counts_in_russian(client, clubs):
    invited = make_user("olga")
    for club in (clubs.dolphins, clubs.otters):
        client.force_login(clubs.chair if club == clubs.dolphins else clubs.other_chair)
        client.post(staff_url(club, "club_add_account"), {"add-who": "olga", "add-role": "coach"})
    client.force_login(invited)
    client.cookies[COOKIE] = "ru"
    page = text(client.get(reverse("organisations:my_clubs")))
    assert "2 предложения ждут вашего ответа" in page
    assert "Вам предлагают роль «Тренер» в Dolphins SC." in page


def test_an_invitation_to_a_russian_account_is_mailed_in_russian(client, clubs):
    invited = make_user("pavel", email="pavel@example.com")
    choose(invited, "ru")
    client.force_login(clubs.chair)  # an English club admin
    client.post(
        staff_url(clubs.dolphins, "club_add_account"), {"add-who": "pavel", "add-role": "coach"}
    )
    [message] = mail.outbox
    assert message.to == ["pavel@example.com"]
    assert message.subject == "Роль сотрудника в Dolphins SC на CrampCourse"
    assert "предлагает вам роль «Тренер» в Dolphins SC" in message.body


def test_an_invitation_to_an_english_account_stays_english_from_a_russian_page(client, clubs):
    invited = make_user("emma", email="emma@example.com")
    choose(invited, "en-gb")
    choose(clubs.chair, "ru")
    client.force_login(clubs.chair)
    client.cookies[COOKIE] = "ru"
    client.post(
        staff_url(clubs.dolphins, "club_add_account"), {"add-who": "emma", "add-role": "coach"}
    )
    [message] = mail.outbox
    assert message.subject == "Staff role at Dolphins SC on CrampCourse"
    assert "offers you the role “Coach” at Dolphins SC" in message.body


def test_an_invitation_to_a_new_address_follows_the_club_admins_page(client, clubs):
    client.force_login(clubs.chair)
    client.cookies[COOKIE] = "ru"
    data = {"invite-email": "new.coach@example.com", "invite-role": Role.ASSESSOR}
    response = client.post(staff_url(clubs.dolphins, "club_invite"), data, follow=True)
    assert "Приглашение отправлено на new.coach@example.com." in text(response)
    [message] = mail.outbox
    assert "предлагает вам роль «Экзаменатор»" in message.body


def test_the_staff_register_csv_in_russian(client, clubs):
    client.force_login(clubs.chair)
    client.cookies[COOKIE] = "ru"
    url = reverse("organisation_reports:club_register", args=[clubs.dolphins.slug])
    response = client.get(url + "?format=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode().lstrip("\ufeff"))))
    assert rows[0] == ["организация", "имя", "логин", "роль", "начало", "окончание"]
    assert "Администратор клуба" in {row[3] for row in rows[1:]}
