from django import forms
from django.utils.translation import gettext_lazy as _

from certification.models import MarkResult, ReminderPreference


class MarkForm(forms.Form):
    """One poolside mark, from the page's plain form or its offline queue."""

    key = forms.UUIDField(error_messages={"invalid": "The mark has no valid key; reload the page."})
    # Bounded: a number past the database's integer range is a clear 400, not a database error.
    trainee = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    item = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    result = forms.ChoiceField(
        choices=MarkResult.choices,
        error_messages={"invalid_choice": "Choose “Shown”, “Needs practice” or “Undo”."},
    )
    note = forms.CharField(max_length=300, required=False, strip=True)
    marked_at = forms.DateTimeField(required=False)


class RevokeForm(forms.Form):
    reason = forms.CharField(
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept in the audit trail; the verification page only says “revoked”.",
        error_messages={"required": "Say why the certificate is revoked."},
    )


class ReissueForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it reissued?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Kept in the audit trail of both certificates, e.g. “The holder changed their name”."
        ),
        error_messages={"required": _("Say why the certificate is reissued.")},
    )


class ReminderPreferenceForm(forms.ModelForm):
    class Meta:
        model = ReminderPreference
        fields = ["email_reminders"]
        help_texts = {
            "email_reminders": "Work due within two days, overdue work, and a certificate "
            "about to expire or expired."
        }
