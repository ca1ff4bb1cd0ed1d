"""The authoring studio's drafting: modules, scenarios, steps and choices.

Every edit marks the module as having unpublished changes; learners keep playing the last
published version until the author publishes again (services.publishing).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypedDict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify

from portal.models import User
from training import access, responses
from training.models import (
    Choice,
    Indicator,
    Module,
    Scenario,
    Step,
)
from training.services import library
from training.sources import citations_of, library_sources

KEY_MAX_LENGTH = 80


class StudioRefused(Exception):
    """A rule refused the change; the message is for the author, on `field` when given."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def key_unused(base: str, taken: set[str], *, fallback: str = "item") -> str:
    """A slug from `base` that is not in `taken`: "title", then "title-2", "title-3"…"""
    stem = (slugify(base) or fallback)[:KEY_MAX_LENGTH].strip("-") or fallback
    key, number = stem, 1
    while key in taken:
        number += 1
        suffix = f"-{number}"
        key = stem[: KEY_MAX_LENGTH - len(suffix)].rstrip("-") + suffix
    return key


def module_key_unused(base: str) -> str:
    """A module key made from `base` that no module has yet (keys are unique site-wide)."""
    return key_unused(base, set(Module.objects.values_list("key", flat=True)), fallback="module")


def _step_keys(module: Module) -> set[str]:
    return set(Step.objects.filter(scenario__module=module).values_list("key", flat=True))


# --- Drafting -------------------------------------------------------------------------------
# Drafts are not audited: nothing a learner sees changes until a version is published, and
# publishing, sharing, adopting and importing are (README, "The authoring studio").

# The form's limits, held here too so no caller saves a module the form would refuse.
MODULE_LIMITS: dict[str, tuple[int, int, str]] = {
    "minutes": (1, 600, "Enter a time from 1 to 600 minutes"),
    "pass_mark": (1, 100, "Enter a pass mark from 1 to 100"),
    "refresher_months": (1, 60, "Enter a number of months from 1 to 60"),
}


def require_editor(by: User, module: Module) -> None:
    if not access.can_edit_module(by, module):
        raise PermissionDenied("Only the module's authors and authority admins can change it.")


def _module_check(module: Module) -> None:
    """The model's own rules (full_clean) and the studio's limits, as one ValidationError."""
    errors: dict[str, list[str]] = {}
    for name, (low, high, message) in MODULE_LIMITS.items():
        if not low <= getattr(module, name) <= high:
            errors[name] = [message]
    try:
        module.full_clean(exclude=[*errors, "key"])
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def module_create(
    *,
    by: User,
    title: str,
    summary: str,
    minutes: int,
    pass_mark: int,
    refresher_months: int,
    confidence_topic: str,
    learning_outcomes: str,
    audience: str = "",
    key: str = "",
    reviewed_on: date | None = None,
) -> Module:
    """A new draft in the author's authority (the national library for platform admins)."""
    if not access.can_use_studio(by):
        raise PermissionDenied("Only authors and authority admins can create modules.")
    if key and Module.objects.filter(key=key).exists():
        raise StudioRefused("That key is already used by another module.", field="key")
    module = Module(
        key=key or module_key_unused(title),
        authority_id=by.authority_id,
        visibility=Module.Visibility.AUTHORITY,
        created_by=by,
        title=title,
        summary=summary,
        audience=audience,
        minutes=minutes,
        pass_mark=pass_mark,
        refresher_months=refresher_months,
        confidence_topic=confidence_topic,
        learning_outcomes=learning_outcomes,
        reviewed_on=reviewed_on,
    )
    _module_check(module)
    module.save()
    return module


@transaction.atomic
def module_update(
    *,
    by: User,
    module: Module,
    title: str,
    summary: str,
    minutes: int,
    pass_mark: int,
    refresher_months: int,
    confidence_topic: str,
    learning_outcomes: str,
    audience: str = "",
    reviewed_on: date | None = None,
) -> Module:
    """New details for the draft; learners see them once the module is published again."""
    require_editor(by, module)
    fields = {
        "title": title,
        "summary": summary,
        "audience": audience,
        "minutes": minutes,
        "pass_mark": pass_mark,
        "refresher_months": refresher_months,
        "confidence_topic": confidence_topic,
        "learning_outcomes": learning_outcomes,
        "reviewed_on": reviewed_on,
    }
    for name, value in fields.items():
        setattr(module, name, value)
    _module_check(module)
    module.has_unpublished_changes = True
    module.save(update_fields=[*fields, "has_unpublished_changes", "updated_at"])
    return module


