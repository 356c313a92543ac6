"""A body over MAX_REQUEST_BYTES is refused with 413 before anything reads it: a big upload
never reaches a temp file (Django's own limits leave file uploads out)."""

import io

import pytest
from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.urls import reverse

from tests.factories import make_quiz

FILES_STARTED = []


class RecordingUploadHandler(MemoryFileUploadHandler):
    """Notes each file Django starts to receive, as the temp-file handler would write it."""

    def new_file(self, field_name, file_name, *args, **kwargs):
        FILES_STARTED.append(file_name)
        return super().new_file(field_name, file_name, *args, **kwargs)


@pytest.fixture(autouse=True)
def recording_uploads(settings):
    settings.FILE_UPLOAD_HANDLERS = [f"{__name__}.RecordingUploadHandler"]
    FILES_STARTED.clear()


def upload(client, quiz, size):
    file = io.BytesIO(b"Where?{=calf ~ear}\n" + b"/" * size)
    file.name = "bank.gift"
    url = reverse("admin:quizzes_quiz_import_questions", args=[quiz.pk])
    return client.post(url, {"file": file})


def test_a_20_mb_upload_is_refused_before_it_is_read(staff_client):
    quiz = make_quiz()
    response = upload(staff_client, quiz, 20 * 1024 * 1024)
    assert response.status_code == 413
    page = response.content.decode()
    assert "That was too much to send at once" in page
    assert "5.0" in page  # the limit, in megabytes
    assert FILES_STARTED == []
    assert quiz.questions.count() == 0


def test_an_upload_under_the_limit_is_read(staff_client):
    quiz = make_quiz()
    upload(staff_client, quiz, 1000)
    assert FILES_STARTED == ["bank.gift"]


def test_the_limit_is_a_setting_and_holds_for_anyone(client, db, settings):
    settings.MAX_REQUEST_BYTES = 1000
    response = client.post(reverse("login"), {"username": "x" * 2000, "password": "y"})
    assert response.status_code == 413
