from django.core.management.base import BaseCommand

from certification.reminders import send_reminders


class Command(BaseCommand):
    help = (
        "Assign refreshers to certificates expiring within 30 days and mail due reminders "
        "(due within 48 h, overdue, certificates expiring or expired, the coaches' weekly "
        "digest). Safe to run every 15 minutes on several servers: each reminder goes once."
    )

    def handle(self, *args, **options):
        report = send_reminders()
        for key, error in report.failed:
            self.stderr.write(self.style.WARNING(f"not sent, will retry: {key} ({error})"))
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(report.sent)} sent, {report.already_sent} sent before, "
                f"{len(report.failed)} failed, {report.refreshers} refreshers assigned."
            )
        )
