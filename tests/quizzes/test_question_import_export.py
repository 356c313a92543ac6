"""Question banks in Moodle's formats: the commands, round trips, all-or-nothing imports,
hostile files, and the admin's upload form and export actions."""

import io
import random
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from lessons.markdown import render_markdown
from lessons.regions import fill_all
from quizzes import scoring
from quizzes.course_files import quiz_to_dict
from quizzes.models import Question, Quiz
from quizzes.moodle import QuestionFileError, default_name
from quizzes.moodle.bank import import_questions, read_questions
from quizzes.services import save_answers, start_attempt, submit_attempt
from tests.factories import add_escape_ordering, add_question, make_quiz, make_user
from tests.quizzes.moodle_checks import gift_problems, moodle_xml_problems

SAMPLES = Path(__file__).parent / "samples"
ESSAY_GIFT = "Where do swimmers cramp?{=calf ~ear}\n\nDescribe your last cramp.{}\n"


def quiz_with_every_type(slug="bank"):
    """One question of each type, with the awkward characters both formats must escape."""
    quiz = make_quiz(slug)
    add_question(
        quiz,
        "single",
        [
            {"text": "The calf", "weight": 100, "feedback": "Right: it kicks hardest."},
            {"text": "%0 chance: the ear", "weight": 0},
            {"text": "The elbow {sometimes}", "weight": -50, "feedback": "Rarely # ever."},
        ],
        name="Where: {tricky} #1",
        text="Where do swimmers **cramp** most?\n\n- at sea\n- in a pool = both <b>really</b>",
        points=2,
        explanation="See the lesson ~ \\ and the calf.",
        must_pass=True,
    )
    add_question(
        quiz,
        "single",
        [
            {"text": "Float on your back", "weight": 100},
            {"text": "Tread water", "weight": 50, "feedback": "Half right."},
            {"text": "Swim hard for the shore", "weight": 0},
        ],
        name="Partial credit",
        text="You cannot go under. What now?",
    )
    add_question(
        quiz,
        "multiple",
        [
            {"text": "Electrolytes", "weight": "33.33333", "feedback": "Yes."},
            {"text": "Blood vessels", "weight": "33.33333"},
            {"text": "Nerves", "weight": "33.33333"},
            {"text": "Eyesight", "weight": -100, "feedback": "No."},
        ],
        name="Checks",
        text="Which checks may a doctor arrange?",
        explanation="All but eyesight.",
    )
    add_question(
        quiz,
        "truefalse",
        [
            {"text": "True", "weight": 0, "feedback": "No: tonic cramps are stronger."},
            {"text": "False", "weight": 100, "feedback": "Right."},
        ],
        name="Clonic",
        text="Clonic cramps are the stronger kind.",
        explanation="Tonic cramps last longer.",
    )
    add_escape_ordering(
        quiz, points=4, must_pass=True, name="Escape algorithm", explanation="Breathe first."
    )
    add_question(
        quiz,
        "matching",
        [
            {"text": "Heavy sweating", "match_text": "Salt balance"},
            {"text": "Narrowed arteries", "match_text": "Blood supply: #1"},
            {"text": "", "match_text": "Eyesight"},
        ],
        name="Causes",
        text="Match each cause with its group.",
    )
    add_question(
        quiz,
        "numerical",
        [
            {"value": 4, "tolerance": 0, "weight": 100, "feedback": "Four."},
            {"value": "3.1415", "tolerance": "0.0005", "weight": 50},
            {"value": -2, "tolerance": "1.5", "weight": 10},
        ],
        name="Steps",
        text="How many steps?",
        unit="steps",
        points="1.5",
    )
    add_question(
        quiz,
        "shortanswer",
        [
            {"text": "calf", "weight": 100, "feedback": "Yes."},
            {"text": "calf muscle*", "weight": 50},
        ],
        name="Muscle",
        text="Which muscle cramps most?",
    )
    return quiz


