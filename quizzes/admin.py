from collections import Counter

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count, Max
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import content_disposition_header
from django.utils.translation import gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _

from crampcourse.admin_widgets import ONE_BOX_DATETIME, JSONRowsWidget
from crampcourse.numbers import bounded_int
from lessons.markdown import render_markdown
from quizzes import regrade, review, statistics
from quizzes.forms import QuestionImportForm
from quizzes.media import image_url
from quizzes.models import (
    Attempt,
    AttemptQuestion,
    FeedbackBand,
    Option,
    Question,
    Quiz,
    QuizSlot,
    Regrade,
    RegradeChange,
)
from quizzes.moodle import bank
from quizzes.slots import SlotSpec, problems_of_quiz, slot_problems
from quizzes.validation import question_problems


class FeedbackBandInline(admin.TabularInline):
    model = FeedbackBand
    extra = 0


class RuleCheckedFormSet(BaseInlineFormSet):
    """An inline whose rows are checked together, by the same rules as the course loader."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        rows = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        problems = self.problems(rows)
        if problems:
            raise ValidationError(problems)

    def problems(self, rows):
        raise NotImplementedError


class SlotFormSet(RuleCheckedFormSet):
    """Checks the slots against the quiz's questions, with the loader's rules."""

    def problems(self, rows):
        rows = sorted(rows, key=lambda row: row.get("order") or 0)
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
        return problems


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
            # A menu of every question in every slot row: fine for a quiz of 20, megabytes for
            # a bank of thousands. Past a page of questions, the slot takes a question's id
            # (with the admin's look-up), still checked against the quiz's own questions.
            if kwargs["queryset"].count() > settings.QUIZ_ADMIN_QUESTIONS_PER_PAGE:
                kwargs["widget"] = ForeignKeyRawIdWidget(db_field.remote_field, self.admin_site)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


PAGE_PARAMETER = "questions_page"


def question_page(request):
    """The page of the quiz's questions the change form edits (?questions_page=N, from 1)."""
    return bounded_int(request.GET.get(PAGE_PARAMETER), low=1, high=10**6, default=1)


class QuestionInline(admin.TabularInline):
    """A page of the quiz's questions at a time: a quiz of a thousand would make the change
    form megabytes long. The form posts back to its own address, page included, so the rows
    saved are the rows shown."""

    model = Question
    fields = ["order", "type", "name", "category", "shown_text", "points", "must_pass"]
    readonly_fields = ["shown_text"]
    show_change_link = True
    extra = 0

    def get_queryset(self, request):
        questions = super().get_queryset(request)
        match = request.resolver_match
        object_id = match.kwargs.get("object_id") if match else None
        if object_id is None or not str(object_id).isdecimal():
            return questions
        size = settings.QUIZ_ADMIN_QUESTIONS_PER_PAGE
        start = (question_page(request) - 1) * size
        page = (
            Question.objects.filter(quiz_id=object_id)
            .order_by("order", "pk")
            .values_list("pk", flat=True)[start : start + size]
        )
        return questions.filter(pk__in=list(page))

    @admin.display(description=_("Text as trainees see it"))
    def shown_text(self, obj):
        # Sanitised by the Markdown renderer, as on the quiz pages.
        return render_markdown(obj.text) if obj.pk else ""


