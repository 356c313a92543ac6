from training.roles import role_of


def role(request):
    """Expose the signed-in user's role so the base layout can show the right navigation."""
    return {"role": role_of(request.user)}
