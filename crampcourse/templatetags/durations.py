"""`{{ some_timedelta|duration }}`: "42 seconds", "3 minutes", "1 hour 5 minutes".

Django's timesince says "0 minutes" for anything under a minute, which a quiz taken in 40
seconds is; this counts seconds then, and rounds down to whole minutes above.
"""

from django import template
from django.utils.translation import gettext, ngettext

register = template.Library()


@register.filter
def duration(value):
    if value is None:
        return ""
    seconds = max(0, int(value.total_seconds()))
    if seconds < 60:
        return ngettext("%(count)d second", "%(count)d seconds", seconds) % {"count": seconds}
    hours, minutes = divmod(seconds // 60, 60)
    in_minutes = ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
    if not hours:
        return in_minutes
    in_hours = ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}
    if not minutes:
        return in_hours
    return gettext("%(hours)s %(minutes)s") % {"hours": in_hours, "minutes": in_minutes}
