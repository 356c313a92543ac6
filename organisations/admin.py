from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from organisations.models import Organisation, StaffInvitation, StaffRole


class StaffRoleInline(admin.TabularInline):
    model = StaffRole
    fk_name = "organisation"
    fields = ["person", "role", "granted_at", "granted_by", "ended_at"]
    autocomplete_fields = ["person", "granted_by"]
    extra = 0
    verbose_name_plural = _(
        "Staff roles (end a role rather than deleting it: the register keeps it)"
    )


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "federation"]
    list_filter = ["kind", "federation"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [StaffRoleInline]


@admin.register(StaffRole)
class StaffRoleAdmin(admin.ModelAdmin):
    list_display = ["person", "role", "organisation", "granted_at", "ended_at"]
    list_filter = ["role", "organisation", ("ended_at", admin.EmptyFieldListFilter)]
    search_fields = ["person__username", "person__first_name", "person__last_name"]
    autocomplete_fields = ["person", "granted_by"]
    list_select_related = ["person", "organisation"]


@admin.register(StaffInvitation)
class StaffInvitationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "created_at", "accepted_at", "withdrawn_at", "sent"]
    list_filter = ["role", "organisation"]
    readonly_fields = ["token", "accepted_at", "accepted_by"]
    list_select_related = ["organisation", "person"]
