"""The shipped course as files: Markdown with YAML front matter, loaded and exported.

Layout of a course folder:
    course.md                  front matter: slug, title, summary[, published,
                               checked_against_sources_on, next_review_due]; body: intro
    lessons/NN-<slug>.md       front matter: slug, title, order, summary, key_points[, published,
                               reading_minutes, sources]; body: the lesson in Markdown

sources is a list of {publisher, title, url} with https URLs; next_review_due defaults to twelve
months after checked_against_sources_on.

Translations (every language of settings.LANGUAGES but English) sit beside, in <lang>/, each
file named as the English one it translates; a missing file leaves that item in English:
    <lang>/course.md           front matter: slug (the English one's), title, summary; body
    <lang>/lessons/NN-<slug>.md front matter: slug, title, summary, key_points[, reviewed_on];
                               body. order, sources and reading time are the English file's.
    <lang>/quizzes, <lang>/certifications: see quizzes/ and certification/course_files.py.
regions.yaml: the regional facts the texts' {emergency} and {advice} stand for (checked on
load; lessons/regions.py reads it).

Loading is idempotent and guarded: each row remembers the fingerprint of the content it was
last loaded with (loaded_hash). If the row's content no longer matches it, an admin edited the
row since, and the loader leaves it alone unless forced.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import frontmatter
import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction

from lessons import regions
from lessons.models import (
    SOURCE_EXTRA_KEYS,
    SOURCE_KEYS,
    Course,
    Lesson,
    content_hash,
    source_problems,
    twelve_months_after,
)
from lessons.signals import course_exported, course_loaded
from lessons.translation import course_languages

COURSE_KEYS = {
    "slug", "title", "summary", "published", "checked_against_sources_on", "next_review_due",
}  # fmt: skip
LESSON_KEYS = {
    "slug", "title", "order", "summary", "key_points", "published", "reading_minutes", "sources",
}  # fmt: skip
COURSE_TRANSLATION_KEYS = {"slug", "title", "summary", "reviewed_on"}
LESSON_TRANSLATION_KEYS = {"slug", "title", "summary", "key_points", "reviewed_on"}


class CourseFileError(ValueError):
    """A course file that cannot be loaded; the message names the file and the problem."""


def check_fields(row, where, *, error=CourseFileError, exclude=None):
    """Validate a row from a file as the admin would (full_clean); the error names the file
    and each field, so a slug like ../../evil never reaches the database and the URLs."""
    for model_field in row._meta.concrete_fields:
        value = getattr(row, model_field.attname)
        if isinstance(model_field, models.DecimalField) and isinstance(value, float):
            # YAML reads 33.33333 as a float; as written, not as a binary fraction (which
            # DecimalField would check with more decimal places than the file has).
            setattr(row, model_field.attname, Decimal(repr(value)))
    try:
        row.full_clean(exclude=exclude)
    except ValidationError as invalid:
        problems = [
            f"{name}: {message}" if name != "__all__" else message
            for name, messages in invalid.message_dict.items()
            for message in messages
        ]
        raise error(f"{where}: {'; '.join(problems)}") from invalid


@dataclass
class LoadReport:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    kept_edits: list = field(default_factory=list)

    def lines(self):
        for label, items in [
            ("created", self.created),
            ("updated", self.updated),
            ("unchanged", self.unchanged),
        ]:
            yield from (f"{label}: {item}" for item in items)
        for item in self.kept_edits:
            yield f"kept: {item} was edited in the admin since the last load (use --force)"


def default_course_dir():
    return Path(settings.BASE_DIR) / "course"


def _read(path, allowed, required):
    try:
        post = frontmatter.load(path)
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise CourseFileError(f"{path}: cannot read the front matter ({error})") from error
    meta = post.metadata
    unknown = set(meta) - allowed
    if unknown:
        raise CourseFileError(f"{path}: unknown front-matter keys {sorted(unknown)}")
    missing = [key for key in required if not meta.get(key)]
    if missing:
        raise CourseFileError(f"{path}: missing front-matter keys {missing}")
    return meta, post.content.strip() + "\n"


def _date(meta, key, path):
    value = meta.get(key)
    if value is not None and not isinstance(value, datetime.date):
        raise CourseFileError(f"{path}: {key} must be a date written as YYYY-MM-DD")
    return value


def _course_values(meta, body, path):
    checked = _date(meta, "checked_against_sources_on", path)
    due = _date(meta, "next_review_due", path)
    return {
        "title": str(meta["title"]),
        "summary": str(meta.get("summary", "")),
        "body": body,
        "is_published": bool(meta.get("published", True)),
        "sources_checked_on": checked,
        "next_review_due": due or (checked and twelve_months_after(checked)),
    }


def _sources(meta, path):
    sources = meta.get("sources") or []
    problems = source_problems(sources)
    if problems:
        raise CourseFileError(f"{path}: {' '.join(problems)}")
    return [
        {key: str(source[key]) for key in (*SOURCE_KEYS, *SOURCE_EXTRA_KEYS) if key in source}
        for source in sources
    ]


def _lesson_values(meta, body, path):
    key_points = meta.get("key_points") or []
    if not isinstance(key_points, list):
        raise CourseFileError(f"{path}: key_points must be a list")
    try:
        order = int(meta["order"])
    except (TypeError, ValueError) as error:
        raise CourseFileError(f"{path}: order must be a whole number") from error
    return {
        "title": str(meta["title"]),
        "order": order,
        "summary": str(meta.get("summary", "")),
        "key_points": "\n".join(str(point).strip() for point in key_points),
        "body": body,
        "is_published": bool(meta.get("published", True)),
        "reading_minutes": int(meta.get("reading_minutes") or 0),
        "sources": _sources(meta, path),
    }


def write_yaml(path, data):
    """A course file as export_course writes it (quizzes, certifications): keys in the order
    given, any script as itself, its folder made; returns the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8"
    )
    return path


