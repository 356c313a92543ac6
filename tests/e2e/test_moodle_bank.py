"""A trainee takes questions imported from Moodle: blanks to fill in the sentence, an embedded
image served by the app, and the combined feedback and hints in the review."""

from playwright.sync_api import expect

from quizzes.moodle.bank import import_questions
from tests.factories import PASSWORD, make_trainee

PNG = (
    "iVBORw0KGgoAAAANSUhEUgAAAAQAAAADCAIAAAA7ljmRAAAAFElEQVR4nGNkyNzCAANMDEgAhQMAKRkBI890pBIAAAAA"
    "SUVORK5CYII="
)
GIFT = b"""::Steps::The deep-water escape has {=four =4} steps.

::Float::You {~panic =float ~sink} until the cramp lets go.

::Hold::Hold the stretch for {#30:5} seconds.
"""
XML = f"""<quiz><question type="multichoice"><name><text>Signals</text></name>
<questiontext format="html"><text><![CDATA[<p>Which signals does a lifeguard use?
<img src="@@PLUGINFILE@@/flag.png" alt="A red and yellow flag" width="40" height="30"></p>]]>
</text><file name="flag.png" encoding="base64">{PNG}</file></questiontext>
<single>false</single>
<correctfeedback format="html"><text>All three: well spotted.</text></correctfeedback>
<partiallycorrectfeedback format="html"><text>Some of them.</text></partiallycorrectfeedback>
<incorrectfeedback format="html"><text>Look again.</text></incorrectfeedback>
<answer fraction="33.33333"><text>A whistle</text></answer>
<answer fraction="33.33333"><text>A flag</text></answer>
<answer fraction="33.33333"><text>A raised arm</text></answer>
<answer fraction="-100"><text>A text message</text></answer>
<hint format="html"><text>What can you see and hear?</text></hint>
</question></quiz>""".encode()


def test_trainee_fills_blanks_sees_the_image_and_gets_moodles_feedback(visit, transactional_db):
    import_questions("moodle-bank", GIFT)
    import_questions("moodle-bank", XML)
    quiz = import_questions("moodle-bank", b"Stretching eases a cramp.{T}").quiz
    quiz.is_published, quiz.questions_per_page = True, 10
    quiz.save()
    make_trainee("swimmer")

    trainee = visit("moodle-bank")
    trainee.log_in("swimmer", PASSWORD)
    page = trainee.goto(f"/quizzes/{quiz.slug}/")
    page.get_by_role("button", name="Start the quiz").click()
    trainee.check("blanks")

    # The answer boxes stand in the sentences, each labelled for screen readers.
    steps = page.get_by_label("Your answer: fill the blank").first
    expect(page.locator("#question-1 .question-text")).to_contain_text("The deep-water escape has")
    expect(page.locator("#question-1 .question-text input")).to_have_count(1)
    steps.fill("four")
    page.locator("#question-3 .question-text input").fill("30")
    page.get_by_label("float").check()
    image = page.get_by_role("img", name="A red and yellow flag")
    expect(image).to_be_visible()
    assert image.evaluate("img => img.naturalWidth") == 4
    page.get_by_label("A whistle").check()
    page.get_by_label("True").check()
    page.get_by_role("button", name="Save and finish…").click()
    trainee.check("summary")
    page.get_by_role("button", name="Submit all and finish").click()
    trainee.check("review")

    expect(page.get_by_text("Some of them.")).to_be_visible()
    page.get_by_text("Hints (1)").click()
    expect(page.get_by_text("What can you see and hear?")).to_be_visible()
