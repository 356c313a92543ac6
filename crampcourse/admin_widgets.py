"""Admin form fields every app's admin shares.

Django's admin splits a date-time into two boxes without their own labels, which screen
readers announce as unlabelled; the browser's single date-time box has the field's label.
"""

from django import forms
from django.db import models

from crampcourse.forms import SaneDateTimeField

ONE_BOX_DATETIME = {
    models.DateTimeField: {
        "form_class": SaneDateTimeField,
        "widget": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    }
}