def translation_path(directory, language, path):
    """Where the translation of a course file (given by its path in the folder) sits."""
    directory = Path(directory)
    return directory / language / Path(path).relative_to(directory)


def reviewed_on(meta, path):
    """A translation's reviewed_on as written (YYYY-MM-DD), or None when not reviewed."""
    value = meta.get("reviewed_on")
    if value is None:
        return None
    if not isinstance(value, datetime.date):
        raise CourseFileError(f"{path}: reviewed_on must be a date written as YYYY-MM-DD")
    return value.isoformat()


def _read_translation(path, allowed, slug):
    meta, body = _read(path, allowed, ["slug", "title"])
    if str(meta["slug"]) != str(slug):
        raise CourseFileError(f"{path}: slug {meta['slug']!r} is not the English file's ({slug!r})")
    texts = {"title": str(meta["title"])}
    if "summary" in meta:
        texts["summary"] = str(meta["summary"] or "")
    if "key_points" in meta:
        if not isinstance(meta["key_points"], list):
            raise CourseFileError(f"{path}: key_points must be a list")
        texts["key_points"] = "\n".join(str(point).strip() for point in meta["key_points"])
    if body.strip():
        texts["body"] = body
    if (day := reviewed_on(meta, path)) is not None:
        texts["reviewed_on"] = day
    return texts


def translations_of(directory, path, allowed, slug):
    """{language: texts} of one English course file, from each language's folder."""
    found = {}
    for language in course_languages():
        translated = translation_path(directory, language, path)
        if translated.is_file():
            found[language] = _read_translation(translated, allowed, slug)
    return found


def check_no_stray_translations(directory, folder, pattern, english_names):
    """A translated file must translate an English one: a stray name is refused, not skipped."""
    for language in course_languages():
        for path in sorted((Path(directory) / language / folder).glob(pattern)):
            if path.name not in english_names:
                raise CourseFileError(
                    f"{path}: no English file {folder}/{path.name} for it to translate"
                )


def _apply(model, lookup, values, *, force, report, label, where, extra=None):
    """Create, update or keep one row, following the admin-edit guard."""
    row = model.objects.filter(**lookup).first()
    if row is None:
        row = model(**lookup, **(extra or {}), **values)
        row.loaded_hash = content_hash(row.content_fields())
        check_fields(row, where)
        row.save()
        report.created.append(label)
        return row
    for name, value in (extra or {}).items():
        setattr(row, name, value)
    edited_since_load = content_hash(row.content_fields()) != row.loaded_hash
    incoming = model(**values)
    if content_hash(incoming.content_fields()) == content_hash(row.content_fields()):
        if edited_since_load:  # the edit matches the files now; adopt it quietly
            row.loaded_hash = content_hash(row.content_fields())
            row.save()
        report.unchanged.append(label)
        return row
    if edited_since_load and not force:
        report.kept_edits.append(label)
        return row
    for name, value in values.items():
        setattr(row, name, value)
    row.loaded_hash = content_hash(row.content_fields())
    check_fields(row, where)
    row.save()
    report.updated.append(label)
    return row


