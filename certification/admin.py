from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from certification import assessments, services, standard
from certification.models import (
    AssessmentResult,
    AssessmentSession,
    Certificate,
    CertificateEvent,
    Certification,
    CPDEntry,
    PracticalItem,
    PracticalMark,
    ReminderPreference,
    SentReminder,
)


class OrganisationListFilter(admin.RelatedFieldListFilter):
    """Filter by club or federation reading only their names: a logo may be a megabyte."""

    def field_choices(self, field, request, model_admin):
        organisations = field.related_model._default_manager.order_by("name", "pk")
        return list(organisations.values_list("pk", "name"))


class PracticalItemFormSet(forms.BaseInlineFormSet):
    """Checks the pass standard against the skills as this save leaves them, by the rule
    course files use (standard.standard_problems)."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        edited = any(form.has_changed() for form in self.forms) or self.deleted_forms
        if edited and assessments.criteria_locked(self.instance):
            raise forms.ValidationError(LOCKED)
        skills = [
            form.instance
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.instance.retired_at is None
        ]
        problems = standard.standard_problems(skills, self.instance.pass_min_others)
        if problems:
            raise forms.ValidationError(problems)


class PracticalItemInline(admin.TabularInline):
    model = PracticalItem
    formset = PracticalItemFormSet
    extra = 1
    fields = ["order", "text", "critical", "criteria", "required", "retired_at", "translations"]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 3})}}


LOCKED = _(
    "An assessment session for this certification is open: its skills, criteria and pass "
    "standard stay as the assessor is reading them until the session is closed."
)


class CertificationAdminForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The skills are checked with the pass standard in the inline, as edited (see
        # Certification.clean).
        self.instance.skills_checked_by_form = True

    def clean(self):
        cleaned = super().clean()
        judged_by = {"pass_min_others", "assessed_in_session", "independent_assessor"}
        if judged_by & set(self.changed_data) and assessments.criteria_locked(self.instance):
            raise forms.ValidationError(LOCKED)
        return cleaned


@admin.register(Certification)
class CertificationAdmin(admin.ModelAdmin):
    form = CertificationAdminForm
    list_display = [
        "title", "slug", "owner", "validity_months", "early_renewal_days", "grace_days",
        "cpd_hours_required", "refresher_quiz", "assessed_in_session", "is_published",
    ]  # fmt: skip
    list_filter = ["is_published", ("owner", OrganisationListFilter)]
    search_fields = ["title", "slug"]
    autocomplete_fields = ["owner"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["quizzes"]
    inlines = [PracticalItemInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "description", "owner", "is_published"]}),
        (_("Translations"), {"fields": ["translations"], "classes": ["collapse"]}),
        (_("What to show"), {"fields": ["quizzes", "pass_min_others", "refresher_quiz"]}),
        (
            _("Validity and renewal"),
            {
                "fields": [
                    "validity_months",
                    "early_renewal_days",
                    "grace_days",
                    "cpd_hours_required",
                ],
                "description": _(
                    "Renewed within the early-renewal window, the new term runs from the old "
                    "expiry date; in the grace period, from the day of renewal; after it only "
                    "the full course renews. With CPD hours set, a renewal by the refresher "
                    "also needs that many confirmed hours within the term."
                ),
            },
        ),
    ]


class CertificateEventInline(admin.TabularInline):
    """The audit trail: written by the services only, never edited."""

    model = CertificateEvent
    extra = 0
    fields = ["kind", "at", "by", "valid_until", "reason"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class CertificateAdminForm(forms.ModelForm):
    revoke_reason = forms.CharField(
        label=_("Revoke reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("To revoke the certificate, say why and save. Kept in the audit trail."),
    )
    clear_flag = forms.BooleanField(
        label=_("Reviewed: keep the certificate and clear the flag"),
        required=False,
        help_text=_("The flag from a regrade; kept in the audit trail."),
    )
    suspend_reason = forms.CharField(
        label=_("Suspend reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "To suspend the certificate until it is reinstated, say why and save. Kept in the "
            "audit trail; the verification page only says “suspended”."
        ),
    )
    reinstate_reason = forms.CharField(
        label=_("Reinstate reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("To end a suspension, say why and save. Kept in the audit trail."),
    )

    class Meta:
        model = Certificate
        fields = []

    def clean(self):
        cleaned = super().clean()
        suspend = cleaned.get("suspend_reason", "").strip()
        reinstate = cleaned.get("reinstate_reason", "").strip()
        if suspend and reinstate:
            raise forms.ValidationError(_("Either suspend or reinstate, not both at once."))
        if (suspend or reinstate) and (
            self.instance.revoked_at is not None or self.instance.superseded_at is not None
        ):
            raise forms.ValidationError(
                _("A revoked or reissued certificate cannot be suspended or reinstated.")
            )
        if reinstate and self.instance.suspended_at is None:
            raise forms.ValidationError(_("This certificate is not suspended."))
        return cleaned


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    form = CertificateAdminForm
    list_display = [
        "number", "holder_name", "trainee", "certification", "issuer", "issued_at",
        "valid_until", "revoked_at", "superseded_at", "suspended_at", "flagged_for_review",
    ]  # fmt: skip
    list_filter = [
        "certification", ("issuer", OrganisationListFilter),
        ("revoked_at", admin.EmptyFieldListFilter), ("superseded_at", admin.EmptyFieldListFilter),
        ("suspended_at", admin.EmptyFieldListFilter), "flagged_for_review",
    ]  # fmt: skip
    # The number people quote, the name as printed, and the account as it is now.
    search_fields = ["number", "holder_name", "trainee__username", "trainee__email", "code"]
    list_select_related = ["trainee", "certification", "issuer"]
    date_hierarchy = "valid_until"
    # What the certificate states is frozen at issue: shown, never edited here (a new name is
    # a reissue, from the group's certificates page).
    readonly_fields = [
        "number", "holder_name", "certification_title", "issuer_name", "issuer_federation_name",
        "assessor_name", "theory_percent", "theory_passed_at", "practical_at", "assessed",
        "certification", "trainee", "issuer", "code", "issued_at", "valid_until", "renewed_at",
        "superseded_at", "superseded_by", "revoked_at", "revoked_reason", "revoked_by",
        "flagged_for_review", "flagged_at", "flag_reason", "suspended_at", "suspended_reason",
    ]  # fmt: skip
    fields = [*readonly_fields, "suspend_reason", "reinstate_reason", "revoke_reason", "clear_flag"]
    inlines = [CertificateEventInline]

    def get_queryset(self, request):
        # The issuer's name, not its logo's bytes, once per row.
        return super().get_queryset(request).select_related("issuer").defer("issuer__logo")

    def has_add_permission(self, request):
        return False  # certificates are earned, not typed in

    def save_model(self, request, obj, form, change):
        # Suspension first: the form refused it for a certificate revoked already.
        suspend = form.cleaned_data.get("suspend_reason", "").strip()
        reinstate = form.cleaned_data.get("reinstate_reason", "").strip()
        if suspend:
            services.suspend_certificate(obj, reason=suspend, by=request.user)
        elif reinstate:
            services.reinstate_certificate(obj, reason=reinstate, by=request.user)
        reason = form.cleaned_data.get("revoke_reason", "").strip()
        if reason and obj.revoked_at is None:
            services.revoke_certificate(obj, reason=reason, by=request.user)
        if form.cleaned_data.get("clear_flag") and obj.flagged_for_review:
            services.clear_review_flag(
                obj, reason=gettext("Reviewed in the admin."), by=request.user
            )


class AssessmentResultInline(admin.TabularInline):
    """Decided once at the pool (assessments.finish), never edited."""

    model = AssessmentResult
    extra = 0
    fields = ["trainee", "passed", "summary", "decided_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(AssessmentSession)
class AssessmentSessionAdmin(admin.ModelAdmin):
    list_display = ["certification", "group", "assessor", "held_on", "venue", "water", "closed_at"]
    list_filter = ["certification", "water", ("closed_at", admin.EmptyFieldListFilter)]
    search_fields = ["venue", "group__name", "assessor__username"]
    list_select_related = ["certification", "group", "assessor"]
    date_hierarchy = "held_on"
    # Opened and marked at the pool by the assessor; the admin reads and may close.
    readonly_fields = [
        "certification", "group", "assessor", "held_on", "venue", "water", "depth_m",
        "conditions_note", "opened_at", "closed_at",
    ]  # fmt: skip
    inlines = [AssessmentResultInline]
    actions = ["close_sessions"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Close the selected sessions (their results stay)"))
    def close_sessions(self, request, queryset):
        for session in queryset.open():
            assessments.close_session(session)


@admin.register(PracticalMark)
class PracticalMarkAdmin(admin.ModelAdmin):
    list_display = ["trainee", "item", "result", "coach", "session", "marked_at", "received_at"]
    list_filter = [
        "result",
        "item__certification",
        "group",
        ("session", admin.EmptyFieldListFilter),
    ]
    search_fields = ["trainee__username", "coach__username", "note"]
    list_select_related = ["trainee", "item", "coach", "session__certification", "session__group"]
    readonly_fields = [
        "key", "trainee", "item", "group", "session", "result", "note", "coach", "marked_at",
        "received_at",
    ]  # fmt: skip

    def has_add_permission(self, request):
        return False


@admin.register(ReminderPreference)
class ReminderPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "email_reminders"]
    search_fields = ["user__username", "user__email"]
    autocomplete_fields = ["user"]


@admin.register(SentReminder)
class SentReminderAdmin(admin.ModelAdmin):
    list_display = ["key", "user", "kind", "sent_at"]
    list_filter = ["kind"]
    search_fields = ["key", "user__username"]
    list_select_related = ["user"]


@admin.register(CPDEntry)
class CPDEntryAdmin(admin.ModelAdmin):
    """Logged training hours. Quizzes log themselves; a coach logs pool sessions from the
    group's Certificates page and the trainee confirms them."""

    list_display = ["trainee", "certification", "hours", "what", "kind", "done_on", "confirmed_at"]
    list_filter = ["kind", "certification", ("confirmed_at", admin.EmptyFieldListFilter)]
    search_fields = ["trainee__username", "trainee__email", "what"]
    list_select_related = ["trainee", "certification"]
    autocomplete_fields = ["trainee", "entered_by"]
    date_hierarchy = "done_on"
    readonly_fields = ["source_attempt", "entered_at"]
