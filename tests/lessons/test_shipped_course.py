"""The course we ship: written in our own words, complete, loadable, and corrected.

Every correction of the third edition (issue 25) is a check below that reads a course folder
from its files. Each check passes on the shipped course and fails on the second edition, kept
in tests/lessons/second_edition/: test_every_correction_fails_on_the_second_edition proves it
on every run. To run the whole file against another folder, set CRAMPCOURSE_COURSE_DIR.

The points are numbered as in the issue's review: D (what a swimmer does in deep water),
W (water safety: cold water, helping others), K (what the course claims, and how it names
itself), then the never-go-under list, the practical credits, the sources and the final.
"""

import datetime
import html
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import frontmatter
import pytest
from django.conf import settings

from certification.course_files import read_certification_file
from lessons.course_files import default_course_dir, load_course
from lessons.markdown import render_markdown
from quizzes.course_files import read_quiz_file

SOURCE = Path(settings.BASE_DIR).parent / "shared" / "seed" / "000_fdc75f12394d0e50.txt"
SECOND_EDITION = Path(__file__).resolve().parent / "second_edition"
WORD = re.compile(r"[a-z0-9']+")
RUN = 8
CHECKED_ON = datetime.date(2026, 12, 3)

# Every source a lesson may cite: found at this address in the stored public pages on the day
# given, with what the page says that the course relies on. A source not in this list, or
# confirmed on another day, fails test_sources; re-confirm and update both when reviewing.
CONFIRMED_SOURCES = {
    ("RNLI", "Float to Live", "https://rnli.org/safety/float"): (
        CHECKED_ON,
        "How to float (head back, ears under, relax and breathe, hands moving, arms and legs "
        "spread, legs may sink); once breathing is under control, call for help or swim to "
        "safety; cold water shock below 15 °C; UK and Irish seas average 12 °C, inland water "
        "can be colder; choose a lifeguarded beach and swim between the red and yellow flags.",
    ),
    (
        "RNLI",
        "RNLI says Float to Live if struggling in water",
        "https://rnli.org/news-and-media/2025/may/20/rnli-says-float-to-live-if-struggling-in-water",
    ): (
        CHECKED_ON,
        "Struggling in water, most people panic, swim or thrash; ignore that and float; "
        "remember, share and practise floating.",
    ),
    (
        "RLSS UK",
        "Animation launched to prevent drownings this summer",
        "https://www.rlss.org.uk/news/animation-launched-to-prevent-drownings-this-summer",
    ): (
        CHECKED_ON,
        "The Water Safety Code: stop and think; stay together at a lifeguarded venue; call 999 "
        "(fire and rescue inland, Coastguard at the coast) and don't go in to rescue; float on "
        "your back and call for help; throw something that floats.",
    ),
    (
        "RLSS UK",
        "Dos, don'ts and the dangers of open water",
        "https://www.rlss.org.uk/dos-dont-and-the-dangers-of-open-water",
    ): (
        CHECKED_ON,
        "Swim at lifeguarded sites, parallel with the shore, with friends; don't jump in before "
        "getting used to the temperature or swim into deeper, colder water; cold water shock "
        "makes swimming difficult; to help, shout, call 999 or 112, reach with a stick, pole or "
        "clothing while lying down, throw something buoyant, keep your eyes on them.",
    ),
    (
        "Swim England",
        "7 tips for staying safe in the water this summer",
        "https://www.swimming.org/swimengland/7-tips-stay-safe-water-summer/",
    ): (
        CHECKED_ON,
        "Enter open water slowly rather than jumping in; swim parallel to the shore in standing "
        "depth; once cooled down, get out and dry off.",
    ),
    (
        "British Red Cross",
        "Staying safe around water: first aid for drowning",
        "https://www.redcross.org.uk/stories/health-and-social-care/first-aid/"
        "five-things-to-know-about-drowning-in-open-water",
    ): (
        CHECKED_ON,
        "Cold water is dangerous even for good swimmers; hypothermia usually develops after "
        "leaving the water, so dry off; stay within your depth near the edge; swim where "
        "lifeguards are close; never swim in open water alone; drowning is quiet and quick.",
    ),
    (
        "NHS",
        "Leg cramps",
        "https://developer.api.nhs.uk/widgets/condition/?condition=/conditions/leg-cramps/",
    ): (
        CHECKED_ON,
        "NHS website content (nhs.uk/conditions/leg-cramps) through the NHS's own widget: "
        "seconds to 10 minutes, calf, sore up to 24 hours, mostly at night or resting; stretch, "
        "massage, stand with weight on the leg; painkillers too slow during a cramp; calf "
        "stretches may help; see a GP for sleep trouble, numbness or swelling, over 10 minutes.",
    ),
    (
        "NHS inform",
        "Leg cramps",
        "https://www.nhsinform.scot/illnesses-and-conditions/muscle-bone-and-joints/conditions/"
        "leg-cramps?ref=healthvery.com",
    ): (
        CHECKED_ON,
        "Feet and toes stiff during a cramp; cause sometimes unknown; speak to a GP urgently if "
        "over 10 minutes and not better with moving, or after mercury, lead or dirt in a cut "
        "(111 if the GP is closed); see a GP for frequent cramps, sleep, numbness or swelling, "
        "shrinking or weaker muscles; blood and urine tests.",
    ),
    ("nidirect", "Leg cramps", "https://nidirect.gov.uk/node/10453"): (
        CHECKED_ON,
        "Three in four cramps at night during sleep; causes include exercise and medicines such "
        "as statins.",
    ),
    (
        "Journal of Athletic Training (Miller and others)",
        "An Evidence-Based Review of the Pathophysiology, Treatment, and Prevention of "
        "Exercise-Associated Muscle Cramps",
        "https://pmc.ncbi.nlm.nih.gov/articles/PMC8775277",
    ): (
        CHECKED_ON,
        "Exercise cramps are common in athletes, from several factors rather than one cause; "
        "treated with gentle static stretching; individual prevention beats general advice "
        "such as drinking more.",
    ),
    (
        "South Western Ambulance Service NHS Foundation Trust",
        "When to call 999",
        "https://www.swast.nhs.uk/when-to-call-999",
    ): (
        CHECKED_ON,
        "999 for chest pain, breathing difficulties, loss of consciousness; NHS 111 for advice "
        "24 hours a day.",
    ),
    (
        "North Tees and Hartlepool NHS Foundation Trust",
        "Deep vein thrombosis (DVT)",
        "https://www.nth.nhs.uk/resources/deep-vein-thrombosis/",
    ): (
        CHECKED_ON,
        "DVT signs: calf pain like cramp or throbbing, redness, warmth, swelling of one calf; a "
        "journey of over three hours is a risk factor.",
    ),
    (
        "University College London Hospitals NHS Foundation Trust",
        "Pulmonary embolism (PE)",
        "https://www.uclh.nhs.uk/patients-and-visitors/patient-information-pages/"
        "pulmonary-embolism-pe",
    ): (
        CHECKED_ON,
        "A clot from a leg vein can block a lung vessel: sudden chest pain, short of breath; "
        "fast treatment can save a life.",
    ),
}


