"""Dates in the reader's language: the format itself is translated ("4 Dec 2026" in English,
"4 декабря 2026" in Russian, whose month is written in the genitive after a day)."""

from django import template
from django.template.defaultfilters import date
from django.utils.translation import pgettext

register = template.Library()


@register.filter
def short_date(value):
    return date(value, pgettext("date format: 4 Dec 2026", "j M Y"))


@register.filter
def short_date_time(value):
    return date(value, pgettext("date format: 4 Dec 2026, 18:00", "j M Y, H:i"))
