import calendar
import datetime
import hashlib
import json
import math

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from crampcourse.addresses import reverse_remembered
from crampcourse.validators import validate_one_line
from lessons.markdown import render_markdown

WORDS_READ_PER_MINUTE = 180


def content_hash(values):
    """A stable fingerprint of content fields, to see whether anyone changed them."""
    return hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()


def twelve_months_after(day):
    """The same date a year on (29 February falls back to the 28th)."""
    last = calendar.monthrange(day.year + 1, day.month)[1]
    return datetime.date(day.year + 1, day.month, min(day.day, last))


SOURCE_KEYS = ("publisher", "title", "url")
# Optional: the day someone read the page at that address and found the claim in it, and what
# the lesson takes from it, so the next review knows what to check.
SOURCE_EXTRA_KEYS = ("confirmed_on", "supports")


def source_problems(sources):
    """What is wrong with a lesson's list of sources, as messages (empty when it is fine)."""
    if not isinstance(sources, list):
        return [gettext("Sources must be a list.")]
    problems = []
    for number, source in enumerate(sources, start=1):
        names = {"number": number}
        if not isinstance(source, dict) or not all(source.get(key) for key in SOURCE_KEYS):
            problems.append(
                gettext("Source %(number)s needs a publisher, a title and a url.") % names
            )
        elif not str(source["url"]).startswith("https://"):
            problems.append(
                gettext("Source %(number)s needs a url that starts with https://.") % names
            )
        elif unknown := set(source) - set(SOURCE_KEYS) - set(SOURCE_EXTRA_KEYS):
            problems.append(
                gettext("Source %(number)s has unknown keys: %(keys)s.")
                % {**names, "keys": ", ".join(sorted(unknown))}
            )
        elif "confirmed_on" in source and not _is_date(source["confirmed_on"]):
            problems.append(
                gettext("Source %(number)s needs confirmed_on as a date: 2026-12-03.") % names
            )
    return problems


def _is_date(value):
    if isinstance(value, datetime.date):
        return True
    try:
        datetime.date.fromisoformat(str(value))
    except ValueError:
        return False
    return True


def validate_translations(value):
    """{language: {field: text}}: what the admin's box must hold (a list of texts for hints)."""
    from lessons.translation import course_languages

    if not isinstance(value, dict):
        raise ValidationError('Write the translations as {"ru": {"title": "…"}}.')
    for language, texts in value.items():
        if language not in course_languages():
            raise ValidationError(
                f"{language!r} is not a language of the course ({', '.join(course_languages())})."
            )
        if not isinstance(texts, dict) or not all(
            isinstance(text, str)
            or (isinstance(text, list) and all(isinstance(t, str) for t in text))
            for text in texts.values()
        ):
            raise ValidationError(f"The {language} translation must map fields to texts.")


class TranslatedContent(models.Model):
    """A content row with its texts in other languages (lessons/translation.py says why so).

    translated_fields name the texts a translation may give; translated_html the HTML made
    from them on save, kept in the translation too (so no page renders Markdown)."""

    translations = models.JSONField(
        default=dict,
        blank=True,
        validators=[validate_translations],
        help_text='The texts in other languages, e.g. {"ru": {"title": "…"}}; a text left out '
        "is shown in English.",
    )

    translated_fields = ()
    translated_html = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if getattr(self, "shown_in", None) is not None:
            raise ValueError(f"{self!r} is set to show a language; read it again to save it.")
        if self.translations is None:  # an emptied box in the admin: no translations
            self.translations = {}
        super().save(*args, **kwargs)

    def stored_translations(self):
        """The translations as written, without the HTML made from them."""
        return {
            language: {k: v for k, v in texts.items() if k not in self.translated_html}
            for language, texts in (self.translations or {}).items()
        }


def with_rendered_bodies(translations):
    """The translations with body_html made from each body."""
    return {
        language: {
            **texts,
            **({"body_html": str(render_markdown(texts["body"]))} if texts.get("body") else {}),
        }
        for language, texts in (translations or {}).items()
    }


class CourseQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def due_for_review(self, today=None):
        """Courses whose review date has come, or that were never checked against sources."""
        today = today or timezone.localdate()
        return self.filter(
            models.Q(next_review_due__lte=today) | models.Q(next_review_due__isnull=True)
        )