@transaction.atomic
def load_course(directory=None, *, force=False):
    """Load a course folder into the database; returns (course, LoadReport).

    All or nothing: a bad file raises CourseFileError and nothing is written.
    """
    directory = Path(directory or default_course_dir())
    course_file = directory / "course.md"
    if not course_file.is_file():
        raise CourseFileError(f"{course_file}: not found")
    meta, body = _read(course_file, COURSE_KEYS, ["slug", "title"])
    if (directory / "regions.yaml").is_file():
        try:
            regions.read_regions(directory / "regions.yaml")
        except regions.RegionsFileError as error:
            raise CourseFileError(str(error)) from error
        regions.forget()
    report = LoadReport()
    lesson_paths = sorted((directory / "lessons").glob("*.md"))
    check_no_stray_translations(directory, "lessons", "*.md", {p.name for p in lesson_paths})
    course = _apply(
        Course,
        {"slug": meta["slug"]},
        {
            **_course_values(meta, body, course_file),
            "translations": translations_of(
                directory, course_file, COURSE_TRANSLATION_KEYS, meta["slug"]
            ),
        },
        force=force,
        report=report,
        label=f"course {meta['slug']}",
        where=course_file,
    )
    for path in lesson_paths:
        lesson_meta, lesson_body = _read(path, LESSON_KEYS, ["slug", "title", "order"])
        _apply(
            Lesson,
            {"slug": lesson_meta["slug"]},
            {
                **_lesson_values(lesson_meta, lesson_body, path),
                "translations": translations_of(
                    directory, path, LESSON_TRANSLATION_KEYS, lesson_meta["slug"]
                ),
            },
            force=force,
            report=report,
            label=f"lesson {lesson_meta['slug']}",
            where=path,
            extra={"course": course},
        )
    course_loaded.send(
        sender=Course, course=course, directory=directory, force=force, report=report
    )
    return course, report


def _dump(path, meta, body):
    post = frontmatter.Post(body.strip() + "\n", **meta)
    path.write_text(frontmatter.dumps(post, sort_keys=False) + "\n", encoding="utf-8")


def _dump_translations(row, path, directory, *, key_points=False):
    """Write each language's file of a translated row; returns the paths written."""
    written = []
    for language, texts in sorted(row.stored_translations().items()):
        translated = translation_path(directory, language, path)
        translated.parent.mkdir(parents=True, exist_ok=True)
        meta = {"slug": row.slug, "title": texts.get("title", "")}
        if "summary" in texts:
            meta["summary"] = texts["summary"]
        if key_points and "key_points" in texts:
            meta["key_points"] = [
                line.strip() for line in texts["key_points"].splitlines() if line.strip()
            ]
        if texts.get("reviewed_on"):
            meta["reviewed_on"] = datetime.date.fromisoformat(texts["reviewed_on"])
        _dump(translated, meta, texts.get("body", ""))
        written.append(translated)
    return written


def export_course(course, directory):
    """Write the course and its lessons as files that load_course reads back."""
    directory = Path(directory)
    (directory / "lessons").mkdir(parents=True, exist_ok=True)
    written = []
    _dump(
        directory / "course.md",
        {
            "slug": course.slug,
            "title": course.title,
            "summary": course.summary,
            "published": course.is_published,
            **(
                {"checked_against_sources_on": course.sources_checked_on}
                if course.sources_checked_on
                else {}
            ),
            **({"next_review_due": course.next_review_due} if course.next_review_due else {}),
        },
        course.body,
    )
    written.append(directory / "course.md")
    written += _dump_translations(course, directory / "course.md", directory)
    for lesson in course.lessons.order_by("order", "pk"):
        path = directory / "lessons" / f"{lesson.order:02d}-{lesson.slug}.md"
        _dump(
            path,
            {
                "slug": lesson.slug,
                "title": lesson.title,
                "order": lesson.order,
                "summary": lesson.summary,
                "key_points": lesson.key_point_list,
                "published": lesson.is_published,
                "reading_minutes": lesson.reading_minutes,
                **({"sources": lesson.sources} if lesson.sources else {}),
            },
            lesson.body,
        )
        written.append(path)
        written += _dump_translations(lesson, path, directory, key_points=True)
    course_exported.send(sender=Course, course=course, directory=directory, report=written)
    return written
