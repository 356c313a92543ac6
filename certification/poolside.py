"""The poolside page, one swimmer at a time: who is on the list (with a search and
next/previous), and the chosen swimmer's skills with their standing marks.

Practice (a coach's page for a group) and an assessment session (an assessor's) show the same
card; only where the marks go and what counts differ. Every read is a constant number of
queries however long the group is: the standing marks of the whole list come in one query, so
the picker can say who is done.
"""

import uuid
from typing import NamedTuple

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from certification import services, standard
from certification.frozen import display_name
from certification.models import MarkResult
from crampcourse.numbers import MAX_ID, bounded_int


class Swimmer(NamedTuple):
    """One line of the picker."""

    pk: int
    name: str
    shown: int  # skills the certificate needs whose standing mark is "shown"
    note: str = ""  # "competent", "not yet", "you coach them"


def state_label(mark):
    """ "Shown · coach1, 3 Jun, 10:02: “note”", or "Not marked yet"."""
    if mark is None:
        return gettext("Not marked yet")
    when = date_format(timezone.localtime(mark.marked_at), "j M, H:i")
    label = gettext("%(result)s · %(by)s, %(when)s") % {
        "result": MarkResult(mark.result).label,
        "by": mark.coach or gettext("a coach"),
        "when": when,
    }
    # The note typed with the mark, shown back ("Needs practice · …: “sank at 40 s”").
    return f"{label}: “{mark.note}”" if mark.note else label


def matches(name, query):
    """Case-blind, every word of the search in the name."""
    name = name.casefold()
    return all(word in name for word in query.casefold().split())


def picker(trainees, marks, items, *, query="", notes=None):
    """[Swimmer] in list order, those matching the search (all when it is empty)."""
    notes = notes or {}
    counted = standard.counted(items)
    swimmers = []
    for trainee in trainees:
        name = display_name(trainee)
        if query and not matches(name, query):
            continue
        shown = sum(
            (mark := marks.get((trainee.pk, item.pk))) is not None
            and mark.result == MarkResult.SHOWN
            for item in counted
        )
        swimmers.append(Swimmer(trainee.pk, name, shown, notes.get(trainee.pk, "")))
    return swimmers


def chosen(swimmers, wanted_pk):
    """(the swimmer asked for, or the first; the one before; the one after)."""
    if not swimmers:
        return None, None, None
    index = next((i for i, s in enumerate(swimmers) if s.pk == wanted_pk), 0)
    before = swimmers[index - 1] if index > 0 else None
    after = swimmers[index + 1] if index + 1 < len(swimmers) else None
    return swimmers[index], before, after


def pick(swimmers, query, wanted_pk, item_count):
    """(the swimmer shown, the picker's part of the page's context)."""
    current, before, after = chosen(swimmers, wanted_pk)
    return current, {
        "swimmers": swimmers,
        "swimmer_options": options(swimmers, current, item_count),
        "before": before,
        "after": after,
        "query": query,
    }


def options(swimmers, current, item_count):
    """The list's <option>s, "Ada Jones · 3/6 · competent", made here in one pass: a template
    loop over 40 swimmers cost the page more than all its queries together (make bench)."""
    return format_html_join(
        "",
        '<option value="{}"{}>{} · {}/{}{}</option>',
        (
            (
                swimmer.pk,
                mark_safe(" selected") if swimmer is current else "",
                swimmer.name,
                swimmer.shown,
                item_count,
                f" · {swimmer.note}" if swimmer.note else "",
            )
            for swimmer in swimmers
        ),
    )


def rows(trainee_pk, items, marks):
    """The card's lines: each skill with its criteria, standing mark and fresh keys."""
    return [
        {
            "item": item,
            "criteria": standard.criteria_lines(item.criteria),
            "state": mark.result if (mark := marks.get((trainee_pk, item.pk))) else "",
            "label": state_label(mark),
            "key": uuid.uuid4(),
        }
        for item in items
    ]


def outcome(trainee_pk, items, marks, pass_min_others):
    """The swimmer's outcome against the pass standard from these marks."""
    shown = services.shown_marks(marks, trainee_pk)
    return standard.outcome(items, shown, pass_min_others=pass_min_others)


def wanted_swimmer(request):
    """The ?swimmer= asked for, or None: a bad value shows the first swimmer."""
    return bounded_int(request.GET.get("swimmer"), low=1, high=MAX_ID)