def questions_of(slug):
    questions = quiz_to_dict(Quiz.objects.get(slug=slug))["questions"]
    for question in questions:
        question.pop("lesson", None)
    return questions


def as_exported(slug):
    """The quiz's questions as an export carries them: named from their text when nameless,
    as Moodle names them, and in the quiz's category when in none."""
    questions = questions_of(slug)
    for question in questions:
        question["name"] = question.get("name") or default_name(
            question["text"], question.get("text_format", "markdown")
        )
        question.setdefault("category", f"$course$/top/{slug}")
    return [{key: q[key] for key in sorted(q)} for q in questions]


def copied(slug):
    return [{key: q[key] for key in sorted(q)} for q in questions_of(slug)]


def export(slug, format, tmp_path):
    """The command's file, checked with Moodle's own import rules, and its warnings."""
    path = tmp_path / f"{slug}.{format}"
    err = io.StringIO()
    call_command("export_questions", quiz=slug, format=format, output=str(path), stderr=err)
    assert_moodle_accepts(path.read_text(encoding="utf-8"), format)
    return path, err.getvalue()


def assert_moodle_accepts(text, format):
    problems = gift_problems(text) if format == "gift" else moodle_xml_problems(text)
    assert problems == [], problems


def run_import(path, slug, **options):
    out = io.StringIO()
    call_command("import_questions", str(path), quiz=slug, stdout=out, **options)
    return out.getvalue()


# Round trips ---------------------------------------------------------------------------------


def test_moodle_xml_round_trip_gives_back_every_question_of_every_type(db, tmp_path):
    quiz_with_every_type("bank")
    path, warnings = export("bank", "moodlexml", tmp_path)
    assert warnings == ""
    output = run_import(path, "bank-copy")
    assert "Imported 8 questions" in output
    assert copied("bank-copy") == as_exported("bank")


def test_gift_round_trip_gives_back_every_question_but_ordering(db, tmp_path):
    quiz_with_every_type("bank")
    path, warnings = export("bank", "gift", tmp_path)
    assert "Question 5 (Escape algorithm) is left out: GIFT has no ordering questions" in warnings
    run_import(path, "bank-copy")
    expected = [q for q in as_exported("bank") if q["type"] != "ordering"]
    assert copied("bank-copy") == expected
    assert len(expected) == 7


@pytest.mark.parametrize("format", ["gift", "moodlexml"])
def test_the_shipped_final_assessment_survives_a_round_trip(db, tmp_path, format):
    call_command("load_course", stdout=io.StringIO())
    path, _ = export("final-assessment", format, tmp_path)
    run_import(path, "final-copy")
    # Moodle has no {emergency}: the file carries the number of the site's language.
    expected = fill_all(as_exported("final-assessment"), "en-gb")
    if format == "gift":
        expected = [q for q in expected if q["type"] != "ordering"]
    assert copied("final-copy") == expected


def test_export_writes_to_standard_output_without_o(db):
    quiz_with_every_type("bank")
    out, err = io.StringIO(), io.StringIO()
    call_command("export_questions", quiz="bank", format="gift", stdout=out, stderr=err)
    assert out.getvalue().startswith("// Questions of the CrampCourse quiz “Bank” (bank).")
    assert "::Where\\: \\{tricky\\} \\#1::" in out.getvalue()
    assert "warning: Question 5 (Escape algorithm) is left out" in err.getvalue()
    assert "// Question 5 (Escape algorithm) is left out" in out.getvalue()


def test_export_of_an_unknown_quiz_is_an_error(db):
    with pytest.raises(CommandError, match="No quiz with the slug 'nope'"):
        call_command("export_questions", quiz="nope", format="gift")


# Importing -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "count"), [("every-feature.gift", 10), ("every-type.xml", 7)])
def test_sample_files_import_with_the_format_guessed(db, name, count):
    output = run_import(SAMPLES / name, "samples", skip_unsupported=True)
    quiz = Quiz.objects.get(slug="samples")
    assert quiz.questions.count() == count
    assert not quiz.is_published
    assert f"Imported {count} questions into “Samples” (a new quiz, not published yet)" in output


