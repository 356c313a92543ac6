from django import forms
from django.contrib import admin
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from organisations import logos
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


class OrganisationAdminForm(forms.ModelForm):
    """The logo is uploaded through a plain file field, checked as organisations/logos.py says;
    the stored bytes are never a form field. The admin gives it the model and its fields."""

    logo_upload = forms.FileField(label=_("New logo"), required=False)
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["logo_upload"].help_text = gettext(
            "A PNG or JPEG image of at most %(limit)s; it replaces the logo there is."
        ) % {"limit": filesizeformat(logos.max_logo_bytes())}

    def clean_logo_upload(self):
        upload = self.cleaned_data.get("logo_upload")
        if not upload:
            return None
        try:
            logos.check_logo_size(upload.size)  # before reading a byte of it
            return logos.check_logo(upload.read())
        except logos.LogoRefused as refused:
            raise forms.ValidationError(str(refused), code="logo_refused") from None

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("logo_upload") and cleaned.get("remove_logo"):
            raise forms.ValidationError(
                _("Either upload a new logo or remove the logo, not both."), code="logo_twice"
            )
        return cleaned

    def save(self, commit=True):
        organisation = super().save(commit=False)
        if self.cleaned_data.get("logo_upload"):
            logos.set_logo(organisation, self.cleaned_data["logo_upload"], save=False)
        elif self.cleaned_data.get("remove_logo"):
            logos.set_logo(organisation, None, save=False)
        if commit:
            organisation.save()
            self._save_m2m()
        return organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    form = OrganisationAdminForm
    list_display = ["name", "kind", "federation"]
    list_filter = ["kind", "federation"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["logo_preview"]
    inlines = [StaffRoleInline]
    # A website typed without a scheme is taken as https (Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    LOGO_FIELDS = ["logo_preview", "logo_upload", "remove_logo"]

    def get_fieldsets(self, request, obj=None):
        rest = [name for name in self.get_fields(request, obj) if name not in self.LOGO_FIELDS]
        return [(None, {"fields": rest}), (_("Logo"), {"fields": self.LOGO_FIELDS})]

    @admin.display(description=_("Logo now"))
    def logo_preview(self, organisation):
        if not organisation.logo_url:
            return _("No logo.")
        # Its size in attributes, not a style: the site's CSP allows no inline styles.
        width, height = logos.fitted_size(organisation, 200, 64)
        return format_html(
            '<img src="{}" alt="" width="{}" height="{}">', organisation.logo_url, width, height
        )


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