@transaction.atomic
def scenario_create(*, by: User, module: Module, title: str) -> Scenario:
    require_editor(by, module)
    if not title.strip():
        raise StudioRefused("Enter a title for the scenario", field="title")
    taken = set(module.scenarios.values_list("key", flat=True))
    position = (module.scenarios.aggregate(n=Max("position"))["n"] or 0) + 1
    scenario = Scenario.objects.create(
        module=module,
        key=key_unused(title, taken, fallback="scenario"),
        title=title,
        position=position if module.scenarios.exists() else 0,
    )
    library.module_mark_edited(module=module)
    return scenario


@transaction.atomic
def scenario_update(*, by: User, scenario: Scenario, title: str) -> Scenario:
    require_editor(by, scenario.module)
    if not title.strip():
        raise StudioRefused("Enter a title for the scenario", field="title")
    scenario.title = title
    scenario.save(update_fields=["title"])
    library.module_mark_edited(module=scenario.module)
    return scenario


@transaction.atomic
def scenario_delete(*, by: User, scenario: Scenario) -> None:
    module = scenario.module
    require_editor(by, module)
    scenario.delete()
    library.module_mark_edited(module=module)


def _step_check(*, scenario_id: int, kind: str, title: str, next_step: Step | None) -> None:
    """What the form checks, held here for every caller; a draft may still be incomplete
    (the engine lists what stops it being published), but never points outside itself."""
    if kind not in Step.Kind.values:
        raise StudioRefused("Choose the kind of step", field="kind")
    if not title.strip():
        raise StudioRefused("Enter a title", field="title")
    if next_step is not None and next_step.scenario_id != scenario_id:
        raise StudioRefused("Choose a step of this scenario", field="next_step")


@transaction.atomic
def step_create(
    *,
    by: User,
    scenario: Scenario,
    kind: str,
    title: str,
    body: str = "",
    key: str = "",
    next_step: Step | None = None,
    bands: StepBands | None = None,
    explanation: str = "",
    indicators: Iterable[Indicator] = (),
    sources: Sequence[str] = (),
) -> Step:
    """A step at the end of the scenario; its key is made from the title when not given."""
    require_editor(by, scenario.module)
    _step_check(scenario_id=scenario.pk, kind=kind, title=title, next_step=next_step)
    bands = bands or StepBands()
    _bands_check(bands)
    citations = citations_chosen(cited=[], keys=sources)
    taken = _step_keys(scenario.module)
    if key in taken:
        raise StudioRefused("Another step of this module already uses that key.", field="key")
    position = (scenario.steps.aggregate(n=Max("position"))["n"] or 0) + 1
    step = Step.objects.create(
        scenario=scenario,
        key=key or key_unused(title, taken, fallback="step"),
        position=position if scenario.steps.exists() else 0,
        kind=kind,
        title=title,
        body=body,
        next_step=next_step,
        explanation=explanation,
        sources=citations,
        **bands.fields(),
    )
    step.indicators.set(list(indicators))
    library.module_mark_edited(module=scenario.module)
    return step


@dataclass(frozen=True)
class StepBands:
    """A decision's accepted band on each route and whether it is safety-critical. Ends may
    be empty while a draft is being written (the engine lists what stops publishing)."""

    safeguarding_low: str = ""
    safeguarding_high: str = ""
    prevent_low: str = ""
    prevent_high: str = ""
    safety_critical: bool = False

    def fields(self) -> dict[str, Any]:
        return {
            "safeguarding_band_low": self.safeguarding_low,
            "safeguarding_band_high": self.safeguarding_high,
            "prevent_band_low": self.prevent_low,
            "prevent_band_high": self.prevent_high,
            "safety_critical": self.safety_critical,
        }


class ChoiceRow(TypedDict):
    """One choice of a decision as step_update keeps it; `id` is None for a new choice.
    `safeguarding` and `prevent` are route keys ("" not chosen yet), `actions` action keys and
    `error` a practice error key or ""."""

    id: int | None
    text: str
    safeguarding: str
    prevent: str
    actions: list[str]
    error: str
    feedback: str
    next_step: Step | None


@transaction.atomic
def step_update(
    *,
    by: User,
    step: Step,
    kind: str,
    title: str,
    body: str,
    next_step: Step | None,
    bands: StepBands,
    explanation: str,
    indicators: Iterable[Indicator],
    choices: Sequence[ChoiceRow],
    key: str = "",
    sources: Sequence[str] | None = None,
) -> Step:
    """Save a step whole with its choices, so a half-edited decision is never stored.

    An empty `key` keeps the step's key, and `sources` None its citations. `choices` are the
    rows to keep, in order; choices not listed are deleted.
    """
    require_editor(by, step.scenario.module)
    key = key or step.key
    if key != step.key and key in _step_keys(step.scenario.module):
        raise StudioRefused("Another step of this module already uses that key.", field="key")
    _step_check(scenario_id=step.scenario_id, kind=kind, title=title, next_step=next_step)
    _bands_check(bands)
    _choices_check(step=step, choices=choices)
    citations = (
        step.sources if sources is None else citations_chosen(cited=step.sources, keys=sources)
    )
    fields = {
        "key": key,
        "kind": kind,
        "title": title,
        "body": body,
        "next_step": next_step,
        "explanation": explanation,
        "sources": citations,
        **bands.fields(),
    }
    for name, value in fields.items():
        setattr(step, name, value)
    step.save(update_fields=list(fields))
    step.indicators.set(list(indicators))
    _choices_replace(step=step, choices=choices)
    library.module_mark_edited(module=step.scenario.module)
    return step


