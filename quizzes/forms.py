"""The answer form of one attempt page.

The browser only ever sees display positions (0, 1, 2 ...) of this attempt's shuffled layout,
never option ids, weights or the right order; the form turns what comes back into the stored
response of each question and rejects anything that is not one of the choices shown.
"""

from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from django import forms
from django.forms import renderers
from django.forms.renderers import Jinja2
from django.template.defaultfilters import filesizeformat, floatformat
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, gettext_lazy, ngettext

from crampcourse.numbers import bounded_int
from quizzes import scoring
from quizzes.media import images_html
from quizzes.moodle.bank import FORMATS, max_import_bytes

CHOOSE_SHOWN = {"invalid_choice": gettext_lazy("Choose one of the answers shown.")}


def jinja2_environment(**options):
    """Jinja2 with Django's gettext: the question template's `_()` speaks the page's language."""
    environment = jinja2.Environment(extensions=["jinja2.ext.i18n"], **options)
    environment.install_gettext_callables(gettext, ngettext)
    return environment


class TranslatedJinja2(Jinja2):
    """Django's Jinja2 form renderer, with the i18n extension in its environment."""

    @cached_property
    def engine(self):
        return self.backend(
            {
                "APP_DIRS": True,
                "DIRS": [Path(renderers.__file__).parent / self.backend.app_dirname],
                "NAME": "djangoforms",
                "OPTIONS": {"environment": "quizzes.forms.jinja2_environment"},
            }
        )


def _options_by_key(data):
    return {option["key"]: option for option in data["options"]}


def _label(option):
    """An option's words, and its pictures after them (from the frozen version: no query)."""
    if not option.get("images"):
        return option["text"]
    pictures = images_html(option["images"], "option-image")
    return format_html("{} {}", option["text"], pictures) if option["text"] else pictures


def _position_shown(count):
    """Sort key for ordering steps: by the position given (saved or sent), the rest after, so
    the list on screen is always the order the menus hold, also after a reload."""

    def key(bound):
        return bounded_int(bound.value(), low=1, high=count, default=count + 1)

    return key


def _blank(question):
    return {"class": "blank-input", "size": "12"} if question.inline_blank else {}


class Radios(forms.RadioSelect):
    """Radios drawn by one template (quizzes/widgets/choices.html), not an include an option."""

    template_name = "quizzes/widgets/choices.html"


class Checkboxes(forms.CheckboxSelectMultiple):
    template_name = "quizzes/widgets/choices.html"


class Menu(forms.Select):
    """A menu drawn by one template (quizzes/widgets/select.html), not an include an option."""

    template_name = "quizzes/widgets/select.html"


@dataclass
class QuestionOnPage:
    slot: object
    data: dict
    field_names: list = field(default_factory=list)
    fields: list = field(default_factory=list)
    marker: object = None

    @property
    def number(self):
        return self.slot.position

    @property
    def kind(self):
        return self.data["type"]

    flag: object = None
    checked: tuple | None = None  # (outcome, right answer, in words) in a staff preview's check
    renderer: object = None
    preview: bool = False  # a staff try: no flags for review

    @property
    def points_label(self):
        points = float(self.data["points"])
        # A fraction of a point reads as two do ("1.5 points", «1,5 балла»); gettext's plural
        # rules take whole numbers only.
        count = int(points) if points.is_integer() else 2
        return ngettext("%(points)s point", "%(points)s points", count) % {
            "points": floatformat(self.data["points"], "-2")
        }

    @property
    def html(self):
        return mark_safe(self.renderer.render("quizzes/question.html", {"q": self}))

    @property
    def inline_blank(self):
        """A missing-word question whose answer box stands in the sentence, in the blank."""
        return bool(self.data.get("text_parts")) and self.kind in ("numerical", "shortanswer")

    @property
    def errors(self):
        return [error for bound in self.fields for error in bound.errors]


