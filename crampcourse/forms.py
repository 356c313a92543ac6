"""Form fields every app shares."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext

from crampcourse.validators import validate_one_line


class SaneDateTimeField(forms.DateTimeField):
    """A date and time between FIRST_YEAR and LAST_YEAR.

    Dates far from today are typing slips (0001 for 2001), and near the ends of the calendar
    they cannot even be stored: 0001-01-01 00:00 in Tokyo is still year 0 in UTC, and saving it
    overflowed. Such dates are a form error instead.
    """

    FIRST_YEAR = 2000
    LAST_YEAR = 2099

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is not None and not self.FIRST_YEAR <= moment.year <= self.LAST_YEAR:
            raise forms.ValidationError(
                gettext("Enter a date between %(first)s and %(last)s.")
                % {"first": self.FIRST_YEAR, "last": self.LAST_YEAR},
                code="out_of_range",
            )
        return moment


class NamedAccountCreationForm(UserCreationForm):
    """An account of one's own: a username, the name others see (kept as first_name), and an
    e-mail address if the person wants one. Subclasses declare `display_name` and `email` with
    the help texts their page needs (a trainee's sign-up, an invited coach's)."""

    display_name = forms.CharField(max_length=150, validators=[validate_one_line])
    email = forms.EmailField(required=False)

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ["username", "display_name", "email"]

    def save(self, commit=True):
        user = super().save(commit=False)
        user.first_name = self.cleaned_data["display_name"]
        user.email = self.cleaned_data["email"]
        if commit:
            user.save()
        return user


class SiteFormRenderer(TemplatesSetting):
    """Every form drawn with {{ form }} starts, when it has errors, with a summary that names
    each problem and links to its field, and takes the focus (autofocus, no JavaScript): on a
    phone an error by the password fields is otherwise 1,300 px below where the page reloads."""

    form_template_name = "includes/form_div.html"

    def render(self, template_name, context, request=None):
        form = context.get("form")
        if template_name == self.form_template_name and form is not None and form.errors:
            # The summary takes the focus: a field's own autofocus (the sign-up's username)
            # would pull the page back up to it.
            for field in form.fields.values():
                field.widget.attrs.pop("autofocus", None)
        return super().render(template_name, context, request)