def test_import_appends_after_the_quizs_own_questions(db, tmp_path):
    quiz = make_quiz("escape")
    add_escape_ordering(quiz, order=1)
    path = tmp_path / "more.gift"
    path.write_text("Cold water brings cramps on faster.{T}\n\nWhere?{=calf ~ear}\n")
    run_import(path, "escape", format="gift")
    assert list(quiz.questions.values_list("order", "type")) == [
        (1, "ordering"),
        (2, "truefalse"),
        (3, "single"),
    ]
    assert Quiz.objects.get(slug="escape").is_published


def test_a_file_with_an_unsupported_question_imports_nothing(db, tmp_path):
    path = tmp_path / "essay.gift"
    path.write_text(ESSAY_GIFT)
    with pytest.raises(CommandError) as caught:
        run_import(path, "new-quiz")
    assert "Nothing was imported" in str(caught.value)
    assert "line 3: not supported: essay questions ({}) need a person to mark them" in str(
        caught.value
    )
    assert not Quiz.objects.exists()
    assert not Question.objects.exists()


def test_skip_unsupported_imports_the_rest_and_lists_what_was_skipped(db, tmp_path):
    path = tmp_path / "essay.gift"
    path.write_text(ESSAY_GIFT)
    output = run_import(path, "new-quiz", skip_unsupported=True)
    assert "skipped line 3: not supported: essay questions" in output
    assert "Imported 1 question into" in output
    assert Question.objects.get().type == "single"


def test_a_file_with_nothing_importable_is_an_error_even_when_skipping(db, tmp_path):
    path = tmp_path / "essay.gift"
    path.write_text("Describe your last cramp.{}\n")
    with pytest.raises(CommandError, match="No question in the file can be imported"):
        run_import(path, "new-quiz", skip_unsupported=True)
    assert not Quiz.objects.exists()


@pytest.mark.parametrize(
    ("gift", "problem"),
    [
        ("Two right answers?{=calf =foot ~ear}", "exactly one correct option"),
        ("Half marks at most?{~%50%calf ~%25%foot ~ear}", "must add up to 100"),
        ("Order me?{=a -> 1 =b -> 2}\n\nOne pair?{=a -> 1 = -> 2}", "at least two items"),
        ("How many?{#=%50%4:0}", "answer worth 100 percent"),
        ("Too far?{#-1:-2}", "tolerance"),
        ("Which?{=%50%calf}", "accepted answer worth 100 percent"),
        ("Huge?{#12345678901:0}", "value: Ensure that there are no more than 14 digits"),
        (f"Long?{{=a -> {'x' * 301} =b -> c}}", "at most 300 characters"),
        ("// [unit:much too long a unit name]\nUnit?{#4}", "at most 20 characters"),
        ("// [points:-1]\nNegative?{T}", "points cannot be negative"),
    ],
)
def test_every_question_is_checked_with_the_admins_rules(db, tmp_path, gift, problem):
    path = tmp_path / "bad.gift"
    path.write_text(gift)
    with pytest.raises(CommandError, match=problem):
        run_import(path, "checked")
    assert not Question.objects.exists()


def test_moodle_weights_in_thirds_are_kept_exactly_and_full_marks_stay_reachable(db, trainee):
    import_questions("thirds", (SAMPLES / "every-type.xml").read_bytes(), skip_unsupported=True)
    checks = Question.objects.get(name="Doctor's checks")
    assert [str(o.weight) for o in checks.options.all()] == [
        "33.33333",
        "33.33333",
        "33.33333",
        "-100.00000",
    ]
    Question.objects.exclude(pk=checks.pk).delete()
    attempt = start_attempt(checks.quiz, trainee)
    (slot,) = attempt.slots.select_related("version")
    save_answers(attempt, {slot.pk: scoring.full_marks_response(slot.version.data)})
    assert submit_attempt(attempt)[0].percent == 100


