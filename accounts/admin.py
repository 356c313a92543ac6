from django.contrib import admin

from accounts.models import VerifiedEmail


@admin.register(VerifiedEmail)
class VerifiedEmailAdmin(admin.ModelAdmin):
    list_display = ["email", "user", "verified_at"]
    search_fields = ["email", "user__username"]
    autocomplete_fields = ["user"]
    readonly_fields = ["verified_at"]
