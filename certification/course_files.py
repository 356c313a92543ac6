"""Certifications shipped with the course: course/certifications/*.yaml, loaded by
load_course with the same guard as lessons and quizzes (an admin's edit is kept unless
forced).

A practical skill is a line of text, or a mapping when the assessor needs more:

    practical:
      - "Says who to call"                 # not critical, no criteria
      - text: "Floats on the back for a minute"
        critical: true                     # must be shown for a pass, whatever else is
        criteria:                          # what the assessor must see, one point each
          - "Head back, ears in the water"
    pass_standard:
      others: 1                            # of the skills that are not critical; none: all
    assessment:                            # both true unless said (providers' rule)
      in_session: true                     # only an assessor's session certifies
      independent_assessor: true           # and not one of the candidate's coaches

A practised-only skill (`practise:`) may have criteria but is never critical.

Translations: <lang>/certifications/<the English file's name>.yaml with the slug, title,
description and the same skills in the same order, each a text or {text, criteria}
(as many criteria as the English); critical, if written, must equal the English. A skill is
still known by its English text, so marks never depend on the language.

The recertification rules (certification/renewal.py), each optional:

    renewal:
      early_days: 30      # the window before expiry in which renewing keeps the anniversary
      grace_days: 30      # after expiry, the refresher still renews for this many days
      cpd_hours: 20       # logged training hours a renewal needs per term; null: no CPD rule
"""

from decimal import Decimal, InvalidOperation
from pathlib import Path
from types import SimpleNamespace

import yaml
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from certification.assessments import criteria_locked
from certification.models import Certification, PracticalItem
from certification.standard import criteria_lines, standard_problems
from lessons.course_files import check_no_stray_translations, translation_path, write_yaml
from lessons.models import content_hash
from lessons.translation import course_languages
from organisations.models import Organisation
from quizzes.models import Quiz

KEYS = {"slug", "title", "description", "validity_months", "quizzes", "refresher_quiz",
        "practical", "practise", "published", "issuer", "pass_standard", "assessment",
        "renewal"}  # fmt: skip
SKILL_KEYS = {"text", "critical", "criteria"}
ASSESSMENT_KEYS = {"in_session", "independent_assessor"}
# What an open assessment session is judged against: a file changing these waits until the
# sessions are closed.
PRACTICAL_KEYS = ("practical", "practise", "critical", "criteria", "pass_standard")
# The model's defaults: a file without `renewal:` (or with these values) means them.
RENEWAL_DEFAULTS = {"early_days": 30, "grace_days": 30, "cpd_hours": None}
# Bounds a course file may set: a window or grace of more than a year, or more CPD hours than
# a thousand a term, is a typing slip.
MOST_DAYS = 366
MOST_CPD_HOURS = Decimal(1000)


class CertificationFileError(ValueError):
    """A certification file that cannot be loaded; the message names the file and the problem."""


def _read_mapping(path):
    """A YAML file's mapping of keys, or a CertificationFileError naming the file."""
    try:
        spec = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise CertificationFileError(f"{path}: cannot read it ({error})") from error
    if not isinstance(spec, dict):
        raise CertificationFileError(f"{path}: expected a mapping of keys")
    return spec


def read_certification_file(path):
    spec = _read_mapping(path)
    unknown = set(spec) - KEYS
    if unknown:
        raise CertificationFileError(f"{path}: unknown keys {sorted(unknown)}")
    missing = [key for key in ("slug", "title") if not spec.get(key)]
    if missing:
        raise CertificationFileError(f"{path}: missing keys {missing}")
    if spec.get("issuer") is not None and not isinstance(spec["issuer"], str):
        raise CertificationFileError(f"{path}: 'issuer' must be the slug of a club or federation")
    practical = [_skill(path, "practical", entry) for entry in _list(path, spec, "practical")]
    practise = [_skill(path, "practise", entry) for entry in _list(path, spec, "practise")]
    every = [skill.text for skill in practical + practise]
    if len(set(every)) != len(every):
        raise CertificationFileError(
            f"{path}: a skill is listed twice in 'practical' or 'practise'"
        )
    others = _pass_standard(path, spec.get("pass_standard"))
    for skill in practise:
        skill.required = False
    problems = standard_problems(practical + practise, others)
    if problems:
        raise CertificationFileError(f"{path}: {' '.join(problems)}")
    critical = [skill.text for skill in practical if skill.critical]
    criteria = {skill.text: skill.criteria for skill in practical + practise if skill.criteria}
    values = {
        "slug": str(spec["slug"]),
        "title": str(spec["title"]),
        "description": str(spec.get("description", "")),
        "validity_months": int(spec.get("validity_months", 12)),
        "quizzes": [str(slug) for slug in spec.get("quizzes") or []],
        "refresher_quiz": spec.get("refresher_quiz") or None,
        "practical": [skill.text for skill in practical],
        # Skills practised at the pool and recorded, never required (left out when none, so
        # files from before keep their fingerprint).
        **({"practise": [skill.text for skill in practise]} if practise else {}),
        "published": bool(spec.get("published", True)),
    }
    values = _with_standard(
        _with_issuer(values, spec.get("issuer") or None), critical, criteria, others
    )
    values = _with_assessment(values, **_assessment(path, spec.get("assessment")))
    return _with_renewal(values, _renewal(path, spec.get("renewal")))


