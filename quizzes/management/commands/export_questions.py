from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lessons.translation import course_languages
from quizzes.models import Quiz
from quizzes.moodle.bank import FORMATS, export_questions


class Command(BaseCommand):
    help = (
        "Write a quiz's questions as GIFT or Moodle XML, to standard output or a file. GIFT "
        "has no ordering questions: they are left out, each with a warning."
    )

    def add_arguments(self, parser):
        parser.add_argument("--quiz", required=True, metavar="SLUG")
        parser.add_argument("--format", required=True, choices=list(FORMATS))
        parser.add_argument("-o", "--output", metavar="FILE", help="default: standard output")
        parser.add_argument(
            "--language",
            choices=course_languages(),
            help="write the questions' texts in this language (default: English); a question "
            "not translated, or must-pass and not reviewed, is written in English",
        )

    def handle(self, *args, quiz, format, output=None, language=None, **options):
        found = Quiz.objects.filter(slug=quiz).first()
        if found is None:
            raise CommandError(f"No quiz with the slug {quiz!r}.")
        text, warnings = export_questions(found, format, language)
        # Warnings go to stderr, so standard output stays a clean file.
        for warning in warnings:
            self.stderr.write(self.style.WARNING(f"warning: {warning}"))
        if output is None:
            self.stdout.write(text, ending="")
            return
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror}.") from error
        written = found.questions.count() - sum("is left out" in warning for warning in warnings)
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {written} question{'s' if written != 1 else ''} as {FORMATS[format]} "
                f"to {output}."
            )
        )