class Course(TranslatedContent):
    slug = models.SlugField(_("slug"), unique=True)
    title = models.CharField(_("title"), max_length=200, validators=[validate_one_line])
    summary = models.CharField(
        _("summary"), max_length=300, blank=True, validators=[validate_one_line]
    )
    body = models.TextField(
        _("body"), blank=True, help_text=_("Markdown introduction shown on the course page.")
    )
    body_html = models.TextField(blank=True, editable=False)
    is_published = models.BooleanField(_("published"), default=True)
    sources_checked_on = models.DateField(
        _("checked against sources on"),
        null=True,
        blank=True,
        help_text=_("When the safety content was last checked against the lessons' sources."),
    )
    next_review_due = models.DateField(
        _("next review due"),
        null=True,
        blank=True,
        help_text=_("Usually twelve months after the last check."),
    )
    loaded_hash = models.CharField(max_length=64, blank=True, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CourseQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def __str__(self):
        return self.title

    translated_fields = ("title", "summary", "body")
    translated_html = ("body_html",)

    def save(self, *args, **kwargs):
        self.body_html = render_markdown(self.body)
        self.translations = with_rendered_bodies(self.translations)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("lessons:course_detail", args=[self.slug])

    @property
    def review_is_due(self):
        return self.next_review_due is None or self.next_review_due <= timezone.localdate()

    def content_fields(self):
        return {
            "title": self.title,
            "summary": self.summary,
            "body": self.body,
            "is_published": self.is_published,
            "sources_checked_on": self.sources_checked_on,
            "next_review_due": self.next_review_due,
            # Only when there are some, so rows loaded before translations keep their hash.
            **({"translations": self.stored_translations()} if self.translations else {}),
        }


class LessonQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True, course__is_published=True)

    def visible_to(self, user):
        """Admins preview unpublished lessons; everyone else sees published ones only."""
        return self if user.is_staff else self.published()

    def due_for_review(self, today=None):
        return self.filter(course__in=Course.objects.due_for_review(today))


class Lesson(TranslatedContent):
    course = models.ForeignKey(
        Course, on_delete=models.PROTECT, related_name="lessons", verbose_name=_("course")
    )
    slug = models.SlugField(_("slug"), unique=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=200, validators=[validate_one_line])
    summary = models.CharField(
        _("summary"), max_length=300, blank=True, validators=[validate_one_line]
    )
    key_points = models.TextField(
        _("key points"), blank=True, help_text=_("One key point per line.")
    )
    body = models.TextField(
        _("body"), help_text=_('Markdown. Callouts: !!! warning "Title" (or tip, note).')
    )
    body_html = models.TextField(blank=True, editable=False)
    reading_minutes = models.PositiveSmallIntegerField(
        _("reading minutes"),
        default=0,
        help_text=_("Estimated reading time; left at 0 it is worked out from the text."),
    )
    sources = models.JSONField(
        _("sources"),
        default=list,
        blank=True,
        help_text=_(
            'The guidance the lesson follows: [{"publisher": …, "title": …, "url": "https://…"}]'
        ),
    )
    is_published = models.BooleanField(_("published"), default=True)
    loaded_hash = models.CharField(max_length=64, blank=True, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = LessonQuerySet.as_manager()

    class Meta:
        ordering = ["course", "order", "pk"]
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        indexes = [models.Index(fields=["course", "order"])]

    def __str__(self):
        return self.title

    translated_fields = ("title", "summary", "key_points", "body")
    translated_html = ("body_html",)

    def save(self, *args, **kwargs):
        self.body_html = render_markdown(self.body)
        self.translations = with_rendered_bodies(self.translations)
        if not self.reading_minutes:
            self.reading_minutes = self.estimate_reading_minutes()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse_remembered("lessons:lesson_detail", [self.course.slug, self.slug])

    def clean(self):
        problems = source_problems(self.sources)
        if problems:
            raise ValidationError({"sources": problems})

    @property
    def source_list(self):
        """The sources as the lesson page lists them, with confirmed_on as a date."""
        return [
            {
                **source,
                "confirmed_on": datetime.date.fromisoformat(source["confirmed_on"])
                if source.get("confirmed_on")
                else None,
            }
            for source in self.sources
        ]

    @property
    def key_point_list(self):
        return [line.strip() for line in self.key_points.splitlines() if line.strip()]

    def content_fields(self):
        return {
            "title": self.title,
            "order": self.order,
            "summary": self.summary,
            "key_points": self.key_point_list,
            "body": self.body,
            "is_published": self.is_published,
            "sources": self.sources,
            **({"translations": self.stored_translations()} if self.translations else {}),
        }

    def estimate_reading_minutes(self):
        words = len(self.body.split()) + len(self.key_points.split())
        return max(1, math.ceil(words / WORDS_READ_PER_MINUTE))


class LessonProgress(models.Model):
    """One trainee's reading of one lesson: when they opened it and when they marked it read."""

    lesson = models.ForeignKey(
        Lesson, on_delete=models.PROTECT, related_name="progress", verbose_name=_("lesson")
    )
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="lesson_progress",
        verbose_name=_("trainee"),
    )
    started_at = models.DateTimeField(_("opened"), default=timezone.now)
    completed_at = models.DateTimeField(_("marked read"), null=True, blank=True)

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [
            models.UniqueConstraint(fields=["lesson", "trainee"], name="one_progress_per_lesson")
        ]

    def __str__(self):
        return f"{self.trainee} – {self.lesson}"

    @property
    def is_read(self):
        return self.completed_at is not None
