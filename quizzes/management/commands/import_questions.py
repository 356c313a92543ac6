from django.core.management.base import BaseCommand, CommandError

from lessons.translation import course_languages
from quizzes.models import Quiz
from quizzes.moodle.bank import (
    FORMATS,
    QuestionFileError,
    import_questions,
    import_translation,
    max_import_bytes,
)


class Command(BaseCommand):
    help = (
        "Import the questions of a GIFT or Moodle XML file into a quiz, after its own (the quiz "
        "is created, unpublished, when no quiz has that slug). A file with a question that "
        "cannot be imported imports nothing, unless --skip-unsupported. With --language, the "
        "file is the quiz's questions in that language, in the quiz's order: their texts are "
        "stored as the translation, the questions stay as they are."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--quiz", required=True, metavar="SLUG")
        parser.add_argument(
            "--format", choices=list(FORMATS), help="default: guessed from the file's content"
        )
        parser.add_argument(
            "--skip-unsupported",
            action="store_true",
            help="import the questions that can be imported and list the others",
        )
        parser.add_argument(
            "--language",
            choices=course_languages(),
            help="import the file as the quiz's questions in this language (a translation)",
        )

    def handle(
        self, *args, file, quiz, format=None, skip_unsupported=False, language=None, **options
    ):
        try:
            with open(file, "rb") as source:
                # One byte over the limit is enough for the import to refuse the file.
                data = source.read(max_import_bytes() + 1)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from error
        if language:
            self._import_translation(file, quiz, data, language, format)
            return
        try:
            report = import_questions(quiz, data, format=format, skip_unsupported=skip_unsupported)
        except QuestionFileError as error:
            problems = "\n".join(f"  {problem}" for problem in error.problems)
            raise CommandError(f"Nothing was imported from {file}:\n{problems}") from error
        for line in report.skipped:
            self.stdout.write(self.style.WARNING(f"skipped {line}"))
        for line in report.warnings:
            self.stdout.write(self.style.WARNING(f"warning {line}"))
        self.stdout.write(self.style.SUCCESS(report.summary()))

    def _import_translation(self, file, slug, data, language, format):
        quiz = Quiz.objects.filter(slug=slug).first()
        if quiz is None:
            raise CommandError(f"No quiz with the slug {slug!r} to translate.")
        try:
            count = import_translation(quiz, data, language, format=format)
        except QuestionFileError as error:
            problems = "\n".join(f"  {problem}" for problem in error.problems)
            raise CommandError(f"Nothing was imported from {file}:\n{problems}") from error
        self.stdout.write(
            self.style.SUCCESS(f"Stored the {language} texts of {count} questions of {slug}.")
        )