TRANSLATION_KEYS = {"slug", "title", "description", "practical", "practise"}


def read_certification_translation(path, english_path, values):
    """{title, description, practical: [{text, criteria}], practise: […]} of a translation."""
    spec = _read_mapping(path)
    unknown = set(spec) - TRANSLATION_KEYS
    if unknown:
        raise CertificationFileError(
            f"{path}: keys {sorted(unknown)} are not translated; leave them out"
        )
    if spec.get("slug") != values["slug"]:
        raise CertificationFileError(
            f"{path}: slug {spec.get('slug')!r} is not the English file's ({values['slug']!r})"
        )
    texts = {key: str(spec[key]) for key in ("title", "description") if spec.get(key)}
    for key in ("practical", "practise"):
        english = values.get(key, [])
        skills = spec.get(key)
        if skills is None and key not in spec:
            continue
        skills = skills or []
        if not isinstance(skills, list) or len(skills) != len(english):
            raise CertificationFileError(
                f"{path}: '{key}' has {len(skills) if isinstance(skills, list) else 0} "
                f"skills, the English {len(english)}; translate each one, in the same order"
            )
        texts[key] = [
            _translated_skill(path, key, number, entry, text, values)
            for number, (entry, text) in enumerate(zip(skills, english, strict=True), start=1)
        ]
    return texts


def _translated_skill(path, key, number, entry, english_text, values):
    where = f"{path}: {key} skill {number}"
    english_criteria = values.get("criteria", {}).get(english_text, [])
    skill = _skill(path, key, entry)
    critical = english_text in values.get("critical", [])
    if isinstance(entry, dict) and entry.get("critical", critical) != critical:
        raise CertificationFileError(f"{where}: critical differs from the English")
    if skill.criteria and len(skill.criteria) != len(english_criteria):
        raise CertificationFileError(
            f"{where}: {len(skill.criteria)} criteria, the English {len(english_criteria)}; "
            "translate each one, in the same order"
        )
    return {"text": skill.text, **({"criteria": skill.criteria} if skill.criteria else {})}


def with_translations(values, directory, path):
    """The values with the translations of the file's certification, when it has some."""
    found = {}
    for language in course_languages():
        translated = translation_path(directory, language, path)
        if translated.is_file():
            found[language] = read_certification_translation(translated, path, values)
    if found:
        values["translations"] = found
    return values


def _translations_of(certification, items):
    found = {}
    for language in course_languages():
        texts = dict((certification.translations or {}).get(language, {}))
        for key, required in (("practical", True), ("practise", False)):
            skills = [item for item in items if item.required == required]
            translated = [(item.translations or {}).get(language) for item in skills]
            if any(translated):
                texts[key] = [
                    {
                        "text": t.get("text", ""),
                        **(
                            {"criteria": criteria_lines(t["criteria"])} if t.get("criteria") else {}
                        ),
                    }
                    for t in (t or {} for t in translated)
                ]
        if texts:
            found[language] = texts
    return found


