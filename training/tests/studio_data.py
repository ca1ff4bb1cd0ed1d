"""Drafts for the studio tests, built through the studio's own services, and the form data
its pages post.

`studio_draft` is a valid one-scenario draft (narrative → decision → end) an author could
publish as it is; `chain_module` is a library-format module of any size.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from portal.models import User
from training import engine, services
from training.models import Attempt, Indicator, Module, ModuleVersion, Scenario, Step
from training.services.studio import StepBands
from training.sources import citations_of
from training.tests.factories import INDICATORS, best_choice, small_module

MODULE_FIELDS: dict[str, Any] = {
    "title": "Sam's new friends",
    "summary": "Sam spends his evenings with a new group online.",
    "audience": "Youth workers",
    "minutes": 15,
    "pass_mark": 70,
    "refresher_months": 12,
    "confidence_topic": "worries about online radicalisation",
    "learning_outcomes": "Spot isolation\nRespond in proportion",
}

# (text, safeguarding route, Prevent route): early help is the accepted response.
DECISION_CHOICES = [
    ("Do nothing", "none", "none"),
    ("Offer early help", "family_help", "none"),
    ("Refer to Prevent", "universal", "referral"),
]
EARLY_HELP = StepBands("family_help", "family_help", "none", "none")
# Where a route runs on the forms: the band fields of a step, the route fields of a choice.
BAND_FIELDS = ("safeguarding_band_low", "safeguarding_band_high", "prevent_band_low",
               "prevent_band_high")  # fmt: skip
CHOICE_FIELDS = ("id", "text", "safeguarding", "prevent", "error", "feedback", "next_step")


@dataclass(frozen=True)
class Draft:
    author: User
    module: Module
    scenario: Scenario
    intro: Step
    decision: Step
    end: Step


def studio_draft(*, by: User, title: str = MODULE_FIELDS["title"]) -> Draft:
    """A draft with no problems: "Meet Sam" → "What do you do?" (3 choices) → "What happened".
    One decision is enough for this draft: its module asks for one (min_decisions), which the
    studio does not offer to change."""
    module = services.module_create(by=by, **{**MODULE_FIELDS, "title": title})
    Module.objects.filter(pk=module.pk).update(min_decisions=1)
    scenario = services.scenario_create(by=by, module=module, title="Evenings online")
    intro = services.step_create(
        by=by,
        scenario=scenario,
        kind="narrative",
        title="Meet Sam",
        body="Sam is **15**.",
    )
    decision = services.step_create(
        by=by,
        scenario=scenario,
        kind="decision",
        title="What do you do?",
        body="Sam says the group *understands* him.",
        bands=EARLY_HELP,
        explanation="Isolation with no other signs calls for early help.",
        indicators=Indicator.objects.filter(key="isolation"),
    )
    end = services.step_create(
        by=by,
        scenario=scenario,
        kind="end",
        title="What happened",
        body="Sam is ok.",
    )
    services.step_update(by=by, step=intro, **step_details(intro, next_step=decision), choices=[])
    services.step_update(
        by=by,
        step=decision,
        **step_details(decision),
        choices=[
            {
                "id": None,
                "text": text,
                "safeguarding": safeguarding,
                "prevent": prevent,
                "actions": [],
                "error": "",
                "feedback": f"Feedback on {text.lower()}.",
                "next_step": end,
            }
            for text, safeguarding, prevent in DECISION_CHOICES
        ],
    )
    for step in (intro, decision, end):
        step.refresh_from_db()
    return Draft(
        author=by, module=module, scenario=scenario, intro=intro, decision=decision, end=end
    )


def management_form(count: int, *, initial: int = 0) -> dict[str, Any]:
    return {
        "choices-TOTAL_FORMS": str(count),
        "choices-INITIAL_FORMS": str(initial),
        "choices-MIN_NUM_FORMS": "0",
        "choices-MAX_NUM_FORMS": "10",
    }


def choice_rows(rows: list[dict[str, Any]], *, initial: int | None = None) -> dict[str, Any]:
    """The choices formset as the step page posts it (prefix "choices")."""
    data = management_form(len(rows), initial=len(rows) if initial is None else initial)
    for index, row in enumerate(rows):
        for name in CHOICE_FIELDS:
            value = row.get(name)
            data[f"choices-{index}-{name}"] = "" if value is None else value
        data[f"choices-{index}-actions"] = list(row.get("actions") or [])
        if row.get("DELETE"):
            data[f"choices-{index}-DELETE"] = "on"
    return data


def module_details(module: Module) -> dict[str, Any]:
    """A module's details as services.module_update takes them, to change one or two."""
    return {name: getattr(module, name) for name in (*MODULE_FIELDS, "audience")}


