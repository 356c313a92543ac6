from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from certification.models import IssuerKey
from certification.openbadges import keys
from organisations.models import Organisation


class Command(BaseCommand):
    help = (
        "Make or rotate an issuing organisation's Open Badges signing key (kept encrypted with "
        "OPENBADGES_KEY_SECRET), or list the keys. Rotation retires the old key; it stays "
        "published so that what it signed still verifies. After changing the secret, "
        "--reencrypt encrypts every key again with it (the old one in OPENBADGES_KEY_OLD_SECRET)."
    )

    def add_arguments(self, parser):
        action = parser.add_mutually_exclusive_group(required=True)
        action.add_argument("--create", metavar="SLUG", nargs="+", help="a first key")
        action.add_argument("--rotate", metavar="SLUG", nargs="+", help="a new key, old retired")
        action.add_argument("--list", action="store_true", help="every key and its state")
        action.add_argument(
            "--reencrypt",
            action="store_true",
            help="every key encrypted again with OPENBADGES_KEY_SECRET, after changing it",
        )

    def handle(self, *args, **options):
        if options["list"]:
            for key in IssuerKey.objects.select_related("organisation"):
                state = f"retired {key.retired_at:%Y-%m-%d}" if key.retired_at else "active"
                self.stdout.write(f"{key.organisation.slug}\t{key.key_id}\t{state}")
            return
        if options["reencrypt"]:
            return self.reencrypt()
        rotating = bool(options["rotate"])
        for slug in options["rotate"] or options["create"]:
            organisation = Organisation.objects.filter(slug=slug).first()
            if organisation is None:
                raise CommandError(f"No organisation has the slug {slug!r}.")
            if not rotating and keys.active_key(organisation) is not None:
                raise CommandError(f"{slug} has a key already: use --rotate for a new one.")
            try:
                key = keys.create_key(organisation)
            except keys.NotConfigured as refused:
                raise CommandError(str(refused)) from None
            self.stdout.write(f"{slug}: {'rotated to' if rotating else 'created'} {key.key_id}")

    def reencrypt(self):
        try:
            reencrypted, unchanged = keys.reencrypt_all()
        except keys.NotConfigured as refused:
            raise CommandError(str(refused)) from None
        self.stdout.write(
            f"Encrypted again with OPENBADGES_KEY_SECRET: {reencrypted}; already under it: "
            f"{unchanged}."
        )
        if settings.OPENBADGES_KEY_OLD_SECRET:
            self.stdout.write(
                "Every key opens with the new secret: unset OPENBADGES_KEY_OLD_SECRET."
            )
