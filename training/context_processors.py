from training.roles import role_of


def role(request):
    """Expose the signed-in user's role so the base layout can show the right navigation."""
    # A request refused before the authentication middleware (a forged Host header is a 400
    # from CommonMiddleware) has no user, and its error page must still render.
    user = getattr(request, "user", None)
    return {"role": role_of(user) if user is not None else None}
