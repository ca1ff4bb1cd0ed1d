"""Reads of the authoring studio, scoped through training.access (404 for outsiders)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from portal.models import User
from training import access, engine, version_diff
from training.models import Certificate, Indicator, Module, ModuleVersion, Scenario, Step
from training.services import library
from training.sources import library_sources


def studio_modules_for_user(*, user: User) -> QuerySet[Module]:
    """The authority's modules, drafts first, with their latest published version number."""
    return (
        access.scope_studio_modules(Module.objects.all(), user)
        .select_related("authority")
        .annotate(latest_version=Max("versions__number"))
        .order_by("title", "pk")
    )


def studio_module_get_for_user(*, user: User, pk: int) -> Module:
    return get_object_or_404(
        access.scope_studio_modules(Module.objects.select_related("authority"), user), pk=pk
    )


def studio_scenario_get_for_user(*, user: User, pk: int) -> Scenario:
    modules = access.scope_studio_modules(Module.objects.all(), user)
    return get_object_or_404(
        Scenario.objects.select_related("module__authority").filter(module__in=modules), pk=pk
    )


def studio_steps_with_keys(*, module: Module, keys: list[str]) -> list[Step]:
    """The module's steps with these keys, in reading order (scenario, then position)."""
    return list(
        Step.objects.filter(scenario__module=module, key__in=keys).order_by(
            "scenario__position", "scenario_id", "position", "id"
        )
    )


def studio_step_get_for_user(*, user: User, pk: int) -> Step:
    modules = access.scope_studio_modules(Module.objects.all(), user)
    return get_object_or_404(
        Step.objects.select_related("scenario__module__authority")
        .prefetch_related("indicators", "choices")
        .filter(scenario__module__in=modules),
        pk=pk,
    )


@dataclass(frozen=True)
class Workspace:
    """A module's draft as the studio shows it: the snapshot, where each step lives, and
    every problem that would stop it being published, filed by the step it concerns."""

    module: Module
    snapshot: dict[str, Any]
    step_ids: dict[str, int]
    scenario_ids: list[int]
    problems: list[engine.Problem]
    problems_by_step: dict[str, list[engine.Problem]] = field(default_factory=dict)

    def problems_for(self, step_key: str) -> list[engine.Problem]:
        return self.problems_by_step.get(step_key, [])


def workspace_for_module(*, module: Module) -> Workspace:
    """Built in a fixed number of queries, whatever the module's size."""
    snapshot = library.module_snapshot_build(module=module)
    problems = engine.find_problems(
        snapshot, Indicator.objects.values_list("key", flat=True), library_sources()
    )
    by_step: dict[str, list[engine.Problem]] = defaultdict(list)
    for problem in problems:
        if problem.step_key:
            by_step[problem.step_key].append(problem)
    step_ids = dict(
        Step.objects.filter(scenario__module=module).values_list("key", "pk").order_by("pk")
    )
    scenario_ids = list(module.scenarios.order_by("position", "id").values_list("pk", flat=True))
    return Workspace(
        module=module,
        snapshot=snapshot,
        step_ids=step_ids,
        scenario_ids=scenario_ids,
        problems=problems,
        problems_by_step=dict(by_step),
    )


@dataclass(frozen=True)
class VersionEntry:
    version: ModuleVersion
    changes: version_diff.VersionChanges


def version_history(*, module: Module) -> list[VersionEntry]:
    versions = module.versions.select_related("published_by").order_by("-number")
    return [
        VersionEntry(version=v, changes=version_diff.VersionChanges.from_dict(v.changes))
        for v in versions.defer("snapshot")
    ]


def adoptable_modules_for_user(*, user: User) -> QuerySet[Module]:
    """Shared and national-library modules another authority could copy and adapt."""
    return (
        access.scope_adoptable_modules(Module.objects.all(), user)
        .filter(versions__isnull=False)
        .select_related("authority")
        .annotate(latest_version=Max("versions__number"))
        .order_by("title", "pk")
    )


def adoptable_module_get_for_user(*, user: User, pk: int) -> Module:
    module = adoptable_modules_for_user(user=user).filter(pk=pk).first()
    if module is None:
        raise Http404("No such module in the library.")
    return module


