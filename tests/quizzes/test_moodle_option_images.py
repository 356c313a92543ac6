"""Images in Moodle answers and their feedback (issue 29, defect 18): imported and stored like
the question text's, frozen with the version, shown with the option on the attempt page and
with the feedback in the review (only when the review shows feedback), written back on export;
files that are not such images refuse the question, naming it and the answer."""

import base64
import hashlib
import io
import xml.etree.ElementTree as ET
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from quizzes import scoring
from quizzes.models import Option, Question, QuestionImage, Quiz, ReviewWhen
from quizzes.moodle import QuestionFileError
from quizzes.moodle.bank import export_questions, import_questions
from quizzes.services import save_answers, start_attempt, submit_attempt
from tests.quizzes.moodle_checks import moodle_xml_problems
from tests.quizzes.test_moodle_fidelity import questions_of
from tests.training.conftest import take


def png(colour, size=(4, 3)):
    """A small real PNG; each colour gives other bytes, so another stored image."""
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


BACK = png("blue")
SPRINT = png("red")
TICK = png("green")
CROSS = png("black")
GENERAL = png("yellow")


def sha(data):
    return hashlib.sha256(data).hexdigest()


def url(data):
    return f"/quizzes/media/{sha(data)}.png"


def file_element(name, data):
    encoded = data if isinstance(data, str) else base64.b64encode(data).decode()
    return f'<file name="{name}" path="/" encoding="base64">{encoded}</file>'


def pictured(text, name, data, alt=None):
    """A Moodle <text> in HTML showing an embedded file, and the file beside it."""
    alt_attribute = f' alt="{alt}"' if alt is not None else ""
    return (
        f'<text><![CDATA[<p>{text} <img src="@@PLUGINFILE@@/{quote(name)}"{alt_attribute}>'
        "</p>]]></text>" + file_element(name, data)
    )


def float_question(*, back=BACK, back_name="back.png", cross=CROSS, cross_name="cross.png"):
    """A single-choice question as Moodle exports it, with a picture in each answer and in each
    answer's feedback, and in the general and combined feedback."""
    return (
        '<question type="multichoice"><name><text>Float</text></name>'
        '<questiontext format="html"><text><![CDATA[<p>Which one is the back float?</p>]]>'
        "</text></questiontext>"
        f'<generalfeedback format="html">{pictured("Float first.", "gf.png", GENERAL, "Pool")}'
        "</generalfeedback>"
        "<defaultgrade>1</defaultgrade><single>true</single>"
        f'<correctfeedback format="html">{pictured("Yes.", "ok.png", GENERAL, "Yes")}'
        "</correctfeedback>"
        f'<answer fraction="100" format="html">'
        f"{pictured('Back float', back_name, back, 'A swimmer floating on their back')}"
        f'<feedback format="html">{pictured("Right: float first.", "tick.png", TICK, "A tick")}'
        "</feedback></answer>"
        f'<answer fraction="0" format="html">{pictured("", "sprint_to the-wall.png", SPRINT)}'
        f'<feedback format="html">{pictured("Wrong: float first.", cross_name, cross, "A cross")}'
        "</feedback></answer>"
        "</question>"
    )


def bank(*questions):
    return f'<?xml version="1.0" encoding="UTF-8"?><quiz>{"".join(questions)}</quiz>'.encode()


def entry(data, alt):
    return {"file": f"{sha(data)}.png", "alt": alt}


# Import --------------------------------------------------------------------------------------


def test_import_keeps_the_images_of_answers_and_their_feedback(db):
    report = import_questions("float", bank(float_question()))
    assert report.warnings == []  # nothing left out
    right, wrong = Question.objects.get().options.order_by("order")
    assert (right.text, right.images) == (
        "Back float",
        [entry(BACK, "A swimmer floating on their back")],
    )
    assert (right.feedback, right.feedback_images) == (
        "Right: float first.",
        [entry(TICK, "A tick")],
    )
    # An answer that is a picture alone; without an alt, one made from the file's name.
    assert (wrong.text, wrong.images) == ("", [entry(SPRINT, "sprint to the wall")])
    assert wrong.feedback_images == [entry(CROSS, "A cross")]
    stored = {image.sha256: image for image in QuestionImage.objects.all()}
    assert set(stored) == {sha(BACK), sha(SPRINT), sha(TICK), sha(CROSS), sha(GENERAL)}
    assert bytes(stored[sha(BACK)].data) == BACK
    assert stored[sha(BACK)].content_type == "image/png"


