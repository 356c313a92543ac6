"""reverse(), remembered for pages that list many lessons and quizzes.

"My assignments" shows a card a lesson or quiz, and resolving each card's address cost more than
drawing the rest of it. The address of a view and its arguments only changes with the URLconf
and the script prefix, so both are part of what is remembered.
"""

from functools import lru_cache

from django.urls import get_resolver, get_script_prefix, get_urlconf, reverse


def reverse_remembered(viewname, args):
    """reverse(viewname, args=args), for arguments of strings and numbers."""
    return _reverse(get_resolver(get_urlconf()), get_script_prefix(), viewname, tuple(args))


@lru_cache(maxsize=4096)
def _reverse(resolver, prefix, viewname, args):
    return reverse(viewname, args=args)
