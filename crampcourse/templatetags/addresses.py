"""{% address %}: {% url %} for the links that every page repeats (navigation), remembered.

Resolving an address took 40-70 µs, and a page's navigation has a dozen of them; see
crampcourse.addresses for what is remembered and why it stays right.
"""

from django import template

from crampcourse.addresses import reverse_remembered

register = template.Library()


@register.simple_tag
def address(viewname, *args):
    """{% address 'training:group_dashboard' group.pk %}: arguments are strings or numbers."""
    return reverse_remembered(viewname, args)
