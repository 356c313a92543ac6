from django.contrib import admin
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from crampcourse.admin_widgets import SOURCE_COLUMNS, JSONRowsWidget
from lessons.models import Course, Lesson, LessonProgress


def _sanitised(body_html):
    """body_html as stored: save() wrote it through render_markdown's allow-list (nh3), and a
    row read back from the database holds a plain str, which format_html would escape."""
    return mark_safe(body_html)


class ReviewDueFilter(admin.SimpleListFilter):
    """Lessons (or courses) whose check against the sources is due: the date has come, or none."""

    title = _("review against sources")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("due", _("Due for review")), ("current", _("Checked and not yet due"))]

    def queryset(self, request, queryset):
        due = queryset.due_for_review()
        if self.value() == "due":
            return due
        if self.value() == "current":
            return queryset.exclude(pk__in=due.values("pk"))
        return queryset


class LessonInline(admin.TabularInline):
    model = Lesson
    fields = ["order", "title", "slug", "is_published"]
    show_change_link = True
    extra = 0
    prepopulated_fields = {"slug": ["title"]}


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = [
        "title", "slug", "is_published", "sources_checked_on", "next_review_due", "updated_at",
    ]  # fmt: skip
    list_filter = ["is_published", ReviewDueFilter]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["rendered"]
    inlines = [LessonInline]

    @admin.display(description=_("How the introduction looks"))
    def rendered(self, obj):
        return format_html('<div class="lesson-preview">{}</div>', _sanitised(obj.body_html))


@admin.register(Lesson)
class LessonAdmin(admin.ModelAdmin):
    # Few enough columns that the list fits a 1280 px screen with its editable boxes.
    list_display = ["title", "course", "order", "is_published", "review_due", "preview"]
    list_display_links = ["title"]
    list_editable = ["order", "is_published"]
    list_filter = ["is_published", ReviewDueFilter, "course"]
    list_select_related = ["course"]
    search_fields = ["title", "summary", "body", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["rendered", "updated_at"]
    fieldsets = [
        (None, {"fields": ["course", "title", "slug", "order", "is_published"]}),
        (_("Content"), {"fields": ["summary", "key_points", "body", "reading_minutes", "sources"]}),
        (_("Translations"), {"fields": ["translations"], "classes": ["collapse"]}),
        (_("Preview"), {"fields": ["rendered", "updated_at"]}),
    ]

    class Media:
        # The preview below the form reads as the lesson page does (the site's type and boxes).
        css = {"all": ["lessons/admin-preview.css"]}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "body":  # a lesson is long: show a screenful of it, not 6 lines
            field.widget.attrs.update({"rows": 28, "cols": 100, "style": "width: 100%"})
        if db_field.name == "sources":  # a row of labelled boxes a source, not raw JSON
            field.widget = JSONRowsWidget(columns=SOURCE_COLUMNS)
            field.help_text = gettext(
                "The guidance the lesson follows, one source a row; empty rows are dropped."
            )
        return field

    @admin.display(description=_("Next review due"), ordering="course__next_review_due")
    def review_due(self, obj):
        return obj.course.next_review_due or gettext("never checked")

    @admin.display(description=_("Preview"))
    def preview(self, obj):
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), gettext("Preview"))

    @admin.display(description=_("How the body looks (after saving)"))
    def rendered(self, obj):
        return format_html('<div class="lesson-preview">{}</div>', _sanitised(obj.body_html))


@admin.register(LessonProgress)
class LessonProgressAdmin(admin.ModelAdmin):
    list_display = ["trainee", "lesson", "started_at", "completed_at"]
    list_filter = ["lesson__course", "lesson"]
    search_fields = ["trainee__username", "lesson__title"]
    list_select_related = ["trainee", "lesson"]
    autocomplete_fields = ["trainee"]
    raw_id_fields = ["lesson"]