TRUE_FALSE = (
    '<question type="truefalse"><name><text>Cramp</text></name>'
    "<questiontext><text>A cramp passes if you stretch.</text></questiontext>"
    f'<answer fraction="100"><text>true</text><feedback format="html">'
    f"{pictured('Yes.', 'tick.png', TICK, 'A tick')}</feedback></answer>"
    f'<answer fraction="0"><text>false</text><feedback format="html">'
    f"{pictured('No.', 'cross.png', CROSS, 'A cross')}</feedback></answer></question>"
)
NUMERICAL = (
    '<question type="numerical"><name><text>Steps</text></name>'
    "<questiontext><text>How many steps?</text></questiontext>"
    f'<answer fraction="100"><text>4</text><tolerance>0</tolerance><feedback format="html">'
    f"{pictured('Four.', 'tick.png', TICK, 'A tick')}</feedback></answer></question>"
)
SHORT_ANSWER = (
    '<question type="shortanswer"><name><text>Muscle</text></name>'
    "<questiontext><text>Which muscle?</text></questiontext>"
    f'<answer fraction="100"><text>calf</text><feedback format="html">'
    f"{pictured('The calf.', 'tick.png', TICK, 'A tick')}</feedback></answer></question>"
)
MATCHING = (
    '<question type="matching"><name><text>Helpers</text></name>'
    "<questiontext><text>Match them.</text></questiontext>"
    f'<subquestion format="html">{pictured("Lifeguard", "chair.png", BACK, "A high chair")}'
    "<answer><text>Watches</text></answer></subquestion>"
    f'<subquestion format="html">{pictured("", "rope.png", SPRINT, "A lane rope")}'
    "<answer><text>Holds on</text></answer></subquestion></question>"
)
ORDERING = (
    '<question type="ordering"><name><text>Escape</text></name>'
    "<questiontext><text>Put them in order.</text></questiontext>"
    f'<answer fraction="1" format="html">{pictured("Breathe in", "air.png", BACK, "Air")}</answer>'
    '<answer fraction="2" format="html"><text>Go under</text></answer>'
    '<answer fraction="3" format="html"><text>Pull the toes</text></answer></question>'
)


def test_every_kind_of_answer_keeps_its_images(db):
    report = import_questions(
        "kinds", bank(TRUE_FALSE, NUMERICAL, SHORT_ANSWER, MATCHING, ORDERING)
    )
    assert report.warnings == []
    options = {
        name: list(Option.objects.filter(question__name=name).order_by("order"))
        for name in ("Cramp", "Steps", "Muscle", "Helpers", "Escape")
    }
    assert [o.feedback_images for o in options["Cramp"]] == [
        [entry(TICK, "A tick")],
        [entry(CROSS, "A cross")],
    ]
    assert options["Steps"][0].feedback_images == [entry(TICK, "A tick")]
    assert options["Muscle"][0].feedback_images == [entry(TICK, "A tick")]
    # A matching item that is a picture alone is an item (its words the alt), not a distractor.
    assert [(o.text, o.images) for o in options["Helpers"]] == [
        ("Lifeguard", [entry(BACK, "A high chair")]),
        ("A lane rope", [entry(SPRINT, "A lane rope")]),
    ]
    assert options["Escape"][0].images == [entry(BACK, "Air")]
    assert options["Escape"][1].images == []


def test_a_typed_answers_own_file_is_a_warning_and_its_feedback_image_is_kept(db):
    typed = NUMERICAL.replace("<text>4</text>", f"<text>4</text>{file_element('four.png', BACK)}")
    report = import_questions("steps", bank(typed))
    assert report.warnings == [
        "question 1 (Steps): the files of answer 1 are left out: only its feedback can show "
        "pictures"
    ]
    assert Option.objects.get().feedback_images == [entry(TICK, "A tick")]


# Attempt page and review ---------------------------------------------------------------------


@pytest.fixture
def float_quiz(db):
    import_questions("float", bank(float_question()))
    quiz = Quiz.objects.get(slug="float")
    quiz.is_published = True
    quiz.shuffle_options = False
    quiz.attempts_allowed = None
    quiz.save()
    return quiz


def answer_wrong(quiz, trainee):
    """A finished attempt that chose the second answer (the picture of a sprint)."""
    attempt = start_attempt(quiz, trainee)
    slot = attempt.slots.select_related("version").get()
    save_answers(attempt, {slot.pk: {"option": slot.version.data["options"][1]["key"]}})
    return submit_attempt(attempt)[0]


def attempt_page(client, attempt):
    return client.get(reverse("quizzes:attempt_page", args=[attempt.pk])).content.decode()


