import pytest
from django.conf import settings
from django.utils import translation

# The course fixtures the training tests use: a lesson and a two-question quiz.
from tests.training.conftest import lesson, quiz  # noqa: F401


@pytest.fixture(autouse=True)
def english_after_each_test():
    """LocaleMiddleware leaves the last request's language active in the thread: a Russian page
    here must not make a later test's form errors or mails Russian."""
    yield
    translation.activate(settings.LANGUAGE_CODE)