class RegradeForm(forms.Form):
    ANSWERED, LATEST = "answered", "latest"

    reason = forms.CharField(
        label=_("Why"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was wrong with the question, and what you changed. Kept in the audit."),
    )
    versions = forms.ChoiceField(
        label=_("Score the attempts on"),
        widget=forms.RadioSelect,
        initial=ANSWERED,
        choices=[
            (
                ANSWERED,
                _(
                    "The versions they answered: each attempt keeps its questions as they were "
                    "(for a change in how answers are scored)."
                ),
            ),
            (
                LATEST,
                _(
                    "The latest version of each question, keeping its points and must-pass "
                    "(for a question corrected since)."
                ),
            ),
        ],
    )


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
    readonly_fields = ["question_pages"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "lesson", "order", "description", "is_published"]}),
        ("Translations", {"fields": ["translations"], "classes": ["collapse"]}),
        (
            _("Grading and attempts"),
            {"fields": ["pass_mark", "attempts_allowed", "grading_method", "time_limit_minutes"]},
        ),
        (_("Timing"), {"fields": ["opens_at", "closes_at"]}),
        (
            _("Questions"),
            {
                "fields": [
                    "question_pages",
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

    @admin.display(description=_("Questions listed below"))
    def question_pages(self, quiz):
        if quiz.pk is None:
            return "—"
        count = quiz.questions.count()
        size = settings.QUIZ_ADMIN_QUESTIONS_PER_PAGE
        all_link = format_html(
            '<a href="{}?quiz__id__exact={}">{}</a>',
            reverse("admin:quizzes_question_changelist"),
            quiz.pk,
            gettext("every question, to search"),
        )
        if count <= size:
            return format_html("{} · {}", gettext("All %(count)s.") % {"count": count}, all_link)
        pages = range(1, (count + size - 1) // size + 1)
        links = format_html_join(
            " ", '<a href="?{}={}">{}</a>', ((PAGE_PARAMETER, n, n) for n in pages)
        )
        return format_html(
            "{} {} · {}",
            gettext("%(size)s at a time, of %(count)s. Pages:") % {"size": size, "count": count},
            links,
            all_link,
        )

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

    @admin.display(description=_("Questions"), ordering="question_total")
    def question_count(self, obj):
        return obj.question_total

    @admin.display(description=_("Preview"))
    def preview(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("quizzes:quiz_preview", args=[obj.slug]),
            gettext("Preview"),
        )

    # Moodle question banks: import on a quiz's page, export as an action ---------------------

    def get_urls(self):
        return [
            path(
                "<path:object_id>/import-questions/",
                self.admin_site.admin_view(self.import_questions_view),
                name="quizzes_quiz_import_questions",
            ),
            path(
                "<path:object_id>/regrade/",
                self.admin_site.admin_view(self.regrade_view),
                name="quizzes_quiz_regrade",
            ),
            path(
                "<path:object_id>/statistics/",
                self.admin_site.admin_view(self.statistics_view),
                name="quizzes_quiz_statistics",
            ),
            *super().get_urls(),
        ]

    def import_questions_view(self, request, object_id):
        quiz = self._quiz_or_refuse(request, object_id, self.has_change_permission)
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
                    message = gettext("Skipped %(question)s") % {"question": line}
                    self.message_user(request, message, messages.WARNING)
                for line in report.warnings:
                    message = gettext("Note on %(question)s") % {"question": line}
                    self.message_user(request, message, messages.WARNING)
                return redirect("admin:quizzes_quiz_change", quiz.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Import questions"),
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

    def _quiz_or_refuse(self, request, object_id, may):
        """The quiz of a page of its own (import, regrade, statistics), if `may` allows."""
        quiz = self.get_object(request, unquote(object_id))
        if quiz is None:
            raise Http404("No such quiz.")
        if not may(request, quiz):
            raise PermissionDenied
        return quiz

    def regrade_view(self, request, object_id):
        """Regrade attempts: the form, the dry run (what would change) and the apply.

        The apply plans again under lock; nothing of the dry run is taken from the form."""
        quiz = self._quiz_or_refuse(request, object_id, self.has_change_permission)
        plan = None
        form = RegradeForm(request.POST if request.method == "POST" else None)
        if form.is_valid():
            use_latest = form.cleaned_data["versions"] == RegradeForm.LATEST
            if "apply" in request.POST:
                try:
                    done = regrade.apply_regrade(
                        quiz,
                        done_by=request.user,
                        reason=form.cleaned_data["reason"],
                        use_latest_versions=use_latest,
                    )
                except regrade.RegradeConflict:
                    message = gettext(
                        "A question was edited while the attempts were regraded. Nothing was "
                        "saved: please run the dry run again."
                    )
                    self.message_user(request, message, messages.ERROR)
                else:
                    count = done.changes.count()
                    summary = ngettext(
                        "Regraded: %(count)d attempt changed.",
                        "Regraded: %(count)d attempts changed.",
                        count,
                    ) % {"count": count}
                    self.log_change(request, quiz, summary)
                    self.message_user(request, summary, messages.SUCCESS)
                    if self.admin_site.get_model_admin(Regrade).has_view_permission(request, done):
                        return redirect("admin:quizzes_regrade_change", done.pk)
                    return redirect("admin:quizzes_quiz_change", quiz.pk)
            plan = regrade.plan_regrade(quiz, use_latest_versions=use_latest)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Regrade attempts"),
            "subtitle": str(quiz),
            "opts": self.opts,
            "original": quiz,
            "form": form,
            "plan": plan,
            "use_latest": plan is not None and use_latest,
            "audit_url": (
                f"{reverse('admin:quizzes_regrade_changelist')}?quiz__id__exact={quiz.pk}"
                if self.admin_site.get_model_admin(Regrade).has_view_permission(request)
                else ""
            ),
        }
        return TemplateResponse(
            request,
            "admin/quizzes/quiz/regrade.html",
            context,
            status=400 if form.errors else 200,
        )

    def statistics_view(self, request, object_id):
        """Moodle's quiz statistics over every finished attempt at the quiz, in any group."""
        quiz = self._quiz_or_refuse(request, object_id, self.has_view_permission)
        attempts = (
            Attempt.objects.finished()
            .filter(quiz=quiz)
            .order_by("trainee_id", "number")
            .prefetch_related("slots__version")
        )
        report = statistics.quiz_statistics(
            attempts, statistics.attempt_set(request.GET.get("attempts"))
        )
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Statistics"),
            "subtitle": str(quiz),
            "opts": self.opts,
            "original": quiz,
            "report": report,
        }
        return TemplateResponse(request, "admin/quizzes/quiz/statistics.html", context)

    @admin.action(description=_("Export questions as GIFT"), permissions=["view"])
    def export_gift(self, request, queryset):
        return self._export(request, queryset, "gift")

    @admin.action(description=_("Export questions as Moodle XML"), permissions=["view"])
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


class OptionFormSet(RuleCheckedFormSet):
    """Checks the options against the question's type, with the loader's rules."""

    def problems(self, rows):
        return question_problems(self.instance.type, rows)


WEIGHT_HELP = _(
    "How much of the question's points this answer earns: 100 is fully right, 0 earns "
    "nothing, below 0 takes points away."
)


class OptionInline(admin.TabularInline):
    model = Option
    formset = OptionFormSet
    fields = [
        "order", "text", "match_text", "weight", "value", "tolerance", "feedback", "translations",
        "pictures",
    ]  # fmt: skip
    # Moodle's answer and feedback images are shown, not edited: an import brings them.
    readonly_fields = ["pictures"]
    extra = 0
    # Small boxes: the editor fits a 1280 px screen with every column.
    formfield_overrides = {
        # The option's text gets the room; the order is a number of one or two digits.
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 40})},
        models.CharField: {"widget": forms.TextInput(attrs={"size": 20})},
        models.DecimalField: {"widget": forms.NumberInput(attrs={"style": "width: 6em"})},
        models.PositiveIntegerField: {"widget": forms.NumberInput(attrs={"style": "width: 3.5em"})},
    }

    @admin.display(description=_("images"))
    def pictures(self, obj):
        """The option's images and its feedback's, small, from their stored names (no query)."""
        shown = [
            (label, image_url(image), image["alt"])
            for label, images in (
                (_("Answer"), obj.images),
                (_("Feedback"), obj.feedback_images),
            )
            for image in images or []
        ]
        return format_html_join(
            "",
            '<figure class="option-image"><img src="{}" alt="{}" style="max-width: 6em; '
            'max-height: 4em"><figcaption>{}: {}</figcaption></figure>',
            ((url, alt, label, alt) for label, url, alt in shown),
        )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "weight":
            field.help_text = WEIGHT_HELP
        return field


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "quiz", "type", "points", "must_pass", "order"]
    list_filter = ["type", "must_pass", "quiz"]
    # Searched rather than filtered: a filter lists the empty category as a link with no name.
    list_select_related = ["quiz"]
    search_fields = ["text", "name", "explanation", "category"]
    # Hints are a box each, not a JSON list to type.
    formfield_overrides = {**ONE_BOX_DATETIME, models.JSONField: {"widget": JSONRowsWidget}}
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
        (_("Review"), {"fields": ["explanation", "lesson"]}),
        (
            _("Moodle's combined feedback and hints (shown in the review)"),
            {
                "fields": [
                    "correct_feedback", "partly_correct_feedback", "incorrect_feedback", "hints",
                ]
            },
        ),
        (_("Numerical questions"), {"fields": ["unit"], "classes": ["numerical-only"]}),
        ("Moodle", {"fields": ["category"]}),
        (
            "Translations",
            {
                "fields": ["translations"],
                "description": 'The texts in other languages, e.g. {"ru": {"text": "…", '
                '"reviewed_on": "2026-12-03"}}. A must-pass question is shown in English '
                "until its translation has reviewed_on.",
            },
        ),
    ]  # fmt: skip

    class Media:
        # Shows the option columns of the chosen type, and "correct" boxes for 0/100 weights.
        js = ["js/question_admin.js"]
        css = {"all": ["css/question_admin.css"]}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "translations":  # a JSON box, not the hints' rows
            field.widget = forms.Textarea(attrs={"rows": 8, "cols": 100})
        return field

    # A question changed or deleted here can leave a quiz's slots short of questions (moved to
    # another quiz or category, or gone): attempts would then quietly ask fewer. The quiz's own
    # page refuses such slots; here the change stands and the admin is told which quiz to mend.
    def save_model(self, request, obj, form, change):
        before = form.initial.get("quiz") if change else None
        super().save_model(request, obj, form, change)
        self._warn_of_slots(request, {obj.quiz_id, before})

    def delete_model(self, request, obj):
        quiz_id = obj.quiz_id
        super().delete_model(request, obj)
        self._warn_of_slots(request, {quiz_id})

    def delete_queryset(self, request, queryset):
        quiz_ids = set(queryset.values_list("quiz_id", flat=True))
        super().delete_queryset(request, queryset)
        self._warn_of_slots(request, quiz_ids)

    def _warn_of_slots(self, request, quiz_ids):
        quizzes = Quiz.objects.filter(pk__in=[pk for pk in quiz_ids if pk]).order_by("slug")
        for quiz in quizzes:
            for problem in problems_of_quiz(quiz):
                self.message_user(
                    request,
                    gettext("The slots of “%(quiz)s” need mending: %(problem)s")
                    % {"quiz": quiz.title, "problem": problem},
                    messages.WARNING,
                )

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

    @admin.display(description=_("Question"))
    def question(self, obj):
        return obj.version.data.get("name") or obj.version.data["text"][:80]

    @admin.display(description=_("Answer"))
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

    @admin.display(description=_("Review"))
    def review(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("quizzes:attempt_result", args=[obj.pk]),
            pgettext("a link to an attempt's review", "Review"),
        )


