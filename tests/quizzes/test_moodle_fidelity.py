"""Moodle fidelity: banks built like Moodle's own samples import whole, and Moodle accepts
every file we export (checked with tests/quizzes/moodle_checks.py, Moodle's own rules)."""

import base64
import io
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from quizzes import scoring
from quizzes.course_files import quiz_to_dict
from quizzes.models import Question, QuestionImage, Quiz
from quizzes.moodle import QuestionFileError, default_name
from quizzes.moodle.bank import export_questions, guess_format, import_questions, read_questions
from quizzes.moodle.gift import decode_gift
from quizzes.services import save_answers, start_attempt, submit_attempt
from tests.factories import add_question, make_quiz
from tests.quizzes.moodle_checks import gift_problems, moodle_xml_problems

SAMPLES = Path(__file__).parent / "samples"
GIFT_BANK = (SAMPLES / "moodle-constructs.gift").read_bytes()
XML_BANK = (SAMPLES / "moodle-constructs.xml").read_bytes()
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAQAAAADCAIAAAA7ljmRAAAAFElEQVR4nGNkyNzCAANMDEgAhQMAKRkBI890pBIAAAAASUVORK5CYII="
)


def questions_of(slug):
    return quiz_to_dict(Quiz.objects.get(slug=slug))["questions"]


def assert_same_questions(copy, original):
    """The copy has the original's questions, a question in no category coming back in the
    quiz's category and a nameless one named from its text, as the export writes them."""
    expected = questions_of(original)
    for question in expected:
        question.setdefault("category", f"$course$/top/{original}")
        question["name"] = question.get("name") or default_name(
            question["text"], question.get("text_format", "markdown")
        )
    assert [dict(sorted(q.items())) for q in questions_of(copy)] == [
        dict(sorted(q.items())) for q in expected
    ]


def exported(slug, format):
    text, warnings = export_questions(Quiz.objects.get(slug=slug), format)
    problems = gift_problems(text) if format == "gift" else moodle_xml_problems(text)
    assert problems == [], problems
    return text, warnings


# The GIFT bank: every construct of Moodle's examples.txt -------------------------------------


def test_every_construct_of_moodles_gift_examples_imports_and_nothing_is_skipped(db):
    report = import_questions("gift-bank", GIFT_BANK)
    assert report.skipped == []
    assert report.warnings == []
    types = [q["type"] for q in questions_of("gift-bank")]
    assert len(types) == 37
    assert {kind: types.count(kind) for kind in set(types)} == {
        "single": 12,
        "multiple": 2,
        "truefalse": 6,
        "shortanswer": 7,
        "matching": 3,
        "numerical": 7,
    }


def test_missing_word_questions_keep_a_blank_where_the_answers_stood(db):
    import_questions("gift-bank", GIFT_BANK)
    blanks = [(q["type"], q["text"]) for q in questions_of("gift-bank") if "_____" in q["text"]]
    assert blanks == [
        ("single", "A calf cramp is _____ by pulling the toes toward the shin."),
        ("single", "A swimmer who cannot go under should float on their _____ and call for help."),
        ("shortanswer", "The escape has _____ steps."),
        ("numerical", "What is pi to three decimals (the number, not the pool)? _____."),
        ("numerical", "What is pi to three decimals, as a range? _____."),
        ("single", "A cramp most often strikes\nduring the _____ length of a hard set."),
        ("single", "A swimmer's cramp strikes most in the _____."),
        ("single", "You _____ until the cramp lets go."),
        ("shortanswer", "A swimmer's cramp strikes most in the _____."),
    ]
    # Text after the closing brace makes the blank, as in Moodle: none after, no blank.
    spot = next(q for q in questions_of("gift-bank") if q["name"] == "Cramp spot 2")
    assert spot["text"] == "A swimmer's cramp strikes most in the"


