"""Admin form fields every app's admin shares.

Django's admin splits a date-time into two boxes without their own labels, which screen
readers announce as unlabelled; the browser's single date-time box has the field's label.
"""

import json

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from crampcourse.forms import SaneDateTimeField

ONE_BOX_DATETIME = {
    models.DateTimeField: {
        "form_class": SaneDateTimeField,
        "widget": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    }
}


class JSONRowsWidget(forms.Widget):
    """A JSON list edited as rows of labelled boxes instead of raw JSON: a lesson's sources
    (one row a source: publisher, title, address…) or a question's hints (one box a hint).

    columns: [(key, label, input type)] for a list of objects; None for a list of texts. Two
    empty rows are always offered; rows left empty are dropped. The field (forms.JSONField)
    and the model's own checks judge what comes back, as they judged the JSON before.
    """

    template_name = "admin/widgets/json_rows.html"
    EXTRA_ROWS = 2

    def __init__(self, columns=None, attrs=None):
        super().__init__(attrs)
        self.columns = columns

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        try:
            rows = json.loads(value) if isinstance(value, str) else (value or [])
        except ValueError:
            rows = []
        if not isinstance(rows, list):
            rows = []
        columns = self.columns or [("text", "", "textarea")]
        shown = []
        for row in [*rows, *([None] * self.EXTRA_ROWS)]:
            if self.columns is None:
                row = {"text": row if isinstance(row, str) else ""}
            elif not isinstance(row, dict):
                row = {}
            shown.append([(key, label, kind, row.get(key, "")) for key, label, kind in columns])
        context["widget"].update({"rows": shown, "columns": columns, "texts": self.columns is None})
        return context

    def value_from_datadict(self, data, files, name):
        if f"{name}-rows" not in data:  # a form posted without these boxes: nothing changed
            return data.get(name)
        rows = []
        try:
            count = min(int(data.get(f"{name}-rows", 0)), 500)
        except ValueError:
            count = 0
        for index in range(count):
            if self.columns is None:
                text = str(data.get(f"{name}-{index}-text", "")).strip()
                if text:
                    rows.append(text)
                continue
            row = {
                key: str(data.get(f"{name}-{index}-{key}", "")).strip()
                for key, _label, _kind in self.columns
            }
            row = {key: value for key, value in row.items() if value}
            if row:
                rows.append(row)
        return json.dumps(rows)

    def value_omitted_from_data(self, data, files, name):
        return f"{name}-rows" not in data and name not in data


SOURCE_COLUMNS = [
    ("publisher", _("Publisher"), "text"),
    ("title", _("Title"), "text"),
    ("url", _("Address (https://…)"), "url"),
    ("confirmed_on", _("Confirmed on"), "date"),
    ("supports", _("What the lesson takes from it"), "textarea"),
]
