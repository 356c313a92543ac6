"""What club admins and invited staff type: every check, with messages they understand."""

from django import forms
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from crampcourse import verification
from crampcourse.forms import NamedAccountCreationForm
from crampcourse.validators import unsafe_character
from organisations import selectors
from organisations.models import Role, StaffInvitation, StaffRole

# The roles a club admin may offer, in the order the menu lists them.
CLUB_ROLES = [
    (Role.COACH.value, Role.COACH.label),
    (Role.ASSESSOR.value, Role.ASSESSOR.label),
    (Role.CLUB_ADMIN.value, Role.CLUB_ADMIN.label),
]
ROLE_HELP = _(
    "A coach runs their own groups; an assessor signs off practical skills; a club admin "
    "manages the club’s staff and sees all its groups."
)
ONE_LINE = _("Type it on one line, without line breaks or other control characters.")


def refuse_line_breaks(value):
    """A line break in an address or a name could smuggle a header into an e-mail; the other
    characters crampcourse.validators refuses in one-line fields go too."""
    if unsafe_character(value, one_line=True) is not None:
        raise forms.ValidationError(ONE_LINE, code="line_break")


def role_field():
    return forms.ChoiceField(label=_("Role"), choices=CLUB_ROLES, help_text=ROLE_HELP)


class StaffInviteForm(forms.Form):
    """An offer e-mailed to an address; the person accepts from the link."""

    email = forms.CharField(
        label=_("E-mail address"),
        max_length=254,
        strip=False,  # stripped after the line-break check, which must see the whole value
        validators=[refuse_line_breaks],
        help_text=_(
            "They get a link, log in or make an account, and become staff only if they accept."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = role_field()

    def __init__(self, *args, club, **kwargs):
        super().__init__(*args, **kwargs)
        self.club = club

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        try:
            validate_email(email)
        except forms.ValidationError as error:
            raise forms.ValidationError(
                _("Enter an e-mail address such as coach@example.com."), code="invalid"
            ) from error
        return email

    def clean(self):
        cleaned = super().clean()
        email, role = cleaned.get("email"), cleaned.get("role")
        if email and role:
            waiting = StaffInvitation.objects.pending().filter(
                organisation=self.club, role=role, email__iexact=email
            )
            if waiting.exists():
                self.add_error(
                    "email",
                    forms.ValidationError(
                        _(
                            "An invitation to this address for this role is waiting already. "
                            "Use “Send again” in the list of invitations."
                        ),
                        code="waiting",
                    ),
                )
        return cleaned


class AddAccountForm(forms.Form):
    """An offer to an existing account: it waits on that person's My clubs page for a yes."""

    who = forms.CharField(
        label=_("Username or e-mail address"),
        max_length=254,
        strip=False,
        validators=[refuse_line_breaks],
        help_text=_("The account they log in with. Nothing changes until they accept."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
    )
    role = role_field()

    def __init__(self, *args, club, **kwargs):
        super().__init__(*args, **kwargs)
        self.club = club
        self.fields["role"].help_text = ""  # said once, on the form above it

    def clean_who(self):
        text = self.cleaned_data["who"].strip()
        if not text:
            raise forms.ValidationError(_("Type a username or an e-mail address."), code="required")
        person, why = selectors.find_account(text)
        if why == "several":
            raise forms.ValidationError(
                _("Several accounts use that e-mail address. Type the username instead."),
                code="several",
            )
        if person is None:
            raise forms.ValidationError(
                _(
                    "No account has that username or e-mail address. Check the spelling, or "
                    "invite them by e-mail instead."
                ),
                code="no_account",
            )
        self.cleaned_data["person"] = person
        return text

    def clean(self):
        cleaned = super().clean()
        person, role = cleaned.get("person"), cleaned.get("role")
        if person is None or not role:
            return cleaned
        names = {"name": person.get_full_name() or person.username, "role": Role(role).label}
        holds = StaffRole.objects.active().filter(person=person, organisation=self.club, role=role)
        waiting = StaffInvitation.objects.pending().filter(
            person=person, organisation=self.club, role=role
        )
        if holds.exists():
            self.add_error(
                "who",
                forms.ValidationError(
                    _("%(name)s holds the role “%(role)s” in this club already.") % names,
                    code="holds",
                ),
            )
        elif waiting.exists():
            self.add_error(
                "who",
                forms.ValidationError(
                    _("%(name)s has an offer of the role “%(role)s” waiting already.") % names,
                    code="waiting",
                ),
            )
        return cleaned


class StaffSignUpForm(NamedAccountCreationForm):
    """An account of one's own, made from an e-mailed staff invitation."""

    display_name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        validators=[refuse_line_breaks],
        help_text=_("The club's staff and your trainees see it."),
    )
    email = forms.EmailField(
        label=_("Your e-mail"),
        help_text=_(
            "The address the offer was sent to: the offer is for it alone. We mail a link to "
            "confirm it, then you accept."
        ),
    )

    def __init__(self, *args, invited_address, **kwargs):
        super().__init__(*args, **kwargs)
        self.invited_address = invited_address

    def clean_email(self):
        # Only the invited, confirmed address may accept (StaffInvitation.may_be_accepted_by):
        # an account made with another would meet a refusal after all its steps.
        email = self.cleaned_data["email"]
        if not verification.same_address(email, self.invited_address):
            raise forms.ValidationError(
                _("This offer was sent to %(address)s: make the account with that address."),
                params={"address": verification.mask(self.invited_address)},
            )
        return email
