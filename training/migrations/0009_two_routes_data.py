# Reads what the single response scale recorded onto the two routes, through the documented
# mapping (training.responses.FROM_OLD_LEVEL): drafts' decisions get single-level bands on
# both routes and each choice both routes; recorded answers get their routes and distances
# (keeping their old levels and points, so reports can say they were read from the old
# scale); attempts and the progress read model get their per-route totals.

from django.conf import settings
from django.db import migrations

from training.responses import FROM_OLD_LEVEL, PREVENT, SAFEGUARDING, level_index

CHUNK = 2000


def _routes(level):
    """(safeguarding, prevent) for an old level; ("", "") for none."""
    return FROM_OLD_LEVEL.get(level or "", ("", ""))


def drafts_map(apps, schema_editor):
    Step = apps.get_model("training", "Step")
    Choice = apps.get_model("training", "Choice")
    steps = list(Step.objects.exclude(proportionate_level=""))
    for step in steps:
        safeguarding, prevent = _routes(step.proportionate_level)
        step.safeguarding_band_low = step.safeguarding_band_high = safeguarding
        step.prevent_band_low = step.prevent_band_high = prevent
    Step.objects.bulk_update(
        steps,
        [
            "safeguarding_band_low",
            "safeguarding_band_high",
            "prevent_band_low",
            "prevent_band_high",
        ],
        batch_size=CHUNK,
    )
    choices = list(Choice.objects.exclude(response_level=""))
    for choice in choices:
        choice.safeguarding, choice.prevent = _routes(choice.response_level)
    Choice.objects.bulk_update(choices, ["safeguarding", "prevent"], batch_size=CHUNK)


def answers_map(apps, schema_editor):
    """Each answer's routes, and its distance on each from the single-level band its old
    proportionate level maps to. Nothing was safety-critical, so no critical misses."""
    Answer = apps.get_model("training", "Answer")
    Attempt = apps.get_model("training", "Attempt")
    totals = {}
    batch = []
    for answer in Answer.objects.order_by("pk").iterator(chunk_size=CHUNK):
        chosen, band = _routes(answer.chosen_level), _routes(answer.proportionate_level)
        answer.safeguarding, answer.prevent = chosen
        distances = [
            level_index(route, chosen[i]) - level_index(route, band[i])
            if chosen[i] and band[i]
            else 0
            for i, route in enumerate((SAFEGUARDING, PREVENT))
        ]
        answer.safeguarding_distance, answer.prevent_distance = distances
        batch.append(answer)
        row = totals.setdefault(answer.attempt_id, [0, 0, 0, 0, 0])
        row[0] += int(distances == [0, 0])
        row[1] += int(distances[0] < 0)
        row[2] += int(distances[0] > 0)
        row[3] += int(distances[1] < 0)
        row[4] += int(distances[1] > 0)
        if len(batch) >= CHUNK:
            _save_answers(Answer, batch)
            batch = []
    _save_answers(Answer, batch)
    attempts = list(Attempt.objects.filter(pk__in=totals))
    for attempt in attempts:
        (
            attempt.within_bands_count,
            attempt.safeguarding_under_count,
            attempt.safeguarding_over_count,
            attempt.prevent_under_count,
            attempt.prevent_over_count,
        ) = totals[attempt.pk]
    Attempt.objects.bulk_update(
        attempts,
        [
            "within_bands_count",
            "safeguarding_under_count",
            "safeguarding_over_count",
            "prevent_under_count",
            "prevent_over_count",
        ],
        batch_size=CHUNK,
    )


def _save_answers(Answer, batch):
    Answer.objects.bulk_update(
        batch, ["safeguarding", "prevent", "safeguarding_distance", "prevent_distance"]
    )


def progress_map(apps, schema_editor):
    """The read model again, now with each person's per-route totals."""
    from training.services.module_progress import Models, progress_rebuild

    progress_rebuild(
        Models(
            user=apps.get_model(settings.AUTH_USER_MODEL),
            assignment=apps.get_model("training", "Assignment"),
            attempt=apps.get_model("training", "Attempt"),
            module_progress=apps.get_model("training", "ModuleProgress"),
        )
    )


def forwards(apps, schema_editor):
    drafts_map(apps, schema_editor)
    answers_map(apps, schema_editor)
    progress_map(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0008_two_routes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    # Going back leaves the routes filled in: 0008's reverse drops them.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
