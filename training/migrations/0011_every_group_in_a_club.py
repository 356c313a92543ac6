import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("training", "0010_groups_into_one_club")]

    operations = [
        migrations.AlterField(
            model_name="traininggroup",
            name="club",
            field=models.ForeignKey(
                help_text="The club this group trains with; its admins see the group too.",
                limit_choices_to={"kind": "club"},
                on_delete=django.db.models.deletion.PROTECT,
                related_name="groups",
                to="organisations.organisation",
            ),
        ),
    ]