# Reading a course folder ---------------------------------------------------------------------


def plain(markup):
    """HTML as lower-case text with entities and typographic quotes made plain."""
    text = html.unescape(str(markup)).lower()
    return text.translate(str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'}))


@dataclass
class Edition:
    """One edition of the course as its files say it, read without the database."""

    folder: Path
    course: dict = field(default_factory=dict)
    intro: str = ""
    lessons: dict = field(default_factory=dict)
    quizzes: dict = field(default_factory=dict)
    certification: dict = field(default_factory=dict)

    def lesson(self, slug):
        return self.lessons[slug]

    def taught(self):
        """What the lessons, quizzes and certification teach (the course page's list of what
        changed between editions is not teaching, so it may name a claim that was cut)."""
        parts = [lesson.text for lesson in self.lessons.values()]
        parts += [plain(quiz_text(spec)) for spec in self.quizzes.values()]
        certification = self.certification
        words = [certification["title"], certification["description"], *certification["practical"]]
        parts.append(plain(" ".join(words)))
        return " ".join(parts)

    def everything(self):
        """Every text a trainee or coach can read, the course page included."""
        return self.intro + " " + self.taught()


def read_edition(folder):
    folder = Path(folder)
    post = frontmatter.load(folder / "course.md")
    edition = Edition(folder, dict(post.metadata), plain(render_markdown(post.content)))
    for path in sorted((folder / "lessons").glob("*.md")):
        lesson = frontmatter.load(path)
        key_points = [str(point) for point in lesson.metadata.get("key_points") or []]
        body = plain(render_markdown(lesson.content))
        edition.lessons[lesson.metadata["slug"]] = SimpleNamespace(
            meta=dict(lesson.metadata),
            key_points=[plain(point) for point in key_points],
            html=body,
            text=plain(" ".join(key_points)) + " " + body,
            sources=lesson.metadata.get("sources") or [],
        )
    for path in sorted((folder / "quizzes").glob("*.yaml")):
        spec = read_quiz_file(path)
        edition.quizzes[spec["slug"]] = spec
    (certification,) = sorted((folder / "certifications").glob("*.yaml"))
    edition.certification = read_certification_file(certification)
    return edition


def quiz_text(spec):
    bits = [spec.get("description", "")]
    for question in spec["questions"]:
        bits += [question["text"], question.get("explanation", "")]
        for option in question.get("options", []):
            bits += [option["text"], option.get("feedback", "")]
        bits += question.get("items", [])
        bits += [f"{p['item']} {p['answer']}" for p in question.get("pairs", [])]
    return " ".join(bits)


def right_answers(question):
    return [o["text"].lower() for o in question.get("options", []) if o.get("correct")]


def between(text, start, end):
    """The part of text from the first `start` to the next `end` after it."""
    first = text.find(start)
    assert first != -1, f"{start!r} missing"
    last = text.find(end, first)
    assert last != -1, f"{end!r} missing after {start!r}"
    return text[first:last]


def course_dir():
    return Path(os.environ.get("CRAMPCOURSE_COURSE_DIR") or default_course_dir())


@pytest.fixture(scope="module")
def shipped():
    return read_edition(course_dir())


@pytest.fixture(scope="module")
def second():
    return read_edition(SECOND_EDITION)


# D: what a swimmer does in deep water --------------------------------------------------------


def check_d1_support_or_float_before_calling_for_help(edition):
    """RNLI Float to Live: float (or hold on) until breathing is under control, then call for
    help. The second edition had the swimmer signal first, arm raised, before any support."""
    escape = edition.lesson("escape-algorithm")
    first_steps = between(escape.html, "<ol>", "</ol>")
    call = first_steps.find("call for help")
    assert call != -1, "the first steps never say when to call for help"
    assert -1 < first_steps.find("get support") < call
    assert -1 < first_steps.find("float on your back") < call
    assert "signal for help" not in first_steps
    assert "without sinking" in first_steps, "an arm goes up only if it does not sink you"
    first_point = escape.key_points[0]
    assert "support" in first_point
    assert "float" in first_point
    assert "signal" not in first_point
    for slogan in ("signal, get support, float", "signal, support, float"):
        assert slogan not in edition.everything(), slogan
    pictures_put_support_before_the_raised_arm(edition)


def pictures_put_support_before_the_raised_arm(edition):
    """A lesson may only show a drawing of the escape whose description puts holding on and
    floating before the raised arm. escape-algorithm.svg (lessons/static) still draws the
    second edition's order, so the third edition does not show it until it is redrawn."""
    from django.contrib.staticfiles import finders

    for lesson in edition.lessons.values():
        for src in re.findall(r'<img[^>]*src="/static/([^"]+\.svg)"', lesson.html):
            path = finders.find(src)
            assert path, src
            svg = Path(path).read_text(encoding="utf-8")
            desc = re.search(r"<desc[^>]*>(.*?)</desc>", svg, re.S).group(1).lower()
            if "raises one arm" in desc:
                assert -1 < desc.find("holds the pool wall") < desc.find("raises one arm"), src
                assert -1 < desc.find("floats") < desc.find("raises one arm"), src


def check_d2_going_under_is_the_last_resort(edition):
    """Easing the cramp while holding on comes before the never-go-under box, and the
    tuck-and-stretch only after it, for a swimmer already floating calmly; no other swimmer
    is a handhold (the second edition listed 'a buddy' as support)."""
    escape = edition.lesson("escape-algorithm")
    holding_on = escape.html.find("while you hold on")
    box = escape.html.find("never go under if")
    technique = escape.html.find("tuck-and-stretch technique")
    assert -1 < holding_on < box < technique
    section = escape.html[technique:]
    for condition in ("floating calmly", "nothing in reach", "someone watching", "one try only"):
        assert condition in section, condition
    assert "buddy" not in edition.everything()


# W: water safety -------------------------------------------------------------------------------


def check_w1_no_claim_about_sodium_and_dehydration(edition):
    """No confirmed source says which way dehydration moves blood sodium: the claim (and the
    questions on it) are gone, with the unsourced physiology around it."""
    everything = edition.taught()
    for claim in ("sodium", "electric charges", "dilute the salts"):
        assert claim not in everything, claim


def check_w2_no_single_main_cause_of_cramps_in_sport(edition):
    """The review in the Journal of Athletic Training finds several factors, not one; the
    second edition made tired muscles 'the main suspect' and tested it in the final."""
    everything = edition.taught()
    for claim in ("main suspect", "main trigger", "points mostly at", "point to most",
                  "explain them better", "the main cause"):  # fmt: skip
        assert claim not in everything, claim
    for slug in ("what-is-a-cramp", "water-and-electrolytes", "cramps-in-healthy-swimmers"):
        assert "single cause" in edition.lesson(slug).text, slug


def check_w3_cold_water_as_the_rnli_says_it(edition):
    """Cold water shock below 15 °C, seas about 12 °C, float until breathing is under control;
    the unsourced 'cold muscles tire and cramp sooner' is gone."""
    everything = edition.taught()
    for claim in ("tire sooner", "cramp sooner"):
        assert claim not in everything, claim
    cold = edition.lesson("poor-blood-supply").text
    for fact in ("15 °c", "12 °c", "until your breathing is under control", "get in slowly"):
        assert fact in cold, fact


def check_w4_helping_from_the_side(edition):
    """RLSS UK's Water Safety Code and advice, British Red Cross on what drowning looks like."""
    helping = between(edition.lesson("escape-algorithm").html, "for coaches, lifeguards", "</ul>")
    for step in ("may not be able to shout or wave", "do not go in", "999 or 112", "coastguard",
                 "fire and rescue service", "tell them to float", "lie down or kneel",
                 "throw something that floats", "keep your eyes on them"):  # fmt: skip
        assert step in helping, step


# K: what the course claims, and how it names itself --------------------------------------------


def check_k1_blood_flow_conditions_without_a_confirmed_source_are_cut(edition):
    everything = edition.taught()
    for topic in ("peripheral arterial disease", "claudication", "raynaud", "varicose"):
        assert topic not in everything, topic


def check_k2_no_lactic_acid_claim(edition):
    assert "lactic acid" not in edition.taught()


def check_k3_other_causes_only_as_the_nhs_lists_them(edition):
    everything = edition.taught()
    for topic in ("sciatica", "vitamin d", "diabetes", "high temperature", "bulging disc"):
        assert topic not in everything, topic
    assert "statins" in edition.lesson("nervous-system-and-other-causes").text


def check_k4_urgent_signs_in_nhs_informs_words(edition):
    for slug in ("nervous-system-and-other-causes", "on-land-prevention-and-doctor"):
        text = edition.lesson(slug).text
        for sign in ("does not ease when you move", "dirt", "lead or mercury", "nhs 111"):
            assert sign in text, (slug, sign)
    assert "tetanus" not in edition.taught()


def check_k5_the_calf_that_is_not_a_cramp_cites_an_nhs_page_on_clots(edition):
    cold = edition.lesson("poor-blood-supply")
    box = between(cold.html, "not a cramp", "</div>")
    for step in ("one leg", "nhs 111", "call 999", "breathlessness or chest pain"):
        assert step in box, step
    assert "massage" not in box
    urls = {source["url"] for source in cold.sources}
    assert "https://www.nth.nhs.uk/resources/deep-vein-thrombosis/" in urls


def check_k6_999_as_the_ambulance_service_lists_it(edition):
    urgent = between(edition.lesson("on-land-prevention-and-doctor").html, "call 999", "</div>")
    for sign in ("chest pain", "struggling to breathe", "passed out"):
        assert sign in urgent, sign
    for unsourced in ("drooping", "slurred", "seizure"):
        assert unsourced not in edition.taught(), unsourced


def check_k7_night_cramps_as_the_nhs_says(edition):
    healthy = edition.lesson("cramps-in-healthy-swimmers").text
    for advice in ("weight on", "painkillers work too slowly", "may reduce"):
        assert advice in healthy, advice
    assert "lying still for hours" not in edition.taught()


def check_k8_prevention_claims_only_with_guidance_behind_them(edition):
    everything = edition.taught()
    for claim in (
        "balanced meals",
        "toes pointed hard",
        "eat a normal meal",
        "keeps the calf short",
    ):
        assert claim not in everything, claim
    assert "only a few habits have guidance behind them" in (
        edition.lesson("on-land-prevention-and-doctor").text
    )


def check_k9_back_in_when_the_coach_agrees(edition):
    """'A muscle that has just cramped can cramp again, so stop for the day' had no source; the
    swimmer gets out, tells the coach, and goes back in when the leg is normal and the coach
    agrees."""
    everything = edition.taught()
    for claim in ("do not swim again that day", "out of the water for the day",
                  "can cramp again"):  # fmt: skip
        assert claim not in everything, claim
    assert "your coach agrees" in edition.lesson("escape-algorithm").text


def check_k10_the_certification_promises_no_safety(edition):
    certification = edition.certification
    assert certification["slug"] == "cramp-safe-swimmer"  # code and certificates use it
    assert "safe" not in certification["title"].lower()
    description = certification["description"].lower()
    assert "not a swimming or lifeguard qualification" in description
    assert "swim alone" in description


def check_k11_no_unsourced_stretch_table(edition):
    escape = edition.lesson("escape-algorithm").html
    assert "<table" not in escape
    assert "heel toward your bottom" not in edition.taught()


def check_k12_course_says_third_edition_and_when_it_was_checked(edition):
    assert edition.course["checked_against_sources_on"] == CHECKED_ON
    assert edition.course["next_review_due"] == datetime.date(2027, 12, 3)
    assert "<h2>third edition</h2>" in edition.intro
    assert "second edition" not in edition.intro


# The never-go-under list, the practical, the sources and the final ----------------------------


def check_never_go_under_list(edition):
    escape = edition.lesson("escape-algorithm").html
    box = between(escape, "never go under if", "stay on the surface")
    for reason in ("reach the wall", "stand up", "not a confident swimmer", "breathing is not calm",
                   "cold", "rough", "open water", "nobody is watching",
                   "not practised"):  # fmt: skip
        assert reason in box, reason
    assert escape.find("never go under if") < escape.find("tuck-and-stretch technique")


def check_practical_credits(edition):
    """Six credits at the surface, in the order lesson 6 teaches them; none depends on going
    under (the second edition credited the tuck-and-stretch)."""
    items = [item.lower() for item in edition.certification["practical"]]
    assert len(items) == 6
    assert items[0].startswith("gets support")
    assert items[1].startswith("floats on the back")
    assert items[2].startswith("calls for help once breathing is calm")
    assert any("without going in" in item for item in items)
    assert any("999 or 112" in item for item in items)
    for item in items:
        for under in ("tuck", "go under", "goes under", "under the water"):
            assert under not in item, item


def check_sources(edition):
    """Every source is one the review confirmed, with the day it was confirmed and what the
    lesson takes from it."""
    for slug, lesson in edition.lessons.items():
        assert len(lesson.sources) >= 2, slug
        for source in lesson.sources:
            key = (source["publisher"], source["title"], source["url"])
            assert key in CONFIRMED_SOURCES, (slug, key)
            assert source.get("confirmed_on") == CONFIRMED_SOURCES[key][0], (slug, key)
            assert str(source.get("supports", "")).strip(), (slug, key)
            assert source["url"].startswith("https://"), (slug, key)


def check_final(edition):
    """Two must-pass slots, the swimmer's own first response and helping someone else, each
    drawn from at least three scenarios, neither about going under; every other slot drawn
    from at least two; a bank at least twice the questions asked."""
    final = edition.quizzes["final-assessment"]
    slots = final.get("slots")
    assert slots, "the final asks questions from slots"
    pools = Counter(question.get("category", "") for question in final["questions"])
    by_category = {}
    for question in final["questions"]:
        by_category.setdefault(question.get("category", ""), []).append(question)
    must_pass = [slot for slot in slots if slot.get("must_pass")]
    assert [slot.get("category") for slot in must_pass] == ["first-response", "helping-others"]
    for slot in slots:
        assert "category" in slot, "every slot draws from a pool"
        draw = slot.get("draw", 1)
        assert pools[slot["category"]] >= (3 if slot.get("must_pass") else 2) * draw, slot
    asked = sum(slot.get("draw", 1) for slot in slots)
    assert len(final["questions"]) >= 2 * asked
    assert not any(question.get("must_pass") for question in final["questions"])
    for slot in must_pass:
        for question in by_category[slot["category"]]:
            assert question["type"] == "single", question["text"]
            for answer in right_answers(question):
                for under in ("go under", "tuck", "under the water", "toes"):
                    assert under not in answer, answer
    first_response = by_category["first-response"]
    for question in first_response:
        (answer,) = right_answers(question)
        assert any(word in answer for word in ("hold", "float", "rope", "wall")), answer
    helping = " ".join(" ".join(right_answers(q)) for q in by_category["helping-others"])
    for step in ("float", "999", "lifeguard"):
        assert step in helping, step
    assert final["attempts_allowed"] >= 2
    assert 70 <= final["pass_mark"] <= 90
    assert final["time_limit_minutes"]
    assert final["review"]["correct_answers"] == "when_done"
    assert final["review"]["explanations"] == "when_done"
    give_away = re.compile(r"\b(always|never)\b", re.IGNORECASE)
    for question in final["questions"]:
        if question["type"] == "truefalse":
            assert not give_away.search(question["text"]), question["text"]


CORRECTIONS = {
    "D1": check_d1_support_or_float_before_calling_for_help,
    "D2": check_d2_going_under_is_the_last_resort,
    "W1": check_w1_no_claim_about_sodium_and_dehydration,
    "W2": check_w2_no_single_main_cause_of_cramps_in_sport,
    "W3": check_w3_cold_water_as_the_rnli_says_it,
    "W4": check_w4_helping_from_the_side,
    "K1": check_k1_blood_flow_conditions_without_a_confirmed_source_are_cut,
    "K2": check_k2_no_lactic_acid_claim,
    "K3": check_k3_other_causes_only_as_the_nhs_lists_them,
    "K4": check_k4_urgent_signs_in_nhs_informs_words,
    "K5": check_k5_the_calf_that_is_not_a_cramp_cites_an_nhs_page_on_clots,
    "K6": check_k6_999_as_the_ambulance_service_lists_it,
    "K7": check_k7_night_cramps_as_the_nhs_says,
    "K8": check_k8_prevention_claims_only_with_guidance_behind_them,
    "K9": check_k9_back_in_when_the_coach_agrees,
    "K10": check_k10_the_certification_promises_no_safety,
    "K11": check_k11_no_unsourced_stretch_table,
    "K12": check_k12_course_says_third_edition_and_when_it_was_checked,
    "never-go-under": check_never_go_under_list,
    "practical": check_practical_credits,
    "sources": check_sources,
    "final": check_final,
}


@pytest.mark.parametrize("point", CORRECTIONS)
def test_the_shipped_course_makes_every_correction(point, shipped):
    CORRECTIONS[point](shipped)


@pytest.mark.parametrize("point", CORRECTIONS)
def test_every_correction_fails_on_the_second_edition(point, second):
    with pytest.raises(AssertionError):
        CORRECTIONS[point](second)


# Own words, complete, loadable -----------------------------------------------------------------


def course_files():
    return sorted(p for p in course_dir().rglob("*") if p.suffix in {".md", ".yaml"})


def runs(text, length=RUN):
    words = WORD.findall(text.lower())
    return {" ".join(words[i : i + length]) for i in range(len(words) - length + 1)}


@pytest.fixture(scope="module")
def source_runs():
    if not SOURCE.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"source article not found at {SOURCE}")
        pytest.skip(f"source article not found at {SOURCE} (shared/ is not beside the repo)")
    return runs(SOURCE.read_text(encoding="utf-8"))