def _assessment(path, assessment):
    """{in_session, independent_assessor} from the file's `assessment:`, both true if unsaid."""
    if assessment is None:
        assessment = {}
    if not isinstance(assessment, dict) or set(assessment) - ASSESSMENT_KEYS:
        raise CertificationFileError(
            f"{path}: 'assessment' must be a mapping with 'in_session' and "
            "'independent_assessor', each true or false"
        )
    rules = {key: assessment.get(key, True) for key in sorted(ASSESSMENT_KEYS)}
    if not all(isinstance(value, bool) for value in rules.values()):
        raise CertificationFileError(
            f"{path}: 'assessment: in_session' and 'independent_assessor' must be true or false"
        )
    return rules


def _with_assessment(values, *, in_session, independent_assessor):
    """In the values only when a rule is not the default, so files from before keep their
    fingerprint."""
    if not (in_session and independent_assessor):
        values["assessment"] = {
            "in_session": in_session,
            "independent_assessor": independent_assessor,
        }
    return values


def _renewal(path, block):
    """The `renewal:` block as {early_days, grace_days, cpd_hours (a string or None)}."""
    rules = dict(RENEWAL_DEFAULTS)
    if block is None:
        return rules
    if not isinstance(block, dict):
        raise CertificationFileError(
            f"{path}: 'renewal' must be a mapping of early_days, grace_days and cpd_hours"
        )
    unknown = set(block) - set(RENEWAL_DEFAULTS)
    if unknown:
        raise CertificationFileError(
            f"{path}: 'renewal': unknown keys {sorted(unknown)} "
            "(known: early_days, grace_days, cpd_hours)"
        )
    for key in ("early_days", "grace_days"):
        if key not in block:
            continue
        days = block[key]
        if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= MOST_DAYS:
            raise CertificationFileError(
                f"{path}: 'renewal: {key}' must be a whole number of days from 0 to {MOST_DAYS}"
            )
        rules[key] = days
    hours = block.get("cpd_hours")
    if hours is not None:
        try:
            amount = Decimal(str(hours)) if not isinstance(hours, bool) else None
        except InvalidOperation:
            amount = None
        if amount is None or not amount.is_finite() or not 0 < amount <= MOST_CPD_HOURS:
            raise CertificationFileError(
                f"{path}: 'renewal: cpd_hours' must be a number of hours above 0 and at most "
                f"{MOST_CPD_HOURS}, or null for no CPD rule"
            )
        rules["cpd_hours"] = str(amount.quantize(Decimal("0.1")))
    return rules


def _with_renewal(values, rules):
    """The renewal rules are in the values only when they are not the defaults, so
    certifications loaded before the block existed keep the hash they were loaded with."""
    if rules != RENEWAL_DEFAULTS:
        values["renewal"] = rules
    return values


def _list(path, spec, key):
    entries = spec.get(key) or []
    if not isinstance(entries, list):
        raise CertificationFileError(f"{path}: '{key}' must be a list of skills")
    return entries


def _skill(path, key, entry):
    """One skill of the file: a line of text, or {text, critical, criteria}."""
    if not isinstance(entry, dict):
        return SimpleNamespace(text=str(entry), critical=False, criteria=[], required=True)
    text = str(entry.get("text") or "").strip()
    if not text:
        raise CertificationFileError(f"{path}: a skill in '{key}' has no 'text'")
    unknown = set(entry) - SKILL_KEYS
    if unknown:
        raise CertificationFileError(f"{path}: skill '{text}': unknown keys {sorted(unknown)}")
    critical = entry.get("critical", False)
    if not isinstance(critical, bool):
        raise CertificationFileError(f"{path}: skill '{text}': 'critical' must be true or false")
    criteria = entry.get("criteria") or []
    if not isinstance(criteria, list) or not all(
        isinstance(line, str) and line.strip() and "\n" not in line.strip() for line in criteria
    ):
        raise CertificationFileError(
            f"{path}: skill '{text}': 'criteria' must be a list of lines, one observable point each"
        )
    return SimpleNamespace(
        text=text,
        critical=critical,
        criteria=[line.strip() for line in criteria],
        required=True,
    )


def _pass_standard(path, standard):
    """The number of other skills to show, or None (all of them)."""
    if standard is None:
        return None
    if not isinstance(standard, dict) or set(standard) != {"others"}:
        raise CertificationFileError(
            f"{path}: 'pass_standard' must be a mapping with 'others': how many of the skills "
            "that are not critical must be shown"
        )
    others = standard["others"]
    if others is None:
        return None
    if isinstance(others, bool) or not isinstance(others, int) or others < 0:
        raise CertificationFileError(
            f"{path}: 'pass_standard: others' must be a whole number, 0 or more"
        )
    return others


