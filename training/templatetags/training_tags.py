from django import template
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
def status_cells(row):
    """A dashboard row's cells, one <td> each: one tag call per trainee, not per cell."""
    return mark_safe("".join(f"<td>{status_badge(cell)}</td>" for cell in row.cells))