def test_imported_questions_can_be_taken_and_scored(db, trainee):
    import_questions("samples", (SAMPLES / "every-feature.gift").read_bytes())
    quiz = Quiz.objects.get(slug="samples")
    attempt = start_attempt(quiz, trainee)
    save_answers(
        attempt,
        {
            slot.pk: scoring.full_marks_response(slot.version.data)
            for slot in attempt.slots.select_related("version")
        },
    )
    assert submit_attempt(attempt)[0].percent == 100


def test_imported_html_is_stored_clean_and_rendered_safely(db):
    import_questions("samples", (SAMPLES / "every-type.xml").read_bytes(), skip_unsupported=True)
    question = Question.objects.get(name="Safer option")
    assert "onerror" not in question.text
    html = str(render_markdown(question.text))
    assert "<em>safer</em>" in html
    assert "onerror" not in html


def test_an_invalid_new_quiz_slug_is_refused(db, tmp_path):
    path = tmp_path / "ok.gift"
    path.write_text("Where?{=calf ~ear}")
    with pytest.raises(CommandError, match="cannot be a quiz slug"):
        run_import(path, "not a slug!")
    assert not Quiz.objects.exists()


def test_a_missing_file_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run_import(tmp_path / "missing.gift", "quiz")


# Hostile files -------------------------------------------------------------------------------

BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE quiz [<!ENTITY a "aaaaaaaaaa">'
    + b"".join(f'<!ENTITY {chr(98 + i)} "{f"&{chr(97 + i)};" * 10}">'.encode() for i in range(8))
    + b"]><quiz><question type='shortanswer'><questiontext><text>&i;</text></questiontext>"
    + b"<answer fraction='100'><text>a</text></answer></question></quiz>"
)
HOSTILE = {
    "too big": (b"// " + b"x" * (2 * 1024 * 1024) + b"\nWhere?{=calf ~ear}", "larger than"),
    "billion laughs": (BILLION_LAUGHS, "declares a DTD"),
    "external entity": (
        b'<?xml version="1.0"?><!DOCTYPE quiz [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        b"<quiz><question type='truefalse'><questiontext><text>&e;</text>"
        b"</questiontext></question></quiz>",
        "declares a DTD",
    ),
    "deep xml": (b"<quiz>" + b"<q>" * 100_000 + b"</q>" * 100_000 + b"</quiz>", "nested"),
    "malformed xml": (b'<?xml version="1.0"?><quiz><question type="truefalse">', "not well"),
    "latin-1 xml said to be utf-8": (
        '<?xml version="1.0" encoding="UTF-8"?><quiz>é</quiz>'.encode("latin-1"),
        "not well-formed",
    ),
    "latin-1 gift": ("Where do cramps strike? Café{=calf ~ear}".encode("latin-1"), "not UTF-8"),
    "binary": (bytes(range(256)) * 4, "not UTF-8"),
    "empty": (b"  \n", "empty"),
    "no questions": (b"// only a comment\n", "No questions found"),
}


@pytest.mark.parametrize("case", HOSTILE)
def test_hostile_files_get_a_clear_error_and_change_nothing(db, tmp_path, case):
    data, message = HOSTILE[case]
    make_quiz("target")
    path = tmp_path / "upload"
    path.write_bytes(data)
    with pytest.raises(CommandError, match=message):
        run_import(path, "target")
    with pytest.raises(CommandError, match=message):
        run_import(path, "brand-new", skip_unsupported=True)
    assert list(Quiz.objects.values_list("slug", flat=True)) == ["target"]
    assert not Question.objects.exists()