class AttemptPageForm(forms.Form):
    # Django's own widget templates, rendered by Jinja2: a quiz page has dozens of radios and
    # menus, and the Django template engine spent most of the page's time on them.
    default_renderer = TranslatedJinja2()

    def __init__(self, slots, *args, preview=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = []
        # Translated once a page, not once a question or a menu.
        self.words = {
            "flag": gettext("Flag for review"),
            "answer": gettext("Your answer"),
            "answer_in": gettext("Your answer (%(unit)s)"),
            "all_that_apply": gettext("Choose all that apply"),
            "choose_position": gettext("Choose a position"),
            "position": gettext("Position %(number)s"),
            "choose_answer": gettext("Choose an answer"),
        }
        for slot in slots:
            question = QuestionOnPage(
                slot, slot.version.data, renderer=self.renderer, preview=preview
            )
            marker = f"q{slot.position}-shown"
            self.fields[marker] = forms.CharField(widget=forms.HiddenInput, initial="1")
            self.fields[marker].required = False
            getattr(self, f"_add_{question.kind}")(question, slot.response or {})
            flag = f"q{slot.position}-flag"
            self.fields[flag] = forms.BooleanField(label=self.words["flag"], required=False)
            self.initial[flag] = getattr(slot, "flagged", False)
            question.marker = self[marker]
            question.flag = self[flag]
            question.fields = [self[name] for name in question.field_names]
            if question.kind == "ordering":
                question.fields.sort(key=_position_shown(len(question.fields)))
            self.questions.append(question)

    # Building the fields, with the saved response as initial value ---------------------------

    def _add(self, question, name, form_field, initial=None):
        question.field_names.append(name)
        self.fields[name] = form_field
        if initial not in (None, "", []):
            self.initial[name] = initial

    def _add_single(self, question, response):
        keys = question.slot.layout["options"]
        options = _options_by_key(question.data)
        chosen = response.get("option")
        self._add(
            question,
            f"q{question.number}",
            forms.ChoiceField(
                label=self.words["answer"],
                choices=[(str(i), _label(options[key])) for i, key in enumerate(keys)],
                widget=Radios,
                required=False,
                error_messages=CHOOSE_SHOWN,
            ),
            str(keys.index(chosen)) if chosen in keys else None,
        )

    _add_truefalse = _add_single

    def _add_multiple(self, question, response):
        keys = question.slot.layout["options"]
        options = _options_by_key(question.data)
        chosen = response.get("options") or []
        self._add(
            question,
            f"q{question.number}",
            forms.MultipleChoiceField(
                label=self.words["all_that_apply"],
                choices=[(str(i), _label(options[key])) for i, key in enumerate(keys)],
                widget=Checkboxes,
                required=False,
                error_messages=CHOOSE_SHOWN,
            ),
            [str(i) for i, key in enumerate(keys) if key in chosen],
        )

    def _add_ordering(self, question, response):
        keys = question.slot.layout["options"]
        options = _options_by_key(question.data)
        order = response.get("order") or []
        position = self.words["position"]
        positions = [("", self.words["choose_position"])] + [
            (str(p), position % {"number": p}) for p in range(1, len(keys) + 1)
        ]
        for i, key in enumerate(keys):
            self._add(
                question,
                f"q{question.number}-{i}",
                forms.ChoiceField(
                    label=_label(options[key]),
                    choices=positions,
                    widget=Menu,
                    required=False,
                    error_messages=CHOOSE_SHOWN,
                ),
                str(order.index(key) + 1) if key in order else None,
            )

    def _add_matching(self, question, response):
        items = question.slot.layout["items"]
        answers = question.slot.layout["answers"]
        options = _options_by_key(question.data)
        matches = response.get("matches") or {}
        labels = question.data.get("answer_labels") or {}
        choices = [("", self.words["choose_answer"])] + [
            (str(j), labels.get(text, text)) for j, text in enumerate(answers)
        ]
        for i, key in enumerate(items):
            chosen = matches.get(key)
            self._add(
                question,
                f"q{question.number}-{i}",
                forms.ChoiceField(
                    label=_label(options[key]),
                    choices=choices,
                    widget=Menu,
                    required=False,
                    error_messages=CHOOSE_SHOWN,
                ),
                str(answers.index(chosen)) if chosen in answers else None,
            )

    def _add_numerical(self, question, response):
        self._add(
            question,
            f"q{question.number}",
            forms.CharField(
                label=(
                    self.words["answer_in"] % {"unit": unit}
                    if (unit := question.data["unit"])
                    else self.words["answer"]
                ),
                required=False,
                max_length=40,
                widget=forms.TextInput(
                    attrs={"inputmode": "decimal", "autocomplete": "off", **_blank(question)}
                ),
            ),
            response.get("value"),
        )

    def _add_shortanswer(self, question, response):
        self._add(
            question,
            f"q{question.number}",
            forms.CharField(
                label=self.words["answer"],
                required=False,
                max_length=200,
                widget=forms.TextInput(attrs={"autocomplete": "off", **_blank(question)}),
            ),
            response.get("text"),
        )

    # Reading the answers back ----------------------------------------------------------------

    def clean(self):
        cleaned = super().clean()
        self.responses = {}
        self.flags = {}
        for question in self.questions:
            if not cleaned.get(question.marker.name):
                continue  # the question was not on the submitted page: leave its answer alone
            reader = getattr(self, f"_read_{question.kind}")
            self.responses[question.slot.pk] = reader(question, cleaned)
            self.flags[question.slot.pk] = bool(cleaned.get(question.flag.name))
        return cleaned

    def valid_responses(self):
        """The answers of the questions without errors (an autosave keeps those)."""
        fine = {q.slot.pk for q in self.questions if not q.errors}
        return {pk: response for pk, response in self.responses.items() if pk in fine}

    def _read_single(self, question, cleaned):
        value = cleaned.get(f"q{question.number}")
        if not value:
            return None
        return {"option": question.slot.layout["options"][int(value)]}

    _read_truefalse = _read_single

    def _read_multiple(self, question, cleaned):
        values = cleaned.get(f"q{question.number}") or []
        keys = question.slot.layout["options"]
        chosen = sorted({keys[int(v)] for v in values}, key=keys.index)
        return {"options": chosen} if chosen else None

    def _read_ordering(self, question, cleaned):
        keys = question.slot.layout["options"]
        names = question.field_names
        positions = [cleaned.get(name) for name in names]
        if not any(positions):
            return None
        if not all(positions) or len(set(positions)) != len(positions):
            self.add_error(
                names[0],
                gettext("Give every step its own position, from 1 to %(count)s, each used once.")
                % {"count": len(keys)},
            )
            return None
        by_position = sorted(zip(map(int, positions), keys, strict=True))
        return {"order": [key for _, key in by_position]}

    def _read_matching(self, question, cleaned):
        items = question.slot.layout["items"]
        answers = question.slot.layout["answers"]
        matches = {
            key: answers[int(cleaned[name])]
            for key, name in zip(items, question.field_names, strict=True)
            if cleaned.get(name)
        }
        return {"matches": matches} if matches else None

    def _read_numerical(self, question, cleaned):
        name = f"q{question.number}"
        text = (cleaned.get(name) or "").strip()
        if not text:
            return None
        try:
            scoring.read_number(text)
        except scoring.NumberRefused as refused:
            self.add_error(name, str(refused))
            return None
        return {"value": text}

    def _read_shortanswer(self, question, cleaned):
        text = " ".join((cleaned.get(f"q{question.number}") or "").split())
        return {"text": text} if text else None


class QuestionImportForm(forms.Form):
    """A GIFT or Moodle XML file to add to a quiz; the import itself checks its questions."""

    file = forms.FileField(label=gettext_lazy("Question file"))
    format = forms.ChoiceField(
        label=gettext_lazy("Format"),
        choices=[("", gettext_lazy("Guess from the file")), *FORMATS.items()],
        required=False,
    )
    skip_unsupported = forms.BooleanField(
        label=gettext_lazy("Skip questions that cannot be imported"),
        required=False,
        help_text=gettext_lazy(
            "Import the others and list what was skipped. Otherwise a file with any "
            "such question imports nothing."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = filesizeformat(max_import_bytes())
        self.fields["file"].help_text = gettext(
            "GIFT (.txt) or Moodle XML (.xml), up to %(limit)s."
        ) % {"limit": limit}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = max_import_bytes()
        if upload.size > limit:
            raise forms.ValidationError(
                gettext("The file is %(size)s; an import may be at most %(limit)s.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
            )
        return upload
