"""Turn engine decisions into words for the learner's and the supervisor's pages (no queries,
no template logic). The words come from training.responses, the one vocabulary."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from training import engine, pathway_words, responses
from training.sources import library_sources
from training.version_reader import Step, VersionDocument


def route_label(route: str, key: str) -> str:
    return responses.level_label(route, key) if key else ""


def band_words(route: str, band: tuple[str, str] | list[str]) -> str:
    """ "Prevent advice" for one level; "Any of: Prevent advice, or Prevent referral"."""
    if not band or len(band) != 2 or not all(band):
        return ""
    keys = responses.LEVEL_KEYS[route]
    labels = [
        route_label(route, key) for key in keys[keys.index(band[0]) : keys.index(band[1]) + 1]
    ]
    if len(labels) == 1:
        return labels[0]
    return f"Any of: {', '.join(labels[:-1])}, or {labels[-1]}"


def route_sentence(route: str, distance: int) -> str:
    name = responses.ROUTE_NAMES[route]
    if distance == 0:
        return f"{name}: inside the accepted band."
    steps = "step" if abs(distance) == 1 else "steps"
    if distance < 0:
        return f"{name}: {abs(distance)} {steps} below the accepted band, an under-reaction."
    return f"{name}: {abs(distance)} {steps} above the accepted band, an over-reaction."


def action_labels(keys: Iterable[str]) -> list[str]:
    return [responses.term_label(responses.ACTIONS, key) for key in keys]


def error_term(key: str) -> responses.Term | None:
    return next((term for term in responses.PRACTICE_ERRORS if term.key == key), None)


@dataclass(frozen=True)
class RouteWords:
    """One route of a decision: what was chosen, what was accepted, and how far apart."""

    name: str  # "Safeguarding"
    chosen: str  # "Universal support"
    band: str  # "Any of: Prevent advice, or Prevent referral"
    sentence: str  # "Prevent: 1 step below the accepted band, an under-reaction."
    distance: int

    @property
    def verdict(self) -> str:
        """Inside the band, an under-reaction or an over-reaction, in a few words."""
        if self.distance == 0:
            return "Inside the accepted band"
        steps = "step" if abs(self.distance) == 1 else "steps"
        direction = "below" if self.distance < 0 else "above"
        kind = "under-reaction" if self.distance < 0 else "over-reaction"
        return f"An {kind}: {abs(self.distance)} {steps} {direction} the accepted band"


@dataclass(frozen=True)
class DecisionWords:
    """What was chosen and what was accepted on each route, in words."""

    chosen_label: str  # "Child protection (section 47) · Prevent referral"
    band_label: str  # "Safeguarding: …; Prevent: …"
    route_sentences: tuple[str, ...]
    actions: tuple[str, ...]
    error_label: str
    error_explanation: str
    critical_miss: bool
    routes: tuple[RouteWords, ...] = ()

    @property
    def distance_sentence(self) -> str:
        return " ".join(self.route_sentences)


def decision_words(decision: engine.Decision) -> DecisionWords:
    routes = responses.ROUTES
    bands: Mapping[str, tuple[str, str]] = decision.bands
    error = error_term(decision.error)
    return DecisionWords(
        chosen_label=" · ".join(route_label(r, getattr(decision, r)) for r in routes),
        band_label="; ".join(
            f"{responses.ROUTE_NAMES[r]}: {band_words(r, bands.get(r, ()))}" for r in routes
        ),
        route_sentences=tuple(route_sentence(r, decision.distance(r)) for r in routes),
        actions=tuple(action_labels(decision.actions)),
        error_label=error.label if error else "",
        error_explanation=error.explanation if error else "",
        critical_miss=decision.critical_miss,
        routes=tuple(
            RouteWords(
                name=responses.ROUTE_NAMES[r],
                chosen=route_label(r, getattr(decision, r)),
                band=band_words(r, bands.get(r, ())),
                sentence=route_sentence(r, decision.distance(r)),
                distance=decision.distance(r),
            )
            for r in routes
        ),
    )


def uses_placeholders(step: Step) -> bool:
    """Whether the step names any local contact, so the learner's pathway must be read."""
    texts = [step.body, step.explanation]
    texts += [text for choice in step.choices for text in (choice.text, choice.feedback)]
    return any(pathway_words.placeholders_in(text) for text in texts)


