"""A coach's time multiplier for one trainee on every timed quiz of a group (x1 for everyone)."""

from decimal import Decimal

from django.db import migrations, models

CHOICES = [
    (Decimal("1.00"), "The usual time"),
    (Decimal("1.25"), "1.25 times the usual time"),
    (Decimal("1.50"), "1.5 times the usual time"),
    (Decimal("2.00"), "Twice the usual time"),
]


class Migration(migrations.Migration):
    dependencies = [("training", "0007_overrides_end_with_membership")]

    operations = [
        migrations.AddField(
            model_name="membership",
            name="time_multiplier",
            field=models.DecimalField(
                choices=CHOICES,
                decimal_places=2,
                default=Decimal("1.00"),
                max_digits=3,
                verbose_name="time on timed quizzes",
            ),
        ),
        migrations.AddConstraint(
            model_name="membership",
            constraint=models.CheckConstraint(
                condition=models.Q(time_multiplier__in=[value for value, _ in CHOICES]),
                name="time_multiplier_is_a_choice",
            ),
        ),
    ]