def _with_standard(values, critical, criteria, others):
    """Critical skills, criteria and the pass standard are in the values only when there are
    some, so certifications loaded before they existed keep the hash they were loaded with."""
    if critical:
        values["critical"] = critical
    if criteria:
        values["criteria"] = criteria
    if others is not None:
        values["pass_standard"] = {"others": others}
    return values


def _with_issuer(values, slug):
    """The optional `issuer:` (the owner's slug) is in the values only when there is one, so
    certifications loaded before the key existed keep the hash they were loaded with."""
    if slug is not None:
        values["issuer"] = str(slug)
    return values


def certification_to_dict(certification):
    items = list(certification.items.active().order_by("order", "pk"))
    practical = [item for item in items if item.required]
    practise = [item for item in items if not item.required]
    values = {
        "slug": certification.slug,
        "title": certification.title,
        "description": certification.description,
        "validity_months": certification.validity_months,
        "quizzes": sorted(q.slug for q in certification.quizzes.all()),
        "refresher_quiz": certification.refresher_quiz.slug
        if certification.refresher_quiz_id
        else None,
        "practical": [item.text for item in practical],
        **({"practise": [item.text for item in practise]} if practise else {}),
        "published": certification.is_published,
    }
    owner = certification.owner.slug if certification.owner_id else None
    values = _with_standard(
        _with_issuer(values, owner),
        [item.text for item in practical if item.critical],
        {item.text: lines for item in items if (lines := criteria_lines(item.criteria))},
        certification.pass_min_others,
    )
    values = _with_assessment(
        values,
        in_session=certification.assessed_in_session,
        independent_assessor=certification.independent_assessor,
    )
    hours = certification.cpd_hours_required
    rules = {
        "early_days": certification.early_renewal_days,
        "grace_days": certification.grace_days,
        "cpd_hours": None if hours is None else str(Decimal(hours).quantize(Decimal("0.1"))),
    }
    values = _with_renewal(values, rules)
    translations = _translations_of(certification, items)
    if translations:
        values["translations"] = translations
    return values


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
    certification.pass_min_others = spec.get("pass_standard", {}).get("others")
    assessment = spec.get("assessment", {})
    certification.assessed_in_session = assessment.get("in_session", True)
    certification.independent_assessor = assessment.get("independent_assessor", True)
    rules = spec.get("renewal", RENEWAL_DEFAULTS)
    certification.early_renewal_days = rules["early_days"]
    certification.grace_days = rules["grace_days"]
    cpd_hours = rules["cpd_hours"]
    certification.cpd_hours_required = None if cpd_hours is None else Decimal(cpd_hours)
    translations = spec.get("translations", {})
    certification.translations = {
        language: {k: v for k, v in texts.items() if k in ("title", "description")}
        for language, texts in translations.items()
    }
    certification.save()
    certification.quizzes.set(quizzes)
    write_practical(
        certification,
        spec["practical"],
        spec.get("practise", []),
        critical=spec.get("critical", []),
        criteria=spec.get("criteria", {}),
        translations=_skill_translations(spec, translations),
    )
    return certification


def _skill_translations(spec, translations):
    """{English skill text: {language: {text, criteria}}} from a spec's translations."""
    found = {}
    for language, texts in translations.items():
        for key in ("practical", "practise"):
            for english, translated in zip(spec.get(key, []), texts.get(key, []), strict=False):
                entry = {"text": translated["text"]}
                if translated.get("criteria"):
                    entry["criteria"] = "\n".join(translated["criteria"])
                found.setdefault(english, {})[language] = entry
    return found


