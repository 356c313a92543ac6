from django.db import migrations


def create_role_groups(apps, schema_editor):
    from training.roles import sync_role_groups

    sync_role_groups(apps)


class Migration(migrations.Migration):
    """Create the Coach and Trainee auth groups with their permissions."""

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("training", "0001_initial"),
        ("lessons", "0001_initial"),
        ("quizzes", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_role_groups, migrations.RunPython.noop)]
