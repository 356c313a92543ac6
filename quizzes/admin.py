from collections import Counter

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count, Max
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _

from crampcourse.admin_widgets import ONE_BOX_DATETIME
from lessons.markdown import render_markdown
from quizzes import review
from quizzes.forms import QuestionImportForm
from quizzes.models import (
    Attempt,
    AttemptQuestion,
    FeedbackBand,
    Option,
    Question,
    Quiz,
    QuizSlot,
)
from quizzes.moodle import bank
from quizzes.slots import SlotSpec, slot_problems
from quizzes.validation import question_problems


class FeedbackBandInline(admin.TabularInline):
    model = FeedbackBand
    extra = 0


class SlotFormSet(BaseInlineFormSet):
    """Checks the slots against the quiz's questions, with the loader's rules."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        rows = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        rows.sort(key=lambda row: row.get("order") or 0)
        questions = list(self.instance.questions.only("pk", "category")) if self.instance.pk else []
        problems = []
        for number, row in enumerate(rows, start=1):
            question = row.get("question")
            if question is not None and question.quiz_id != self.instance.pk:
                problems.append(
                    _("Slot %(number)s: the question belongs to another quiz.") % {"number": number}
                )
        specs = [
            SlotSpec(
                number=number,
                question=row["question"].pk if row.get("question") else None,
                category=row.get("category", ""),
                draw=row.get("draw") or 1,
                must_pass=row.get("must_pass", False),
            )
            for number, row in enumerate(rows, start=1)
        ]
        by_pk = {q.pk: q.category for q in questions}
        problems += slot_problems(
            specs,
            Counter(q.category for q in questions),
            attempts_allowed=self.instance.attempts_allowed,
            fixed_categories=Counter(by_pk.get(s.question, "") for s in specs if s.question),
        )
        if rows and self.instance.draw_count:
            problems.append(_("Leave “draw count” empty: a quiz with slots draws by its slots."))
        if problems:
            raise ValidationError(problems)


class QuizSlotInline(admin.TabularInline):
    """Moodle's quiz structure: a quiz with slots asks exactly these."""

    model = QuizSlot
    formset = SlotFormSet
    fields = ["order", "question", "category", "draw", "points", "must_pass"]
    extra = 0
    verbose_name = _("slot")
    verbose_name_plural = _(
        "Slots: what each attempt asks (leave empty to ask every question, or “draw count” of them)"
    )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Only the quiz's own questions can fill a fixed slot.
        if db_field.name == "question":
            object_id = request.resolver_match.kwargs.get("object_id", "")
            quiz_id = unquote(object_id) if object_id else None
            kwargs["queryset"] = Question.objects.filter(
                quiz_id=quiz_id if quiz_id and quiz_id.isdecimal() else None
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class QuestionInline(admin.TabularInline):
    model = Question
    fields = ["order", "type", "name", "category", "shown_text", "points", "must_pass"]
    readonly_fields = ["shown_text"]
    show_change_link = True
    extra = 0

    @admin.display(description="Text as trainees see it")
    def shown_text(self, obj):
        # Sanitised by the Markdown renderer, as on the quiz pages.
        return render_markdown(obj.text) if obj.pk else ""


@admin.register(Quiz)
class QuizAdmin(admin.ModelAdmin):
    list_display = [
        "title", "lesson", "is_published", "pass_mark", "attempts_allowed",
        "time_limit_minutes", "question_count", "preview",
    ]  # fmt: skip
    list_filter = ["is_published", "grading_method", "lesson__course"]
    search_fields = ["title", "slug", "description"]
    prepopulated_fields = {"slug": ["title"]}
    formfield_overrides = ONE_BOX_DATETIME
    inlines = [FeedbackBandInline, QuestionInline, QuizSlotInline]
    actions = ["export_gift", "export_moodle_xml"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "lesson", "order", "description", "is_published"]}),
        (
            "Grading and attempts",
            {"fields": ["pass_mark", "attempts_allowed", "grading_method", "time_limit_minutes"]},
        ),
        ("Timing", {"fields": ["opens_at", "closes_at"]}),
        (
            "Questions",
            {
                "fields": [
                    "shuffle_questions",
                    "shuffle_options",
                    "draw_count",
                    "questions_per_page",
                ]
            },
        ),
        (
            _("What the review shows a trainee, and from when"),
            {
                "description": _(
                    "Coaches and admins always see everything. For a quiz that certifies, show "
                    "right answers and explanations only once passed or out of attempts."
                ),
                "fields": [
                    "review_answers",
                    "review_marks",
                    "review_correct_answers",
                    "review_explanations",
                    "review_overall_feedback",
                ],
            },
        ),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("lesson")
            .annotate(question_total=Count("questions"))
        )

    def save_formset(self, request, form, formset, change):
        """Questions added here without an order go after the others, not first."""
        if formset.model is Question:
            last = form.instance.questions.aggregate(last=Max("order"))["last"] or 0
            for inline_form in formset.forms:
                question = inline_form.instance
                if question.pk is None and not question.order and inline_form.has_changed():
                    last += 1
                    question.order = last
        super().save_formset(request, form, formset, change)

    @admin.display(description="Questions", ordering="question_total")
    def question_count(self, obj):
        return obj.question_total

    @admin.display(description="Preview")
    def preview(self, obj):
        return format_html(
            '<a href="{}">Preview</a>', reverse("quizzes:quiz_preview", args=[obj.slug])
        )

    # Moodle question banks: import on a quiz's page, export as an action ---------------------

    def get_urls(self):
        return [
            path(
                "<path:object_id>/import-questions/",
                self.admin_site.admin_view(self.import_questions_view),
                name="quizzes_quiz_import_questions",
            ),
            *super().get_urls(),
        ]

    def import_questions_view(self, request, object_id):
        quiz = self.get_object(request, unquote(object_id))
        if quiz is None:
            raise Http404("No such quiz.")
        if not self.has_change_permission(request, quiz):
            raise PermissionDenied
        if request.method != "POST":
            form = QuestionImportForm()
        elif (form := QuestionImportForm(request.POST, request.FILES)).is_valid():
            try:
                report = bank.import_questions(
                    quiz.slug,
                    form.cleaned_data["file"].read(),
                    format=form.cleaned_data["format"] or None,
                    skip_unsupported=form.cleaned_data["skip_unsupported"],
                )
            except bank.QuestionFileError as error:
                for problem in error.problems:
                    form.add_error(None, problem)
            else:
                self.log_change(request, quiz, report.summary())
                self.message_user(request, report.summary(), messages.SUCCESS)
                for line in report.skipped:
                    self.message_user(request, f"Skipped {line}", messages.WARNING)
                for line in report.warnings:
                    self.message_user(request, f"Note on {line}", messages.WARNING)
                return redirect("admin:quizzes_quiz_change", quiz.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": "Import questions",
            "subtitle": str(quiz),
            "opts": self.opts,
            "original": quiz,
            "form": form,
        }
        return TemplateResponse(
            request,
            "admin/quizzes/quiz/import_questions.html",
            context,
            status=400 if form.errors else 200,
        )

    @admin.action(description="Export questions as GIFT", permissions=["view"])
    def export_gift(self, request, queryset):
        return self._export(request, queryset, "gift")

    @admin.action(description="Export questions as Moodle XML", permissions=["view"])
    def export_moodle_xml(self, request, queryset):
        return self._export(request, queryset, "moodlexml")

    def _export(self, request, queryset, format):
        """One quiz downloads as its file, several as a zip of them."""
        files = []
        for quiz in queryset.order_by("order", "slug"):
            text, warnings = bank.export_questions(quiz, format)
            for warning in warnings:
                self.message_user(request, f"{quiz}: {warning}", messages.WARNING)
            files.append((bank.export_filename(quiz, format), text))
        if len(files) == 1:
            name, text = files[0]
            response = HttpResponse(text, content_type=bank.CONTENT_TYPES[format])
        else:
            name = f"quizzes-{format}.zip"
            response = HttpResponse(bank.export_zip(files), content_type="application/zip")
        response["Content-Disposition"] = content_disposition_header(True, name)
        return response


