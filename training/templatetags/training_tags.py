from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime

from training.progress import Status

register = template.Library()
# Plain strings once, rather than resolving a lazy label for every cell.
LABELS = {status.value: str(status.label) for status in Status}


@register.simple_tag
def status_badge(cell):
    """A trainee's status on an assignment: words and colour, and the score when there is one.

    A tag rather than an include, and no escaping pass: the dashboard draws hundreds of these,
    and every part comes from our own status list or is a number.
    """
    badge = f'<span class="status status-{cell.status}">{LABELS[cell.status]}</span>'
    if cell.percent is not None:
        badge += f' <span class="score">{round(cell.percent)}%</span>'
    return mark_safe(badge)


@register.simple_tag
def trainee_row(row, group):
    """One trainee's dashboard row. Drawn in Python, not in the template language: the
    dashboard has a row per trainee and a cell per assignment, and profiling showed the
    template engine spending more time on them than building the data did."""
    trainee = row.trainee
    url = reverse("training:trainee_detail", args=[group.pk, trainee.pk])
    cells = "".join(f"<td>{status_badge(cell)}</td>" for cell in row.cells)
    return format_html(
        '<tr><th scope="row"><a href="{}">{}</a></th><td><progress max="100" value="{}" '
        'aria-label="{}: {}% done">{}%</progress> <span class="progress-label">{}/{}</span>'
        "</td>{}</tr>",
        url,
        trainee.get_full_name() or trainee.username,
        row.percent,
        trainee.username,
        row.percent,
        row.percent,
        row.done,
        len(row.cells),
        mark_safe(cells),  # badges of fixed words and numbers, see status_badge
    )


ACTIONS = {
    # (kind, status) -> the verb on the card's button; attempts decide a quiz's overdue verb.
    ("lesson", Status.NOT_STARTED): "Start",
    ("lesson", Status.OVERDUE): "Start",
    ("lesson", Status.IN_PROGRESS): "Continue",
    ("lesson", Status.READ): "Review",
    ("quiz", Status.NOT_STARTED): "Start",
    ("quiz", Status.IN_PROGRESS): "Continue",
    ("quiz", Status.NOT_PASSED): "Retake",
    ("quiz", Status.FAILED): "Review",
    ("quiz", Status.PASSED): "Review",
}


def card_action(item):
    kind = "lesson" if item.assignment.lesson_id else "quiz"
    status = item.cell.status
    if kind == "quiz" and status == Status.OVERDUE:
        return "Retake" if item.cell.attempts else "Start"
    return ACTIONS[kind, status]


def _names(groups):
    names = [group.name for group in groups]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


@register.simple_tag
def assignment_card(item, first=False):
    """One card on a trainee's "my assignments": drawn in Python like the dashboard rows.
    Only the first card (the work to do next) gets the page's one primary button."""
    assignment = item.assignment
    due = ""
    if assignment.due_at:
        due_at = localtime(assignment.due_at)
        due = format_html(
            ' · due <time datetime="{}">{}</time>',
            due_at.isoformat(timespec="minutes"),
            # "Friday 4 Dec 2026, 18:00" by strftime, not Django's date filter, which cost a
            # tenth of this page. The site is English only, and strftime's names are English:
            # it uses the C locale, as neither Django nor gunicorn calls setlocale.
            f"{due_at:%A} {due_at.day} {due_at:%b %Y, %H:%M}",
        )
    action = card_action(item)
    primary = first and action in ("Start", "Continue", "Retake")
    return format_html(
        '<li class="card assignment-card"><h2 class="card-title">{}</h2>'
        '<p>{} <span class="muted">· {} from {}{}</span></p>'
        '<p class="card-actions"><a class="button{}" href="{}">{}'
        '<span class="visually-hidden"> “{}”</span></a></p></li>',
        assignment.title,
        status_badge(item.cell),
        assignment.kind.capitalize(),
        _names(item.groups),
        due,
        "" if primary else " button-secondary",
        assignment.item.get_absolute_url(),
        action,
        assignment.title,
    )
