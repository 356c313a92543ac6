# The standard library's escape, which Django's wraps in a check for lazy strings: these tags
# escape hundreds of names a page, and build plain strings that are marked safe once, whole.
from html import escape

from django import template
from django.utils.formats import number_format
from django.utils.safestring import mark_safe
from django.utils.timezone import get_current_timezone, localtime
from django.utils.translation import gettext

from crampcourse.addresses import reverse_remembered
from training import hooks
from training.models import TimeMultiplier
from training.progress import Status

register = template.Library()
# Plain strings once, rather than resolving a lazy label for every cell.
LABELS = {status.value: str(status.label) for status in Status}


# Badge HTML by (status, whole-number score): a few hundred strings at most, made once each.
_badges = {}


def badge_html(cell):
    """A trainee's status on an assignment: words and colour, and the score when there is one.

    Plain HTML with no escaping pass: every part comes from our own status list or is a number.
    """
    score = None if cell.percent is None else round(cell.percent)
    badge = _badges.get((cell.status, score))
    if badge is None:
        badge = f'<span class="status status-{cell.status}">{LABELS[cell.status]}</span>'
        if score is not None:
            badge += f' <span class="score">{score}%</span>'
        _badges[cell.status, score] = badge
    return badge


@register.simple_tag
def status_badge(cell):
    return mark_safe(badge_html(cell))


@register.simple_tag
def column_headings(board, only_overdue):
    """The dashboard's header cells after "Trainee" and "Done", drawn in Python like its rows;
    each assignment's heading sorts by it."""
    overdue = "&amp;overdue=1" if only_overdue else ""
    extra = [f'<th scope="col">{escape(column.title)}</th>' for column in board.extra_columns]
    assignments = [
        f'<th scope="col"><a href="?sort=a{a.pk}{overdue}" title="Sort by this assignment">'
        f'{escape(a.title)}</a><br><span class="muted">{a.kind}</span></th>'
        for a in (column.assignment for column in board.columns)
    ]
    return mark_safe("".join(extra + assignments))


@register.simple_tag
def trainee_rows(rows, group):
    """The dashboard's rows, one per trainee with a cell per assignment.

    Drawn in Python, not in the template language, and with f-strings that escape each text
    (names, and what other apps put in their columns) while numbers go in as they are: a
    40-trainee group with 20 assignments is 800 cells, and profiling showed the template
    engine and format_html's escaping of every number costing more than building the data.
    """
    # One reverse() for the table: the trainee's id is the last part of each link.
    head = reverse_remembered("training:trainee_detail", (group.pk, 0)).removesuffix("0/")
    markers = time_markers()
    return mark_safe("".join([_trainee_row(row, head, markers) for row in rows]))


def time_markers():
    """{time multiplier: the marker by a trainee's name}, translated once a table, none for x1."""
    markers = {}
    for multiplier in TimeMultiplier.values:
        if multiplier == 1:
            continue
        number = number_format(multiplier.normalize())
        short = escape(gettext("×%(multiplier)s time") % {"multiplier": number})
        full = escape(
            gettext("%(multiplier)s times the usual time on timed quizzes") % {"multiplier": number}
        )
        markers[multiplier] = (
            f' <span class="muted" title="{full}"><span aria-hidden="true">{short}</span>'
            f'<span class="visually-hidden">({full})</span></span>'
        )
    return markers


