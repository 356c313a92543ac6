"""The strings of static/js in the page's language, from /jsi18n/ (issue 31)."""

import json
import re

import pytest
from django.conf import settings
from django.urls import reverse


def catalogue(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    script = client.get(reverse("javascript-catalog")).content.decode()
    found = re.search(r"const newcatalog = (\{.*?\n  \});", script, re.S)
    return script, json.loads(found[1]) if found else {}


def test_the_russian_catalogue_has_the_scripts_strings_with_three_plural_forms(client, db):
    script, strings = catalogue(client, "ru")
    assert strings["Copied."] == "Скопировано."
    assert strings["Saved %(time)s"] == "Сохранено в %(time)s"
    assert strings["Shown"] == "Показано"
    marks = strings["%(count)s mark not sent yet: it will be sent when the network is back."]
    assert len(marks) == 3
    assert marks[2].startswith("%(count)s отметок")
    # 1, 2 to 4, and 5 or more (11 to 14 too) are three different forms in Russian.
    assert "n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4" in script


def test_the_english_catalogue_is_empty_so_the_scripts_own_english_shows(client, db):
    _script, strings = catalogue(client, "en-gb")
    assert "Copied." not in strings


@pytest.mark.parametrize("name", ["site.js", "poolside.js", "question_admin.js"])
def test_each_script_works_without_the_catalogue(name):
    """A page whose /jsi18n/ did not load still shows the English in the script."""
    source = (settings.BASE_DIR / "static" / "js" / name).read_text()
    assert "var gettext = window.gettext || function (text) { return text; };" in source


def test_the_admin_loads_the_sites_catalogue_before_the_question_editor(staff_client):
    page = staff_client.get(reverse("admin:quizzes_question_add")).content.decode()
    catalogue_at = page.index(f'<script src="{reverse("javascript-catalog")}"></script>')
    assert catalogue_at < page.index("js/question_admin.js")


def test_the_admin_header_in_russian(staff_client):
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    page = staff_client.get(reverse("admin:index")).content.decode()
    assert "Администрирование CrampCourse" in page
