"""The module library: indicators, loading files, snapshots and publishing."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Max

from portal.models import Authority, User
from training import engine, responses, snapshots
from training.models import (
    Choice,
    Indicator,
    Module,
    ModuleVersion,
    Scenario,
    Step,
)
from training.sources import library_sources

SNAPSHOT_FORMAT = engine.FORMAT


class PublishError(Exception):
    """The module cannot be published; `problems` lists every reason at once."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


# --- Indicators and the library -----------------------------------------------------------


@transaction.atomic
def indicators_load(*, data: Mapping[str, Any]) -> int:
    """Add or update the indicator taxonomy from a file (`manage.py` loading; no acting
    person)."""
    for item in data["indicators"]:
        Indicator.objects.update_or_create(
            key=item["key"],
            defaults={
                "name": item["name"],
                "category": item["category"],
                "description": item["description"],
            },
        )
    return len(data["indicators"])


@transaction.atomic
def module_load_from_json(
    *,
    data: Mapping[str, Any],
    authority: Authority | None = None,
    created_by: User | None = None,
    require_citations: bool = False,
) -> tuple[Module, bool]:
    """Write a module file into the draft tables and publish it, unless already at its version.

    Returns the module and whether anything changed, so loading the library twice is a no-op.
    For the management commands, demo and tests that load files: no acting person, so no
    permission check (authors import through `module_import`). A `threshold-module/1` file
    is read through the mapping to the two routes (engine.upgrade_document).
    `require_citations`: the national library's rule (`load_library`), a source on every
    decision and a review date.
    """
    data, _ = engine.upgrade_document(data)
    module = Module.objects.filter(key=data["key"]).first()
    if module is not None and module.library_version == data["version"]:
        return module, False
    fields = {
        "authority": authority,
        # The national library is for everyone; an authority's module stays its own unless
        # the file says it is shared.
        "visibility": Module.Visibility.SHARED
        if authority is None
        else data.get("visibility", Module.Visibility.AUTHORITY),
        "title": data["title"],
        "summary": data["summary"],
        "audience": data.get("audience", ""),
        "minutes": data["minutes"],
        "pass_mark": data["pass_mark"],
        "refresher_months": data["refresher_months"],
        "confidence_topic": data["confidence_topic"],
        "learning_outcomes": "\n".join(data["learning_outcomes"]),
        "min_decisions": data.get("min_decisions", engine.DEFAULT_MIN_DECISIONS),
        "reviewed_on": review_date(data),
        "library_version": data["version"],
    }
    if module is None:
        module = Module.objects.create(key=data["key"], created_by=created_by, **fields)
    else:
        for name, value in fields.items():
            setattr(module, name, value)
        module.save()
        module.scenarios.all().delete()
    _draft_write(module=module, data=data)
    module_publish(module=module, by=created_by, require_citations=require_citations)
    module.refresh_from_db(fields=["has_unpublished_changes", "updated_at"])
    return module, True


def review_date(data: Mapping[str, Any]) -> date | None:
    """The document's `reviewed_on` as a date; None when absent (validation has checked it)."""
    value = data.get("reviewed_on")
    return date.fromisoformat(value) if isinstance(value, str) and value else None


def _draft_write(*, module: Module, data: Mapping[str, Any]) -> None:
    """Create scenarios, steps and choices, then wire next-step links once all steps exist.
    An older document (a version published before the two routes) is read through the
    mapping first (engine.upgrade_document)."""
    data, _ = engine.upgrade_document(data)
    indicators = {i.key: i for i in Indicator.objects.all()}
    steps: dict[str, Step] = {}
    links: list[tuple[Step | Choice, str]] = []
    for s_pos, scenario_data in enumerate(data["scenarios"]):
        scenario = Scenario.objects.create(
            module=module, key=scenario_data["key"], title=scenario_data["title"], position=s_pos
        )
        for position, step_data in enumerate(scenario_data["steps"]):
            bands = step_data.get("bands") or {}
            safeguarding = bands.get(responses.SAFEGUARDING) or ("", "")
            prevent = bands.get(responses.PREVENT) or ("", "")
            step = Step.objects.create(
                scenario=scenario,
                key=step_data["key"],
                kind=step_data["kind"],
                title=step_data.get("title", ""),
                body=step_data.get("body", ""),
                position=position,
                safeguarding_band_low=safeguarding[0],
                safeguarding_band_high=safeguarding[1],
                prevent_band_low=prevent[0],
                prevent_band_high=prevent[1],
                safety_critical=bool(step_data.get("safety_critical")),
                explanation=step_data.get("explanation", ""),
                sources=list(step_data.get("sources") or []),
            )
            step.indicators.set([indicators[k] for k in step_data.get("indicators", [])])
            steps[step.key] = step
            if step_data.get("next"):
                links.append((step, step_data["next"]))
            for c_pos, choice_data in enumerate(step_data.get("choices", [])):
                choice = Choice.objects.create(
                    step=step,
                    text=choice_data["text"],
                    safeguarding=choice_data.get("safeguarding", ""),
                    prevent=choice_data.get("prevent", ""),
                    actions=list(choice_data.get("actions") or []),
                    error=choice_data.get("error") or "",
                    feedback=choice_data.get("feedback", ""),
                    position=c_pos,
                )
                if choice_data.get("next"):
                    links.append((choice, choice_data["next"]))
    for row, target in links:
        row.next_step = steps.get(target)
        row.save(update_fields=["next_step"])