class OptionFormSet(BaseInlineFormSet):
    """Checks the options against the question's type, with the loader's rules."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        options = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        problems = question_problems(self.instance.type, options)
        if problems:
            raise ValidationError(problems)


WEIGHT_HELP = (
    "How much of the question's points this answer earns: 100 is fully right, 0 earns "
    "nothing, below 0 takes points away."
)


class OptionInline(admin.TabularInline):
    model = Option
    formset = OptionFormSet
    fields = ["order", "text", "match_text", "weight", "value", "tolerance", "feedback"]
    extra = 0
    # Small boxes: the editor fits a 1280 px screen with every column.
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 28})},
        models.CharField: {"widget": forms.TextInput(attrs={"size": 20})},
        models.DecimalField: {"widget": forms.NumberInput(attrs={"style": "width: 6em"})},
        models.PositiveIntegerField: {"widget": forms.NumberInput(attrs={"style": "width: 4em"})},
    }

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "weight":
            field.help_text = WEIGHT_HELP
        return field


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "quiz", "type", "points", "must_pass", "order"]
    list_filter = ["type", "must_pass", "quiz", "category"]
    list_select_related = ["quiz"]
    search_fields = ["text", "name", "explanation"]
    formfield_overrides = ONE_BOX_DATETIME
    inlines = [OptionInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "quiz", "order", "type", "name", "text", "text_format", "points",
                    "must_pass",
                ]
            },
        ),
        ("Review", {"fields": ["explanation", "lesson"]}),
        (
            "Moodle's combined feedback and hints (shown in the review)",
            {
                "fields": [
                    "correct_feedback", "partly_correct_feedback", "incorrect_feedback", "hints",
                ]
            },
        ),
        ("Numerical questions", {"fields": ["unit"], "classes": ["numerical-only"]}),
        ("Moodle", {"fields": ["category"]}),
    ]  # fmt: skip

    class Media:
        # Shows the option columns of the chosen type, and "correct" boxes for 0/100 weights.
        js = ["js/question_admin.js"]
        css = {"all": ["css/question_admin.css"]}

    def get_changeform_initial_data(self, request):
        """A question added from a quiz goes after its other questions."""
        initial = super().get_changeform_initial_data(request)
        quiz_id = initial.get("quiz")
        if quiz_id and str(quiz_id).isdecimal() and "order" not in initial:
            last = Question.objects.filter(quiz_id=quiz_id).aggregate(last=Max("order"))["last"]
            initial["order"] = (last or 0) + 1
        return initial


class AttemptQuestionInline(admin.TabularInline):
    model = AttemptQuestion
    fields = ["position", "question", "answer", "fraction", "score", "answered_at"]
    readonly_fields = fields
    can_delete = False
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("version")

    @admin.display(description="Question")
    def question(self, obj):
        return obj.version.data.get("name") or obj.version.data["text"][:80]

    @admin.display(description="Answer")
    def answer(self, obj):
        return review.response_summary(obj.version.data, obj.response)


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    list_display = [
        "trainee",
        "quiz",
        "number",
        "state",
        "percent",
        "passed",
        "started_at",
        "review",
    ]
    list_filter = ["state", "passed", "timed_out", "quiz"]
    search_fields = [
        "trainee__username",
        "trainee__first_name",
        "trainee__last_name",
        "quiz__title",
    ]
    list_select_related = ["trainee", "quiz"]
    date_hierarchy = "started_at"
    inlines = [AttemptQuestionInline]
    readonly_fields = [
        "quiz", "trainee", "number", "state", "started_at", "deadline", "finished_at",
        "timed_out", "score", "max_score", "percent", "passed", "must_pass_met", "pass_mark",
    ]  # fmt: skip

    def has_add_permission(self, request):
        return False

    @admin.display(description="Review")
    def review(self, obj):
        return format_html(
            '<a href="{}">Review</a>', reverse("quizzes:attempt_result", args=[obj.pk])
        )