def _trainee_row(row, head, markers):
    trainee = row.trainee
    name = escape(trainee.get_full_name() or trainee.username)
    marker = markers.get(trainee.time_multiplier, "")
    username = escape(trainee.username)
    percent = row.percent
    extra = "".join([
        f'<td><span class="status status-{escape(cell.state)}">{escape(cell.state_label)}</span>'
        f" {escape(cell.text)}</td>"
        for cell in row.extra
    ])  # fmt: skip
    cells = "".join([f"<td>{badge_html(cell)}</td>" for cell in row.cells])
    return (
        f'<tr><th scope="row"><a href="{head}{trainee.pk}/">{name}</a>{marker}</th>'
        f'<td><progress max="100" value="{percent}" aria-label="{username}: {percent}% done">'
        f'{percent}%</progress> <span class="progress-label">{row.done}/{len(row.cells)}</span>'
        f"</td>{extra}{cells}</tr>"
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


def due_time(due_at, *, weekday=False, tz=None):
    """A <time> for a due date: "4 Dec 2026, 18:00", or with the weekday "Friday 4 Dec …".

    strftime, not Django's date filter, which cost a tenth of a page that shows many dates. The
    site is English only, and strftime's names are English: it uses the C locale, as neither
    Django nor gunicorn calls setlocale.
    """
    due_at = localtime(due_at, tz)  # tz: the current time zone, looked up once a list
    text = f"{due_at.day} {due_at:%b %Y, %H:%M}"
    if weekday:
        text = f"{due_at:%A} {text}"
    # Nothing to escape: digits, punctuation and English day and month names.
    return mark_safe(f'<time datetime="{due_at.isoformat(timespec="minutes")}">{text}</time>')


@register.simple_tag
def completion_items(columns, group):
    """The dashboard's "completion by assignment" list: drawn in Python like the rows, as the
    template language spent a fifth of the page on these twenty-odd items."""
    tz = get_current_timezone()
    return mark_safe("".join([_completion_item(column, group, tz) for column in columns]))


def _completion_item(column, group, tz):
    # f-strings and remembered addresses: two reverse() calls an item cost more than the rest.
    assignment = column.assignment
    pk, title, percent = assignment.pk, escape(assignment.title), column.percent
    due = (
        f' <span class="muted">· due {due_time(assignment.due_at, tz=tz)}</span>'
        if assignment.due_at
        else ""
    )
    analysis = ""
    if assignment.quiz_id:
        url = reverse_remembered("training:quiz_analysis", (group.pk, assignment.quiz_id))
        analysis = f' · <a href="{url}">Item analysis</a>'
    stop = reverse_remembered("training:assignment_delete", (group.pk, pk))
    return (
        f'<li><span id="col-{pk}">{title}</span>{due} '
        f'<progress max="100" value="{percent}" aria-labelledby="col-{pk}">{percent}%</progress> '
        f'<span class="progress-label">{column.done} of {column.total} done ({percent}%)</span>'
        f'{analysis} · <a class="danger-link" href="{stop}">Stop assigning…'
        f'<span class="visually-hidden"> {title}</span></a></li>'
    )


@register.simple_tag
def assignment_cards(items):
    """The cards of a trainee's "my assignments", drawn in Python like the dashboard's rows,
    with the titles and names escaped. Only the first card (the work to do next) gets the
    page's one primary button."""
    tz = get_current_timezone()
    return mark_safe("".join([_assignment_card(item, i == 0, tz) for i, item in enumerate(items)]))


def _assignment_card(item, first, tz):
    assignment = item.assignment
    title = escape(assignment.title)
    due = f" · due {due_time(assignment.due_at, weekday=True, tz=tz)}" if assignment.due_at else ""
    url = assignment.item.get_absolute_url()
    action = card_action(item)
    primary = first and action in ("Start", "Continue", "Retake")
    button = "button" if primary else "button button-secondary"
    return (
        f'<li class="card assignment-card"><h2 class="card-title">{title}</h2>'
        f'<p>{badge_html(item.cell)} <span class="muted">· {assignment.kind.capitalize()} from '
        f"{escape(_names(item.groups))}{due}</span></p>"
        f'<p class="card-actions"><a class="{button}" href="{escape(url)}">'
        f'{action}<span class="visually-hidden"> “{title}”</span></a></p></li>'
    )


@register.simple_tag
def group_links(group):
    """Links other apps add to a group's navigation (e.g. the poolside checks)."""
    return hooks.group_links(group)
