from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from training import hooks
from training.demo import (
    demo_invitation_path,
    seed_bench_squad,
    seed_demo_accounts,
    seed_scale,
    seed_scale_work,
)


class Command(BaseCommand):
    help = "Create demo accounts (admin, coaches, trainees in two groups). Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Run even with DEBUG off (the demo accounts share a published password).",
        )
        parser.add_argument(
            "--groups",
            type=int,
            default=0,
            help="Also create this many synthetic groups for load tests (scale-coach-0001 ...).",
        )
        parser.add_argument(
            "--trainees-per-group",
            type=int,
            default=20,
            help="Trainees in each synthetic group (scale-g0001-t001 ...). Default 20.",
        )
        parser.add_argument(
            "--with-attempts",
            action="store_true",
            help="Give the synthetic trainees read lessons and finished quiz attempts.",
        )
        parser.add_argument(
            "--bench-squad",
            action="store_true",
            help="Add 'Bench squad': 40 trainees (bench-t01 ...), 20 assignments, all with work.",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError(
                "Refusing to create demo accounts with DEBUG off: their password is public. "
                "Pass --allow-production if this really is a demo server."
            )
        if options["groups"] < 0 or options["trainees_per_group"] < 1:
            raise CommandError("--groups must be 0 or more and --trainees-per-group 1 or more.")
        logins = seed_demo_accounts()
        if options["groups"]:
            names = seed_scale(options["groups"], options["trainees_per_group"])
            if options["with_attempts"]:
                seed_scale_work(names)
            self.stdout.write(
                f"Synthetic groups: {options['groups']} x {options['trainees_per_group']} "
                "trainees (scale-coach-0001, scale-g0001-t001 ...), same password."
            )
        if options["bench_squad"]:
            seed_bench_squad()
            self.stdout.write("Bench squad: coach bench-coach, trainees bench-t01 ... bench-t40.")
        hooks.seed_demo()  # what apps built on training add to the demo (certificates)
        self.stdout.write("Demo log-ins (all share one password):")
        for login in logins:
            state = "created" if login.created else "exists"
            self.stdout.write(
                f"  {login.role:<16} {login.username:<12} {login.password}   ({state})"
            )
        self.stdout.write(
            "  roster1 was made by coach1's roster: it must choose a new password at first log-in."
        )
        self.stdout.write(f"Pending invitation to the Dolphins squad: {demo_invitation_path()}")
