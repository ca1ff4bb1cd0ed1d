# The old single levels, read onto the two routes by 0011, go.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("casenotes", "0011_routes_from_old_levels"),
    ]

    operations = [
        migrations.RemoveField(model_name="case", name="response_taken"),
        migrations.RemoveField(model_name="case", name="outcome_level"),
        migrations.RemoveField(model_name="consensusvote", name="level"),
    ]
