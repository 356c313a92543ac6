from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

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