def test_nameless_questions_are_named_from_their_text_as_moodle_names_them(db):
    import_questions("gift-bank", GIFT_BANK)
    names = [q["name"] for q in questions_of("gift-bank")]
    assert "A calf cramp is _____ by pulling the toes toward the shin." in names
    assert "Which of the following is NOT a control character for the GIFT import format?" not in (
        names
    )
    assert "GIFT Control Characters" in names
    assert all(names)
    assert all(len(name) <= 80 for name in names)


def test_gift_weights_and_feedback_of_the_examples_are_kept(db):
    import_questions("gift-bank", GIFT_BANK)
    by_name = {q["name"]: q for q in questions_of("gift-bank")}
    assert [(a["text"], a["weight"]) for a in by_name["Cramp spot 2"]["answers"]] == [
        ("calf", 100),
        ("calve", 75),
        ("foot", 25),
    ]
    numerical = by_name["Numerical example"]["answers"]
    assert numerical[1]["feedback"] == "Nearly thirty.\nYou get 50% credit for being close."
    control = by_name["GIFT Control Characters"]["options"]
    assert [o["text"] for o in control] == ["~", "=", "#", "{", "}", "\\"]
    assert control[-1]["feedback"].startswith("Correct! \\ (backslash) is not a control")


@pytest.mark.parametrize("format", ["gift", "moodlexml"])
def test_the_gift_bank_exports_files_moodle_accepts_and_they_come_back_the_same(db, format):
    import_questions("gift-bank", GIFT_BANK)
    text, warnings = exported("gift-bank", format)
    assert warnings == []
    import_questions("copy", text.encode())
    assert_same_questions("copy", "gift-bank")


def test_gift_export_puts_the_answers_back_in_the_blank(db):
    import_questions("gift-bank", GIFT_BANK)
    text, _ = exported("gift-bank", "gift")
    assert (
        "::A calf cramp is _____ by pulling the toes toward the shin.::[moodle]A calf cramp is {"
        in (text)
    )
    assert "\n} by pulling the toes toward the shin.\n" in text
    assert "? {#3.1415:0.0005}." in text.replace("{#\n\t=%100%3.1415:0.0005\n}", "{#3.1415:0.0005}")


def test_categories_are_kept_on_the_questions_and_written_back(db):
    import_questions("gift-bank", GIFT_BANK)
    categories = [q.get("category") for q in questions_of("gift-bank")]
    assert categories[-2:] == ["$course$/top/Cramp safety/Formats"] * 2
    assert set(categories[:-2]) == {None}
    text, _ = exported("gift-bank", "gift")
    assert re.findall(r"^\$CATEGORY: (.*)$", text, re.MULTILINE) == [
        "$course$/top/gift-bank",
        "$course$/top/Cramp safety/Formats",
    ]


# The XML bank: categories, combined feedback, hints, files, formats --------------------------


@pytest.fixture
def xml_bank(db):
    return import_questions("xml-bank", XML_BANK, skip_unsupported=True)


def test_the_xml_bank_imports_what_we_can_mark_and_says_what_it_skipped_and_why(xml_bank):
    assert xml_bank.skipped == [
        "question 2 (Your own cramp): not supported: essay questions need a person to mark them",
        "question 5 (Old cloze): not supported: embedded answers (cloze) are not supported",
        "question 6 (Cloze): not supported: embedded answers (cloze) are not supported",
    ]
    assert xml_bank.warnings == [
        "question 1 (Lifeguard): the description and ID number of its category "
        "'$course$/top/Pool safety' are not kept",
        "question 3 (Signals): the file whistle.mp3 is left out: it is not a PNG, JPEG, GIF or "
        "WebP image",
        "question 3 (Signals): the file logo.svg is left out: it is not a PNG, JPEG, GIF or "
        "WebP image",
        "question 3 (Signals): the tags signals are not kept",
        "question 3 (Signals): the ID number 'signals-1' is not kept",
        "question 3 (Signals): the description and ID number of its category "
        "'$course$/top/Pool safety/Open water' are not kept",
        "question 7: its answers are shuffled or not as the quiz says, not kept in order",
        "question 8 (Escape order): its items are shown one under another, not side by side",
        "question 8 (Escape order): the feedback on its items is left out",
        "question 8 (Escape order): it was hidden in Moodle's question bank; here it is part "
        "of the quiz",
        "question 9 (Stretch time): only the unit 's' is kept; it is shown, not marked",
    ]
    assert [q.name for q in Question.objects.order_by("order")] == [
        "Lifeguard",
        "Signals",
        "Pool sign",
        "Match each **place** with its helper.",
        "Escape order",
        "Stretch time",
        "Muscle",
    ]


