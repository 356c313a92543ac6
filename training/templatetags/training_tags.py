# The standard library's escape, which Django's wraps in a check for lazy strings: these tags
# escape hundreds of names a page, and build plain strings that are marked safe once, whole.
import datetime
from dataclasses import dataclass
from html import escape

from django import template
from django.utils import dateformat
from django.utils.dates import WEEKDAYS
from django.utils.formats import number_format
from django.utils.safestring import mark_safe
from django.utils.timezone import get_current_timezone, localtime
from django.utils.translation import get_language, gettext, pgettext

from crampcourse.addresses import reverse_remembered
from training import hooks
from training.models import KIND_LABELS, TimeMultiplier
from training.progress import Status, status_labels

register = template.Library()


# Badge HTML by (language, status, whole-number score): a few hundred strings at most, made
# once each.
_badges = {}


def badge_html(cell, labels=None, language=None):
    """A trainee's status on an assignment: words and colour, and the score when there is one.

    labels, language: the status labels and language of a whole table, looked up once for it
    (a single badge looks them up itself). Plain HTML with no escaping pass: every part comes
    from our own status list (and its translations) or is a number.
    """
    if language is None:
        language = get_language()
    score = None if cell.percent is None else round(cell.percent)
    key = (language, cell.status, score)
    badge = _badges.get(key)
    if badge is None:
        label = (labels or status_labels())[cell.status]
        badge = f'<span class="status status-{cell.status}">{escape(label)}</span>'
        if score is not None:
            badge += f' <span class="score">{score}%</span>'
        _badges[key] = badge
    return badge


@register.simple_tag
def status_badge(cell):
    return mark_safe(badge_html(cell))


def kind_labels():
    """{"lesson"/"quiz": the word for it}, escaped, once a table."""
    return {kind: escape(str(label)) for kind, label in KIND_LABELS.items()}


@register.simple_tag
def column_headings(board, only_overdue):
    """The dashboard's header cells after "Trainee" and "Done", drawn in Python like its rows;
    each assignment's heading sorts by it."""
    overdue = "&amp;overdue=1" if only_overdue else ""
    sort_title = escape(gettext("Sort by this assignment"))
    kinds = kind_labels()
    extra = [f'<th scope="col">{escape(column.title)}</th>' for column in board.extra_columns]
    assignments = [
        f'<th scope="col"><a href="?sort=a{a.pk}{overdue}" title="{sort_title}">'
        f'{escape(a.title)}</a><br><span class="muted">{kinds[a.kind]}</span></th>'
        for a in (column.assignment for column in board.columns)
    ]
    return mark_safe("".join(extra + assignments))


@dataclass(frozen=True)
class _RowWords:
    """What every row of a dashboard says, translated once for the table."""

    labels: dict
    language: str
    done: str  # "%(username)s: %(percent)s%% done", escaped


@register.simple_tag
def trainee_rows(rows, group):
    """The dashboard's rows, one per trainee with a cell per assignment.

    Drawn in Python, not in the template language, and with f-strings that escape each text
    (names, and what other apps put in their columns) while numbers go in as they are: a
    40-trainee group with 20 assignments is 800 cells, and profiling showed the template
    engine and format_html's escaping of every number costing more than building the data.
    The words are translated once for the table, never per cell.
    """
    # One reverse() for the table: the trainee's id is the last part of each link.
    head = reverse_remembered("training:trainee_detail", (group.pk, 0)).removesuffix("0/")
    markers = time_markers()
    words = _RowWords(
        labels=status_labels(),
        language=get_language(),
        done=escape(gettext("%(username)s: %(percent)s%% done")),
    )
    return mark_safe("".join([_trainee_row(row, head, markers, words) for row in rows]))


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


def _trainee_row(row, head, markers, words):
    trainee = row.trainee
    name = escape(trainee.get_full_name() or trainee.username)
    marker = markers.get(trainee.time_multiplier, "")
    username = escape(trainee.username)
    percent = row.percent
    done = words.done % {"username": username, "percent": percent}
    labels, language = words.labels, words.language
    extra = "".join([
        f'<td><span class="status status-{escape(cell.state)}">{escape(cell.state_label)}</span>'
        f" {escape(cell.text)}</td>"
        for cell in row.extra
    ])  # fmt: skip
    cells = "".join([f"<td>{badge_html(cell, labels, language)}</td>" for cell in row.cells])
    return (
        f'<tr><th scope="row"><a href="{head}{trainee.pk}/">{name}</a>{marker}</th>'
        f'<td><progress max="100" value="{percent}" aria-label="{done}">'
        f'{percent}%</progress> <span class="progress-label">{row.done}/{len(row.cells)}</span>'
        f"</td>{extra}{cells}</tr>"
    )


