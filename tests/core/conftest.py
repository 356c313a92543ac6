import pytest
from django.conf import settings
from django.utils import translation


@pytest.fixture(autouse=True)
def english_after_each_test():
    """LocaleMiddleware leaves the last request's language active in the thread: a Russian page
    here must not make a later test's form errors or mails Russian."""
    yield
    translation.activate(settings.LANGUAGE_CODE)
