"""The course we ship: written in our own words, complete, loadable, and corrected.

Every point of issue 25's review is a check below, named by the issue's numbering (D1-D2,
W1-W4, K1-K12, then the never-go-under list, the practical's credits, the sources and the
final), that reads a course folder from its files. Each check has its own test on the shipped
course and fails on the second edition, kept in tests/lessons/second_edition/:
test_every_correction_fails_on_the_second_edition proves it on every run. To run the whole file
against another folder, set CRAMPCOURSE_COURSE_DIR.
"""

import datetime
import html
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import frontmatter
import pytest
from django.conf import settings

from certification.course_files import read_certification_file
from certification.models import Certification
from lessons import regions
from lessons.course_files import default_course_dir, load_course
from lessons.markdown import render_markdown
from lessons.translation import course_languages
from quizzes.course_files import read_quiz_file

SOURCE = Path(settings.BASE_DIR).parent / "shared" / "seed" / "000_fdc75f12394d0e50.txt"
SECOND_EDITION = Path(__file__).resolve().parent / "second_edition"
WORD = re.compile(r"[a-z0-9']+")
ANY_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
RUN = 8
CHECKED_ON = datetime.date(2026, 12, 3)
UNDER = ("go under", "goes under", "tuck", "under the water", "toes")

# Every source a lesson may cite, at the canonical address a trainee can open, with what the
# stored public copy said on the day it was confirmed. Where the stored copy sat at another
# address (the NHS's content widget, a tracking parameter, a host without www), the lesson's
# `supports` line says where. A source not in this list, or confirmed on another day, fails
# test_sources; a source in this list that no lesson cites fails it too.
CONFIRMED_SOURCES = {
    ("RNLI", "Float to Live", "https://rnli.org/safety/float"): (
        CHECKED_ON,
        "How to float (head back, ears under, relax and breathe, hands moving, arms and legs "
        "spread, legs may sink); once breathing is under control, call for help or swim to "
        "safety; cold water shock below 15 °C; UK and Irish seas average 12 °C, inland water "
        "can be colder, even in summer.",
    ),
    (
        "RNLI",
        "How to float",
        "https://rnli.org/magazine/magazine-featured-list/2018/july/how-to-float",
    ): (
        CHECKED_ON,
        "Fight the instinct to thrash, lean back, float until breathing is under control "
        "(60 to 90 seconds); only then get out, or raise a hand and call for help if someone "
        "is near.",
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
        "leaving the water, so dry off; stay within your depth near the edge; supervise "
        "children and young people at all times; swim where lifeguards are close; never swim in "
        "open water alone; drowning is quiet and quick.",
    ),
    ("NHS", "Leg cramps", "https://www.nhs.uk/conditions/leg-cramps/"): (
        CHECKED_ON,
        "Seconds to 10 minutes, calf, sore up to 24 hours, mostly at night or resting; stretch, "
        "massage, stand with weight on the leg; painkillers too slow during a cramp; calf "
        "stretches may help; see a GP (not urgent) for sleep trouble, numbness or swelling, "
        "over 10 minutes. Stored as the NHS's own widget copy at developer.api.nhs.uk.",
    ),
    (
        "NHS inform",
        "Leg cramps",
        "https://www.nhsinform.scot/illnesses-and-conditions/muscle-bone-and-joints/conditions/"
        "leg-cramps",
    ): (
        CHECKED_ON,
        "Feet and toes stiff during a cramp; cause sometimes unknown; speak to a GP urgently if "
        "over 10 minutes and not better with moving, or after mercury, lead or dirt in a cut "
        "(111 if the GP is closed); see a GP for frequent cramps, sleep, numbness or swelling, "
        "shrinking or weaker muscles; blood and urine tests. Stored with ?ref=healthvery.com.",
    ),
    ("nidirect", "Leg cramps", "https://nidirect.gov.uk/node/10453"): (
        CHECKED_ON,
        "Three in four cramps at night during sleep; causes include exercise and medicines such "
        "as statins.",
    ),
    (
        "nidirect",
        "Peripheral arterial disease (PAD)",
        "https://www.nidirect.gov.uk/conditions/peripheral-arterial-disease-pad",
    ): (
        CHECKED_ON,
        "See your GP if you have leg pain that keeps coming back when you exercise; it is not "
        "normal for an otherwise healthy person.",
    ),
    (
        "Cleveland Clinic",
        "Muscle Cramps",
        "https://my.clevelandclinic.org/health/symptoms/21190-muscle-cramps",
    ): (
        CHECKED_ON,
        "Muscle cramps usually last from a few seconds to 15 minutes; the cause is not always "
        "known; athletes get them more often.",
    ),
    (
        "Journal of Athletic Training (Miller and others)",
        "An Evidence-Based Review of the Pathophysiology, Treatment, and Prevention of "
        "Exercise-Associated Muscle Cramps",
        "https://pmc.ncbi.nlm.nih.gov/articles/PMC8775277",
    ): (
        CHECKED_ON,
        "Exercise cramps are common in athletes, from a confluence of factors rather than one "
        "cause; treated with gentle static stretching; individual prevention beats general "
        "advice such as drinking more.",
    ),
    (
        "Sports Medicine (Maughan and Shirreffs)",
        "Muscle Cramping During Exercise: Causes, Solutions, and Questions Remaining",
        "https://pmc.ncbi.nlm.nih.gov/articles/PMC6901412",
    ): (
        CHECKED_ON,
        "Some exercise cramps may be linked with water and salt balance, others with fatigued "
        "muscles and spinal reflexes; different mechanisms, so no single prevention works.",
    ),
    (
        "Current Sports Medicine Reports (Miller)",
        "Rethinking the Cause of Exercise-Associated Muscle Cramping: Moving beyond Dehydration "
        "and Electrolyte Losses",
        "https://journals.lww.com/acsm-csmr/Fulltext/2015/09000/"
        "Rethinking_the_Cause_of_Exercise_Associated_Muscle.5.aspx",
    ): (
        CHECKED_ON,
        "Two healthy high-school athletes died of exercise-associated hyponatremia after "
        "drinking very large volumes to prevent cramps.",
    ),
    (
        "Health New Zealand Te Whatu Ora (Hawke's Bay)",
        "Low sodium (hyponatraemia)",
        "https://www.hawkesbay.health.nz/conditions-treatments/blood/low-sodium-hyponatraemia",
    ): (
        CHECKED_ON,
        "Drinking too much water dilutes blood sodium (endurance events); long vomiting or "
        "diarrhoea loses fluid and sodium; signs: nausea, vomiting, headache, cramps, "
        "sleepiness, confusion, seizures, loss of consciousness.",
    ),
    (
        "Journal of Clinical Medicine (Urso and others)",
        "Physiopathological, Epidemiological, Clinical and Therapeutic Aspects of "
        "Exercise-Associated Hyponatremia",
        "https://pmc.ncbi.nlm.nih.gov/articles/PMC4470181",
    ): (
        CHECKED_ON,
        "Exercise-associated hyponatremia comes with excessive water intake; nausea, vomiting, "
        "confusion, headache, seizures; can be fatal; rapid diagnosis and treatment essential.",
    ),
    (
        "South Western Ambulance Service NHS Foundation Trust",
        "When to call 999",
        "https://www.swast.nhs.uk/when-to-call-999",
    ): (
        CHECKED_ON,
        "999 for chest pain, breathing difficulties, loss of consciousness, an acute confused "
        "state, fits that are not stopping; NHS 111 for advice 24 hours a day.",
    ),
    (
        "NHS inform",
        "Deep vein thrombosis",
        "https://www.nhsinform.scot/illnesses-and-conditions/blood-and-lymph/deep-vein-thrombosis",
    ): (
        CHECKED_ON,
        "DVT signs: swelling, tenderness, throbbing calf pain, warm red skin; 111 or urgent GP "
        "if you think you have one; 999 or A&E with breathlessness or chest pain; long "
        "inactivity such as a long journey raises the risk.",
    ),
    (
        "Guy's and St Thomas' NHS Foundation Trust",
        "Blood clots and deep vein thrombosis (DVT)",
        "https://www.guysandstthomas.nhs.uk/blood-clots-and-deep-vein-thrombosis/overview",
    ): (
        CHECKED_ON,
        "Urgent GP or 111 for new leg pain, swelling, warm or discoloured skin; 999 or A&E with "
        "DVT signs and breathlessness, chest pain worse on breathing in, or coughing up blood.",
    ),
    (
        "University College London Hospitals NHS Foundation Trust",
        "Pulmonary embolism (PE)",
        "https://www.uclh.nhs.uk/patients-and-visitors/patient-information-pages/"
        "pulmonary-embolism-pe",
    ): (
        CHECKED_ON,
        "A clot from a leg vein can block a lung vessel: sudden chest pain, short of breath, "
        "blood-stained phlegm, faint; fast treatment can save a life.",
    ),
    ("NHS", "Tetanus", "https://www.nhs.uk/conditions/tetanus/"): (
        CHECKED_ON,
        "Soil or manure in a wound; urgent GP or 111 if dirt remains or not fully vaccinated; "
        "999 or A&E with a wound and a stiff jaw, painful spasms or stiffness, breathing "
        "difficulty, fast heartbeat or fits. Stored as the NHS's own widget copy.",
    ),
    (
        "Royal Free London NHS Foundation Trust",
        "Cauda equina syndrome",
        "https://royalfree.nhs.uk/patients-and-visitors/patient-information-leaflets/"
        "cauda-equina-syndrome",
    ): (
        CHECKED_ON,
        "Pain down one or both legs, numbness between the inner thighs, genitals or around the "
        "bottom, trouble starting or controlling pee, not stopping a bowel movement: go to A&E "
        "immediately.",
    ),
    (
        "NHS Healthier Together",
        "Fever",
        "https://www.healthiertogether.nhs.uk/professional/fever",
    ): (
        CHECKED_ON,
        "Red: breathing very fast or hard, difficult to wake, a fit, a rash that does not "
        "disappear with pressure: A&E or 999; amber: GP surgery or NHS 111; stay at home while "
        "feverish.",
    ),
    (
        "Hounslow and Richmond Community Healthcare NHS Trust (Healthier Together)",
        "Fever",
        "https://healthiertogether.hrch.nhs.uk/professionals/health-visitors/"
        "safety-netting-documents-parents/fever-children-under-5-years",
    ): (
        CHECKED_ON,
        "Child under 5 with fever: a fit, hard to wake, severe breathing difficulty, non-fading "
        "rash: A&E or 999; muscle pain or extreme shivering, getting worse, or you are worried: "
        "GP surgery or NHS 111.",
    ),
    (
        "NHS",
        "About rosuvastatin",
        "https://www.nhs.uk/medicines/rosuvastatin/about-rosuvastatin/",
    ): (
        CHECKED_ON,
        "Rosuvastatin is a statin; speak to a doctor straight away about unexplained muscle "
        "aches and pains, tenderness or weakness. Stored at nhs.uk without www.",
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
    certification_file: str = ""

    def lesson(self, slug):
        return self.lessons[slug]

    def quiz(self, slug):
        return self.quizzes[slug]

    def taught(self):
        """What the lessons, quizzes and certification teach (the course page's list of what
        changed between editions is not teaching, so it may name a claim that was cut)."""
        parts = [lesson.text for lesson in self.lessons.values()]
        parts += [plain(quiz_text(spec)) for spec in self.quizzes.values()]
        certification = self.certification
        words = [certification["title"], certification["description"], *certification["practical"]]
        words += [line for lines in certification.get("criteria", {}).values() for line in lines]
        parts.append(plain(" ".join(words)))
        return " ".join(parts)


def as_read(value, language="en-gb"):
    """A file's texts as a reader of `language` sees them: {emergency} and {advice} filled."""
    if isinstance(value, str):
        return regions.fill(value, language)
    if isinstance(value, list):
        return [as_read(item, language) for item in value]
    if isinstance(value, dict):
        return {key: as_read(item, language) for key, item in value.items()}
    return value


def _load_as_read(path):
    post = frontmatter.load(path)
    post.content = as_read(post.content)
    post.metadata = as_read(dict(post.metadata))
    return post


def read_edition(folder):
    folder = Path(folder)
    post = _load_as_read(folder / "course.md")
    edition = Edition(folder, dict(post.metadata), plain(render_markdown(post.content)))
    for path in sorted((folder / "lessons").glob("*.md")):
        lesson = _load_as_read(path)
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
        spec = as_read(read_quiz_file(path))
        edition.quizzes[spec["slug"]] = spec
    (certification,) = sorted((folder / "certifications").glob("*.yaml"))
    edition.certification = as_read(read_certification_file(certification))
    edition.certification_file = as_read(certification.read_text(encoding="utf-8"))
    return edition


def quiz_text(spec):
    bits = [spec.get("description", "")]
    for question in spec["questions"]:
        bits += [question_text(question)]
    return " ".join(bits)


def question_text(question):
    bits = [question["text"], question.get("explanation", "")]
    for option in question.get("options", []):
        bits += [option["text"], option.get("feedback", "")]
    bits += question.get("items", [])
    bits += [f"{p['item']} {p['answer']}" for p in question.get("pairs", [])]
    return " ".join(bits)


def right_answers(question):
    """The texts a fully right answer picks: the correct option, or every positive weight."""
    answers = []
    for option in question.get("options", []):
        weight = option.get("weight")
        if option.get("correct") or (weight is not None and Decimal(str(weight)) > 0):
            answers.append(plain(option["text"]))
    return answers


def questions(edition, slug):
    return edition.quiz(slug)["questions"]


def between(text, start, end):
    """The part of text from the first `start` to the next `end` after it."""
    first = text.find(start)
    assert first != -1, f"{start!r} missing"
    last = text.find(end, first)
    assert last != -1, f"{end!r} missing after {start!r}"
    return text[first:last]


def cites(lesson, url):
    return url in {source["url"] for source in lesson.sources}


def course_dir():
    return Path(os.environ.get("CRAMPCOURSE_COURSE_DIR") or default_course_dir())


@pytest.fixture(scope="module")
def shipped():
    return read_edition(course_dir())


@pytest.fixture(scope="module")
def second():
    return read_edition(SECOND_EDITION)


# D: dangerous ----------------------------------------------------------------------------------


def check_d1_no_pass_hinges_on_going_under(edition):
    """The final's must-pass slots never ask about going under (the second edition made the
    tuck-and-stretch steps must-pass), and quiz 6's Mia no longer goes under after the
    lifeguard has seen her."""
    final = edition.quiz("final-assessment")
    assert final.get("slots"), "the final asks its questions from slots"
    assert not any(question.get("must_pass") for question in final["questions"])
    must_pass = {slot["category"] for slot in final["slots"] if slot.get("must_pass")}
    assert must_pass == {"first-response", "helping-others"}
    for question in final["questions"]:
        if question.get("category") in must_pass:
            assert question["type"] == "single", question["text"]
            for answer in right_answers(question):
                assert not any(under in answer for under in UNDER), answer
    for question in questions(edition, "escape-algorithm-quiz"):
        if question["type"] == "ordering":
            scenario = plain(question["text"])
            for seen in ("has seen her", "has signalled", "lifeguard is watching"):
                assert seen not in scenario, seen
            assert "nobody is on the way" in scenario


def check_d2_a_feverish_child_gets_the_nhs_red_flags(edition):
    """NHS fever-in-children advice: 999 or A&E for a rash that does not fade under a glass, a
    fit, a child hard to wake or struggling to breathe; GP or 111 if getting worse or you are
    worried. The second edition said only "bring the fever down", attributed to the NHS."""
    assert "bring the fever down" not in edition.taught()
    lesson = edition.lesson("nervous-system-and-other-causes")
    section = between(lesson.html, "a child with a high temperature", "see a gp if")
    for sign in ("glass", "fit", "hard to wake", "struggling to breathe", "999",
                 "getting worse", "you are worried", "nhs 111"):  # fmt: skip
        assert sign in section, sign
    assert cites(lesson, "https://www.healthiertogether.nhs.uk/professional/fever")
    fever = [q for q in questions(edition, "nervous-system-and-other-causes-quiz")
             if "high temperature" in q["text"]]  # fmt: skip
    assert fever, "quiz 4 asks about a child with a high temperature"
    keyed = " ".join(right_answers(fever[0]))
    for sign in ("glass", "fit", "hard to wake", "breathe"):
        assert sign in keyed, sign


# W: wrong --------------------------------------------------------------------------------------


def check_w1_no_absolute_claim_that_dehydration_raises_sodium(edition):
    """A stomach bug loses water and salt together, so sodium can stay normal or fall: the
    course no longer says, or tests, that dehydration sends it up."""
    taught = edition.taught()
    for claim in ("goes up, not down", "sodium level goes up", "more concentrated",
                  "what happens to the level of sodium"):  # fmt: skip
        assert claim not in taught, claim


def check_w2_hold_on_or_float_before_calling_for_help(edition):
    """RNLI Float to Live: float (or hold on) until breathing is under control, then call for
    help; an arm goes up only if it does not sink you. The must-pass key says the same, and the
    escape picture draws the same order."""
    escape = edition.lesson("escape-algorithm")
    first_steps = between(escape.html, "<ol>", "</ol>")
    call = first_steps.find("call for help")
    assert call != -1, "the first steps never say when to call for help"
    assert -1 < first_steps.find("get support") < call
    assert -1 < first_steps.find("float on your back") < call
    assert "once your breathing is calm" in first_steps
    assert "signal for help" not in first_steps
    assert "without sinking" in first_steps, "an arm goes up only if it does not sink you"
    assert "signal" not in escape.key_points[0]
    for slogan in ("signal, get support, float", "signal, support, float"):
        assert slogan not in edition.taught(), slogan
    final = edition.quiz("final-assessment")
    for question in final["questions"]:
        if question.get("category") == "first-response":
            (answer,) = right_answers(question)
            found = [answer.find(w) for w in ("hold", "float", "rope", "wall") if w in answer]
            assert found, answer
            support = min(found)
            for call_word in ("call", "shout", "tell", "wave"):
                if call_word in answer:
                    assert support < answer.find(call_word), answer
    escape_picture_puts_holding_on_and_floating_first(escape)


def escape_picture_puts_holding_on_and_floating_first(escape):
    """Lesson 6 shows escape-algorithm.svg, and the drawing's description holds the wall and
    floats before the raised arm."""
    from django.contrib.staticfiles import finders

    pictures = re.findall(r'<img[^>]*src="/static/([^"]+\.svg)"', escape.html)
    assert "lessons/img/escape-algorithm.svg" in pictures
    for src in pictures:
        path = finders.find(src)
        assert path, src
        svg = Path(path).read_text(encoding="utf-8")
        assert "<title" in svg, src
        assert 'role="img"' in svg, src
        assert not re.search(r'(href|src)="https?:', svg), "no external resources"
        desc = re.search(r"<desc[^>]*>(.*?)</desc>", svg, re.S).group(1).lower()
        raised = desc.find("raises one arm")
        assert -1 < desc.find("holds the pool wall") < raised, src
        assert -1 < desc.find("floats on their back") < raised, src
        assert raised < desc.find("straightened"), src


def check_w3_a_wound_then_stiffness_or_spasms_means_999(edition):
    """NHS tetanus: 999 or A&E once a stiff jaw, painful spasms or stiffness develop after a
    wound (the second edition sent it to 111 or an urgent GP), in lessons 4 and 7."""
    for slug in ("nervous-system-and-other-causes", "on-land-prevention-and-doctor"):
        lesson = edition.lesson(slug)
        for sign in ("stiff jaw", "spasms", "999 or 112, or go to a&e"):
            assert sign in lesson.text, (slug, sign)
        assert cites(lesson, "https://www.nhs.uk/conditions/tetanus/"), slug
    tetanus = [q for q in questions(edition, "nervous-system-and-other-causes-quiz")
               if "stiff" in q["text"]]  # fmt: skip
    assert tetanus
    assert "999" in " ".join(right_answers(tetanus[0]))


def check_w4_statins_as_the_nhs_says_not_never_stop(edition):
    """ "Never stop a prescribed medicine on your own" contradicted the NHS statin pages: for a
    statin, unexplained muscle pain means speaking to a doctor straight away."""
    taught = edition.taught()
    for claim in ("never stop", "changes to a prescribed medicine are for"):
        assert claim not in taught, claim
    lesson = edition.lesson("nervous-system-and-other-causes")
    medicines = between(lesson.html, "<h2>medicines</h2>", "</p>")
    assert "statins" in medicines
    assert "speak to a doctor straight away" in medicines
    assert any(s["url"].startswith("https://www.nhs.uk/medicines/") for s in lesson.sources)
    statin = [q for q in questions(edition, "nervous-system-and-other-causes-quiz")
              if "statin" in q["text"]]  # fmt: skip
    assert len(statin) == 1
    assert "straight away" in " ".join(right_answers(statin[0]))


# K: weak ---------------------------------------------------------------------------------------


def check_k1_several_factors_not_tired_muscles(edition):
    """Miller 2021: a confluence of factors, not one; water and salt still play a part for
    some. The second edition's keys rewarded "tired, overworked muscles" as the main cause."""
    taught = edition.taught()
    for claim in ("main suspect", "main trigger", "points mostly at", "explain them better",
                  "tired, overworked", "tired, overloaded muscles usually",
                  "mostly linked to tired"):  # fmt: skip
        assert claim not in taught, claim
    for slug in ("what-is-a-cramp", "water-and-electrolytes", "cramps-in-healthy-swimmers"):
        text = edition.lesson(slug).text
        assert "single cause" in text, slug
        assert "salt" in text, slug
        assert "for some" in text, slug
    for slug in ("what-is-a-cramp-quiz", "water-and-electrolytes-quiz"):
        keyed = [" ".join(right_answers(q)) for q in questions(edition, slug)]
        assert any("several things" in answer for answer in keyed), slug


def check_k2_no_claim_that_cold_muscles_cramp_more(edition):
    taught = edition.taught()
    for claim in ("cold muscles", "tire sooner", "cramp sooner", "muscles are stiffer"):
        assert claim not in taught, claim
    for question in questions(edition, "cramps-in-healthy-swimmers-quiz"):
        assert "cold water" not in right_answers(question), question["text"]


def check_k3_no_vitamin_d(edition):
    assert "vitamin d" not in edition.taught()


def check_k4_back_pain_red_flags(edition):
    """NHS sciatica red flags: both legs, numbness around the genitals or bottom, trouble with
    pee or poo: hospital at once."""
    lesson = edition.lesson("nervous-system-and-other-causes")
    box = between(lesson.html, "go to a&e straight away if back", "</div>")
    for sign in ("both legs", "genitals", "bottom", "pee", "poo"):
        assert sign in box, sign
    assert cites(
        lesson,
        "https://royalfree.nhs.uk/patients-and-visitors/patient-information-leaflets/"
        "cauda-equina-syndrome",
    )


def check_k5_low_blood_sodium_signs_and_that_it_is_an_emergency(edition):
    """ "Far too much water can make you ill" became the signs of low blood sodium and 999."""
    lesson = edition.lesson("water-and-electrolytes")
    box = between(lesson.html, "drinking far too much is dangerous", "</div>")
    for sign in ("low blood sodium", "confusion", "fit", "passing out", "call 999"):
        assert sign in box, sign
    keyed = [" ".join(right_answers(q)) for q in questions(edition, "water-and-electrolytes-quiz")]
    assert any("999" in answer and "sodium" in answer for answer in keyed)


def check_k6_no_lactic_acid(edition):
    assert "lactic acid" not in edition.taught()


def check_k7_cramp_length_as_the_sources_say(edition):
    """The NHS says up to 10 minutes, Cleveland Clinic up to 15: a numerical answer accepts
    both (the second edition accepted only 8 to 12)."""
    asked = 0
    for spec in edition.quizzes.values():
        for question in spec["questions"]:
            if question["type"] == "numerical" and "cramp" in question["text"].lower():
                answer = Decimal(str(question["answer"]))
                tolerance = Decimal(str(question.get("tolerance", 0)))
                assert answer - tolerance <= 10 <= answer + tolerance, question["text"]
                assert answer - tolerance <= 15 <= answer + tolerance, question["text"]
                asked += 1
    assert asked
    lesson = edition.lesson("what-is-a-cramp")
    assert "fifteen" in lesson.text
    assert cites(lesson, "https://my.clevelandclinic.org/health/symptoms/21190-muscle-cramps")


def check_k8_quizzes_name_only_muscles_the_lessons_name(edition):
    lessons = " ".join(lesson.text for lesson in edition.lessons.values())
    quizzes = " ".join(plain(quiz_text(spec)) for spec in edition.quizzes.values())
    for muscle in ("hamstring", "quadricep", "gastrocnemius", "soleus", "calf"):
        if muscle in quizzes:
            assert muscle in lessons, muscle


def check_k9_see_a_gp_for_leg_pain_that_keeps_coming_back(edition):
    lesson = edition.lesson("poor-blood-supply")
    section = between(lesson.html, "<h2>leg pain that keeps coming back</h2>", "</p>")
    assert "see a gp" in section
    assert cites(lesson, "https://www.nidirect.gov.uk/conditions/peripheral-arterial-disease-pad")


def check_k10_the_certificate_names_what_was_shown(edition):
    certification = edition.certification
    assert certification["slug"] == "cramp-safe-swimmer"  # code and certificates use it
    assert "safe" not in certification["title"].lower()
    description = certification["description"].lower()
    assert "not a swimming or lifeguard qualification" in description
    assert "swim alone" in description


def check_k11_coughing_up_blood_among_the_999_signs(edition):
    lesson = edition.lesson("poor-blood-supply")
    box = between(lesson.html, "a sore calf on one side", "</div>")
    for sign in ("call 999", "breathlessness", "chest pain", "coughing up blood"):
        assert sign in box, sign


def check_k12_the_child_rule_is_explained_where_it_is_keyed(edition):
    """Quiz 6 keys "a young swimmer with no adult watching stays on the surface", and its
    explanation now says so (the second edition's left it out)."""
    keyed = [q for q in questions(edition, "escape-algorithm-quiz")
             if any("adult" in answer for answer in right_answers(q))]  # fmt: skip
    assert keyed, "quiz 6 keys the rule for a child with no adult watching"
    for question in keyed:
        assert "adult" in question["explanation"].lower(), question["text"]


# The never-go-under list, the practical, the sources and the final ----------------------------


def check_never_go_under_list(edition):
    """Open water whoever is nearby, cold defined, help already on its way, and a young
    swimmer with no adult watching are all on the list."""
    escape = edition.lesson("escape-algorithm").html
    box = between(escape, "never go under if", "stay on the surface")
    for reason in ("reach the wall", "stand up", "help is already on its way",
                   "not a confident swimmer", "breathing is not calm", "below 15 °c", "rough",
                   "open water", "whoever is with you", "nobody is watching", "no adult",
                   "not practised"):  # fmt: skip
        assert reason in box, reason
    technique = between(escape, "tuck-and-stretch technique", "one try only")
    assert "no help on its way" in technique
    assert escape.find("never go under if") < escape.find("tuck-and-stretch technique")


def practical_credits(certification_file):
    """{skill: the comment lines just above it} for the file's practical list, whose skills
    are lines of text or mappings (`- text: ...` with their criteria indented below)."""
    credits, comment, indent = {}, [], None
    lines = certification_file.split("practical:", 1)[1].splitlines()
    for line in lines:
        stripped = line.strip()
        if line and not line.startswith((" ", "#")):
            break  # the next key of the file: the practical list is over
        if stripped.startswith("#"):
            comment.append(stripped.lstrip("# "))
        elif stripped.startswith("- "):
            margin = len(line) - len(line.lstrip())
            indent = margin if indent is None else indent
            if margin == indent:  # a skill, not one of its criteria
                text = stripped[2:].strip()
                text = text.removeprefix("text:").strip()
                credits[text.strip('"')] = " ".join(comment)
                comment = []
    return credits


def check_practical_credits(edition):
    """Each skill credits only what its body teaches; no body teaches the tuck-and-stretch, so
    it is nobody's credit, practised (not marked) where the swimmer can stand."""
    items = [item.lower() for item in edition.certification["practical"]]
    for item in items:
        assert not any(under in item for under in ("tuck", "go under", "under the water")), item
    credits = practical_credits(edition.certification_file)
    assert set(credits) == set(edition.certification["practical"])
    for skill, credit in credits.items():
        assert credit.startswith("Taught by:"), skill
        assert "Swim England" not in credit, skill
        if skill.startswith("Floats on the back"):
            assert "RNLI" in credit
        if skill.startswith("Helps from the side") or skill.startswith("Says who to call"):
            assert "RLSS UK" in credit
        if skill.startswith("Gets support"):
            assert "RNLI" not in credit, "nobody's advice but ours"
            assert "RLSS" not in credit, "nobody's advice but ours"
    description = edition.certification["description"].lower()
    assert "tuck-and-stretch" in description
    for limit in ("where they can stand", "coach watching", "no credit depends on it"):
        assert limit in description, limit
    # The practical keeps it: practised and recorded, never required.
    (practised,) = edition.certification.get("practise", [None])
    assert practised
    assert "tuck-and-stretch" in practised.lower()
    for limit in ("where they can stand", "coach watching"):
        assert limit in practised, limit


def test_the_practical_says_what_counts_as_shown_and_its_pass_standard(shipped):
    """Each skill says what the coach must see; the four first-response skills are critical,
    the calf stretch and who to call are not, one of those two is enough; nothing about going
    under is required, critical or a criterion."""
    certification = shipped.certification
    criteria = certification["criteria"]
    assert set(criteria) == set(certification["practical"]), "every skill has its criteria"
    for skill, lines in criteria.items():
        assert len(lines) >= 3, skill
        for line in lines:
            going_under = [w for w in ("tuck", "go under", "under the") if w in line.lower()]
            assert not going_under, line
    critical = {text.split(":")[0] for text in certification["critical"]}
    assert critical == {
        "Gets support first",
        "Floats on the back for a minute in deep water",
        "Calls for help once breathing is calm",
        "Helps from the side without going in",
    }
    assert certification["pass_standard"] == {"others": 1}
    assert not set(certification["critical"]) & set(certification.get("practise", []))
    floats = next(lines for skill, lines in criteria.items() if skill.startswith("Floats"))
    assert any("minute" in line for line in floats), "the float lasts a minute, as the RNLI says"
    helps = next(lines for skill, lines in criteria.items() if skill.startswith("Helps"))
    assert any("out of the water" in line for line in helps), "the helper never goes in"
    # The file says why these skills and this number, in the comment just above the standard.
    above = shipped.certification_file.split("\npass_standard:", 1)[0].splitlines()
    why = []
    while above and above[-1].startswith("#"):
        why.insert(0, above.pop())
    why = " ".join(why).lower()
    assert "critical" in why, why
    assert "one is enough" in why, why
    # Lesson 6 tells the swimmer the same standard.
    tip = between(shipped.lesson("escape-algorithm").html, "for the certificate", "nobody swims")
    for skill in ("getting support", "floating on your back", "calling for help",
                  "helping from the side", "must all be shown", "one of the two"):  # fmt: skip
        assert skill in tip, skill


def test_the_shipped_pass_standard_loads(db):
    load_course(course_dir())
    certification = Certification.objects.get(slug="cramp-safe-swimmer")
    assert certification.pass_min_others == 1
    items = list(certification.items.required())
    assert [item.critical for item in items] == [True, True, True, False, True, False]
    assert all(item.criteria.count("\n") >= 2 for item in items)
    assert not certification.items.filter(required=False, critical=True).exists()


def check_sources(edition):
    """Every source is one a second reader confirmed, at its public address, with the day and
    what the lesson takes from it; the course records the day it was checked."""
    assert edition.course["checked_against_sources_on"] == CHECKED_ON
    assert edition.course["next_review_due"] == datetime.date(2027, 12, 3)
    for slug, lesson in edition.lessons.items():
        assert len(lesson.sources) >= 2, slug
        for source in lesson.sources:
            key = (source["publisher"], source["title"], source["url"])
            assert key in CONFIRMED_SOURCES, (slug, key)
            assert source.get("confirmed_on") == CONFIRMED_SOURCES[key][0], (slug, key)
            assert str(source.get("supports", "")).strip(), (slug, key)
            url = source["url"]
            assert url.startswith("https://"), (slug, url)
            assert "?" not in url, (slug, url)
            assert "developer.api" not in url, (slug, url)


def check_final(edition):
    """Two must-pass slots, the swimmer's own first response and helping someone else, each
    drawn from at least three scenarios, neither about going under; every other slot drawn
    from at least two; a bank at least twice the questions asked; no giveaway words."""
    final = edition.quiz("final-assessment")
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
    for question in by_category["first-response"]:
        answers = right_answers(question)
        assert len(answers) == 1, question["text"]
        answer = answers[0]
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
        for option in question.get("options", []):
            assert not give_away.search(option["text"]), option["text"]
            for silly in ("sun cream", "swim cap", "right calf", "left leg", "brand of"):
                assert silly not in option["text"].lower(), option["text"]


CORRECTIONS = {
    "D1": check_d1_no_pass_hinges_on_going_under,
    "D2": check_d2_a_feverish_child_gets_the_nhs_red_flags,
    "W1": check_w1_no_absolute_claim_that_dehydration_raises_sodium,
    "W2": check_w2_hold_on_or_float_before_calling_for_help,
    "W3": check_w3_a_wound_then_stiffness_or_spasms_means_999,
    "W4": check_w4_statins_as_the_nhs_says_not_never_stop,
    "K1": check_k1_several_factors_not_tired_muscles,
    "K2": check_k2_no_claim_that_cold_muscles_cramp_more,
    "K3": check_k3_no_vitamin_d,
    "K4": check_k4_back_pain_red_flags,
    "K5": check_k5_low_blood_sodium_signs_and_that_it_is_an_emergency,
    "K6": check_k6_no_lactic_acid,
    "K7": check_k7_cramp_length_as_the_sources_say,
    "K8": check_k8_quizzes_name_only_muscles_the_lessons_name,
    "K9": check_k9_see_a_gp_for_leg_pain_that_keeps_coming_back,
    "K10": check_k10_the_certificate_names_what_was_shown,
    "K11": check_k11_coughing_up_blood_among_the_999_signs,
    "K12": check_k12_the_child_rule_is_explained_where_it_is_keyed,
    "never-go-under": check_never_go_under_list,
    "practical": check_practical_credits,
    "sources": check_sources,
    "final": check_final,
}


def test_d1_no_pass_hinges_on_going_under(shipped):
    check_d1_no_pass_hinges_on_going_under(shipped)


def test_d2_a_feverish_child_gets_the_nhs_red_flags(shipped):
    check_d2_a_feverish_child_gets_the_nhs_red_flags(shipped)


def test_w1_no_absolute_claim_that_dehydration_raises_sodium(shipped):
    check_w1_no_absolute_claim_that_dehydration_raises_sodium(shipped)


def test_w2_hold_on_or_float_before_calling_for_help(shipped):
    check_w2_hold_on_or_float_before_calling_for_help(shipped)


def test_w3_a_wound_then_stiffness_or_spasms_means_999(shipped):
    check_w3_a_wound_then_stiffness_or_spasms_means_999(shipped)


def test_w4_statins_as_the_nhs_says_not_never_stop(shipped):
    check_w4_statins_as_the_nhs_says_not_never_stop(shipped)


def test_k1_several_factors_not_tired_muscles(shipped):
    check_k1_several_factors_not_tired_muscles(shipped)


def test_k2_no_claim_that_cold_muscles_cramp_more(shipped):
    check_k2_no_claim_that_cold_muscles_cramp_more(shipped)


def test_k3_no_vitamin_d(shipped):
    check_k3_no_vitamin_d(shipped)


def test_k4_back_pain_red_flags(shipped):
    check_k4_back_pain_red_flags(shipped)


def test_k5_low_blood_sodium_signs_and_that_it_is_an_emergency(shipped):
    check_k5_low_blood_sodium_signs_and_that_it_is_an_emergency(shipped)


def test_k6_no_lactic_acid(shipped):
    check_k6_no_lactic_acid(shipped)


def test_k7_cramp_length_as_the_sources_say(shipped):
    check_k7_cramp_length_as_the_sources_say(shipped)


def test_k8_quizzes_name_only_muscles_the_lessons_name(shipped):
    check_k8_quizzes_name_only_muscles_the_lessons_name(shipped)


def test_k9_see_a_gp_for_leg_pain_that_keeps_coming_back(shipped):
    check_k9_see_a_gp_for_leg_pain_that_keeps_coming_back(shipped)


def test_k10_the_certificate_names_what_was_shown(shipped):
    check_k10_the_certificate_names_what_was_shown(shipped)


def test_k11_coughing_up_blood_among_the_999_signs(shipped):
    check_k11_coughing_up_blood_among_the_999_signs(shipped)


def test_k12_the_child_rule_is_explained_where_it_is_keyed(shipped):
    check_k12_the_child_rule_is_explained_where_it_is_keyed(shipped)


def test_never_go_under_list(shipped):
    check_never_go_under_list(shipped)


def test_practical_credits(shipped):
    check_practical_credits(shipped)


def test_sources(shipped):
    check_sources(shipped)
    cited = {
        (source["publisher"], source["title"], source["url"])
        for lesson in shipped.lessons.values()
        for source in lesson.sources
    }
    assert cited == set(CONFIRMED_SOURCES), "the list above and the lessons' sources match"


def test_final(shipped):
    check_final(shipped)


@pytest.mark.parametrize("point", CORRECTIONS)
def test_every_correction_fails_on_the_second_edition(point, second):
    with pytest.raises(AssertionError):
        CORRECTIONS[point](second)


def test_every_issue_point_has_its_own_test():
    names = {name for name in globals() if name.startswith("test_")}
    for point, check in CORRECTIONS.items():
        assert check.__name__.replace("check_", "test_", 1) in names, point


def test_the_course_page_says_third_edition(shipped):
    assert "<h2>third edition</h2>" in shipped.intro
    assert "second edition" not in shipped.intro


# Own words, complete, loadable -----------------------------------------------------------------


def course_files():
    """The English edition's files (not the translations in <lang>/, nor the regional facts)."""
    languages = set(course_languages())
    return sorted(
        p
        for p in course_dir().rglob("*")
        if p.suffix in {".md", ".yaml"}
        and p.name != "regions.yaml"
        and p.relative_to(course_dir()).parts[0] not in languages
    )


def translated_files():
    return sorted(
        p
        for language in course_languages()
        for p in (course_dir() / language).rglob("*")
        if p.suffix in {".md", ".yaml"}
    )


def any_runs(text, length=RUN):
    """Runs of words in any script: the source mixes English and Russian."""
    words = ANY_WORD.findall(text.lower().replace("ё", "е"))
    return {" ".join(words[i : i + length]) for i in range(len(words) - length + 1)}


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


@pytest.mark.parametrize(
    "path",
    translated_files() or [None],
    ids=lambda p: f"{p.parent.parent.name}-{p.name}" if p else "none",
)
def test_no_eight_word_run_of_the_source_in_a_translation(path, source_runs):
    """The translations are written in our own words too: no run of eight words of the source
    article, in either of its languages (passes trivially while no translation exists)."""
    if path is None:
        return
    source = any_runs(SOURCE.read_text(encoding="utf-8"))
    shared = any_runs(path.read_text(encoding="utf-8")) & source
    assert not shared, f"{path} repeats the source: {sorted(shared)[:3]}"


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
