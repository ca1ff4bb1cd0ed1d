# The old single levels, read onto the two routes by 0011, go. They are given a default first
# (which changes nothing in the database) so that a rollback can add them back to existing
# rows before 0011 fills them in.

from django.db import migrations, models

OLD_LEVELS = [
    ("no_further_action", "No further action"),
    ("monitor_and_record", "Monitor and record"),
    ("universal_support", "Universal support (school or DSL)"),
    ("early_help", "Early help"),
    ("statutory_social_care", "Statutory social care (s17 or s47)"),
    ("prevent_referral", "Prevent referral (Channel)"),
    ("police_emergency", "Police emergency"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("casenotes", "0011_routes_from_old_levels"),
    ]

    operations = [
        migrations.AlterField(
            model_name="case",
            name="response_taken",
            field=models.CharField(choices=OLD_LEVELS, default="", max_length=30),
        ),
        migrations.AlterField(
            model_name="consensusvote",
            name="level",
            field=models.CharField(choices=OLD_LEVELS, default="", max_length=30),
        ),
        migrations.RemoveField(model_name="case", name="response_taken"),
        migrations.RemoveField(model_name="case", name="outcome_level"),
        migrations.RemoveField(model_name="consensusvote", name="level"),
    ]