def result_page(client, attempt):
    return client.get(reverse("quizzes:attempt_result", args=[attempt.pk])).content.decode()


def test_the_attempt_page_shows_each_options_image_and_no_feedback_image(
    float_quiz, client, trainee
):
    client.force_login(trainee)
    page = attempt_page(client, start_attempt(float_quiz, trainee))
    assert (
        f'Back float <img src="{url(BACK)}" alt="A swimmer floating on their back" '
        'class="option-image"></label>'
    ) in page
    assert f'<img src="{url(SPRINT)}" alt="sprint to the wall" class="option-image">' in page
    assert url(TICK) not in page
    assert url(CROSS) not in page


@pytest.mark.parametrize(
    ("explanations", "shown"),
    [(ReviewWhen.ALWAYS, True), (ReviewWhen.NEVER, False), (ReviewWhen.WHEN_DONE, False)],
)
def test_the_review_shows_the_chosen_answers_feedback_image_only_when_feedback_shows(
    float_quiz, client, trainee, explanations, shown
):
    float_quiz.review_explanations = explanations
    float_quiz.attempts_allowed = 3
    float_quiz.save()
    attempt = answer_wrong(float_quiz, trainee)  # not passed, attempts left
    client.force_login(trainee)
    page = result_page(client, attempt)
    assert (f'<img src="{url(CROSS)}" alt="A cross" class="feedback-image">' in page) is shown
    assert url(TICK) not in page  # the feedback of an answer not chosen
    assert (url(GENERAL) in page) is shown  # the explanation's image, as before


def test_the_review_shows_the_feedback_image_once_passed_when_done(float_quiz, client, trainee):
    float_quiz.review_explanations = ReviewWhen.WHEN_DONE
    float_quiz.save()
    client.force_login(trainee)
    failed = take(float_quiz, trainee)
    assert url(TICK) not in result_page(client, failed)
    passed = take(float_quiz, trainee, right=(1,))
    assert f'<img src="{url(TICK)}" alt="A tick" class="feedback-image">' in result_page(
        client, passed
    )


def test_a_finished_attempt_keeps_the_images_it_was_given(float_quiz, client, trainee):
    attempt = take(float_quiz, trainee, right=(1,))
    Option.objects.update(images=[], feedback_images=[])  # the question edited since
    client.force_login(trainee)
    assert url(TICK) in result_page(client, attempt)
    assert attempt.slots.get().version.data["options"][0]["images"] == [
        entry(BACK, "A swimmer floating on their back")
    ]
    # A new attempt is given the question as it is now.
    page = attempt_page(client, start_attempt(float_quiz, trainee))
    assert url(BACK) not in page


def test_an_image_alone_stands_for_its_answer_in_words(float_quiz, client, trainee):
    attempt = answer_wrong(float_quiz, trainee)
    client.force_login(trainee)
    assert "Your answer:</strong> sprint to the wall" in result_page(client, attempt)


def test_the_item_analysis_names_a_picture_alone_by_its_alt_text(float_quiz, trainee):
    attempt = answer_wrong(float_quiz, trainee)
    slot = attempt.slots.select_related("version").get()
    assert scoring.wrong_answers(slot.version.data, slot.response) == ["sprint to the wall"]


def test_the_admin_shows_an_options_images(float_quiz, staff_client):
    question = float_quiz.questions.get()
    page = staff_client.get(reverse("admin:quizzes_question_change", args=[question.pk]))
    assert page.status_code == 200
    content = page.content.decode()
    assert f'<img src="{url(BACK)}" alt="A swimmer floating on their back"' in content
    assert f'<img src="{url(TICK)}" alt="A tick"' in content


# Export --------------------------------------------------------------------------------------


def exported(slug):
    text, warnings = export_questions(Quiz.objects.get(slug=slug), "moodlexml")
    assert moodle_xml_problems(text) == []
    return text, warnings


def test_the_export_writes_the_answer_and_feedback_images_back(float_quiz):
    text, warnings = exported("float")
    assert warnings == []
    root = ET.fromstring(text.encode())
    right, wrong = root.find("question[@type='multichoice']").findall("answer")
    assert right.get("format") == "html"
    assert right.findtext("text") == (
        'Back float <img src="@@PLUGINFILE@@/back.png" alt="A swimmer floating on their back">'
    )
    (file,) = right.findall("file")
    assert (file.get("name"), base64.b64decode(file.text)) == ("back.png", BACK)
    feedback = right.find("feedback")
    assert feedback.findtext("text") == (
        'Right: float first. <img src="@@PLUGINFILE@@/tick.png" alt="A tick">'
    )
    assert base64.b64decode(feedback.find("file").text) == TICK
    assert wrong.find("file").get("name") == "sprint_to the-wall.png"