# --- Publishing ---------------------------------------------------------------------------


def module_snapshot_build(*, module: Module) -> dict[str, Any]:
    """The module's draft as the library JSON format: what a published version freezes."""
    scenarios = module.scenarios.prefetch_related(
        "steps__indicators", "steps__choices__next_step", "steps__next_step"
    )
    indicators = {i.key: i for i in Indicator.objects.all()}
    used: dict[str, None] = {}
    snapshot_scenarios = []
    for scenario in scenarios:
        steps = []
        for step in scenario.steps.all():
            keys = [indicator.key for indicator in step.indicators.all()]
            used.update(dict.fromkeys(keys))
            item: dict[str, Any] = {
                "key": step.key,
                "kind": step.kind,
                "title": step.title,
                "body": step.body,
                "indicators": keys,
            }
            if step.kind == Step.Kind.NARRATIVE:
                item["next"] = step.next_step.key if step.next_step else ""
            if step.kind == Step.Kind.DECISION:
                item["bands"] = _bands(step)
                item["safety_critical"] = step.safety_critical
                item["explanation"] = step.explanation
                if step.sources:
                    item["sources"] = list(step.sources)
                item["choices"] = [_choice_item(choice) for choice in step.choices.all()]
            steps.append(item)
        snapshot_scenarios.append({"key": scenario.key, "title": scenario.title, "steps": steps})
    snapshot: dict[str, Any] = {
        "format": SNAPSHOT_FORMAT,
        "key": module.key,
        "title": module.title,
        "summary": module.summary,
        "audience": module.audience,
        "minutes": module.minutes,
        "pass_mark": module.pass_mark,
        "refresher_months": module.refresher_months,
        "confidence_topic": module.confidence_topic,
        "learning_outcomes": [line for line in module.learning_outcomes.splitlines() if line],
        "min_decisions": module.min_decisions,
        "scenarios": snapshot_scenarios,
        # Indicator names travel with the snapshot so old attempts report in their own words.
        "indicator_catalogue": {
            key: {"name": indicators[key].name, "category": indicators[key].category}
            for key in used
        },
    }
    if module.reviewed_on is not None:
        snapshot["reviewed_on"] = module.reviewed_on.isoformat()
    return snapshot


def _bands(step: Step) -> dict[str, list[str]]:
    """Each route's [lowest, highest]; an empty list for a band not given yet (the engine
    reports it)."""
    ends = {
        responses.SAFEGUARDING: (step.safeguarding_band_low, step.safeguarding_band_high),
        responses.PREVENT: (step.prevent_band_low, step.prevent_band_high),
    }
    return {route: list(pair) if all(pair) else [] for route, pair in ends.items()}


def _choice_item(choice: Choice) -> dict[str, Any]:
    item: dict[str, Any] = {
        "text": choice.text,
        "safeguarding": choice.safeguarding,
        "prevent": choice.prevent,
        "actions": list(choice.actions),
    }
    if choice.error:
        item["error"] = choice.error
    item["feedback"] = choice.feedback
    item["next"] = choice.next_step.key if choice.next_step else ""
    return item


@transaction.atomic
def module_publish(
    *, module: Module, by: User | None = None, require_citations: bool = False
) -> ModuleVersion:
    """Validate the draft and freeze it as the next version, or raise every problem at once.

    Internal: `version_publish` checks the acting person and audits; loading files calls it
    with no acting person. Cited sources must be in sources.json whoever publishes;
    `require_citations` (the national library) also requires them, and a review date.
    """
    module = Module.objects.select_for_update().get(pk=module.pk)
    snapshot = module_snapshot_build(module=module)
    problems = engine.validate(
        snapshot,
        Indicator.objects.values_list("key", flat=True),
        library_sources(),
        require_citations=require_citations,
    )
    if problems:
        raise PublishError(problems)
    number = (module.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    snapshot["version"] = number
    version = ModuleVersion.objects.create(
        module=module, number=number, snapshot=snapshot, published_by=by
    )
    snapshots.card_remember(version)
    module.has_unpublished_changes = False
    module.save(update_fields=["has_unpublished_changes", "updated_at"])
    return version


def module_mark_edited(*, module: Module) -> None:
    """Editing after publishing makes a new draft; learners keep the published version.
    Called by the studio services after their own checks, in their transaction."""
    Module.objects.filter(pk=module.pk).update(has_unpublished_changes=True)
