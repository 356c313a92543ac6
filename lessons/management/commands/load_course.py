from django.core.management.base import BaseCommand, CommandError

from lessons.course_files import CourseFileError, default_course_dir, load_course


class Command(BaseCommand):
    help = (
        "Load the course (lessons and quizzes) from its files. Safe to run again: nothing is "
        "duplicated, and rows edited in the admin since the last load are kept unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", nargs="?", help=f"default: {default_course_dir()}")
        parser.add_argument(
            "--force", action="store_true", help="overwrite rows edited in the admin"
        )

    def handle(self, *args, directory=None, force=False, **options):
        try:
            course, report = load_course(directory, force=force)
        except CourseFileError as error:
            raise CommandError(f"Nothing was loaded. {error}") from error
        for line in report.lines():
            style = self.style.WARNING if line.startswith("kept") else str
            self.stdout.write(style(line))
        self.stdout.write(
            self.style.SUCCESS(
                f"Course '{course.slug}': {len(report.created)} created, "
                f"{len(report.updated)} updated, {len(report.unchanged)} unchanged, "
                f"{len(report.kept_edits)} kept as edited."
            )
        )
