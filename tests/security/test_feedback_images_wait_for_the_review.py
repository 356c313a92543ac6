"""The rule: no right answer or feedback reaches a trainee's browser before the quiz's review
options allow it; here for the images of per-answer feedback (issue 29, defect 18).

Every kind of question that carries feedback images, each answer's feedback with an image of
its own, and every page a trainee can open of the quiz and their attempt: none of those images
is in any of them until the review shows feedback, and then the chosen answers' are."""

import io
import itertools

import pytest
from django.urls import reverse
from PIL import Image

from quizzes import scoring
from quizzes.models import Option, Quiz, ReviewWhen
from quizzes.moodle.bank import import_questions
from quizzes.services import save_answers, start_attempt, submit_attempt
from tests.quizzes.test_moodle_option_images import bank, file_element
from tests.training.conftest import take

_colours = itertools.count(1)


def feedback(text):
    """Feedback in HTML with a picture no other feedback has."""
    colour = next(_colours)
    buffer = io.BytesIO()
    Image.new("RGB", (3, 3), (colour, 255 - colour, 7)).save(buffer, "PNG")
    name = f"feedback-{colour}.png"
    return (
        f'<feedback format="html"><text><![CDATA[<p>{text} <img src="@@PLUGINFILE@@/{name}" '
        f'alt="{text}"></p>]]></text>{file_element(name, buffer.getvalue())}</feedback>'
    )


def question(kind, name, answers, extra=""):
    return (
        f'<question type="{kind}"><name><text>{name}</text></name>'
        f"<questiontext><text>{name}?</text></questiontext>{extra}{answers}</question>"
    )


QUESTIONS = [
    question(
        "multichoice",
        "Single",
        f'<answer fraction="100"><text>Float</text>{feedback("Right float")}</answer>'
        f'<answer fraction="0"><text>Sprint</text>{feedback("Wrong sprint")}</answer>',
        "<single>true</single>",
    ),
    question(
        "multichoice",
        "Multiple",
        f'<answer fraction="50"><text>Calf</text>{feedback("Right calf")}</answer>'
        f'<answer fraction="50"><text>Foot</text>{feedback("Right foot")}</answer>'
        f'<answer fraction="-100"><text>Ear</text>{feedback("Wrong ear")}</answer>',
        "<single>false</single>",
    ),
    question(
        "truefalse",
        "True or false",
        f'<answer fraction="100"><text>true</text>{feedback("Right true")}</answer>'
        f'<answer fraction="0"><text>false</text>{feedback("Wrong false")}</answer>',
    ),
    question(
        "numerical",
        "Steps",
        f'<answer fraction="100"><text>4</text>{feedback("Right four")}</answer>'
        f'<answer fraction="0"><text>3</text>{feedback("Wrong three")}</answer>',
    ),
    question(
        "shortanswer",
        "Muscle",
        f'<answer fraction="100"><text>calf</text>{feedback("Right calf muscle")}</answer>'
        f'<answer fraction="0"><text>ear</text>{feedback("Wrong ear muscle")}</answer>',
    ),
]


@pytest.fixture
def quiz(db):
    report = import_questions("pictured", bank(*QUESTIONS))
    assert report.warnings == []
    quiz = Quiz.objects.get(slug="pictured")
    Quiz.objects.filter(pk=quiz.pk).update(
        is_published=True,
        attempts_allowed=3,
        questions_per_page=10,
        review_explanations=ReviewWhen.WHEN_DONE,
    )
    quiz.refresh_from_db()
    return quiz


def feedback_images(quiz):
    """{alt: address} of every answer's feedback image."""
    images = {}
    for option in Option.objects.filter(question__quiz=quiz):
        for image in option.feedback_images:
            images[image["alt"]] = reverse("quizzes:question_image", args=[image["file"]])
    assert len(images) == 11
    return images


def answer_every_question_failing(attempt):
    """Answers that choose an answer with feedback in every question, two right and three
    wrong: not passed, so "once passed or out of attempts" holds the feedback back."""
    responses = {}
    for slot in attempt.slots.select_related("version"):
        data = slot.version.data
        wrong = next((o for o in data["options"] if float(o["weight"]) <= 0), None)
        if data["name"] in ("Single", "Multiple"):
            responses[slot.pk] = scoring.full_marks_response(data)
        elif data["type"] == "truefalse":
            responses[slot.pk] = {"option": wrong["key"]}
        elif data["type"] == "numerical":
            responses[slot.pk] = {"value": wrong["value"]}
        else:
            responses[slot.pk] = {"text": wrong["text"]}
    save_answers(attempt, responses)
    return attempt


def everything_a_trainee_opens(client, quiz, attempt):
    """Every page and reply a trainee gets of the quiz and this attempt, as one text."""
    shown = [
        client.get(reverse("quizzes:quiz_list")),
        client.get(quiz.get_absolute_url()),
        client.get(reverse("accounts:download_data")),
    ]
    if attempt.is_finished:
        shown.append(client.get(reverse("quizzes:attempt_result", args=[attempt.pk])))
    else:
        shown += [
            client.get(reverse("quizzes:attempt_page", args=[attempt.pk])),
            # Without the questions' "shown" markers: the saved answers stay as they are.
            client.post(reverse("quizzes:attempt_autosave", args=[attempt.pk]), {"page": 1}),
            client.get(reverse("quizzes:attempt_summary", args=[attempt.pk])),
        ]
    for response in shown:
        assert response.status_code == 200, response
    return "\n".join(response.content.decode() for response in shown)


def test_no_feedback_image_reaches_the_trainee_before_the_review_shows_feedback(
    client, trainee, quiz
):
    images = feedback_images(quiz)
    client.force_login(trainee)
    attempt = answer_every_question_failing(start_attempt(quiz, trainee))
    pages = everything_a_trainee_opens(client, quiz, attempt)
    assert [alt for alt, url in images.items() if url in pages] == []
    failed = submit_attempt(attempt)[0]
    assert failed.passed is False
    pages = everything_a_trainee_opens(client, quiz, failed)
    assert "Explanations and feedback" in pages  # said to be held back
    assert [alt for alt, url in images.items() if url in pages] == []
    # Right answers shown from the start must not bring the feedback's pictures with them.
    Quiz.objects.filter(pk=quiz.pk).update(review_correct_answers=ReviewWhen.ALWAYS)
    pages = everything_a_trainee_opens(client, quiz, failed)
    assert [alt for alt, url in images.items() if url in pages] == []
    # Out of attempts: the review now shows the chosen answers' feedback, pictures and all.
    Quiz.objects.filter(pk=quiz.pk).update(attempts_allowed=1)
    pages = everything_a_trainee_opens(client, quiz, failed)
    assert sorted(alt for alt, url in images.items() if url in pages) == [
        "Right calf",
        "Right float",
        "Right foot",
        "Wrong ear muscle",
        "Wrong false",
        "Wrong three",
    ]


def test_once_the_review_shows_feedback_the_chosen_answers_images_show(client, trainee, quiz):
    images = feedback_images(quiz)
    client.force_login(trainee)
    passed = take(quiz, trainee, right=(1, 2, 3, 4, 5))
    page = client.get(reverse("quizzes:attempt_result", args=[passed.pk])).content.decode()
    chosen = ["Right float", "Right calf", "Right foot", "Right true", "Right four"]
    chosen.append("Right calf muscle")
    assert sorted(alt for alt, url in images.items() if url in page) == sorted(chosen)
