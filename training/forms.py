"""Coach and trainee forms: every check of what people type, with messages they understand."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from crampcourse.forms import SaneDateTimeField
from lessons.models import Lesson
from quizzes.models import Quiz
from training.models import JOIN_CODE_LENGTH, TrainingGroup


class GroupForm(forms.ModelForm):
    class Meta:
        model = TrainingGroup
        fields = ["name", "description"]
        help_texts = {"name": "For example: Dolphins squad, Tuesday lifeguard cohort."}


class JoinGroupForm(forms.Form):
    code = forms.CharField(
        label="Group code",
        max_length=JOIN_CODE_LENGTH + 4,  # room for spaces typed on a phone
        help_text=f"The {JOIN_CODE_LENGTH}-character code your coach gave you.",
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )


class AddTraineeForm(forms.Form):
    who = forms.CharField(
        label="Username or email",
        max_length=254,
        help_text="The trainee must already have an account.",
    )

    def clean_who(self):
        who = self.cleaned_data["who"].strip()
        users = get_user_model().objects.filter(
            Q(username__iexact=who) | Q(email__iexact=who), is_active=True
        )
        matches = list(users[:2])
        if not matches:
            raise forms.ValidationError("Nobody has that username or email.")
        if len(matches) > 1:
            raise forms.ValidationError("More than one account matches; use the username.")
        return matches[0]


class AssignmentForm(forms.Form):
    """One list of every published lesson and quiz, grouped, so a coach picks in one step."""

    item = forms.ChoiceField(label="Lesson or quiz to assign")
    due_at = SaneDateTimeField(
        label="Due (optional)",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="Leave empty for no due date.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lessons = {
            str(lesson.pk): lesson for lesson in Lesson.objects.published().select_related("course")
        }
        self.quizzes = {str(quiz.pk): quiz for quiz in Quiz.objects.published()}
        self.fields["item"].choices = [
            ("", "Choose…"),
            ("Lessons", [(f"lesson:{pk}", lesson.title) for pk, lesson in self.lessons.items()]),
            ("Quizzes", [(f"quiz:{pk}", quiz.title) for pk, quiz in self.quizzes.items()]),
        ]

    def clean_item(self):
        kind, _, pk = self.cleaned_data["item"].partition(":")
        found = {"lesson": self.lessons, "quiz": self.quizzes}.get(kind, {}).get(pk)
        if found is None:
            raise forms.ValidationError("Choose a lesson or a quiz from the list.")
        return found


class OverrideForm(forms.Form):
    extra_attempts = forms.IntegerField(
        label="Extra attempts", min_value=0, max_value=20, initial=0
    )
    extra_minutes = forms.IntegerField(label="Extra minutes", min_value=0, max_value=240, initial=0)
