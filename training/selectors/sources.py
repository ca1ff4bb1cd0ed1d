"""Which of an author's modules still cite guidance that has been superseded.

When sources.json marks a document superseded (KCSIE 2024 once KCSIE 2025 is in force), the
studio lists every decision that cites it, in the author's authority's drafts and latest
published versions, adopted copies included, so each can be checked and the module
republished. Scoped through training.access like every studio read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db.models import OuterRef, Subquery
from django.urls import reverse

from portal.models import User
from training import access, engine
from training.models import Module, ModuleVersion, Step
from training.sources import Source, citations_of, library_sources


@dataclass(frozen=True)
class Citing:
    """One decision that cites a superseded source."""

    module: Module
    where: str  # "Draft" or "Version 3"
    step_key: str
    step_title: str
    section: str
    url: str  # where the author changes it: the draft step, or the module's page


@dataclass(frozen=True)
class SupersededSource:
    source: Source
    replaced_by: Source | None
    citing: list[Citing] = field(default_factory=list)


def superseded_citations_for_user(
    *, user: User, sources: Mapping[str, Source] | None = None
) -> list[SupersededSource]:
    """Every superseded source (sources.json's order), each with the decisions citing it."""
    sources = library_sources() if sources is None else sources
    superseded = {key: source for key, source in sources.items() if source.is_superseded}
    if not superseded:
        return []
    found: dict[str, list[Citing]] = {key: [] for key in superseded}
    modules = access.scope_studio_modules(Module.objects.all(), user)
    drafts = (
        Step.objects.filter(scenario__module__in=modules, kind=engine.DECISION)
        .exclude(sources=[])
        .select_related("scenario__module")
        .order_by("scenario__module__title", "scenario__position", "position", "pk")
    )
    for step in drafts:
        for citation in citations_of(step.sources):
            if citation.key in found:
                found[citation.key].append(
                    Citing(
                        module=step.scenario.module,
                        where="Draft",
                        step_key=step.key,
                        step_title=step.title,
                        section=citation.section,
                        url=reverse("training:studio-step", args=[step.pk]),
                    )
                )
    latest = ModuleVersion.objects.filter(module=OuterRef("module")).order_by("-number")
    versions = (
        ModuleVersion.objects.filter(module__in=modules)
        .filter(number=Subquery(latest.values("number")[:1]))
        .select_related("module")
        .order_by("module__title", "pk")
    )
    for version in versions:
        for step in version.document.steps.values():
            for citation in step.sources:
                if citation.key in found:
                    found[citation.key].append(
                        Citing(
                            module=version.module,
                            where=f"Version {version.number}",
                            step_key=step.key,
                            step_title=step.title,
                            section=citation.section,
                            url=reverse("training:studio-module", args=[version.module_id]),
                        )
                    )
    return [
        SupersededSource(
            source=source,
            replaced_by=sources.get(source.superseded_by),
            citing=found[key],
        )
        for key, source in superseded.items()
    ]
