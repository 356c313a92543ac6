from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from training.demo import seed_demo_accounts


class Command(BaseCommand):
    help = "Create demo accounts (admin, coaches, trainees in two groups). Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Run even with DEBUG off (the demo accounts share a published password).",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError(
                "Refusing to create demo accounts with DEBUG off: their password is public. "
                "Pass --allow-production if this really is a demo server."
            )
        logins = seed_demo_accounts()
        self.stdout.write("Demo log-ins (all share one password):")
        for login in logins:
            state = "created" if login.created else "exists"
            self.stdout.write(
                f"  {login.role:<8} {login.username:<10} {login.password}   ({state})"
            )
