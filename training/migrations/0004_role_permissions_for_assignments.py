from django.db import migrations


def grant_new_permissions(apps, schema_editor):
    from training.roles import sync_role_groups

    sync_role_groups(apps)


class Migration(migrations.Migration):
    """Give coaches and trainees the permissions on assignments and overrides."""

    dependencies = [("training", "0003_assignments_and_overrides")]

    operations = [migrations.RunPython(grant_new_permissions, migrations.RunPython.noop)]