class RegradeChangeInline(admin.TabularInline):
    """The audit: written by the regrade only, never edited."""

    model = RegradeChange
    fields = [
        "attempt", "old_score", "new_score", "old_percent", "new_percent", "old_passed",
        "new_passed",
    ]  # fmt: skip
    readonly_fields = fields
    can_delete = False
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("attempt__trainee", "attempt__quiz")


@admin.register(Regrade)
class RegradeAdmin(admin.ModelAdmin):
    list_display = ["quiz", "done_at", "done_by", "use_latest_versions", "change_count", "reason"]
    list_filter = ["quiz", "use_latest_versions"]
    list_select_related = ["quiz", "done_by"]
    search_fields = ["reason", "quiz__title", "done_by__username"]
    date_hierarchy = "done_at"
    fields = ["quiz", "done_by", "done_at", "use_latest_versions", "reason"]
    readonly_fields = fields
    inlines = [RegradeChangeInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(change_total=Count("changes"))

    def has_add_permission(self, request):
        return False  # a regrade is run from its quiz's page

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("Attempts changed"), ordering="change_total")
    def change_count(self, obj):
        return obj.change_total


@admin.register(RegradeChange)
class RegradeChangeAdmin(admin.ModelAdmin):
    list_display = [
        "attempt", "old_percent", "new_percent", "old_passed", "new_passed", "done_at", "done_by",
        "reason",
    ]  # fmt: skip
    list_filter = ["regrade__quiz", "old_passed", "new_passed"]
    list_select_related = ["attempt__trainee", "attempt__quiz", "regrade__done_by"]
    search_fields = ["attempt__trainee__username", "regrade__reason"]
    fields = [
        "regrade", "attempt", "old_score", "new_score", "old_percent", "new_percent",
        "old_passed", "new_passed",
    ]  # fmt: skip
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("when"), ordering="regrade__done_at")
    def done_at(self, obj):
        return obj.regrade.done_at

    @admin.display(description=_("by"), ordering="regrade__done_by")
    def done_by(self, obj):
        return obj.regrade.done_by

    @admin.display(description=_("why"))
    def reason(self, obj):
        return obj.regrade.reason