def step_details(step: Step, **changes: Any) -> dict[str, Any]:
    """A step's own fields as services.step_update takes them, with `changes` made."""
    details = {
        "kind": step.kind,
        "title": step.title,
        "key": step.key,
        "body": step.body,
        "next_step": step.next_step,
        "bands": StepBands(
            *(getattr(step, name) for name in BAND_FIELDS), safety_critical=step.safety_critical
        ),
        "explanation": step.explanation,
        "indicators": list(step.indicators.all()),
        "sources": [citation.key for citation in citations_of(step.sources)],
    }
    return {**details, **changes}


def saved_choices(step: Step) -> list[dict[str, Any]]:
    """A step's choices as services.step_update takes them, to keep them as they are."""
    return [
        {
            "id": choice.pk,
            "text": choice.text,
            "safeguarding": choice.safeguarding,
            "prevent": choice.prevent,
            "actions": list(choice.actions),
            "error": choice.error,
            "feedback": choice.feedback,
            "next_step": choice.next_step,
        }
        for choice in step.choices.select_related("next_step")
    ]


def saved_choice_rows(step: Step) -> list[dict[str, Any]]:
    """A step's choices as the step page posts them."""
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


def step_post(
    step: Step, *, choices: list[dict[str, Any]] | None = None, **changes: Any
) -> dict[str, Any]:
    """What the step page posts when the author saves it unchanged, except for `changes`."""
    data: dict[str, Any] = {
        "kind": step.kind,
        "title": step.title,
        "key": step.key,
        "body": step.body,
        "next_step": step.next_step_id or "",
        **{name: getattr(step, name) for name in BAND_FIELDS},
        "explanation": step.explanation,
        "indicators": [indicator.pk for indicator in step.indicators.all()],
        "sources": [citation.key for citation in citations_of(step.sources)],
    }
    if step.safety_critical:
        data["safety_critical"] = "on"
    data.update(changes)
    rows = saved_choice_rows(step) if choices is None else choices
    data.update(choice_rows(rows, initial=step.choices.count()))
    return data


def text_of(response) -> str:
    """The page's visible text, tags dropped and spaces collapsed, for plain assertions."""
    html = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html).replace("&#x27;", "'").replace("&quot;", '"')


INDICATOR_KEYS = [item["key"] for item in INDICATORS["indicators"]]


def chain_module(*, key: str, scenarios: int, steps: int, choices: int = 3) -> dict[str, Any]:
    """A library-format module: each scenario a chain of narratives and decisions (every
    choice leads on to the next step) ending in one end step."""
    routes = [("none", "none"), ("record", "none"), ("universal", "advice"),
              ("family_help", "referral"), ("child_protection", "referral"),
              ("emergency_protection", "emergency")][:choices]  # fmt: skip
    data = small_module(key=key, title=f"Chain {key}", scenarios=[], min_decisions=1)
    for s in range(scenarios):
        keys = [f"{key}-s{s}-{i}" for i in range(steps)]
        chain: list[dict[str, Any]] = []
        for i, step_key in enumerate(keys[:-1]):
            step: dict[str, Any] = {
                "key": step_key,
                "title": f"Scenario {s + 1}, step {i + 1}",
                "body": "Something happens.",
                "indicators": [INDICATOR_KEYS[i % len(INDICATOR_KEYS)]],
            }
            if i % 2 == 0:
                step.update(kind="narrative", next=keys[i + 1])
            else:
                step.update(
                    kind="decision",
                    bands={"safeguarding": ["none", "none"], "prevent": ["none", "none"]},
                    explanation="Because.",
                    choices=[
                        {
                            "text": f"Choice {n}",
                            "safeguarding": safeguarding,
                            "prevent": prevent,
                            "feedback": ".",
                            "next": keys[i + 1],
                        }
                        for n, (safeguarding, prevent) in enumerate(routes)
                    ],
                )
            chain.append(step)
        chain.append({"key": keys[-1], "kind": "end", "title": "The end", "body": "Done."})
        data["scenarios"].append({"key": f"s{s}", "title": f"Scenario {s + 1}", "steps": chain})
    return data


def completed_attempt(user: User, version: ModuleVersion, *, until: str = "") -> Attempt:
    """An attempt played through the services with a choice inside the bands at every
    decision, finished (a pass, with a certificate) unless stopped at step `until`."""
    attempt = services.attempt_start(user=user, version=version)
    services.attempt_rate_confidence(user=attempt.user, attempt=attempt, confidence=3)
    steps = engine.steps_by_key(version.snapshot)
    while attempt.current_step_key and attempt.current_step_key != until:
        step = steps[attempt.current_step_key]
        if step["kind"] == engine.DECISION:
            best = best_choice(step)
            services.answer_record(
                user=attempt.user,
                attempt=attempt,
                step_key=step["key"],
                position=attempt.answer_count,
                choice_index=best,
            )
        else:
            services.attempt_continue(user=attempt.user, attempt=attempt, from_step_key=step["key"])
        attempt.refresh_from_db()
    if until:
        return attempt
    return services.attempt_finish(user=attempt.user, attempt=attempt, confidence=4)
