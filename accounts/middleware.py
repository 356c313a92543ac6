from django.shortcuts import redirect

from accounts.languages import FROM_ACCOUNT, set_language_cookie

# What someone with a one-time password may still reach: the change itself and logging out.
ALLOWED = {"accounts:password", "accounts:choose_language", "logout"}


class OneTimePasswordMiddleware:
    """Someone who logged in with a coach's one-time password changes it before anything else.

    The flag is read with the user in one query (training.backends), so this costs nothing.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not getattr(user, "must_change_password", False):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in ALLOWED:
            return None
        return redirect("accounts:password")


class AccountLanguageMiddleware:
    """After a log-in, the language saved on the account becomes the browser's (a cookie), so
    the next page is in it. Costs nothing on other requests: the log-in itself read it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        chosen = getattr(request, FROM_ACCOUNT, None)
        if chosen:
            set_language_cookie(response, chosen)
        return response
