from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from certification import cpd, selectors
from certification.models import (
    CPD_MAX_HOURS,
    AssessmentSession,
    Certification,
    MarkResult,
    ReminderPreference,
    Water,
)
from crampcourse.validators import validate_one_line


class MarkForm(forms.Form):
    """One poolside mark, from the page's plain form or its offline queue."""

    key = forms.UUIDField(
        error_messages={"invalid": _("The mark has no valid key; reload the page.")}
    )
    # Bounded: a number past the database's integer range is a clear 400, not a database error.
    trainee = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    item = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    result = forms.ChoiceField(
        choices=MarkResult.choices,
        error_messages={"invalid_choice": _("Choose “Shown”, “Needs practice” or “Undo”.")},
    )
    note = forms.CharField(max_length=300, required=False, strip=True)
    marked_at = forms.DateTimeField(required=False)


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the audit trail; the verification page only says “revoked”."),
        error_messages={"required": _("Say why the certificate is revoked.")},
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


class SuspendForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it suspended?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the audit trail; the verification page only says “suspended”."),
        error_messages={"required": _("Say why the certificate is suspended.")},
    )


class ReinstateForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it reinstated?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the audit trail."),
        error_messages={"required": _("Say why the certificate is reinstated.")},
    )


class ReminderPreferenceForm(forms.ModelForm):
    class Meta:
        model = ReminderPreference
        fields = ["email_reminders"]
        help_texts = {
            "email_reminders": _(
                "Work due within two days, overdue work, and a certificate about to expire or "
                "expired."
            )
        }


class AssessmentSessionForm(forms.ModelForm):
    """Open a session: which group and certification, when, where, in what water."""

    class Meta:
        model = AssessmentSession
        fields = [
            "group",
            "certification",
            "held_on",
            "venue",
            "water",
            "depth_m",
            "conditions_note",
        ]
        widgets = {
            # ISO, as a date picker reads and sends it, whatever the language's format.
            "held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "water": forms.RadioSelect,
            "conditions_note": forms.Textarea(attrs={"rows": 3}),
            "depth_m": forms.NumberInput(attrs={"step": "0.1", "min": "0", "inputmode": "decimal"}),
        }
        labels = {"held_on": _("Date of the assessment")}
        help_texts = {
            "depth_m": _("Where the swimmer is assessed, in metres, e.g. 2.0."),
            "venue": _("e.g. “Riverside pool, deep end”."),
        }

    def __init__(self, *args, assessor, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["group"].queryset = selectors.groups_to_assess(assessor)
        self.fields["group"].label_from_instance = lambda group: f"{group.name} ({group.club})"
        self.fields["certification"].queryset = selectors.published_certifications()
        self.fields["held_on"].initial = today
        self.fields["held_on"].widget.attrs["max"] = today.isoformat()
        for name in ("group", "certification"):  # the only choice is chosen already
            choices = list(self.fields[name].queryset[:2])
            if len(choices) == 1:
                self.fields[name].initial = choices[0].pk
        self.fields["water"].initial = Water.POOL
        self.fields["water"].choices = Water.choices  # no empty "---------" radio

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on > self.today:
            raise forms.ValidationError(_("An assessment cannot be dated in the future."))
        return held_on


class SwimmerForm(forms.Form):
    """Which swimmer a finish is for."""

    trainee = forms.IntegerField(min_value=1, max_value=2**31 - 1)


# CPD (certification/cpd.py) -----------------------------------------------------------------


class PoolSessionForm(forms.Form):
    """Hours of a pool session a coach logs for a trainee; the trainee confirms them."""

    certification = forms.ModelChoiceField(
        label=_("Counts towards"), queryset=Certification.objects.none(), empty_label=None
    )
    hours = forms.DecimalField(
        label=_("Hours"),
        min_value=Decimal("0.1"),
        max_value=CPD_MAX_HOURS,
        error_messages={
            "min_value": _("Give the hours as more than 0."),
            "max_value": _("One entry is at most 24 hours: log each day on its own."),
            "invalid": _("Give the hours as a number, e.g. 1.5."),
        },
        widget=forms.NumberInput(attrs={"step": "0.5", "min": "0.5", "max": "24"}),
    )
    what = forms.CharField(
        label=_("What was done"),
        max_length=200,
        validators=[validate_one_line],
        initial=_("Pool session"),
    )
    done_on = forms.DateField(
        label=_("Done on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Give the date as YYYY-MM-DD.")},
    )

    def __init__(self, *args, certifications, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["certification"].queryset = certifications

    def clean_hours(self):
        try:
            return cpd.check_hours(self.cleaned_data["hours"])
        except cpd.CPDRefused as refused:
            raise forms.ValidationError(str(refused)) from refused

    def clean_done_on(self):
        try:
            return cpd.check_done_on(self.cleaned_data["done_on"])
        except cpd.CPDRefused as refused:
            raise forms.ValidationError(str(refused)) from refused


class CredentialCheckForm(forms.Form):
    """A credential pasted, or uploaded as .json, .jwt or a baked badge .png."""

    credential = forms.CharField(
        label=_("Paste the credential (its JWT or JSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false", "autocomplete": "off"}),
    )
    upload = forms.FileField(
        label=_("Or upload it (.json, .jwt or the badge .png)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".json,.jwt,.png,.txt"}),
    )

    def clean(self):
        cleaned = super().clean()
        limit = settings.OPENBADGES_UPLOAD_MAX_BYTES
        upload, pasted = cleaned.get("upload"), cleaned.get("credential", "")
        if upload is not None:
            if upload.size > limit:
                raise forms.ValidationError(
                    _("That file is larger than a credential can be (%(limit)s KB at most).")
                    % {"limit": limit // 1024}
                )
            cleaned["raw"] = upload.read(limit + 1)
        elif pasted.strip():
            cleaned["raw"] = pasted.strip().encode()
        else:
            raise forms.ValidationError(_("Paste a credential or choose its file."))
        return cleaned
