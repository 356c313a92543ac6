from django.contrib import admin

from training.models import Membership, TrainingGroup


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["trainee"]
    fields = ["trainee", "joined_at", "removed_at"]


@admin.register(TrainingGroup)
class TrainingGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "join_code", "created_at"]
    search_fields = ["name", "join_code", "coaches__username"]
    filter_horizontal = ["coaches"]
    readonly_fields = ["join_code", "created_at"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["trainee", "group", "joined_at", "removed_at"]
    list_filter = ["group", ("removed_at", admin.EmptyFieldListFilter)]
    search_fields = ["trainee__username", "trainee__email", "group__name"]
    list_select_related = ["trainee", "group"]
    autocomplete_fields = ["trainee", "group"]