def test_categories_combined_feedback_and_hints_are_kept(xml_bank):
    signals = Question.objects.get(name="Signals")
    assert signals.category == "$course$/top/Pool safety/Open water"
    assert Question.objects.get(name="Lifeguard").category == "$course$/top/Pool safety"
    assert signals.correct_feedback == "<p>Your answer is correct.</p>"
    assert signals.partly_correct_feedback == "<p>Your answer is partially correct.</p>"
    assert signals.incorrect_feedback == "<p>Your answer is incorrect.</p>"
    assert signals.hints == [
        "<p>Think of what you can <em>see</em> and <em>hear</em>.</p>",
        "Three of them.",
    ]
    ordering = Question.objects.get(name="Escape order")
    assert (ordering.text_format, ordering.hints) == (
        "plain",
        ["Air comes first.", "Pulling comes last."],
    )


def test_the_xml_export_writes_back_categories_formats_combined_feedback_and_hints(xml_bank):
    text, warnings = exported("xml-bank", "moodlexml")
    assert warnings == []
    root = ET.fromstring(text.encode())
    assert [q.findtext("category/text") for q in root.findall("question[@type='category']")] == [
        "$course$/top/Pool safety",
        "$course$/top/Pool safety/Open water",
    ]
    by_name = {q.findtext("name/text"): q for q in root.findall("question")}
    assert [by_name[name].find("questiontext").get("format") for name in by_name if name] == [
        "html",
        "html",
        "html",
        "markdown",
        "plain_text",
        "moodle_auto_format",
        "markdown",
    ]
    signals = by_name["Signals"]
    assert signals.findtext("correctfeedback/text") == "<p>Your answer is correct.</p>"
    assert [h.findtext("text") for h in signals.findall("hint")][1] == "Three of them."
    assert [a.get("fraction") for a in signals.findall("answer")] == [
        "33.33333",
        "33.33333",
        "33.33333",
        "-100",
    ]
    import_questions("copy", text.encode())
    assert questions_of("copy") == questions_of("xml-bank")


def test_gift_export_warns_about_what_gift_cannot_hold(xml_bank):
    text, warnings = exported("xml-bank", "gift")
    assert (
        "Question 2 (Signals): GIFT cannot hold its combined feedback and its hints and its images"
        in (warnings[0])
    )
    assert any("(Escape order) is left out: GIFT has no ordering" in w for w in warnings)
    assert "[markdown]" in text
    assert "[moodle]" in text
    assert "[html]" in text


# Images ----------------------------------------------------------------------------------------


def test_embedded_images_are_stored_once_and_the_links_point_to_them(xml_bank):
    stored = QuestionImage.objects.order_by("content_type").values_list("content_type", "name")
    assert list(stored) == [("image/gif", "arm.gif"), ("image/png", "sea flag.png")]
    stored = QuestionImage.objects.get(content_type="image/png")
    assert bytes(stored.data) == PNG
    signals = Question.objects.get(name="Signals")
    assert f'<img src="{stored.get_absolute_url()}" alt="A red and yellow flag">' in signals.text
    assert "/quizzes/media/" in signals.explanation
    # The old <image> tag of Moodle 1.9 holds the same bytes: the same stored image.
    assert stored.get_absolute_url() in Question.objects.get(name="Pool sign").text