# The verb on a card's button, by (kind, status); attempts decide a quiz's overdue verb.
START, CONTINUE, RETAKE, REVIEW = "start", "continue", "retake", "review"
ACTIONS = {
    ("lesson", Status.NOT_STARTED): START,
    ("lesson", Status.OVERDUE): START,
    ("lesson", Status.IN_PROGRESS): CONTINUE,
    ("lesson", Status.READ): REVIEW,
    ("quiz", Status.NOT_STARTED): START,
    ("quiz", Status.IN_PROGRESS): CONTINUE,
    ("quiz", Status.NOT_PASSED): RETAKE,
    ("quiz", Status.FAILED): REVIEW,
    ("quiz", Status.PASSED): REVIEW,
}
# The actions that get the page's one primary button, on the first card.
PRIMARY_ACTIONS = {START, CONTINUE, RETAKE}


def action_words():
    """{(kind, action): the button's words}, escaped: "Review" is reading a lesson again, but
    looking back at a quiz's attempts, which Russian says differently."""
    return {
        (kind, action): escape(word)
        for (kind, action), word in {
            ("lesson", START): pgettext("button on a lesson", "Start"),
            ("lesson", CONTINUE): pgettext("button on a lesson", "Continue"),
            ("lesson", REVIEW): pgettext("button on a lesson", "Review"),
            ("quiz", START): pgettext("button on a quiz", "Start"),
            ("quiz", CONTINUE): pgettext("button on a quiz", "Continue"),
            ("quiz", RETAKE): pgettext("button on a quiz", "Retake"),
            ("quiz", REVIEW): pgettext("button on a quiz", "Review"),
        }.items()
    }


def card_action(item):
    kind = "lesson" if item.assignment.lesson_id else "quiz"
    status = item.cell.status
    if kind == "quiz" and status == Status.OVERDUE:
        return RETAKE if item.cell.attempts else START
    return ACTIONS[kind, status]


def _names(groups, and_word):
    """ "Dolphins", "Dolphins and Sharks", "Dolphins, Sharks and Seals"; and_word: the
    translated "%(names)s and %(last)s"."""
    names = [group.name for group in groups]
    if len(names) == 1:
        return names[0]
    return and_word % {"names": ", ".join(names[:-1]), "last": names[-1]}


@dataclass(frozen=True)
class DateWords:
    """Month and weekday names in the current language, read once a list: Django's date
    filter cost a tenth of a page that shows many dates."""

    months: tuple
    weekdays: tuple

    @classmethod
    def current(cls):
        # The month as the language writes it in a date (Django's date format letters): "M",
        # "Dec", in English; "E", "декабря", in Russian. The weekday as "l" writes it.
        month = pgettext("date format letter: the month in 4 Dec 2026", "M")
        return cls(
            months=tuple(
                dateformat.format(datetime.date(2026, number, 1), month) for number in range(1, 13)
            ),
            weekdays=tuple(str(WEEKDAYS[day]) for day in range(7)),
        )


def due_time(due_at, *, weekday=False, tz=None, words=None):
    """A <time> for a due date: "4 Dec 2026, 18:00", or with the weekday "Friday 4 Dec …".

    Month and weekday names are the current language's, as the date filter's "j M Y, H:i"
    and "l" would write them; words: DateWords read once for a list of dates.
    """
    words = words or DateWords.current()
    due_at = localtime(due_at, tz)  # tz: the current time zone, looked up once a list
    text = f"{due_at.day} {words.months[due_at.month - 1]} {due_at:%Y, %H:%M}"
    if weekday:
        text = f"{words.weekdays[due_at.weekday()]} {text}"
    return mark_safe(
        f'<time datetime="{due_at.isoformat(timespec="minutes")}">{escape(text)}</time>'
    )


@dataclass(frozen=True)
class _ItemWords:
    """What every item of the completion list says, translated once for the list."""

    dates: DateWords
    due: str  # "due %(date)s"
    done: str  # "%(done)s of %(total)s done (%(percent)s%%)"
    analysis: str
    stop: str


