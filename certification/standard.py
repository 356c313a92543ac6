"""The pass standard of a certification's practical, as plain functions.

A practical is passed when every critical skill is shown and at least `pass_min_others` of the
other skills the certificate needs (all of them when it is empty). Practised-only skills
(required=False, the tuck-and-stretch) and retired ones never count, shown or not.

Worked example, the shipped "Cramp first response": four critical skills (gets support, floats,
calls for help, helps from the side) and two others (the calf stretch, who to call) with
pass_min_others = 1. A swimmer who shows the four and the calf stretch passes; one who shows
everything but the float does not: a critical skill is missing, whatever else is shown.

Every caller that decides "practical complete" (services.practical_done, services.met_at, the
monthly report, the poolside page) asks these functions, so the rule exists once.
"""

from typing import NamedTuple

from django.utils.translation import gettext, ngettext


class Skill(NamedTuple):
    """The little of a PracticalItem the standard reads, for callers holding value rows."""

    pk: int
    critical: bool = False
    required: bool = True
    retired_at: object = None


class Outcome(NamedTuple):
    """Where a trainee stands against the pass standard."""

    critical_needed: int
    critical_shown: int
    others_needed: int
    others_shown: int

    @property
    def critical_missing(self):
        return self.critical_needed - self.critical_shown

    @property
    def others_missing(self):
        return max(0, self.others_needed - self.others_shown)

    @property
    def passed(self):
        return self.critical_missing == 0 and self.others_missing == 0


def criteria_lines(criteria):
    """A skill's criteria as its list of points: one a line, blank lines dropped."""
    return [line.strip() for line in criteria.splitlines() if line.strip()]


def counted(items):
    """The skills the standard reads: running and needed for the certificate."""
    return [item for item in items if item.required and item.retired_at is None]


def others_needed(items, pass_min_others):
    """How many of the non-critical skills must be shown: pass_min_others, or all of them when
    it is empty (never more than there are, should the skills have changed since)."""
    others = sum(not item.critical for item in counted(items))
    return others if pass_min_others is None else min(pass_min_others, others)


def outcome(items, shown, *, pass_min_others):
    """The Outcome for the trainee who has shown the skills whose ids are in `shown`."""
    skills = counted(items)
    critical = [item for item in skills if item.critical]
    others = [item for item in skills if not item.critical]
    return Outcome(
        critical_needed=len(critical),
        critical_shown=sum(item.pk in shown for item in critical),
        others_needed=others_needed(skills, pass_min_others),
        others_shown=sum(item.pk in shown for item in others),
    )


def meets_standard(items, shown, *, pass_min_others):
    return outcome(items, shown, pass_min_others=pass_min_others).passed


def deciding_mark(items, shown, *, pass_min_others):
    """The "shown" mark that completed the standard, or None if it is not met.

    shown: {item_id: mark} of the standing "shown" marks, each with `marked_at`. The standard
    was met when the last critical skill and the Nth other skill (in the order they were
    shown) were both shown: the later of those two marks. With nothing to show at all
    (no counted skills), there is no deciding mark either.
    """
    if not meets_standard(items, shown, pass_min_others=pass_min_others):
        return None
    skills = counted(items)
    deciding = [shown[item.pk] for item in skills if item.critical]
    needed = others_needed(skills, pass_min_others)
    if needed:
        others = sorted(
            (shown[item.pk] for item in skills if not item.critical and item.pk in shown),
            key=lambda mark: mark.marked_at,
        )
        deciding.append(others[needed - 1])
    return max(deciding, key=lambda mark: mark.marked_at, default=None)


def standard_problems(items, pass_min_others):
    """What is wrong with a practical's skills and pass standard, as messages for whoever
    wrote them (the admin's form or a course file); [] when nothing is.

    items: the running skills, each with `text`, `critical` and `required`.
    """
    problems = []
    for item in items:
        if item.critical and not item.required:
            problems.append(
                gettext(
                    "“%(skill)s” is practised only, so it cannot be critical: nothing that is "
                    "not needed for the certificate can decide it."
                )
                % {"skill": item.text}
            )
    skills = [item for item in items if item.required]
    others = sum(not item.critical for item in skills)
    if pass_min_others is not None and pass_min_others > others:
        if others:
            message = ngettext(
                "The pass standard asks for %(needed)d other skills, but there is only "
                "%(others)d required skill that is not critical.",
                "The pass standard asks for %(needed)d other skills, but there are only "
                "%(others)d required skills that are not critical.",
                others,
            )
        else:
            message = ngettext(
                "The pass standard asks for %(needed)d other skill, but every required skill "
                "is critical: leave the number empty or set it to 0.",
                "The pass standard asks for %(needed)d other skills, but every required skill "
                "is critical: leave the number empty or set it to 0.",
                pass_min_others,
            )
        problems.append(message % {"needed": pass_min_others, "others": others})
    elif skills and not any(item.critical for item in skills) and pass_min_others == 0:
        problems.append(
            gettext(
                "The pass standard asks for no skill at all: mark a skill critical or ask for "
                "at least one of the others."
            )
        )
    return problems


def explain(items, pass_min_others):
    """The standard in a sentence for the coach at the top of the poolside page."""
    skills = counted(items)
    critical = sum(item.critical for item in skills)
    others = len(skills) - critical
    needed = others_needed(skills, pass_min_others)
    if not skills:
        return ""
    if needed == others:
        return gettext("To pass, every skill the certificate needs must be shown.")
    if critical:
        return ngettext(
            "To pass, every skill marked Critical must be shown, and at least %(needed)d of "
            "the %(others)d others.",
            "To pass, every skill marked Critical must be shown, and at least %(needed)d of "
            "the %(others)d others.",
            needed,
        ) % {"needed": needed, "others": others}
    return ngettext(
        "To pass, at least %(needed)d of the %(others)d skills must be shown.",
        "To pass, at least %(needed)d of the %(others)d skills must be shown.",
        needed,
    ) % {"needed": needed, "others": others}


def describe(result):
    """The outcome in a sentence or two for the coach: "Meets the standard." or what is left."""
    if result.passed:
        return gettext("Meets the standard.")
    parts = [gettext("Not yet.")]
    if result.critical_missing:
        parts.append(
            ngettext(
                "%(count)d critical skill still to show.",
                "%(count)d critical skills still to show.",
                result.critical_missing,
            )
            % {"count": result.critical_missing}
        )
    if result.others_missing:
        parts.append(
            ngettext(
                "%(count)d more of the other skills to show.",
                "%(count)d more of the other skills to show.",
                result.others_missing,
            )
            % {"count": result.others_missing}
        )
    return " ".join(parts)