def step_in_words(step: Step, words: Mapping[str, str]) -> Step:
    """The step as this learner reads it: each `{pathway.…}` placeholder filled with their
    authority's contact, or the national wording (`words`, from pathway_words.wording). The
    Markdown fields get the words escaped; a choice's text is plain, escaped by the template."""
    return replace(
        step,
        body=pathway_words.fill(step.body, words),
        explanation=pathway_words.fill(step.explanation, words),
        choices=tuple(
            replace(
                choice,
                text=pathway_words.fill(choice.text, words, markdown=False),
                feedback=pathway_words.fill(choice.feedback, words),
            )
            for choice in step.choices
        ),
    )


@dataclass(frozen=True)
class SourceLine:
    """A cited document as the feedback page lists it."""

    title: str
    publisher: str
    date: str
    url: str
    section: str
    superseded: bool


def scenario_contacts_filled(scenario: Mapping[str, Any], words: Mapping[str, str]) -> dict:
    """A draft scenario (snapshot form) whose step titles and choice texts name contacts as
    the reader's learners would see them, for the studio map: "{pathway.lado}" drawn as a
    label would only be noise. Everything else is left as it is."""

    def choice_filled(choice: Any) -> Any:
        if not isinstance(choice, Mapping) or not isinstance(choice.get("text"), str):
            return choice
        return {**choice, "text": pathway_words.fill(choice["text"], words, markdown=False)}

    def step_filled(step: Any) -> Any:
        if not isinstance(step, Mapping):
            return step
        filled = {**step, "choices": [choice_filled(c) for c in step.get("choices") or []]}
        if isinstance(step.get("title"), str):
            filled["title"] = pathway_words.fill(step["title"], words, markdown=False)
        return filled

    return {**scenario, "steps": [step_filled(step) for step in scenario.get("steps") or []]}


def sources_shown(step: Step) -> list[SourceLine]:
    """The guidance the decision cites, in its order; a key the site no longer lists (an old
    draft) is left out rather than shown without a title."""
    known = library_sources()
    return [
        SourceLine(
            title=known[citation.key].title,
            publisher=known[citation.key].publisher,
            date=known[citation.key].date,
            url=known[citation.key].url,
            section=citation.section,
            superseded=known[citation.key].is_superseded,
        )
        for citation in step.sources
        if citation.key in known
    ]


def step_position(document: VersionDocument, current_key: str, choices_made: list[int]) -> str:
    """Where the learner is, as "Step 4 of about 11", for the player's caption.

    The number is exact: the path is replayed from the first step through the choices already
    made (in order), counting every step shown. The total is an estimate, hence "about": the
    steps behind plus the longest way from here to the module's end (every branch still open
    counted at its longest, loops taken once). A learner may finish sooner, never later, so the
    total only shrinks as branches close. "" when the step is not on the replayed path.
    """
    number = _steps_walked(document, current_key, choices_made)
    if number is None:
        return ""
    total = number - 1 + _longest_from(document, current_key, memo={}, on_path=set())
    return f"Step {number} of {'about ' if total > number else ''}{total}"


def _steps_walked(
    document: VersionDocument, current_key: str, choices_made: list[int]
) -> int | None:
    key, number, made = document.first_step_key, 1, list(choices_made)
    while key != current_key or made:  # a loop may pass the step before the learner stops
        step = document.step(key)
        if step is None or number > len(document.steps) + len(choices_made):
            return None
        if step.is_decision:
            index = made.pop(0) if made else None
            if index is None or index >= len(step.choices):
                return None
            key = document.step_after(key, index)
        else:
            key = document.step_after(key)
        number += 1
    return number


def _longest_from(document: VersionDocument, key: str, *, memo: dict, on_path: set) -> int:
    """Steps on the longest way from `key` to the end, itself included (a loop back onto the
    way being walked is not followed again)."""
    if key in memo:
        return memo[key]
    step = document.step(key)
    if step is None:
        return 0
    on_path.add(key)
    if step.is_decision:
        following = {document.step_after(key, index) for index in range(len(step.choices))}
    else:
        following = {document.step_after(key)}
    longest = max(
        (
            _longest_from(document, after, memo=memo, on_path=on_path)
            for after in following
            if after and after not in on_path
        ),
        default=0,
    )
    on_path.discard(key)
    memo[key] = 1 + longest
    return memo[key]