@pytest.mark.parametrize("debug", [True, False])
def test_images_are_served_by_the_app_with_safe_headers(xml_bank, client, trainee, settings, debug):
    settings.DEBUG = debug
    image = QuestionImage.objects.get(content_type="image/png")
    client.force_login(trainee)
    response = client.get(image.get_absolute_url())
    assert response.status_code == 200
    assert response.content == PNG
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Content-Disposition"] == 'inline; filename="sea flag.png"'


def test_images_need_a_login_and_an_existing_hash(xml_bank, client, trainee):
    image = QuestionImage.objects.get(content_type="image/png")
    assert client.get(image.get_absolute_url()).status_code == 302
    client.force_login(trainee)
    assert client.get(f"/quizzes/media/{'0' * 64}.png").status_code == 404
    assert client.get(image.get_absolute_url().replace(".png", ".gif")).status_code == 404


def test_the_xml_export_embeds_the_images_again_and_they_come_back_the_same(xml_bank):
    text, _ = exported("xml-bank", "moodlexml")
    root = ET.fromstring(text.encode())
    signals = next(q for q in root.findall("question") if q.findtext("name/text") == "Signals")
    questiontext = signals.find("questiontext")
    assert '<img src="@@PLUGINFILE@@/sea%20flag.png"' in questiontext.findtext("text")
    (file,) = questiontext.findall("file")
    assert (file.get("name"), base64.b64decode(file.text)) == ("sea flag.png", PNG)
    assert signals.find("generalfeedback/file").get("name") == "arm.gif"
    QuestionImage.objects.all().delete()
    import_questions("copy", text.encode())
    assert QuestionImage.objects.count() == 2
    assert questions_of("copy") == questions_of("xml-bank")


def image_question(name, data, link=None):
    encoded = base64.b64encode(data).decode()
    return (
        '<quiz><question type="truefalse"><name><text>Flag</text></name>'
        f'<questiontext format="html"><text><![CDATA[<p>Flag? <img src="@@PLUGINFILE@@/'
        f'{link or name}"></p>]]></text><file name="{name}" encoding="base64">{encoded}</file>'
        '</questiontext><answer fraction="100"><text>true</text></answer>'
        '<answer fraction="0"><text>false</text></answer></question></quiz>'
    ).encode()


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("flag.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "not a PNG"),
        ("flag.png", b"<html><script>alert(1)</script></html>", "not a PNG"),
        ("flag.png", b"MZ\x90\x00\x03 an executable", "not a PNG"),
        ("flag.png", PNG[:-12], "damaged"),
        ("flag.png", b"", "not a PNG"),
        ("big.png", PNG + b"\0" * 2048, "larger than the 1.0\xa0KB"),
    ],
)
def test_images_that_are_not_what_they_claim_are_left_out_with_a_warning(
    db, settings, name, data, reason
):
    settings.QUESTION_IMAGE_MAX_BYTES = 1024
    report = import_questions("flags", image_question(name, data))
    assert reason in report.warnings[0]
    assert not QuestionImage.objects.exists()
    assert Question.objects.get().text == '<p>Flag? <img src=""></p>'


def test_images_with_too_many_pixels_are_left_out(db, settings):
    settings.QUESTION_IMAGE_MAX_PIXELS = 10
    report = import_questions("flags", image_question("flag.png", PNG))
    assert "more than 10 pixels" in report.warnings[0]


def test_a_link_to_a_file_the_bank_does_not_hold_is_a_warning(db):
    report = import_questions("flags", image_question("flag.png", PNG, link="other.png"))
    assert report.warnings == [
        "question 1 (Flag): the link to other.png is left out: the file does not hold it"
    ]


# Text formats ----------------------------------------------------------------------------------


def page_of(client, quiz_slug, trainee):
    client.force_login(trainee)
    attempt = start_attempt(Quiz.objects.get(slug=quiz_slug), trainee)
    return attempt, client.get(reverse("quizzes:attempt_page", args=[attempt.pk])).content.decode()


