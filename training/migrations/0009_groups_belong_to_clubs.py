import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0001_clubs_federations_staff_roles"),
        ("training", "0008_time_multiplier"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="traininggroup",
            name="club",
            field=models.ForeignKey(
                help_text="The club this group trains with; its admins see the group too.",
                limit_choices_to={"kind": "club"},
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="groups",
                to="organisations.organisation",
            ),
        ),
    ]
