# The two response routes (DESIGN.md "Responses: two routes, a band, safety-critical
# decisions"): new fields beside the single scale's, which 0009 maps and 0010 drops.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
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
ERRORS = [
    ("consent_misused", "Consent misused"),
    ("over_sharing", "Over-sharing"),
    ("not_sharing", "Not sharing"),
    ("delay_on_threat", "Delay on a threat"),
    ("wrong_channel", "Wrong channel"),
    ("alerting_risk", "Alerting those who pose the risk"),
    ("coercive_statutory_powers", "Statutory powers used to force engagement"),
    ("investigating_yourself", "Investigating yourself"),
    ("not_recording", "Not recording"),
    ("bias", "Judging by identity"),
]


def _count(help_text=""):
    return models.PositiveIntegerField(default=0, help_text=help_text)


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0007_module_progress"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="module",
            name="min_decisions",
            field=models.PositiveSmallIntegerField(
                default=4,
                help_text="Every path from start to end must answer at least this many.",
            ),
        ),
        migrations.AddField(
            model_name="step",
            name="safeguarding_band_low",
            field=models.CharField(blank=True, choices=SAFEGUARDING, max_length=30),
        ),
        migrations.AddField(
            model_name="step",
            name="safeguarding_band_high",
            field=models.CharField(blank=True, choices=SAFEGUARDING, max_length=30),
        ),
        migrations.AddField(
            model_name="step",
            name="prevent_band_low",
            field=models.CharField(blank=True, choices=PREVENT, max_length=30),
        ),
        migrations.AddField(
            model_name="step",
            name="prevent_band_high",
            field=models.CharField(blank=True, choices=PREVENT, max_length=30),
        ),
        migrations.AddField(
            model_name="step",
            name="safety_critical",
            field=models.BooleanField(
                default=False,
                help_text="An under-reaction or a practice error here fails the attempt.",
            ),
        ),
        migrations.AlterField(
            model_name="step",
            name="explanation",
            field=models.TextField(blank=True, help_text="Why the accepted bands fit."),
        ),
        migrations.AddField(
            model_name="choice",
            name="safeguarding",
            field=models.CharField(blank=True, choices=SAFEGUARDING, max_length=30),
        ),
        migrations.AddField(
            model_name="choice",
            name="prevent",
            field=models.CharField(blank=True, choices=PREVENT, max_length=30),
        ),
        migrations.AddField(
            model_name="choice",
            name="actions",
            field=models.JSONField(blank=True, default=list, help_text="Action keys, unordered."),
        ),
        migrations.AddField(
            model_name="choice",
            name="error",
            field=models.CharField(
                blank=True, choices=ERRORS, max_length=40, verbose_name="practice error"
            ),
        ),
        migrations.AlterField(
            model_name="answer",
            name="chosen_level",
            field=models.CharField(blank=True, max_length=30),
        ),
        migrations.AlterField(
            model_name="answer",
            name="proportionate_level",
            field=models.CharField(blank=True, max_length=30),
        ),
        migrations.AlterField(
            model_name="answer",
            name="distance",
            field=models.SmallIntegerField(
                default=0, help_text="On the old single scale; 0 for answers on the two routes."
            ),
        ),
        migrations.AddField(
            model_name="answer",
            name="safeguarding",
            field=models.CharField(choices=SAFEGUARDING, default="", max_length=30),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="answer",
            name="prevent",
            field=models.CharField(choices=PREVENT, default="", max_length=30),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="answer",
            name="actions",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name="answer",
            name="error",
            field=models.CharField(
                blank=True, choices=ERRORS, max_length=40, verbose_name="practice error"
            ),
        ),
        migrations.AddField(
            model_name="answer",
            name="safeguarding_distance",
            field=models.SmallIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="answer",
            name="prevent_distance",
            field=models.SmallIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="answer",
            name="critical_miss",
            field=models.BooleanField(default=False),
        ),
        # It includes the single scale's totals, which 0010 drops; 0010 makes it again.
        migrations.RemoveIndex(model_name="attempt", name="attempt_decision_totals"),
        migrations.AddField(
            model_name="attempt",
            name="within_bands_count",
            field=_count("Answers inside both accepted bands with no practice error."),
        ),
        migrations.AddField(model_name="attempt", name="safeguarding_under_count", field=_count()),
        migrations.AddField(model_name="attempt", name="safeguarding_over_count", field=_count()),
        migrations.AddField(model_name="attempt", name="prevent_under_count", field=_count()),
        migrations.AddField(model_name="attempt", name="prevent_over_count", field=_count()),
        migrations.AddField(
            model_name="attempt",
            name="critical_miss_count",
            field=_count("Any one fails the attempt whatever its percentage."),
        ),
        migrations.AddField(
            model_name="moduleprogress",
            name="latest_critical_misses",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AddField(model_name="moduleprogress", name="within_bands_count", field=_count()),
        migrations.AddField(
            model_name="moduleprogress", name="safeguarding_under_count", field=_count()
        ),
        migrations.AddField(
            model_name="moduleprogress", name="safeguarding_over_count", field=_count()
        ),
        migrations.AddField(
            model_name="moduleprogress", name="prevent_under_count", field=_count()
        ),
        migrations.AddField(model_name="moduleprogress", name="prevent_over_count", field=_count()),
        migrations.AddField(
            model_name="moduleprogress", name="critical_miss_count", field=_count()
        ),
        migrations.CreateModel(
            name="CriticalMissDebrief",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("held_on", models.DateField()),
                ("note", models.CharField(max_length=500)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "answer",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="debrief",
                        to="training.answer",
                    ),
                ),
                (
                    "supervisor",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={"ordering": ["-held_on", "-id"]},
        ),
    ]