def test_each_text_format_is_shown_as_moodle_shows_it_sanitised(db, client, trainee):
    quiz = make_quiz("formats", questions_per_page=10)
    options = [{"text": "True", "weight": 100}, {"text": "False", "weight": 0}]
    add_question(
        quiz, "truefalse", options, text="Is x*y*z <b>bold</b>?\nSecond line.", text_format="plain"
    )
    add_question(quiz, "truefalse", options, text="Is x*y*z **bold**?", text_format="markdown")
    add_question(
        quiz,
        "truefalse",
        options,
        text="See https://rnli.org/safety\nand <i>this</i>.",
        text_format="moodle",
    )
    add_question(
        quiz, "truefalse", options, text='<p onclick="x()">Safe <script>alert(1)</script>html</p>',
        text_format="html",
    )  # fmt: skip
    _, page = page_of(client, "formats", trainee)
    assert "<p>Is x*y*z &lt;b&gt;bold&lt;/b&gt;?<br>Second line.</p>" in page
    assert "<p>Is x<em>y</em>z <strong>bold</strong>?</p>" in page
    assert (
        '<p>See <a href="https://rnli.org/safety" rel="noopener noreferrer">https://rnli.org/safety</a>'
        "<br>and <i>this</i>.</p>"
    ) in page
    assert "<p>Safe html</p>" in page
    assert "alert(1)" not in page
    assert "onclick" not in page


@pytest.mark.parametrize("format", ["gift", "moodlexml"])
def test_each_question_is_exported_in_its_own_format(db, format):
    quiz = make_quiz("formats")
    options = [{"text": "True", "weight": 100}, {"text": "False", "weight": 0}]
    add_question(
        quiz,
        "single",
        [
            {"text": "Salt & water <b>", "weight": 100, "feedback": "Yes & <i>no</i> tags"},
            {"text": "Sun < shade", "weight": 0},
        ],
        text="<p>Which <b>helps</b>?</p>",
        text_format="html",
    )
    for text_format in ("plain", "markdown", "moodle", "html"):
        add_question(
            quiz,
            "truefalse",
            options,
            text=f"Is x*y*z {text_format} <b>?</b>",
            text_format=text_format,
        )
    text, _ = exported("formats", format)
    import_questions("copy", text.encode())
    assert_same_questions("copy", "formats")


# Missing-word questions on the attempt page ----------------------------------------------------


def test_a_missing_word_question_has_its_answer_box_in_the_sentence(db, client, trainee):
    import_questions(
        "blanks", b"The escape has {=four =4} steps.\n\nYou {~panic =float} until it lets go."
    )
    attempt, page = page_of(client, "blanks", trainee)
    assert re.search(
        r'<div class="question-text"><p>The escape has <label class="visually-hidden" for="id_q1">'
        r'Your answer: fill the blank</label><input type="text" name="q1" [^>]*class="blank-input"'
        r"[^>]*> steps.</p></div>",
        page,
    )
    assert page.count('name="q1"') == 1
    assert (
        'You <span class="blank"><span class="visually-hidden">(blank)</span>'
        '<span aria-hidden="true">_____</span></span> until it lets go.'
    ) in page
    save_answers(
        attempt,
        {
            s.pk: scoring.full_marks_response(s.version.data)
            for s in attempt.slots.select_related("version")
        },
    )
    assert submit_attempt(attempt)[0].percent == 100


def test_the_review_shows_the_combined_feedback_for_the_outcome_and_the_hints(
    xml_bank, client, trainee
):
    quiz = Quiz.objects.get(slug="xml-bank")
    quiz.questions.exclude(name="Signals").delete()
    attempt = start_attempt(quiz, trainee)
    (slot,) = attempt.slots.select_related("version")
    keys = [o["key"] for o in slot.version.data["options"]]
    save_answers(attempt, {slot.pk: {"options": keys[:1]}})  # one of the three: partly right
    submit_attempt(attempt)
    client.force_login(trainee)
    page = client.get(reverse("quizzes:attempt_result", args=[attempt.pk])).content.decode()
    assert "<p>Your answer is partially correct.</p>" in page
    assert "Your answer is correct." not in page
    assert "<summary>Hints (2)</summary>" in page
    assert "<li><p>Think of what you can <em>see</em> and <em>hear</em>.</p></li>" in page
    assert "/quizzes/media/" in page  # the explanation's image


