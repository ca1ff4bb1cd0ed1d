# Existing decisions, outcomes and votes read on the two routes through the documented mapping
# from the old single level (training.responses.FROM_OLD_LEVEL); they name no actions. One
# UPDATE per old level and field, so no row is read into Python.
#
# Backwards, a response goes to the old level that maps to it; a combination no old level maps
# to goes to the old level of its most intrusive part (a Prevent referral or emergency first,
# else its safeguarding route), so a rollback loses detail, never rows.

from django.db import migrations

# A frozen copy of training.responses.FROM_OLD_LEVEL as it stood when this migration landed:
# a migration must do the same thing forever, whatever later happens to the live mapping.
FROM_OLD_LEVEL = {
    "no_further_action": ("none", "none"),
    "monitor_and_record": ("record", "none"),
    "universal_support": ("universal", "none"),
    "early_help": ("family_help", "none"),
    "statutory_social_care": ("child_protection", "none"),
    "prevent_referral": ("universal", "referral"),
    "police_emergency": ("emergency_protection", "emergency"),
}

# (old field, new safeguarding field, new Prevent field) on each model.
FIELDS = {
    "Case": [
        ("response_taken", "response_safeguarding", "response_prevent"),
        ("outcome_level", "outcome_safeguarding", "outcome_prevent"),
    ],
    "ConsensusVote": [("level", "safeguarding", "prevent")],
}
OLD_BY_PREVENT = {"emergency": "police_emergency", "referral": "prevent_referral"}
OLD_BY_SAFEGUARDING = {
    "none": "no_further_action",
    "record": "monitor_and_record",
    "universal": "universal_support",
    "family_help": "early_help",
    "child_protection": "statutory_social_care",
    "emergency_protection": "police_emergency",
}


def forwards(apps, schema_editor):
    for model_name, fields in FIELDS.items():
        model = apps.get_model("casenotes", model_name)
        for old, safeguarding, prevent in fields:
            for level, (safeguarding_key, prevent_key) in FROM_OLD_LEVEL.items():
                model.objects.filter(**{old: level}).update(
                    **{safeguarding: safeguarding_key, prevent: prevent_key}
                )


def backwards(apps, schema_editor):
    exact = {routes: level for level, routes in FROM_OLD_LEVEL.items()}
    for model_name, fields in FIELDS.items():
        model = apps.get_model("casenotes", model_name)
        for old, safeguarding, prevent in fields:
            pairs = model.objects.exclude(**{safeguarding: ""}).values_list(safeguarding, prevent)
            for safeguarding_key, prevent_key in set(pairs):
                level = exact.get((safeguarding_key, prevent_key)) or OLD_BY_PREVENT.get(
                    prevent_key, OLD_BY_SAFEGUARDING[safeguarding_key]
                )
                model.objects.filter(
                    **{safeguarding: safeguarding_key, prevent: prevent_key}
                ).update(**{old: level})


class Migration(migrations.Migration):
    dependencies = [
        ("casenotes", "0010_case_and_vote_routes"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