def test_import_export_import_gives_the_same_images(db):
    category = '<question type="category"><category><text>$course$/top/Pool</text></category>'
    questions = [float_question(), TRUE_FALSE, NUMERICAL, SHORT_ANSWER, MATCHING, ORDERING]
    import_questions("original", bank(category + "</question>", *questions))
    text, _ = exported("original")
    stored = sorted(QuestionImage.objects.values_list("sha256", "content_type"))
    QuestionImage.objects.all().delete()
    report = import_questions("copy", text.encode())
    assert report.warnings == []
    assert sorted(QuestionImage.objects.values_list("sha256", "content_type")) == stored
    assert questions_of("copy") == questions_of("original")
    again, _ = exported("copy")
    # The same file, image for image; only the heading names the other quiz.
    assert again.splitlines()[3:] == text.splitlines()[3:]


def test_gift_export_says_it_leaves_the_feedback_images_behind(db):
    import_questions("muscle", bank(SHORT_ANSWER))  # an image in an answer's feedback alone
    _, warnings = export_questions(Quiz.objects.get(slug="muscle"), "gift")
    assert warnings == [
        "Question 1 (Muscle): GIFT cannot hold its images; export the quiz as Moodle XML to keep "
        "them."
    ]


# Hostile files -------------------------------------------------------------------------------

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'


@pytest.mark.parametrize(
    ("question", "message"),
    [
        (
            float_question(back=SVG, back_name="evil.svg"),
            "question 1 (Float): the image evil.svg of answer 1 is refused: it is not a PNG, "
            "JPEG, GIF or WebP image",
        ),
        (
            float_question(cross=b"<html><script>alert(1)</script></html>"),
            "question 1 (Float): the image cross.png of the feedback of answer 2 is refused: it "
            "is not a PNG, JPEG, GIF or WebP image",
        ),
        (
            float_question(back=BACK + b"\0" * 2048),
            "question 1 (Float): the image back.png of answer 1 is refused: it is larger than "
            "the 1.0\xa0KB an image may be",
        ),
        (
            float_question(back="!!!not base64!!!"),
            "question 1 (Float): the image back.png of answer 1 is refused: its base64 is damaged",
        ),
        (
            float_question(cross=TICK[:-12]),
            "question 1 (Float): the image cross.png of the feedback of answer 2 is refused: the "
            "image is damaged",
        ),
    ],
)
def test_a_hostile_answer_or_feedback_file_refuses_the_question_and_names_it(
    db, settings, question, message
):
    settings.QUESTION_IMAGE_MAX_BYTES = 1024
    with pytest.raises(QuestionFileError) as refused:
        import_questions("float", bank(question))
    (problem,) = refused.value.problems
    assert problem.startswith(message)
    assert not Question.objects.exists()
    assert not QuestionImage.objects.exists()


def test_a_link_to_a_file_the_answer_does_not_hold_refuses_the_question(db):
    question = float_question().replace("@@PLUGINFILE@@/back.png", "@@PLUGINFILE@@/gone.png")
    with pytest.raises(QuestionFileError, match=r"answer 1 shows gone.png, which the file does"):
        import_questions("float", bank(question))


def test_skip_unsupported_imports_the_others_and_lists_the_refused_one(db):
    report = import_questions(
        "float",
        bank(float_question(back=SVG, back_name="evil.svg"), SHORT_ANSWER),
        skip_unsupported=True,
    )
    assert report.skipped == [
        "question 1 (Float): the image evil.svg of answer 1 is refused: it is not a PNG, JPEG, "
        "GIF or WebP image"
    ]
    assert list(Question.objects.values_list("name", flat=True)) == ["Muscle"]


def test_the_admin_import_refuses_a_hostile_answer_file_with_a_400_saying_why(staff_client, db):
    quiz = Quiz.objects.create(slug="float", title="Float")
    upload = SimpleUploadedFile(
        "bank.xml", bank(float_question(back=SVG, back_name="evil.svg")), "application/xml"
    )
    response = staff_client.post(
        reverse("admin:quizzes_quiz_import_questions", args=[quiz.pk]),
        {"file": upload, "format": "moodlexml"},
    )
    assert response.status_code == 400
    assert "the image evil.svg of answer 1 is refused" in response.content.decode()
    assert not quiz.questions.exists()
