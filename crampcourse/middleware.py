from django.conf import settings
from django.core.exceptions import BadRequest
from django.db import connections
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import patch_cache_control

from crampcourse.numbers import MAX_DIGITS


class QueryCountMiddleware:
    """Benchmarks only (BENCHMARK=1): report the SQL queries of each request in X-Query-Count."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connections["default"].execute_wrapper(counter):
            response = self.get_response(request)
        response["X-Query-Count"] = str(count)
        return response


class RequestSizeLimitMiddleware:
    """Refuse a body larger than MAX_REQUEST_BYTES with 413, before anything reads it.

    Django's DATA_UPLOAD_MAX_MEMORY_SIZE leaves out files: a 20 MB upload still reached a temp
    file on disk before any view looked at it. Content-Length is all this reads; a body without
    one is read by nobody (Django takes it as empty).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads an unreadable length as no body at all
        if length > settings.MAX_REQUEST_BYTES:
            # Rendered without the request, like the 500 page: nothing above this has run.
            # LocaleMiddleware has not run either: the page asks the request's language itself.
            with translation.override(translation.get_language_from_request(request)):
                page = render_to_string("413.html", {"limit": settings.MAX_REQUEST_BYTES})
            response = HttpResponse(page, status=413)
            response["Connection"] = "close"  # the unread body must not be taken for a request
            return response
        return self.get_response(request)


class OversizedNumberMiddleware:
    """A number in the address longer than any id (crampcourse.numbers.MAX_DIGITS digits) is
    a 400 before any view or the admin reads it.

    Our views read numbers through crampcourse.numbers.bounded_int; the admin's list filters
    (?quiz=…) read them themselves, and 30 digits there was an OverflowError from the database
    driver, a 500. The admin's search box (q) may hold any text, long numbers included.
    """

    FREE_TEXT = {"q"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for name, values in request.GET.lists():
            if name in self.FREE_TEXT:
                continue
            for value in values:
                if len(value) > MAX_DIGITS and value.strip().isdecimal():
                    raise BadRequest(f"The number in “{name}” is too long.")
        return self.get_response(request)


class SignedInNoStoreMiddleware:
    """Pages for a signed-in person (results, CSV, everything behind log-in) are never stored
    by a browser or a proxy: Cache-Control: private, no-store."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not _chose_private_caching(response):
            patch_cache_control(response, private=True, no_store=True)
        return response


def _chose_private_caching(response):
    """A view that set its own private Cache-Control decided already (a question image is
    addressed by its hash and kept, privately, for a year)."""
    return "private" in response.get("Cache-Control", "")