@register.simple_tag
def completion_items(columns, group):
    """The dashboard's "completion by assignment" list: drawn in Python like the rows, as the
    template language spent a fifth of the page on these twenty-odd items."""
    tz = get_current_timezone()
    words = _ItemWords(
        dates=DateWords.current(),
        due=escape(gettext("due %(date)s")),
        done=escape(gettext("%(done)s of %(total)s done (%(percent)s%%)")),
        analysis=escape(gettext("Item analysis")),
        stop=escape(gettext("Stop assigning…")),
    )
    return mark_safe("".join([_completion_item(column, group, tz, words) for column in columns]))


def _completion_item(column, group, tz, words):
    # f-strings and remembered addresses: two reverse() calls an item cost more than the rest.
    assignment = column.assignment
    pk, title, percent = assignment.pk, escape(assignment.title), column.percent
    due = (
        f' <span class="muted">· '
        f"{words.due % {'date': due_time(assignment.due_at, tz=tz, words=words.dates)}}</span>"
        if assignment.due_at
        else ""
    )
    analysis = ""
    if assignment.quiz_id:
        url = reverse_remembered("training:quiz_analysis", (group.pk, assignment.quiz_id))
        analysis = f' · <a href="{url}">{words.analysis}</a>'
    stop = reverse_remembered("training:assignment_delete", (group.pk, pk))
    done = words.done % {"done": column.done, "total": column.total, "percent": percent}
    return (
        f'<li><span id="col-{pk}">{title}</span>{due} '
        f'<progress max="100" value="{percent}" aria-labelledby="col-{pk}">{percent}%</progress> '
        f'<span class="progress-label">{done}</span>'
        f'{analysis} · <a class="danger-link" href="{stop}">{words.stop}'
        f'<span class="visually-hidden"> {title}</span></a></li>'
    )


@dataclass(frozen=True)
class _CardWords:
    """What every card of "my assignments" says, translated once for the list."""

    dates: DateWords
    labels: dict
    language: str
    actions: dict
    due: str  # "due %(date)s"
    source: dict  # kind -> "Lesson from %(groups)s" / "Quiz from %(groups)s"
    and_word: str  # "%(names)s and %(last)s"
    quoted: str  # "“%(title)s”"


@register.simple_tag
def assignment_cards(items):
    """The cards of a trainee's "my assignments", drawn in Python like the dashboard's rows,
    with the titles and names escaped. Only the first card (the work to do next) gets the
    page's one primary button."""
    tz = get_current_timezone()
    words = _CardWords(
        dates=DateWords.current(),
        labels=status_labels(),
        language=get_language(),
        actions=action_words(),
        due=escape(gettext("due %(date)s")),
        source={
            "lesson": gettext("Lesson from %(groups)s"),
            "quiz": gettext("Quiz from %(groups)s"),
        },
        and_word=gettext("%(names)s and %(last)s"),
        quoted=gettext("“%(title)s”"),
    )
    return mark_safe(
        "".join([_assignment_card(item, i == 0, tz, words) for i, item in enumerate(items)])
    )


def _assignment_card(item, first, tz, words):
    assignment = item.assignment
    title = escape(assignment.title)
    due = ""
    if assignment.due_at:
        when = due_time(assignment.due_at, weekday=True, tz=tz, words=words.dates)
        due = f" · {words.due % {'date': when}}"
    url = assignment.item.get_absolute_url()
    action = card_action(item)
    primary = first and action in PRIMARY_ACTIONS
    button = "button" if primary else "button button-secondary"
    source = escape(words.source[assignment.kind] % {"groups": _names(item.groups, words.and_word)})
    return (
        f'<li class="card assignment-card"><h2 class="card-title">{title}</h2>'
        f'<p>{badge_html(item.cell, words.labels, words.language)} <span class="muted">· '
        f"{source}{due}</span></p>"
        f'<p class="card-actions"><a class="{button}" href="{escape(url)}">'
        f"{words.actions[assignment.kind, action]}"
        f'<span class="visually-hidden"> {words.quoted % {"title": title}}</span></a></p></li>'
    )


@register.simple_tag
def group_links(group):
    """Links other apps add to a group's navigation (e.g. the poolside checks)."""
    return hooks.group_links(group)
