from django.conf import settings
from django.db import migrations, models
from django.utils import timezone
from django.utils.text import slugify


def into_one_club(apps, schema_editor):
    """Every group made before clubs existed goes into one club (named by DEFAULT_CLUB_NAME),
    and everyone who coaches a group, or is in the Coach group, becomes a coach there."""
    TrainingGroup = apps.get_model("training", "TrainingGroup")
    if not TrainingGroup.objects.exists():
        return
    Organisation = apps.get_model("organisations", "Organisation")
    StaffRole = apps.get_model("organisations", "StaffRole")
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    name = settings.DEFAULT_CLUB_NAME
    club, _ = Organisation.objects.get_or_create(
        slug=slugify(name)[:50] or "club", defaults={"name": name, "kind": "club"}
    )
    TrainingGroup.objects.filter(club__isnull=True).update(club=club)
    coaches = User.objects.filter(
        models.Q(coached_groups__isnull=False) | models.Q(groups__name="Coach")
    ).distinct()
    now = timezone.now()
    StaffRole.objects.bulk_create(
        [
            StaffRole(person=coach, organisation=club, role="coach", granted_at=now)
            for coach in coaches
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    # Its own migration: PostgreSQL refuses to alter a table with row updates still pending
    # their foreign-key checks in the same transaction.
    dependencies = [("training", "0009_groups_belong_to_clubs")]

    operations = [migrations.RunPython(into_one_club, migrations.RunPython.noop)]