# Moodle's list of grades -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b"Which two?{~%35%calf ~%65%foot ~ear}",
            "The weight 35 is not one of Moodle's grades; the nearest is 33.33333",
        ),
        (
            b'<quiz><question type="multichoice"><name><text>Primes</text></name><questiontext>'
            b"<text>Which?</text></questiontext><single>false</single>"
            b'<answer fraction="33"><text>2</text></answer>'
            b'<answer fraction="33.33333"><text>3</text></answer>'
            b'<answer fraction="33.33333"><text>5</text></answer>'
            b'<answer fraction="-50"><text>4</text></answer></question></quiz>',
            "question 1 (Primes): The weight 33 is not one of Moodle's grades; "
            "the nearest is 33.33333.",
        ),
    ],
)
def test_weights_off_moodles_list_are_refused_naming_the_nearest(db, data, message):
    with pytest.raises(QuestionFileError, match=re.escape(message)):
        import_questions("grades", data)
    assert not Question.objects.exists()


def test_weights_moodle_takes_for_one_of_its_grades_are_stored_as_that_grade(db):
    import_questions(
        "grades", b"Which three?{~%33.333%calf ~%33.3333%foot ~%33.33333%thigh ~%-100%ear}"
    )
    weights = Question.objects.get().options.values_list("weight", flat=True)
    assert list(weights) == [Decimal("33.33333")] * 3 + [Decimal("-100")]


def test_the_admin_refuses_a_weight_off_moodles_list_and_offers_the_nearest(staff_client, db):
    from tests.quizzes.test_admin import question_form

    quiz = make_quiz()
    options = [{"text": "Calf", "weight": "35"}, {"text": "Foot", "weight": "65"}]
    response = staff_client.post(
        reverse("admin:quizzes_question_add"), question_form(quiz, "multiple", options)
    )
    page = response.content.decode()
    assert "The weight 35 is not one of Moodle&#x27;s grades; the nearest is 33.33333." in page
    assert "The weight 65 is not one of Moodle&#x27;s grades; the nearest is 66.66667." in page
    assert not Question.objects.exists()
    options = [{"text": "Calf", "weight": "33.33333"}, {"text": "Foot", "weight": "66.66667"}]
    staff_client.post(
        reverse("admin:quizzes_question_add"), question_form(quiz, "multiple", options)
    )
    assert [str(w) for w in Question.objects.get().options.values_list("weight", flat=True)] == [
        "33.33333",
        "66.66667",
    ]


@pytest.mark.parametrize("format", ["gift", "moodlexml"])
def test_every_shipped_quiz_exports_a_file_moodle_accepts(db, format):
    call_command("load_course", stdout=io.StringIO())
    assert Quiz.objects.count() >= 8
    for quiz in Quiz.objects.all():
        exported(quiz.slug, format)


def test_old_two_decimal_weights_become_the_grade_they_stood_for(db):
    from importlib import import_module

    from django.apps import apps

    quiz = make_quiz()
    question = add_question(
        quiz,
        "multiple",
        [
            {"text": t, "weight": w}
            for t, w in [("a", "33.33"), ("b", "33.34"), ("c", "66.67"), ("d", "35")]
        ],
    )
    import_module("quizzes.migrations.0003_moodle_fidelity").snap_rounded_weights(apps, None)
    assert [str(w) for w in question.options.values_list("weight", flat=True)] == [
        "33.33333",
        "33.33333",
        "66.66667",
        "35.00000",
    ]


# The smaller points ----------------------------------------------------------------------------