# --- What the studio's pages show -------------------------------------------------------------


@dataclass(frozen=True)
class StepRow:
    key: str
    title: str
    kind: str
    step_id: int | None
    problem_count: int


@dataclass(frozen=True)
class ScenarioRow:
    scenario_id: int
    title: str
    steps: list[StepRow]
    problem_count: int


def scenario_rows(*, workspace: Workspace) -> list[ScenarioRow]:
    rows = []
    for scenario_id, scenario in zip(
        workspace.scenario_ids, workspace.snapshot["scenarios"], strict=True
    ):
        steps = [
            StepRow(
                key=step["key"],
                title=step["title"],
                kind=step["kind"],
                step_id=workspace.step_ids.get(step["key"]),
                problem_count=len(workspace.problems_for(step["key"])),
            )
            for step in scenario["steps"]
        ]
        rows.append(
            ScenarioRow(
                scenario_id=scenario_id,
                title=scenario["title"],
                steps=steps,
                problem_count=sum(step.problem_count for step in steps),
            )
        )
    return rows


@dataclass(frozen=True)
class ProblemRow:
    message: str
    href: str


def problem_rows(*, workspace: Workspace) -> list[ProblemRow]:
    """Each problem with a link to where it can be fixed."""
    rows = []
    for problem in workspace.problems:
        if problem.step_key and problem.step_key in workspace.step_ids:
            href = reverse("training:studio-step", args=[workspace.step_ids[problem.step_key]])
        elif problem.scenario_index is not None:
            scenario_id = workspace.scenario_ids[problem.scenario_index]
            href = reverse("training:studio-scenario", args=[scenario_id])
        else:
            href = reverse("training:studio-module-edit", args=[workspace.module.pk])
        rows.append(ProblemRow(message=problem.message, href=href))
    return rows


def draft_changes(*, module: Module, workspace: Workspace) -> version_diff.VersionChanges:
    """What publishing now would change, against the latest published version."""
    latest = module.versions.order_by("-number").only("snapshot").first()
    return version_diff.version_changes(latest.snapshot if latest else None, workspace.snapshot)


def current_certificate_count(*, module: Module) -> int:
    """Holders a major revision would ask to refresh."""
    return (
        Certificate.objects.filter(
            version__module=module,
            expires_at__gt=timezone.now(),
            refresh_needed_for__isnull=True,
        )
        .values("user_id")
        .distinct()
        .count()
    )


def choice_initial(*, step: Step) -> list[dict[str, Any]]:
    return [
        {
            "id": choice.pk,
            "text": choice.text,
            "safeguarding": choice.safeguarding,
            "prevent": choice.prevent,
            "actions": list(choice.actions),
            "error": choice.error,
            "feedback": choice.feedback,
            "next_step": choice.next_step_id,
        }
        for choice in step.choices.all()
    ]


@dataclass(frozen=True)
class ChoiceRow:
    form: Any
    number: int
    problems: list[engine.Problem]


@dataclass(frozen=True)
class StepEditor:
    step_problems: list[engine.Problem]
    choice_rows: list[ChoiceRow]
    problem_count: int
    scenario_problem_count: int


def step_editor_rows(*, workspace: Workspace, step: Step, choices: Any) -> StepEditor:
    """The step's problems beside the fields and choices they concern (saved state)."""
    problems = workspace.problems_for(step.key)
    by_choice: dict[int, list[engine.Problem]] = defaultdict(list)
    for problem in problems:
        if problem.choice_index is not None:
            by_choice[problem.choice_index].append(problem)
    rows = [
        ChoiceRow(form=form, number=index + 1, problems=by_choice.get(index, []))
        for index, form in enumerate(choices.forms)
    ]
    index = workspace.scenario_ids.index(step.scenario_id)
    return StepEditor(
        step_problems=[p for p in problems if p.choice_index is None],
        choice_rows=rows,
        problem_count=len(problems),
        scenario_problem_count=sum(1 for p in workspace.problems if p.scenario_index == index),
    )
