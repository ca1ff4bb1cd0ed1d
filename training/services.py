"""Every write of the training app: library loading, publishing, attempts, certificates."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from portal.models import User
from training import engine, selectors
from training.models import (
    Answer,
    Attempt,
    Certificate,
    Choice,
    Indicator,
    Module,
    ModuleVersion,
    Scenario,
    Step,
)

SNAPSHOT_FORMAT = "threshold-module/1"


class PublishError(Exception):
    """The module cannot be published; `problems` lists every reason at once."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class StaleStep(Exception):
    """A step was submitted that is no longer the attempt's current one (back, refresh, twice)."""


# --- Indicators and the library -----------------------------------------------------------


def indicators_load(*, data: Mapping[str, Any]) -> int:
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
    *, data: Mapping[str, Any], authority=None, created_by: User | None = None
) -> tuple[Module, bool]:
    """Write a module file into the draft tables and publish it, unless already at its version.

    Returns the module and whether anything changed, so loading the library twice is a no-op.
    """
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
    module_publish(module=module, by=created_by)
    module.refresh_from_db(fields=["has_unpublished_changes", "updated_at"])
    return module, True


def _draft_write(*, module: Module, data: Mapping[str, Any]) -> None:
    """Create scenarios, steps and choices, then wire next-step links once all steps exist."""
    indicators = {i.key: i for i in Indicator.objects.all()}
    steps: dict[str, Step] = {}
    links: list[tuple[Step | Choice, str]] = []
    for s_pos, scenario_data in enumerate(data["scenarios"]):
        scenario = Scenario.objects.create(
            module=module, key=scenario_data["key"], title=scenario_data["title"], position=s_pos
        )
        for position, step_data in enumerate(scenario_data["steps"]):
            step = Step.objects.create(
                scenario=scenario,
                key=step_data["key"],
                kind=step_data["kind"],
                title=step_data.get("title", ""),
                body=step_data.get("body", ""),
                position=position,
                proportionate_level=step_data.get("proportionate", ""),
                explanation=step_data.get("explanation", ""),
            )
            step.indicators.set([indicators[k] for k in step_data.get("indicators", [])])
            steps[step.key] = step
            if step_data.get("next"):
                links.append((step, step_data["next"]))
            for c_pos, choice_data in enumerate(step_data.get("choices", [])):
                choice = Choice.objects.create(
                    step=step,
                    text=choice_data["text"],
                    response_level=choice_data.get("level", ""),
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
                item["proportionate"] = step.proportionate_level
                item["explanation"] = step.explanation
                item["choices"] = [
                    {
                        "text": choice.text,
                        "level": choice.response_level,
                        "feedback": choice.feedback,
                        "next": choice.next_step.key if choice.next_step else "",
                    }
                    for choice in step.choices.all()
                ]
            steps.append(item)
        snapshot_scenarios.append({"key": scenario.key, "title": scenario.title, "steps": steps})
    return {
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
        "scenarios": snapshot_scenarios,
        # Indicator names travel with the snapshot so old attempts report in their own words.
        "indicator_catalogue": {
            key: {"name": indicators[key].name, "category": indicators[key].category}
            for key in used
        },
    }


@transaction.atomic
def module_publish(*, module: Module, by: User | None = None) -> ModuleVersion:
    """Validate the draft and freeze it as the next version, or raise every problem at once."""
    module = Module.objects.select_for_update().get(pk=module.pk)
    snapshot = module_snapshot_build(module=module)
    problems = engine.validate(snapshot, Indicator.objects.values_list("key", flat=True))
    if problems:
        raise PublishError(problems)
    number = (module.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    snapshot["version"] = number
    version = ModuleVersion.objects.create(
        module=module, number=number, snapshot=snapshot, published_by=by
    )
    module.has_unpublished_changes = False
    module.save(update_fields=["has_unpublished_changes", "updated_at"])
    return version


def module_mark_edited(*, module: Module) -> None:
    """Editing after publishing makes a new draft; learners keep the published version."""
    Module.objects.filter(pk=module.pk).update(has_unpublished_changes=True)


# --- Attempts -----------------------------------------------------------------------------


def attempt_start(*, user: User, version: ModuleVersion) -> Attempt:
    return Attempt.objects.create(
        user=user, version=version, current_step_key=engine.first_step_key(version.snapshot)
    )


def attempt_rate_confidence(*, attempt: Attempt, confidence: int) -> Attempt:
    """Record confidence before the scenario; once only, so a resubmit changes nothing."""
    Attempt.objects.filter(pk=attempt.pk, confidence_before__isnull=True).update(
        confidence_before=confidence
    )
    attempt.refresh_from_db(fields=["confidence_before"])
    return attempt


@transaction.atomic
def attempt_continue(*, attempt: Attempt, from_step_key: str) -> Attempt:
    """Move on from a narrative or end step; a stale or repeated submit raises StaleStep."""
    attempt = _locked(attempt)
    if attempt.current_step_key != from_step_key or attempt.is_complete:
        raise StaleStep
    step = engine.steps_by_key(attempt.version.snapshot)[from_step_key]
    if step["kind"] == engine.DECISION:
        raise StaleStep
    attempt.current_step_key = engine.step_after(attempt.version.snapshot, from_step_key)
    attempt.save(update_fields=["current_step_key"])
    return attempt


@transaction.atomic
def answer_record(*, attempt: Attempt, step_key: str, position: int, choice_index: int) -> Answer:
    """Record one decision and move on. The (attempt, position) key makes a repeat collide."""
    attempt = _locked(attempt)
    if (
        attempt.is_complete
        or attempt.current_step_key != step_key
        or attempt.answer_count != position
    ):
        raise StaleStep
    snapshot = attempt.version.snapshot
    step = engine.steps_by_key(snapshot)[step_key]
    if step["kind"] != engine.DECISION or not 0 <= choice_index < len(step["choices"]):
        raise StaleStep
    choice = step["choices"][choice_index]
    decision = engine.Decision(
        step_key=step_key,
        chosen_level=choice["level"],
        proportionate_level=step["proportionate"],
        indicators=tuple(step.get("indicators", [])),
    )
    try:
        with transaction.atomic():
            answer = Answer.objects.create(
                attempt=attempt,
                position=position,
                step_key=step_key,
                choice_index=choice_index,
                chosen_level=decision.chosen_level,
                proportionate_level=decision.proportionate_level,
                distance=decision.distance,
                points=decision.points,
            )
    except IntegrityError as error:
        raise StaleStep from error
    attempt.current_step_key = engine.step_after(snapshot, step_key, choice_index)
    attempt.answer_count = position + 1
    attempt.save(update_fields=["current_step_key", "answer_count"])
    return answer


@transaction.atomic
def attempt_finish(*, attempt: Attempt, confidence: int) -> Attempt:
    """Score the path taken, record confidence after, and issue a certificate on a pass."""
    attempt = _locked(attempt)
    if attempt.is_complete or attempt.current_step_key:
        raise StaleStep
    result = selectors.attempt_result(attempt=attempt)
    pass_mark = attempt.version.snapshot["pass_mark"]
    attempt.confidence_after = confidence
    attempt.completed_at = timezone.now()
    attempt.points, attempt.max_points = result.points, result.max_points
    attempt.percent = result.percent
    attempt.passed = result.passed(pass_mark)
    attempt.save(
        update_fields=[
            "confidence_after",
            "completed_at",
            "points",
            "max_points",
            "percent",
            "passed",
        ]
    )
    if attempt.passed:
        certificate_issue(attempt=attempt)
    return attempt


def certificate_issue(*, attempt: Attempt) -> Certificate:
    """Valid for the module's refresher months, counted as calendar months in UK local time.

    Counting in UTC would end a certificate issued just after midnight in summer a day early
    in winter (and 31 March + 1 month would be 1 May).
    """
    months = attempt.version.snapshot["refresher_months"]
    issued = timezone.localtime(attempt.completed_at or timezone.now())
    return Certificate.objects.create(
        attempt=attempt,
        user=attempt.user,
        version=attempt.version,
        code=_verification_code(),
        issued_at=issued,
        expires_at=issued + relativedelta(months=months),
    )


def _verification_code() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def _locked(attempt: Attempt) -> Attempt:
    return (
        Attempt.objects.select_for_update(of=("self",)).select_related("version").get(pk=attempt.pk)
    )