def test_the_not_utf8_message_counts_bytes_and_lines_after_a_byte_order_mark():
    data = "\ufeffWhere?{=calf}\n\nCaf\xe9?{T}".encode("utf-8")[:-8] + "é?{T}".encode("latin-1")
    with pytest.raises(QuestionFileError, match=r"byte 0xe9 on line 3"):
        decode_gift(data)


def test_xml_starting_with_a_bare_question_is_read_as_xml_and_told_to_wrap_it(db):
    data = b'<question type="truefalse"><name><text>T</text></name></question>'
    assert guess_format(data) == "moodlexml"
    with pytest.raises(
        QuestionFileError, match=r"outer element is <question>.*Wrap them in <quiz>"
    ):
        read_questions(data)


def test_export_command_counts_one_question_in_the_singular(db, tmp_path):
    quiz = make_quiz("one")
    add_question(
        quiz, "truefalse", [{"text": "True", "weight": 100}, {"text": "False", "weight": 0}]
    )
    out = io.StringIO()
    call_command(
        "export_questions", quiz="one", format="gift", output=str(tmp_path / "o"), stdout=out
    )
    assert "Wrote 1 question as GIFT" in out.getvalue()


def test_underscores_inside_a_tag_are_no_blank_to_fill(db, client, trainee):
    quiz = make_quiz("tagged")
    add_question(
        quiz,
        "shortanswer",
        [{"text": "calf", "weight": 100}],
        text='<p>Which muscle? <img alt="_____" src="/x.png"></p>',
        text_format="html",
    )
    _, page = page_of(client, "tagged", trainee)
    assert '<img alt="_____" src="/x.png">' in page
    assert "blank-input" not in page


@pytest.mark.parametrize("format", ["gift", "moodlexml"])
def test_weights_kept_from_before_are_exported_as_the_nearest_grade_with_a_warning(db, format):
    quiz = make_quiz("legacy")
    add_question(
        quiz,
        "multiple",
        [{"text": "Calf", "weight": 35}, {"text": "Foot", "weight": 65}, {"text": "Ear"}],
        name="Old weights",
    )
    text, warnings = exported("legacy", format)
    assert warnings == [
        "Question 1 (Old weights): the weight 35 is written as 33.33333, the nearest of "
        "Moodle's grades.",
        "Question 1 (Old weights): the weight 65 is written as 66.66667, the nearest of "
        "Moodle's grades.",
    ]
    assert "33.33333" in text
    assert "66.66667" in text


@pytest.mark.parametrize(
    ("hints", "saved"), [("", []), ('["Think of the calf."]', ["Think of the calf."])]
)
def test_the_admin_saves_hints_as_a_list_of_texts(staff_client, db, hints, saved):
    from tests.quizzes.test_admin import question_form

    quiz = make_quiz()
    options = [{"text": "True", "weight": 100}, {"text": "False", "weight": 0}]
    form = question_form(quiz, "truefalse", options, hints=hints)
    assert staff_client.post(reverse("admin:quizzes_question_add"), form).status_code == 302
    assert Question.objects.get().hints == saved


def test_the_admin_refuses_hints_that_are_not_a_list_of_texts(staff_client, db):
    from tests.quizzes.test_admin import question_form

    quiz = make_quiz()
    options = [{"text": "True", "weight": 100}, {"text": "False", "weight": 0}]
    form = question_form(quiz, "truefalse", options, hints='{"first": 1}')
    response = staff_client.post(reverse("admin:quizzes_question_add"), form)
    assert response.status_code == 200
    assert "Write the hints as a list of texts" in response.content.decode()
    assert not Question.objects.exists()


def test_an_image_is_served_with_a_fixed_number_of_queries(
    xml_bank, client, trainee, django_assert_max_num_queries
):
    client.force_login(trainee)
    for image in QuestionImage.objects.all():
        with django_assert_max_num_queries(3):
            assert client.get(image.get_absolute_url()).status_code == 200
