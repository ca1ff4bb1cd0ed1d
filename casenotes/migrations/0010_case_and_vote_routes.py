# The case's decision and outcome and every vote name a safeguarding route, a Prevent route
# and actions instead of one level on a single scale (DESIGN.md "Responses: two routes, a band,
# safety-critical decisions"). The fields are added here, filled from the old single levels by
# 0011 and the old fields dropped by 0012, each in its own transaction.

from django.db import migrations, models

SAFEGUARDING = [
    ("none", "No safeguarding action"),
    ("record", "Record and keep watch"),
    ("universal", "Universal support"),
    ("family_help", "Family help (early help or section 17)"),
    ("child_protection", "Child protection (section 47)"),
    ("emergency_protection", "Immediate protection"),
]
PREVENT = [
    ("none", "No Prevent action"),
    ("advice", "Prevent advice"),
    ("referral", "Prevent referral"),
    ("emergency", "999 emergency"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("casenotes", "0009_case_search_vector_kept_by_services"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="response_safeguarding",
            field=models.CharField(choices=SAFEGUARDING, default="", max_length=30),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="case",
            name="response_prevent",
            field=models.CharField(choices=PREVENT, default="", max_length=30),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="case",
            name="response_actions",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name="case",
            name="outcome_safeguarding",
            field=models.CharField(blank=True, choices=SAFEGUARDING, max_length=30),
        ),
        migrations.AddField(
            model_name="case",
            name="outcome_prevent",
            field=models.CharField(blank=True, choices=PREVENT, max_length=30),
        ),
        migrations.AddField(
            model_name="case",
            name="outcome_actions",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name="consensusvote",
            name="safeguarding",
            field=models.CharField(choices=SAFEGUARDING, default="", max_length=30),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="consensusvote",
            name="prevent",
            field=models.CharField(choices=PREVENT, default="", max_length=30),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="consensusvote",
            name="actions",
            field=models.JSONField(blank=True, default=list),
        ),
    ]
