"""Overrides now belong to one group's assignment and end with the membership.

Before, a coach could put anyone in their group and grant allowances that counted in every
group; allowances of trainees no longer (or never) in the assignment's group are dropped.
"""

from django.db import migrations
from django.db.models import Exists, OuterRef


def drop_overrides_outside_membership(apps, schema_editor):
    QuizOverride = apps.get_model("training", "QuizOverride")
    Membership = apps.get_model("training", "Membership")
    active = Membership.objects.filter(
        group=OuterRef("assignment__group"), trainee=OuterRef("trainee"), removed_at__isnull=True
    )
    QuizOverride.objects.exclude(Exists(active)).delete()


class Migration(migrations.Migration):
    dependencies = [("training", "0006_invitations_and_roster_accounts")]

    operations = [
        migrations.RunPython(drop_overrides_outside_membership, migrations.RunPython.noop),
    ]
