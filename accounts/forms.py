from django import forms
from django.contrib.auth import get_user_model


class ProfileForm(forms.ModelForm):
    first_name = forms.CharField(
        label="Your name", max_length=150, help_text="Your coaches see it on their group pages."
    )
    email = forms.EmailField(
        label="Email (optional)",
        required=False,
        help_text="Only for resetting a forgotten password and for invitations.",
    )

    class Meta:
        model = get_user_model()
        fields = ["first_name", "email"]


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="To be sure it is you.",
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password. Nothing was deleted.")
        return password