def write_practical(
    certification, texts, practise=(), *, critical=(), criteria=None, translations=None
):
    """Make the certification's skills these texts, in this order, then the practised-only
    ones (recorded at the pool, never required); `critical` names the skills that must be
    shown, `criteria` maps a text to what the assessor must see (a list of points).

    A skill is known by its text: one kept keeps its marks; one reworded or dropped is retired
    if anyone has a mark for it (the mark stays in the record but counts for nothing now) and
    deleted if not; a new text is a new skill, so no mark given for another counts for it.
    """
    critical, criteria = set(critical), criteria or {}
    items = {item.text: item for item in certification.items.order_by("order", "pk")}
    now = timezone.now()
    skills = [(text, True) for text in texts] + [(text, False) for text in practise]
    for order, (text, required) in enumerate(skills, start=1):
        wanted = {
            "order": order,
            "retired_at": None,
            "required": required,
            "critical": text in critical,
            "criteria": "\n".join(criteria.get(text, [])),
            "translations": (translations or {}).get(text, {}),
        }
        item = items.pop(text, None)
        if item is None:
            PracticalItem.objects.create(certification=certification, text=text, **wanted)
        elif any(getattr(item, field) != value for field, value in wanted.items()):
            for field, value in wanted.items():
                setattr(item, field, value)
            item.save(update_fields=list(wanted))
    for item in items.values():
        if item.marks.exists():
            if item.retired_at is None:
                item.retired_at = now
                item.save(update_fields=["retired_at"])
        else:
            item.delete()


def load_certifications(directory, *, force=False, report):
    paths = sorted((Path(directory) / "certifications").glob("*.yaml"))
    check_no_stray_translations(directory, "certifications", "*.yaml", {p.name for p in paths})
    for path in paths:
        spec = with_translations(read_certification_file(path), directory, path)
        label = f"certification {spec['slug']}"
        certification = Certification.objects.filter(slug=spec["slug"]).first()
        if certification is not None:
            loaded = certification_to_dict(certification)
            current = content_hash(loaded)
            if current == content_hash(spec):
                report.unchanged.append(label)
                continue
            if current != certification.loaded_hash and not force:
                report.kept_edits.append(label)
                continue
            changes_practical = any(loaded.get(key) != spec.get(key) for key in PRACTICAL_KEYS)
            if changes_practical and criteria_locked(certification):
                raise CertificationFileError(
                    f"{path}: the practical of '{spec['slug']}' cannot change while an "
                    "assessment session for it is open; close the sessions, then load again"
                )
        with transaction.atomic():
            created = certification is None
            certification = write_certification(spec, certification, path)
            certification.loaded_hash = content_hash(certification_to_dict(certification))
            certification.save(update_fields=["loaded_hash"])
        (report.created if created else report.updated).append(label)


def export_certifications(directory, course):
    """Write the certifications that ask only the course's quizzes (and lesson-less ones, as
    export_quizzes writes them) as files load_certifications reads back, translations beside."""
    folder = Path(directory) / "certifications"
    exported = Quiz.objects.filter(Q(lesson__course=course) | Q(lesson__isnull=True))
    elsewhere = Quiz.objects.exclude(pk__in=exported.values("pk"))
    certifications = (
        Certification.objects.exclude(quizzes__in=elsewhere)
        .exclude(refresher_quiz__in=elsewhere)
        .select_related("refresher_quiz", "owner")
        .prefetch_related("quizzes")
        .order_by("slug")
    )
    written = []
    for certification in certifications:
        values = certification_to_dict(certification)
        path = folder / f"{certification.slug}.yaml"
        written.append(write_yaml(path, certification_file(values)))
        for language, texts in sorted(values.get("translations", {}).items()):
            target = translation_path(directory, language, path)
            written.append(write_yaml(target, {"slug": values["slug"], **texts}))
    return written


def certification_file(values):
    """certification_to_dict's values as a file says them: a skill with no more than its text is
    a line, one that is critical or has criteria a mapping; defaults left out."""
    critical, criteria = set(values.get("critical", [])), values.get("criteria", {})

    def skill(text):
        entry = {
            "text": text,
            **({"critical": True} if text in critical else {}),
            **({"criteria": criteria[text]} if criteria.get(text) else {}),
        }
        return entry if len(entry) > 1 else text

    optional = ("issuer", "pass_standard", "assessment", "renewal")
    return {
        **{key: values[key] for key in ("slug", "title", "description", "validity_months")},
        "quizzes": values["quizzes"],
        "refresher_quiz": values["refresher_quiz"],
        **{key: values[key] for key in optional if key in values},
        "practical": [skill(text) for text in values["practical"]],
        **(
            {"practise": [skill(text) for text in values["practise"]]}
            if "practise" in values
            else {}
        ),
        "published": values["published"],
    }
