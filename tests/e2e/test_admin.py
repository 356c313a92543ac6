"""An admin writes a quiz with one question of each type in the Django admin and previews it."""

from playwright.sync_api import expect

from quizzes.models import Quiz
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
        page.get_by_label("Order").first.fill(str(number))
        for index, option in enumerate(options):
            page.get_by_role("button", name="Add another Option").click()
            for field, value in {"order": str(index), **option}.items():
                page.locator(f"#id_options-{index}-{field}").fill(value)
        page.get_by_role("button", name="Save", exact=True).click()
        expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    admin.check("question-list")

    assert quiz.questions.count() == len(QUESTIONS)
    admin.goto(f"/quizzes/{quiz.slug}/preview/")
    admin.check("preview")
    for text, _ in QUESTIONS.values():
        expect(page.locator("main")).to_contain_text(text)
    expect(
        page.locator("[data-ordering]").get_by_text("Grab your big toes with both hands")
    ).to_be_visible()
