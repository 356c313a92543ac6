"""Certifications shipped with the course: course/certifications/*.yaml, loaded by
load_course with the same guard as lessons and quizzes (an admin's edit is kept unless
forced)."""

from pathlib import Path

import yaml
from django.db import transaction
from django.utils import timezone

from certification.models import Certification, PracticalItem
from lessons.models import content_hash
from organisations.models import Organisation
from quizzes.models import Quiz

KEYS = {"slug", "title", "description", "validity_months", "quizzes", "refresher_quiz",
        "practical", "practise", "published", "issuer"}  # fmt: skip


class CertificationFileError(ValueError):
    """A certification file that cannot be loaded; the message names the file and the problem."""


def read_certification_file(path):
    try:
        spec = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise CertificationFileError(f"{path}: cannot read it ({error})") from error
    if not isinstance(spec, dict):
        raise CertificationFileError(f"{path}: expected a mapping of keys")
    unknown = set(spec) - KEYS
    if unknown:
        raise CertificationFileError(f"{path}: unknown keys {sorted(unknown)}")
    missing = [key for key in ("slug", "title") if not spec.get(key)]
    if missing:
        raise CertificationFileError(f"{path}: missing keys {missing}")
    if not isinstance(spec.get("practical", []), list):
        raise CertificationFileError(f"{path}: 'practical' must be a list of skills")
    if spec.get("issuer") is not None and not isinstance(spec["issuer"], str):
        raise CertificationFileError(f"{path}: 'issuer' must be the slug of a club or federation")
    practical = [str(text) for text in spec.get("practical") or []]
    if not isinstance(spec.get("practise", []), list):
        raise CertificationFileError(f"{path}: 'practise' must be a list of skills")
    practise = [str(text) for text in spec.get("practise") or []]
    every = practical + practise
    if len(set(every)) != len(every):
        raise CertificationFileError(
            f"{path}: a skill is listed twice in 'practical' or 'practise'"
        )
    values = {
        "slug": str(spec["slug"]),
        "title": str(spec["title"]),
        "description": str(spec.get("description", "")),
        "validity_months": int(spec.get("validity_months", 12)),
        "quizzes": [str(slug) for slug in spec.get("quizzes") or []],
        "refresher_quiz": spec.get("refresher_quiz") or None,
        "practical": practical,
        # Skills practised at the pool and recorded, never required (left out when none, so
        # files from before keep their fingerprint).
        **({"practise": practise} if practise else {}),
        "published": bool(spec.get("published", True)),
    }
    return _with_issuer(values, spec.get("issuer") or None)


def _with_issuer(values, slug):
    """The optional `issuer:` (the owner's slug) is in the values only when there is one, so
    certifications loaded before the key existed keep the hash they were loaded with."""
    if slug is not None:
        values["issuer"] = str(slug)
    return values


def certification_to_dict(certification):
    values = {
        "slug": certification.slug,
        "title": certification.title,
        "description": certification.description,
        "validity_months": certification.validity_months,
        "quizzes": sorted(q.slug for q in certification.quizzes.all()),
        "refresher_quiz": certification.refresher_quiz.slug
        if certification.refresher_quiz_id
        else None,
        "practical": [item.text for item in certification.items.required().order_by("order", "pk")],
        **(
            {"practise": practise}
            if (
                practise := [
                    item.text
                    for item in certification.items.active()
                    .filter(required=False)
                    .order_by("order", "pk")
                ]
            )
            else {}
        ),
        "published": certification.is_published,
    }
    owner = certification.owner.slug if certification.owner_id else None
    return _with_issuer(values, owner)


def _quiz(slug, path):
    quiz = Quiz.objects.filter(slug=slug).first()
    if quiz is None:
        raise CertificationFileError(f"{path}: no quiz with slug '{slug}'")
    return quiz


def _organisation(slug, path):
    organisation = Organisation.objects.filter(slug=slug).only("pk").first()
    if organisation is None:
        raise CertificationFileError(f"{path}: no club or federation with slug '{slug}'")
    return organisation


def write_certification(spec, certification, path):
    quizzes = [_quiz(slug, path) for slug in spec["quizzes"]]
    refresher = _quiz(spec["refresher_quiz"], path) if spec["refresher_quiz"] else None
    owner = _organisation(spec["issuer"], path) if spec.get("issuer") else None
    certification = certification or Certification(slug=spec["slug"])
    certification.title = spec["title"]
    certification.description = spec["description"]
    certification.validity_months = spec["validity_months"]
    certification.refresher_quiz = refresher
    certification.is_published = spec["published"]
    certification.owner = owner
    certification.save()
    certification.quizzes.set(quizzes)
    write_practical(certification, spec["practical"], spec.get("practise", []))
    return certification


def write_practical(certification, texts, practise=()):
    """Make the certification's skills these texts, in this order, then the practised-only
    ones (recorded at the pool, never required).

    A skill is known by its text: one kept keeps its marks; one reworded or dropped is retired
    if anyone has a mark for it (the mark stays in the record but counts for nothing now) and
    deleted if not; a new text is a new skill, so no mark given for another counts for it.
    """
    items = {item.text: item for item in certification.items.order_by("order", "pk")}
    now = timezone.now()
    skills = [(text, True) for text in texts] + [(text, False) for text in practise]
    for order, (text, required) in enumerate(skills, start=1):
        item = items.pop(text, None)
        if item is None:
            PracticalItem.objects.create(
                certification=certification, order=order, text=text, required=required
            )
        elif (item.order, item.retired_at, item.required) != (order, None, required):
            item.order, item.retired_at, item.required = order, None, required
            item.save(update_fields=["order", "retired_at", "required"])
    for item in items.values():
        if item.marks.exists():
            if item.retired_at is None:
                item.retired_at = now
                item.save(update_fields=["retired_at"])
        else:
            item.delete()


def load_certifications(directory, *, force=False, report):
    for path in sorted((Path(directory) / "certifications").glob("*.yaml")):
        spec = read_certification_file(path)
        label = f"certification {spec['slug']}"
        certification = Certification.objects.filter(slug=spec["slug"]).first()
        if certification is not None:
            current = content_hash(certification_to_dict(certification))
            if current == content_hash(spec):
                report.unchanged.append(label)
                continue
            if current != certification.loaded_hash and not force:
                report.kept_edits.append(label)
                continue
        with transaction.atomic():
            created = certification is None
            certification = write_certification(spec, certification, path)
            certification.loaded_hash = content_hash(certification_to_dict(certification))
            certification.save(update_fields=["loaded_hash"])
        (report.created if created else report.updated).append(label)
