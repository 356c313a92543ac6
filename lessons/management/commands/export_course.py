from django.core.management.base import BaseCommand, CommandError

from lessons.course_files import export_course
from lessons.models import Course


class Command(BaseCommand):
    help = "Write a course from the database to a folder in the format load_course reads."

    def add_arguments(self, parser):
        parser.add_argument("directory")
        parser.add_argument("--course", help="course slug (needed when there are several)")

    def handle(self, *args, directory, course=None, **options):
        courses = Course.objects.all()
        if course:
            courses = courses.filter(slug=course)
        if courses.count() != 1:
            raise CommandError(
                "Name the course with --course SLUG."
                if courses.exists()
                else "No such course. Load one first with load_course."
            )
        written = export_course(courses.get(), directory)
        for path in written:
            self.stdout.write(f"wrote {path}")
