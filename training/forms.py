"""Coach and trainee forms: every check of what people type, with messages they understand."""

from decimal import Decimal

from django import forms
from django.core.validators import validate_email
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from crampcourse.forms import NamedAccountCreationForm, SaneDateTimeField
from crampcourse.validators import validate_one_line
from lessons.models import Lesson
from quizzes.models import Quiz
from training import rosters
from training.models import JOIN_CODE_LENGTH, TimeMultiplier, TrainingGroup


class GroupForm(forms.ModelForm):
    """A new group; the club is asked only of a coach who runs groups in more than one."""

    class Meta:
        model = TrainingGroup
        fields = ["name", "description", "club"]
        help_texts = {"name": _("For example: Dolphins squad, Tuesday lifeguard cohort.")}

    def __init__(self, *args, clubs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["club"].queryset = clubs
        self.fields["club"].empty_label = None
        if len(clubs) <= 1:
            del self.fields["club"]


class JoinGroupForm(forms.Form):
    code = forms.CharField(
        label=_("Group code"),
        max_length=JOIN_CODE_LENGTH + 4,  # room for spaces typed on a phone
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Here rather than on the field: a lazy text with a number in it is translated late.
        self.fields["code"].help_text = gettext(
            "The %(length)s-character code your coach gave you."
        ) % {"length": JOIN_CODE_LENGTH}


# gettext_noop: kept in English here (tests read it), translated where it is raised.
COACH_CANNOT_ADD = gettext_noop(
    "Type an email address to send an invitation to. A coach cannot put an existing account in "
    "a group: people join by accepting an invitation, or with the code or link."
)


class InviteForm(forms.Form):
    """An emailed invitation. Whether an account has the address is never told to the coach."""

    email = forms.CharField(
        label=_("Email address"),
        max_length=254,
        help_text=_("They get a link, log in or make an account, and join only if they say yes."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )

    who_can_use = forms.ChoiceField(
        label=_("Who can use it"),
        choices=[
            (
                "address",
                _(
                    "Only the invited address: the account that uses it must have confirmed "
                    "this address"
                ),
            ),
            (
                "anyone",
                _(
                    "Anyone with the link, once: for example a parent's address, for their "
                    "child's own account"
                ),
            ),
        ],
        initial="address",
        required=False,  # left out: the safe choice, the invited address only
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose who can use the invitation.")},
    )

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        try:
            validate_email(email)
        except forms.ValidationError as error:
            raise forms.ValidationError(gettext(COACH_CANNOT_ADD)) from error
        return email

    @property
    def bound_to_address(self):
        return self.cleaned_data["who_can_use"] != "anyone"


class RosterForm(forms.Form):
    names = forms.CharField(
        label=_("Names, one a line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "autocomplete": "off"}),
        help_text=_("Each swimmer gets an account with a username and a one-time password."),
    )
    csv_file = forms.FileField(
        label=_("Or a CSV file"),
        required=False,
        help_text=_(
            "One row a swimmer: name, then an email if they have one. UTF-8, up to 100 KB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    MAX_BYTES = 100_000

    def clean(self):
        names, upload = self.cleaned_data.get("names", ""), self.cleaned_data.get("csv_file")
        if bool(names.strip()) == bool(upload):
            raise forms.ValidationError(
                gettext("Paste names or choose a CSV file (one of the two).")
            )
        try:
            if upload:
                if upload.size > self.MAX_BYTES:
                    raise rosters.RosterError([(0, gettext("the file is larger than 100 KB"))])
                rows = rosters.lines_from_csv(upload.read())
            else:
                rows = rosters.lines_from_text(names)
            self.cleaned_data["lines"] = rosters.check_lines(rows)
        except rosters.RosterError as error:
            line = gettext("Line %(number)s: %(problem)s.")
            whole = gettext("%(problem)s.")
            raise forms.ValidationError(
                [
                    line % {"number": number, "problem": why}
                    if number
                    else whole % {"problem": f"{why[:1].upper()}{why[1:]}"}
                    for number, why in error.problems
                ]
                + [gettext("Nothing was created: fix these lines and send the list again.")]
            ) from error
        return self.cleaned_data


def display_name_field():
    """The name coaches see; sign-up and My account ask for it the same way."""
    return forms.CharField(
        label=_("Your name"),
        max_length=150,
        validators=[validate_one_line],
        help_text=_("Your coaches see it on their group pages."),
    )


def optional_email_field():
    return forms.EmailField(
        label=_("Email (optional)"),
        required=False,
        help_text=_(
            "Only for resetting a forgotten password, invitations and reminders, once you "
            "open the link we mail to it."
        ),
    )


class SignUpForm(NamedAccountCreationForm):
    """A trainee's own account: a username and display name; email only if they want one."""

    display_name = display_name_field()
    email = optional_email_field()


class AssignmentForm(forms.Form):
    """One list of every published lesson and quiz, grouped, so a coach picks in one step."""

    # Several at once: a coach setting up a season ticks fifteen, not fifteen submits.
    item = forms.MultipleChoiceField(
        label=_("Lessons and quizzes to assign"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one lesson or quiz.")},
    )
    due_at = SaneDateTimeField(
        label=_("Due (optional)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Leave empty for no due date."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lessons = {
            str(lesson.pk): lesson for lesson in Lesson.objects.published().select_related("course")
        }
        self.quizzes = {str(quiz.pk): quiz for quiz in Quiz.objects.published()}
        self.fields["item"].choices = [
            (
                gettext("Lessons"),
                [(f"lesson:{pk}", lesson.title) for pk, lesson in self.lessons.items()],
            ),
            (gettext("Quizzes"), [(f"quiz:{pk}", quiz.title) for pk, quiz in self.quizzes.items()]),
        ]

    def clean_item(self):
        """The lessons and quizzes ticked, lessons first, in the list's order."""
        found = []
        for value in self.cleaned_data["item"]:
            kind, _, pk = value.partition(":")
            item = {"lesson": self.lessons, "quiz": self.quizzes}.get(kind, {}).get(pk)
            if item is None:
                raise forms.ValidationError(gettext("Choose lessons or quizzes from the list."))
            found.append(item)
        return found


class OverrideForm(forms.Form):
    extra_attempts = forms.IntegerField(
        label=_("Extra attempts"), min_value=0, max_value=20, initial=0
    )
    extra_minutes = forms.IntegerField(
        label=_("Extra minutes"), min_value=0, max_value=240, initial=0
    )


CHOOSE_A_TIME = _(
    "Choose one of the times in the list: the usual time, 1.25 times, 1.5 times or twice the "
    "usual time."
)


class TimeMultiplierForm(forms.Form):
    """A trainee's time on every timed quiz of the group, besides extra minutes on one quiz."""

    time_multiplier = forms.TypedChoiceField(
        label=_("Time on every timed quiz in this group"),
        choices=TimeMultiplier.choices,
        coerce=Decimal,
        widget=forms.RadioSelect,
        help_text=_(
            "For a trainee who needs longer, e.g. one who reads slowly. A 20-minute quiz at 1.5 "
            "times lasts 30 minutes; extra minutes set on one quiz are added on top."
        ),
        error_messages={"required": CHOOSE_A_TIME, "invalid_choice": CHOOSE_A_TIME},
    )
