"""{% languages_in_themselves as languages %}: the site's languages, each named in itself.

Django's {% get_available_languages %} translates the names ("Английский" on a Russian page),
but a switcher must be readable by someone who cannot read the page's language: settings
names each language in itself ("English", "Русский").
"""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def languages_in_themselves():
    return settings.LANGUAGES
