"""Form fields every app shares."""

from django import forms


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
                f"Enter a date between {self.FIRST_YEAR} and {self.LAST_YEAR}.",
                code="out_of_range",
            )
        return moment
