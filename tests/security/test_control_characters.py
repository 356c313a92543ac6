"""Names, titles and imported texts refuse control characters (CR, LF, NUL...) and bidi
overrides everywhere: forms, models (the admin and course files), rosters and Moodle files; an
invitation whose e-mail cannot go is kept and shown as not sent.

Before: a group named with CR/LF made its invitation a 500 (BadHeaderError) and left it listed
as pending though nothing was sent; a NUL in a roster name was a 500 on PostgreSQL and stored
on SQLite."""

import smtplib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from crampcourse.validators import validate_one_line, validate_text
from quizzes.models import Question
from quizzes.moodle.bank import QuestionFileError, import_questions
from tests.factories import make_group
from training.models import Invitation, TrainingGroup

ONE_LINE_REFUSED = ["\r", "\n", "\x00", "\x1b", "\u202e", "\u2066", "\u2028", "\t"]
TEXT_REFUSED = ["\x00", "\x1b", "\u202e", "\u2069", "\x7f"]


@pytest.mark.parametrize("character", ONE_LINE_REFUSED)
def test_one_line_fields_refuse_each_control_character(character):
    with pytest.raises(ValidationError, match="on one line"):
        validate_one_line(f"Dolphins{character}squad")


@pytest.mark.parametrize("character", TEXT_REFUSED)
def test_texts_refuse_control_characters_but_keep_line_breaks(character):
    validate_text("Breathe in.\nTuck.\r\n\tStretch.")
    with pytest.raises(ValidationError, match="control characters"):
        validate_text(f"Breathe{character} in")


@given(st.text(st.characters(categories=["L", "M", "N", "P", "S", "Zs"])))
def test_letters_of_any_script_digits_and_punctuation_pass(text):
    validate_one_line(text)  # Russian, Arabic, emoji, spaces: all fine
    validate_text(text)


def one_line_fields():
    """Every model field that carries the one-line rule: the rule covers them all."""
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if validate_one_line in getattr(field, "validators", []):
                yield model, field


def test_names_and_titles_of_every_model_carry_the_rule():
    named = {f"{model._meta.label}.{field.name}" for model, field in one_line_fields()}
    assert {
        "training.TrainingGroup.name",
        "quizzes.Quiz.title",
        "quizzes.Question.name",
        "lessons.Lesson.title",
        "lessons.Course.title",
        "organisations.Organisation.name",
    } <= named


def test_a_group_named_with_a_line_break_is_refused_and_nothing_made(client, coach):
    client.force_login(coach)
    response = client.post(
        reverse("training:group_create"), {"name": "Dolphins\r\nBcc: all@example.com"}
    )
    assert response.status_code == 400
    assert "on one line" in response.content.decode()
    assert not TrainingGroup.objects.filter(name__startswith="Dolphins").exists()


class MailServerRefuses(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPRecipientsRefused({"kid@example.com": (550, b"No such user")})


def test_an_invitation_that_cannot_be_sent_is_kept_and_shown_as_not_sent(client, coach, settings):
    settings.EMAIL_BACKEND = f"{__name__}.MailServerRefuses"
    group = make_group("Dolphins squad", coaches=[coach])
    client.force_login(coach)
    url = reverse("training:group_members", args=[group.pk])
    response = client.post(url, {"email": "kid@example.com"}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "could not be sent" in page
    assert "Not sent" in page
    assert not Invitation.objects.get(email="kid@example.com").sent


def test_roster_names_with_control_characters_are_numbered_line_errors(client, coach):
    group = make_group("Dolphins squad", coaches=[coach])
    client.force_login(coach)
    url = reverse("training:roster", args=[group.pk])
    pasted = client.post(url, {"names": "Amy Jones\nCara \u202eLee"})
    assert pasted.status_code == 400
    assert "U+202E" in pasted.content.decode()
    upload = SimpleUploadedFile(
        "roster.csv", b"name,email\nAmy Jones,\nBen\x00 Smith,\n", "text/csv"
    )
    uploaded = client.post(url, {"csv_file": upload})
    assert uploaded.status_code == 400
    assert "U+0000" in uploaded.content.decode()
    # Typed into the box, Django's own check refuses a NUL before ours.
    assert client.post(url, {"names": "Ben\x00 Smith"}).status_code == 400
    assert not group.memberships.exists()


def test_a_moodle_file_with_a_bidi_override_in_an_answer_imports_nothing(db):
    # GIFT files with a control character are refused whole already; XML may carry U+202E.
    xml = (
        '<quiz><question type="truefalse"><name><text>Flag</text></name>'
        '<questiontext format="html"><text>Cramps strike the calf?</text></questiontext>'
        '<answer fraction="100"><text>true</text><feedback><text>Yes \u202eeurt</text>'
        '</feedback></answer><answer fraction="0"><text>false</text></answer></question></quiz>'
    ).encode()
    with pytest.raises(QuestionFileError) as refused:
        import_questions("imported-bank", xml, format="moodlexml")
    assert "U+202E" in str(refused.value)
    assert not Question.objects.exists()