@pytest.mark.parametrize(
    "sample",
    ["every-feature.gift", "every-type.xml", "moodle-constructs.gift", "moodle-constructs.xml"],
)
def test_mangled_files_give_a_clear_error_or_questions_never_a_crash(db, sample):
    """Cut, garbled and spliced copies of the samples, as a careless editor makes them."""
    rng = random.Random(sample)
    original = (SAMPLES / sample).read_bytes()
    alphabet = b"{}=~#:\\%->[]<>/&;!?TF01.\n *$"
    for _ in range(300):
        data = bytearray(original)
        for _ in range(rng.randint(1, 6)):
            at = rng.randrange(len(data))
            if rng.random() < 0.5:
                data[at : at + rng.randint(1, 40)] = b""
            else:
                data[at:at] = bytes(rng.choice(alphabet) for _ in range(rng.randint(1, 4)))
        try:
            parsed = read_questions(bytes(data))
        except QuestionFileError:
            continue  # any other exception fails the test
        assert all(q.spec or q.problem for q in parsed)


def test_an_unknown_declared_encoding_is_a_clear_error():
    with pytest.raises(QuestionFileError, match="encoding cannot be read"):
        read_questions(b'<?xml version="1.0" encoding="klingon"?><quiz></quiz>')


def test_the_size_limit_is_a_setting(db, tmp_path, settings):
    settings.QUESTION_IMPORT_MAX_BYTES = 10
    path = tmp_path / "small.gift"
    path.write_text("Where?{=calf ~ear}")
    with pytest.raises(CommandError, match="larger than the 10"):
        run_import(path, "quiz")


# The admin -----------------------------------------------------------------------------------


def import_url(quiz):
    return reverse("admin:quizzes_quiz_import_questions", args=[quiz.pk])


def upload(client, quiz, data, name="bank.gift", **fields):
    file = io.BytesIO(data)
    file.name = name
    return client.post(import_url(quiz), {"file": file, **fields})


def test_quiz_page_links_to_the_import_form(staff_client, db):
    quiz = make_quiz()
    page = staff_client.get(reverse("admin:quizzes_quiz_change", args=[quiz.pk]))
    assert import_url(quiz) in page.content.decode()
    form = staff_client.get(import_url(quiz))
    assert form.status_code == 200
    content = form.content.decode()
    assert 'enctype="multipart/form-data"' in content
    assert "csrfmiddlewaretoken" in content
    assert "Guess from the file" in content


