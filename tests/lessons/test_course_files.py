import textwrap

import pytest
from django.core.management import CommandError, call_command

from lessons.course_files import CourseFileError, export_course, load_course
from lessons.models import Course, Lesson
from tests.factories import make_trainee


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")


@pytest.fixture
def course_dir(tmp_path):
    write(
        tmp_path / "course.md",
        """
        ---
        slug: test-course
        title: Test course
        summary: A course for tests.
        ---
        Welcome to the pool.
        """,
    )
    write(
        tmp_path / "lessons" / "01-first.md",
        """
        ---
        slug: first
        title: First lesson
        order: 1
        summary: The first one.
        key_points:
          - Breathe in.
          - Stay calm.
        ---
        ## Why

        Cold water brings cramps on faster.
        """,
    )
    write(
        tmp_path / "lessons" / "02-second.md",
        """
        ---
        slug: second
        title: Second lesson
        order: 2
        ---
        Pull the toes toward the shin.
        """,
    )
    return tmp_path


def test_load_creates_the_course_and_lessons(db, course_dir):
    course, report = load_course(course_dir)
    assert course.title == "Test course"
    assert list(course.lessons.values_list("slug", flat=True)) == ["first", "second"]
    first = Lesson.objects.get(slug="first")
    assert first.key_point_list == ["Breathe in.", "Stay calm."]
    assert "<h2>Why</h2>" in first.body_html
    assert first.reading_minutes == 1
    assert report.created == ["course test-course", "lesson first", "lesson second"]


def test_loading_twice_duplicates_nothing(db, course_dir):
    load_course(course_dir)
    _, report = load_course(course_dir)
    assert Course.objects.count() == 1
    assert Lesson.objects.count() == 2
    assert report.created == []
    assert report.updated == []
    assert len(report.unchanged) == 3


def test_changed_file_updates_the_lesson(db, course_dir):
    load_course(course_dir)
    path = course_dir / "lessons" / "02-second.md"
    path.write_text(path.read_text().replace("Pull the toes", "Pull both big toes"))
    _, report = load_course(course_dir)
    assert report.updated == ["lesson second"]
    assert "Pull both big toes" in Lesson.objects.get(slug="second").body


def test_admin_edit_is_kept_and_reported_unless_forced(db, course_dir, capsys):
    load_course(course_dir)
    lesson = Lesson.objects.get(slug="second")
    lesson.body = "Edited by the head coach."
    lesson.save()
    path = course_dir / "lessons" / "02-second.md"
    path.write_text(path.read_text().replace("Pull the toes", "Pull both big toes"))

    call_command("load_course", str(course_dir))
    out = capsys.readouterr().out
    assert "kept: lesson second was edited in the admin since the last load" in out
    assert Lesson.objects.get(slug="second").body == "Edited by the head coach."

    call_command("load_course", str(course_dir), "--force")
    assert "Pull both big toes" in Lesson.objects.get(slug="second").body


def test_admin_edit_alone_is_kept_on_reload(db, course_dir):
    load_course(course_dir)
    Lesson.objects.filter(slug="first").update(title="Renamed in admin")
    _, report = load_course(course_dir)
    assert report.kept_edits == ["lesson first"]
    assert Lesson.objects.get(slug="first").title == "Renamed in admin"


def test_bad_file_loads_nothing(db, course_dir):
    write(course_dir / "lessons" / "03-bad.md", "---\ntitle: No slug\norder: 3\n---\nBody\n")
    with pytest.raises(CommandError, match=r"03-bad.md: missing front-matter keys \['slug'\]"):
        call_command("load_course", str(course_dir))
    assert not Course.objects.exists()
    assert not Lesson.objects.exists()


def test_unknown_key_is_an_error(db, course_dir):
    write(
        course_dir / "lessons" / "03-bad.md", "---\nslug: x\ntitle: X\norder: 3\nauthor: me\n---\n"
    )
    with pytest.raises(CommandError, match="unknown front-matter keys"):
        call_command("load_course", str(course_dir))


def test_export_then_load_gives_back_the_same_course(db, course_dir, tmp_path_factory):
    course, _ = load_course(course_dir)
    before = {lesson.slug: lesson.content_fields() for lesson in course.lessons.all()}
    out = tmp_path_factory.mktemp("export")
    call_command("export_course", str(out))
    assert (out / "lessons" / "01-first.md").is_file()

    Lesson.objects.all().delete()
    Course.objects.all().delete()
    course, _report = load_course(out)
    after = {lesson.slug: lesson.content_fields() for lesson in course.lessons.all()}
    assert after == before
    assert course.body == "Welcome to the pool.\n"


def test_exported_lessons_reload_as_unchanged(db, course_dir, tmp_path_factory):
    course, _ = load_course(course_dir)
    out = tmp_path_factory.mktemp("export")
    export_course(course, out)
    _, report = load_course(out)
    assert report.updated == []
    assert report.kept_edits == []


@pytest.mark.parametrize(
    ("file", "old", "new", "field"),
    [
        ("course.md", "slug: test-course", "slug: test/course", "slug"),
        ("lessons/01-first.md", "slug: first", "slug: ../../evil lesson", "slug"),
        ("lessons/02-second.md", "title: Second lesson", f"title: {'x' * 201}", "title"),
        ("lessons/02-second.md", "order: 2", "order: -2", "order"),
    ],
)
def test_a_field_the_admin_would_refuse_refuses_the_whole_load(db, course_dir, file, old, new,
                                                               field):  # fmt: skip
    path = course_dir / file
    path.write_text(path.read_text().replace(old, new))
    with pytest.raises(CommandError, match=rf"{file}: {field}: "):
        call_command("load_course", str(course_dir))
    assert not Course.objects.exists()
    assert not Lesson.objects.exists()


def test_a_source_may_say_when_it_was_confirmed_and_what_it_supports(tmp_path, db, client):
    (tmp_path / "lessons").mkdir()
    (tmp_path / "course.md").write_text("---\nslug: small\ntitle: Small\n---\nHi\n")
    (tmp_path / "lessons" / "01-a.md").write_text(
        "---\nslug: a\ntitle: A\norder: 1\nsources:\n"
        "  - publisher: RNLI\n    title: Float to Live\n    url: https://rnli.org/float\n"
        "    confirmed_on: 2026-12-03\n    supports: Float first, then call for help.\n"
        "---\nBody\n"
    )
    load_course(tmp_path)
    lesson = Lesson.objects.get(slug="a")
    assert lesson.sources[0]["confirmed_on"] == "2026-12-03"
    client.force_login(make_trainee())
    page = client.get(lesson.get_absolute_url()).content.decode()
    assert "Float first, then call for help." in page
    assert "confirmed at this address on 3 December 2026" in page


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("    confirmed_on: last week\n", "confirmed_on as a date"),
        ("    checked_by: me\n", "unknown keys: checked_by"),
    ],
)
def test_a_source_with_a_bad_confirmation_is_refused(tmp_path, db, extra, message):
    (tmp_path / "lessons").mkdir()
    (tmp_path / "course.md").write_text("---\nslug: small\ntitle: Small\n---\nHi\n")
    (tmp_path / "lessons" / "01-a.md").write_text(
        "---\nslug: a\ntitle: A\norder: 1\nsources:\n"
        "  - publisher: RNLI\n    title: Float to Live\n    url: https://rnli.org/float\n"
        f"{extra}---\nBody\n"
    )
    with pytest.raises(CourseFileError, match=message):
        load_course(tmp_path)
