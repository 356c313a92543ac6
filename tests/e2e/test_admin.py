"""An admin writes a quiz with one question of each type in the Django admin and previews it."""

from playwright.sync_api import expect

from quizzes.models import Attempt, Quiz
from tests.e2e.conftest import DESKTOP, PHONE, SCREENSHOTS
from tests.factories import PASSWORD, make_admin

# type -> (question text, [option fields by inline column])
QUESTIONS = {
    "Single choice": ("Which muscle cramps most often in swimmers?", [
        {"text": "Calf", "weight": "100"}, {"text": "Ear", "weight": "0"},
    ]),
    "Multiple response": ("Which help prevent cramps?", [
        {"text": "Warming up", "weight": "50"}, {"text": "Drinking water", "weight": "50"},
        {"text": "Swimming alone", "weight": "-50"},
    ]),
    "True / false": ("Cold water can bring on a cramp.", [
        {"text": "True", "weight": "100"}, {"text": "False", "weight": "0"},
    ]),
    "Ordering": ("Put the escape steps in order.", [
        {"text": "Breathe in as much air as you can"},
        {"text": "Go under and press your knees to your chest"},
        {"text": "Grab your big toes with both hands"},
        {"text": "Pull the toes hard toward your shin and hold"},
    ]),
    "Matching": ("Match each cause with its group.", [
        {"text": "Heavy sweating", "match_text": "Water and salts"},
        {"text": "Narrowed arteries", "match_text": "Blood supply"},
    ]),
    "Numerical": ("How many steps has the escape algorithm?", [
        {"value": "4", "tolerance": "0", "weight": "100"},
    ]),
    "Short answer": ("Which toes do you grab?", [{"text": "big toes", "weight": "100"}]),
}  # fmt: skip


def test_admin_builds_a_quiz_of_every_question_type_and_previews_it(visit, transactional_db):
    make_admin("chief")
    admin = visit("admin")
    admin.log_in("chief", PASSWORD)
    page = admin.page
    admin.goto("/admin/quizzes/quiz/add/")
    admin.check("quiz-add")
    page.get_by_label("Title").fill("Every kind of question")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    quiz = Quiz.objects.get(title="Every kind of question")

    for number, (kind, (text, options)) in enumerate(QUESTIONS.items(), start=1):
        admin.goto(f"/admin/quizzes/question/add/?quiz={quiz.pk}")
        page.get_by_label("Type").select_option(label=kind)
        page.get_by_label("Text").fill(text)
        # No order typed: a question added from the quiz goes after the others.
        expect(page.get_by_label("Order").first).to_have_value(str(number))
        for index, option in enumerate(options):
            page.get_by_role("button", name="Add another Option").click()
            row = page.locator(f"#options-{index}")
            for field, value in {"order": str(index), **option}.items():
                if field == "weight" and kind in ("Single choice", "True / false"):
                    # Right or wrong only: a "Correct" box stands in for the weight.
                    if value == "100":
                        row.get_by_label("Correct").check()
                    continue
                page.locator(f"#id_options-{index}-{field}").fill(value)
            # Only the columns of the chosen type show.
            expect(row.locator("td.field-match_text")).to_be_visible(visible=kind == "Matching")
        if kind == "Numerical":
            # The editor fits a 1280 px screen with the type's fields, the unit included.
            page.set_viewport_size(DESKTOP)
            wide = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert wide <= 0, f"the question editor scrolls sideways by {wide}px at 1280"
            expect(page.get_by_label("Unit")).to_be_visible()
            page.screenshot(path=str(SCREENSHOTS / "admin-question-editor-desktop.png"))
            page.set_viewport_size(PHONE)
        else:
            expect(page.get_by_label("Unit")).to_be_hidden()
        page.get_by_role("button", name="Save", exact=True).click()
        expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    admin.check("question-list")

    assert quiz.questions.count() == len(QUESTIONS)
    # New questions went last, in the order they were written.
    assert [q.text for q in quiz.questions.order_by("order")] == [t for t, _ in QUESTIONS.values()]
    admin.goto(f"/quizzes/{quiz.slug}/preview/")
    admin.check("preview")
    for text, _ in QUESTIONS.values():
        expect(page.locator("main")).to_contain_text(text)
    expect(
        page.locator("[data-ordering]").get_by_text("Grab your big toes with both hands")
    ).to_be_visible()
    # The preview can be answered and checked; nothing is counted.
    page.get_by_label("Calf").check()
    page.get_by_role("button", name="Check my answers").click()
    expect(page.locator("#checked-1")).to_contain_text("Question 1: Right.")
    expect(page.locator("#checked-2")).to_contain_text("Question 2: Wrong.")
    admin.check("preview-checked")
    assert not Attempt.objects.exists()
