# The single response scale's draft fields and totals go, now that 0009 has read them onto the
# two routes. Recorded answers keep their old levels (Answer.chosen_level, proportionate_level).

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0009_two_routes_data"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveField(model_name="step", name="proportionate_level"),
        migrations.RemoveField(model_name="choice", name="response_level"),
        migrations.RemoveField(model_name="attempt", name="distance_total"),
        migrations.RemoveField(model_name="attempt", name="proportionate_count"),
        migrations.RemoveField(model_name="moduleprogress", name="distance_total"),
        migrations.RemoveField(model_name="moduleprogress", name="proportionate_count"),
        migrations.AddIndex(
            model_name="attempt",
            index=models.Index(
                condition=models.Q(("answer_count__gt", 0), ("completed_at__isnull", False)),
                fields=["user"],
                include=(
                    "answer_count",
                    "within_bands_count",
                    "safeguarding_under_count",
                    "safeguarding_over_count",
                    "prevent_under_count",
                    "prevent_over_count",
                    "critical_miss_count",
                ),
                name="attempt_decision_totals",
            ),
        ),
    ]