def citations_chosen(*, cited: Any, keys: Sequence[str]) -> list[dict[str, str]]:
    """The step's citations for the sources chosen: those already cited in their order with
    their sections (the studio chooses documents, not sections), then new ones in
    sources.json's order. A superseded document may stay but not be newly chosen."""
    sources = library_sources()
    sections = {citation.key: citation.section for citation in citations_of(cited)}
    unknown = [key for key in keys if key not in sources]
    if unknown:
        raise StudioRefused("Choose guidance from the list", field="sources")
    for key in keys:
        if sources[key].is_superseded and key not in sections:
            successor = sources[sources[key].superseded_by].title
            raise StudioRefused(f"That guidance is superseded: choose {successor}", field="sources")
    chosen = set(keys)
    order = [key for key in sections if key in chosen]
    order += [key for key in sources if key in chosen and key not in sections]
    return [
        {"key": key, "section": sections[key]} if sections.get(key) else {"key": key}
        for key in order
    ]


def _bands_check(bands: StepBands) -> None:
    """Each end is a key of its route, and a band given whole runs from lowest to highest."""
    for route, low, high in (
        (responses.SAFEGUARDING, bands.safeguarding_low, bands.safeguarding_high),
        (responses.PREVENT, bands.prevent_low, bands.prevent_high),
    ):
        keys = responses.LEVEL_KEYS[route]
        field = f"{route}_band_low"
        if any(end and end not in keys for end in (low, high)):
            raise StudioRefused(f"Choose the {route} band from the list", field=field)
        if low and high and keys.index(low) > keys.index(high):
            raise StudioRefused(
                f"The lowest response of the {route} band must not be above its highest",
                field=field,
            )


def _choices_check(*, step: Step, choices: Sequence[ChoiceRow]) -> None:
    """What the choice rows of the form check, and, like the step's own link, a choice leads
    only to a step of the same scenario."""
    for choice in choices:
        if not choice["text"].strip():
            raise StudioRefused("Enter the text of every choice")
        for route in responses.ROUTES:
            if choice[route] and choice[route] not in responses.LEVEL_KEYS[route]:
                raise StudioRefused(f"Choose each choice's {route} route from the list")
        if any(action not in responses.ACTION_KEYS for action in choice["actions"]):
            raise StudioRefused("Choose each choice's actions from the list")
        if choice["error"] and choice["error"] not in responses.ERROR_KEYS:
            raise StudioRefused("Choose each choice's practice error from the list")
        if choice["next_step"] is not None and choice["next_step"].scenario_id != step.scenario_id:
            raise StudioRefused("Each choice must lead to a step of this scenario")


def _choices_replace(*, step: Step, choices: Sequence[ChoiceRow]) -> None:
    existing = {choice.pk: choice for choice in step.choices.all()}
    kept: set[int] = set()
    for position, data in enumerate(choices):
        choice = existing.get(data["id"]) or Choice(step=step)
        choice.text = data["text"]
        choice.safeguarding = data["safeguarding"]
        choice.prevent = data["prevent"]
        choice.actions = list(data["actions"])
        choice.error = data["error"]
        choice.feedback = data["feedback"]
        choice.next_step = data["next_step"]
        choice.position = position
        choice.save()
        kept.add(choice.pk)
    step.choices.exclude(pk__in=kept).delete()


@transaction.atomic
def step_delete(*, by: User, step: Step) -> None:
    """Links into the step are cleared (the map then shows where the path breaks)."""
    module = step.scenario.module
    require_editor(by, module)
    step.delete()
    library.module_mark_edited(module=module)


@transaction.atomic
def step_move(*, by: User, step: Step, direction: int) -> None:
    """Swap with the neighbour above (-1) or below (+1); the first step is where play starts."""
    require_editor(by, step.scenario.module)
    siblings = list(step.scenario.steps.order_by("position", "id"))
    index = siblings.index(step)
    other = index + direction
    if not 0 <= other < len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, sibling in enumerate(siblings):
        if sibling.position != position:
            sibling.position = position
            sibling.save(update_fields=["position"])
    library.module_mark_edited(module=step.scenario.module)
