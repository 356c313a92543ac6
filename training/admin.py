from django import forms
from django.contrib import admin
from django.utils.translation import ngettext

from crampcourse.admin_widgets import ONE_BOX_DATETIME
from organisations import access
from training.models import (
    Assignment,
    Invitation,
    ManagedAccount,
    Membership,
    QuizOverride,
    TrainingGroup,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["trainee"]
    fields = ["trainee", "joined_at", "removed_at", "time_multiplier"]


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    fields = ["lesson", "quiz", "due_at", "assigned_by"]
    autocomplete_fields = ["assigned_by"]


class TrainingGroupAdminForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        club, coaches = cleaned.get("club"), cleaned.get("coaches")
        if club is None or coaches is None:
            return cleaned
        # A group in a club is run by that club's staff: moving it, or adding a coach, must
        # not hand it to someone the club never made staff (organisations/access.py decides).
        outsiders = access.not_running_groups_in(club, list(coaches))
        if outsiders:
            names = ", ".join(person.get_username() for person in outsiders)
            raise forms.ValidationError(
                ngettext(
                    "%(names)s is not a coach or club admin of %(club)s: give them a role there "
                    "first, or take them off the group.",
                    "%(names)s are not coaches or club admins of %(club)s: give them a role "
                    "there first, or take them off the group.",
                    len(outsiders),
                )
                % {"names": names, "club": club},
                code="coach_not_staff",
            )
        return cleaned


@admin.register(TrainingGroup)
class TrainingGroupAdmin(admin.ModelAdmin):
    form = TrainingGroupAdminForm
    list_display = ["name", "club", "join_code", "created_at"]
    list_filter = ["club"]
    list_select_related = ["club"]
    search_fields = ["name", "join_code", "coaches__username"]
    filter_horizontal = ["coaches"]
    readonly_fields = ["join_code", "created_at"]
    inlines = [MembershipInline, AssignmentInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["trainee", "group", "joined_at", "removed_at", "time_multiplier"]
    list_filter = ["group", ("removed_at", admin.EmptyFieldListFilter), "time_multiplier"]
    search_fields = ["trainee__username", "trainee__email", "group__name"]
    list_select_related = ["trainee", "group"]
    autocomplete_fields = ["trainee", "group"]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "group", "lesson", "quiz", "due_at", "assigned_by"]
    list_filter = ["group", ("due_at", admin.EmptyFieldListFilter), "quiz", "lesson"]
    search_fields = ["group__name", "lesson__title", "quiz__title"]
    list_select_related = ["group", "lesson", "quiz", "assigned_by"]
    autocomplete_fields = ["group", "assigned_by"]
    date_hierarchy = "due_at"
    formfield_overrides = ONE_BOX_DATETIME


@admin.register(QuizOverride)
class QuizOverrideAdmin(admin.ModelAdmin):
    list_display = ["trainee", "assignment", "extra_attempts", "extra_minutes", "granted_by"]
    list_filter = ["assignment__group"]
    search_fields = ["trainee__username", "assignment__group__name", "assignment__quiz__title"]
    list_select_related = ["trainee", "assignment__group", "assignment__quiz", "granted_by"]
    autocomplete_fields = ["trainee", "granted_by"]
    raw_id_fields = ["assignment"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "group", "invited_by", "created_at", "accepted_at", "accepted_by"]
    list_filter = ["group", ("accepted_at", admin.EmptyFieldListFilter)]
    search_fields = ["email", "group__name"]
    list_select_related = ["group", "invited_by", "accepted_by"]
    autocomplete_fields = ["group", "invited_by", "accepted_by"]
    # The token is a password to the group: never shown, so an admin cannot leak it by accident.
    exclude = ["token"]


@admin.register(ManagedAccount)
class ManagedAccountAdmin(admin.ModelAdmin):
    list_display = ["user", "group", "created_by", "created_at", "must_change_password"]
    list_filter = ["group", "must_change_password"]
    search_fields = ["user__username", "user__first_name", "group__name"]
    list_select_related = ["user", "group", "created_by"]
    autocomplete_fields = ["user", "group", "created_by"]
