from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts import emails
from crampcourse.languages import speaking_to
from training.forms import display_name_field, optional_email_field


class ProfileForm(forms.ModelForm):
    first_name = display_name_field()
    email = optional_email_field()

    class Meta:
        model = get_user_model()
        fields = ["first_name", "email"]


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("To be sure it is you."),
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(
                _("That is not your password. Nothing was deleted."), code="wrong_password"
            )
        return password


class NewPasswordForm(PasswordChangeForm):
    """A change must change it: the same password again would keep a coach's printed log-in
    card working after its one-time password was "changed"."""

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        if getattr(user, "must_change_password", False):
            # First log-in with a printed card: a child does not know an "old password".
            field = self.fields["old_password"]
            field.label = _("Password from your card")
            field.help_text = _("The one printed on your log-in card, as you typed it to log in.")

    def clean(self):
        cleaned = super().clean()
        new = cleaned.get("new_password2")
        if new and not self.has_error("new_password2") and self.user.check_password(new):
            self.add_error(
                "new_password2",
                forms.ValidationError(
                    _("Choose a new password, not the one you have now."),
                    code="password_unchanged",
                ),
            )
        return cleaned


class VerifiedPasswordResetForm(PasswordResetForm):
    """Resets go only to confirmed addresses: anyone can type anyone's address into their own
    account. The page says the same whatever happened, so it tells nobody who has an account."""

    def get_users(self, email):
        return (user for user in super().get_users(email) if emails.is_verified(user))

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        """In the account's saved language, else the page's (the owner is the one asking)."""
        with speaking_to(context["user"], otherwise=translation.get_language()):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)