def test_admin_upload_imports_and_reports_then_returns_to_the_quiz(staff_client, db):
    quiz = make_quiz("target")
    response = upload(
        staff_client, quiz, (SAMPLES / "every-type.xml").read_bytes(), skip_unsupported="on"
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:quizzes_quiz_change", args=[quiz.pk])
    assert quiz.questions.count() == 7
    page = staff_client.get(response["Location"]).content.decode()
    assert "Imported 7 questions into “Target”; skipped 1." in page
    assert "Skipped question 8 (Your own cramp): not supported: essay questions" in page
    assert "the catch-all answer * and its feedback are left out" in page


def test_admin_upload_with_an_unsupported_question_shows_errors_and_imports_nothing(
    staff_client, db
):
    quiz = make_quiz()
    response = upload(staff_client, quiz, ESSAY_GIFT.encode(), format="gift")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was imported" in page
    assert "line 3: not supported: essay questions ({}) need a person to mark them" in page
    assert not Question.objects.exists()


@pytest.mark.parametrize("case", ["billion laughs", "external entity", "deep xml", "binary"])
def test_admin_upload_of_a_hostile_file_is_a_form_error(staff_client, db, case):
    quiz = make_quiz()
    data, message = HOSTILE[case]
    response = upload(staff_client, quiz, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Question.objects.exists()


def test_admin_upload_over_the_size_limit_is_refused_before_reading(staff_client, db, settings):
    settings.QUESTION_IMPORT_MAX_BYTES = 10
    quiz = make_quiz()
    response = upload(staff_client, quiz, b"Where?{=calf ~ear}")
    assert response.status_code == 400
    assert "an import may be at most 10" in response.content.decode()


def test_admin_import_needs_the_change_permission(client, db):
    quiz = make_quiz()
    viewer = make_user("viewer")
    viewer.is_staff = True
    viewer.save()
    viewer.user_permissions.add(Permission.objects.get(codename="view_quiz"))
    client.force_login(viewer)
    assert client.get(import_url(quiz)).status_code == 403
    assert upload(client, quiz, b"Where?{=calf ~ear}").status_code == 403
    assert not Question.objects.exists()


def test_admin_import_needs_a_staff_login(client, trainee, db):
    quiz = make_quiz()
    assert client.get(import_url(quiz)).status_code == 302
    client.force_login(trainee)
    assert client.get(import_url(quiz)).status_code == 302
    assert upload(client, quiz, b"Where?{=calf ~ear}").status_code == 302
    assert not Question.objects.exists()


def test_admin_import_is_csrf_protected(admin_user, db):
    quiz = make_quiz()
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    assert upload(client, quiz, b"Where?{=calf ~ear}").status_code == 403
    assert not Question.objects.exists()


def test_admin_import_of_an_unknown_quiz_is_404(staff_client, db):
    assert staff_client.get("/admin/quizzes/quiz/999/import-questions/").status_code == 404


def export_action(client, action, *quizzes):
    return client.post(
        reverse("admin:quizzes_quiz_changelist"),
        {"action": action, "_selected_action": [q.pk for q in quizzes]},
    )


def test_admin_action_downloads_moodle_xml_that_imports_back(staff_client, db):
    quiz_with_every_type("bank")
    response = export_action(staff_client, "export_moodle_xml", Quiz.objects.get())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="bank-moodle.xml"'
    assert_moodle_accepts(response.content.decode(), "moodlexml")
    import_questions("bank-copy", response.content)
    assert copied("bank-copy") == as_exported("bank")


def test_admin_gift_action_warns_about_ordering_questions(staff_client, db):
    quiz_with_every_type("bank")
    response = export_action(staff_client, "export_gift", Quiz.objects.get())
    assert response["Content-Disposition"] == 'attachment; filename="bank-gift.txt"'
    assert_moodle_accepts(response.content.decode(), "gift")
    assert "Where\\: \\{tricky\\}" in response.content.decode()
    page = staff_client.get(reverse("admin:quizzes_quiz_changelist")).content.decode()
    assert "Question 5 (Escape algorithm) is left out: GIFT has no ordering questions" in page


def test_admin_action_on_several_quizzes_downloads_a_zip(staff_client, db):
    first, second = quiz_with_every_type("first"), make_quiz("second")
    add_escape_ordering(second)
    response = export_action(staff_client, "export_moodle_xml", first, second)
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == ["first-moodle.xml", "second-moodle.xml"]
    for name in archive.namelist():
        assert_moodle_accepts(archive.read(name).decode(), "moodlexml")


@pytest.mark.parametrize(
    "line",
    [
        "::n::Q{#1..1e99999999}",
        "::n::Q{#1e99999999:1}",
        "::n::Q{#=%50%1e99999999 =%100%2}",
        "::n::Q{=%" + "9" * 1_000_001 + "%calf ~ear}",
    ],
)
def test_gift_numbers_too_large_are_a_line_numbered_import_error(staff_client, db, line):
    quiz = make_quiz("overflow")
    response = upload(staff_client, quiz, f"// numbers\n\n{line}\n".encode())
    assert response.status_code == 400
    page = response.content.decode()
    assert "line 3 (n)" in page
    assert "is too large" in page
    assert quiz.questions.count() == 0


def test_moodle_xml_numbers_too_large_are_an_import_error(staff_client, db):
    quiz = make_quiz("overflow-xml")
    xml = (SAMPLES / "every-type.xml").read_text(encoding="utf-8")
    huge = xml.replace("<defaultgrade>4.0000000<", "<defaultgrade>1e99999999<", 1)
    assert huge != xml
    response = upload(staff_client, quiz, huge.encode(), name="bank.xml")
    assert response.status_code == 400
    assert "is too large" in response.content.decode()
    assert quiz.questions.count() == 0