def test_course_files_exist():
    names = [p.name for p in course_files()]
    assert "course.md" in names
    assert len([n for n in names if n.endswith(".md")]) >= 7


@pytest.mark.parametrize("path", course_files(), ids=lambda p: p.name)
def test_no_eight_word_run_of_the_source(path, source_runs):
    shared = runs(path.read_text(encoding="utf-8")) & source_runs
    assert not shared, f"{path.name} repeats the source: {sorted(shared)[:3]}"


@pytest.mark.parametrize("path", course_files(), ids=lambda p: p.name)
def test_no_cyrillic(path):
    assert not re.search(r"[\u0400-\u04FF]", path.read_text(encoding="utf-8"))


def test_shipped_course_loads_with_key_points_everywhere(db):
    course, _report = load_course(course_dir())
    lessons = list(course.lessons.all())
    assert 6 <= len(lessons) <= 8
    assert all(len(lesson.key_point_list) >= 3 for lesson in lessons)
    assert "not medical advice" in course.body_html


def test_every_lesson_keeps_its_confirmed_sources_when_loaded(db):
    """The loader keeps what the lesson page shows: the day each source was confirmed and what
    it supports."""
    course, _ = load_course(course_dir())
    for lesson in course.lessons.all():
        for source in lesson.source_list:
            assert source["confirmed_on"] == CHECKED_ON, (lesson.slug, source["url"])
            assert source["supports"], (lesson.slug, source["url"])


def test_the_escape_lesson_is_the_longest_and_teaches_the_technique_in_order(shipped):
    lengths = {slug: len(lesson.text.split()) for slug, lesson in shipped.lessons.items()}
    assert max(lengths, key=lengths.get) == "escape-algorithm"
    html_text = shipped.lesson("escape-algorithm").html
    steps = [
        "get support",
        "float on your back",
        "call for help",
        "straighten the leg",
        "never go under if",
        "breathe in",
        "knees to your chest",
        "big toe",
        "straighten that leg",
        "steadily",
        "shin",
        "one try only",
        "rest on your back",
        "tell the lifeguard",
        "your coach agrees",
    ]
    position = 0
    for step in steps:
        position = html_text.find(step, position)
        assert position != -1, f"{step!r} missing or out of order"
    assert "only in water where you can stand" in html_text
