"""What changed between two snapshots of a module, counted for a version's history. Pure.

Reviewers and supervisors ask "what changed in version 3?" without reading two JSON files, so
each published version stores a short summary of its changes against the one before. Steps are
matched by key across all scenarios (keys are unique within a module); a step counts as edited
only when its own fields changed, and choices are counted separately, matched by position
within a step that both snapshots have.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

# Bookkeeping that changes with every publish (or is derived), not authors' edits.
IGNORED_MODULE_FIELDS = frozenset({"version", "format", "indicator_catalogue", "scenarios"})
KEYS_LISTED = 5  # in the sentence, per kind of step change, before "and N more"


@dataclass(frozen=True)
class VersionChanges:
    steps_added: tuple[str, ...] = ()
    steps_removed: tuple[str, ...] = ()
    steps_edited: tuple[str, ...] = ()
    choices_added: int = 0
    choices_removed: int = 0
    choices_edited: int = 0
    details_edited: tuple[str, ...] = ()  # module fields, and "scenarios" when they changed

    @property
    def is_empty(self) -> bool:
        return self == VersionChanges()

    def as_dict(self) -> dict[str, Any]:
        """JSON-serialisable, for storing on the version row."""
        return {
            name: list(value) if isinstance(value, tuple) else value
            for name, value in asdict(self).items()
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> VersionChanges:
        """Tolerates missing keys, so summaries stored before a field existed still load."""
        return cls(
            steps_added=tuple(data.get("steps_added", ())),
            steps_removed=tuple(data.get("steps_removed", ())),
            steps_edited=tuple(data.get("steps_edited", ())),
            choices_added=int(data.get("choices_added", 0)),
            choices_removed=int(data.get("choices_removed", 0)),
            choices_edited=int(data.get("choices_edited", 0)),
            details_edited=tuple(data.get("details_edited", ())),
        )

    def sentence(self) -> str:
        """One line for a version list, e.g. "2 steps added (s4, s5), 3 choices edited"."""
        parts = [
            _steps_phrase(keys, verb)
            for keys, verb in (
                (self.steps_added, "added"),
                (self.steps_removed, "removed"),
                (self.steps_edited, "edited"),
            )
            if keys
        ]
        parts += [
            f"{_plural(count, 'choice')} {verb}"
            for count, verb in (
                (self.choices_added, "added"),
                (self.choices_removed, "removed"),
                (self.choices_edited, "edited"),
            )
            if count
        ]
        sentence = ", ".join(parts) if parts else "No changes to steps or choices"
        if self.details_edited:
            fields = ", ".join(name.replace("_", " ") for name in self.details_edited)
            sentence += f"; details edited ({fields})"
        return sentence


def version_changes(
    previous: Mapping[str, Any] | None, current: Mapping[str, Any]
) -> VersionChanges:
    """The changes from `previous` to `current`; with no previous, everything is added."""
    before = _steps(previous or {})
    after = _steps(current)
    added = tuple(key for key in after if key not in before)
    removed = tuple(key for key in before if key not in after)
    edited = []
    choices_added = sum(len(_choices(after[key])) for key in added)
    choices_removed = sum(len(_choices(before[key])) for key in removed)
    choices_edited = 0
    for key, step in after.items():
        if key not in before:
            continue
        if _fields(before[key], ("key", "choices")) != _fields(step, ("key", "choices")):
            edited.append(key)
        old, new = _choices(before[key]), _choices(step)
        choices_added += max(0, len(new) - len(old))
        choices_removed += max(0, len(old) - len(new))
        choices_edited += sum(
            1 for a, b in zip(old, new, strict=False) if _fields(a, ()) != _fields(b, ())
        )
    return VersionChanges(
        steps_added=added,
        steps_removed=removed,
        steps_edited=tuple(edited),
        choices_added=choices_added,
        choices_removed=choices_removed,
        choices_edited=choices_edited,
        details_edited=_details_edited(previous, current),
    )


def _steps(module: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    """Steps by key, in reading order; the first wins if a draft repeats a key."""
    steps: dict[str, Mapping[str, Any]] = {}
    for scenario in module.get("scenarios") or []:
        for step in scenario.get("steps") or []:
            steps.setdefault(str(step.get("key") or ""), step)
    return steps


def _choices(step: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return list(step.get("choices") or [])


def _fields(item: Mapping[str, Any], leave_out: Iterable[str]) -> dict[str, Any]:
    """The item's fields, with empty values dropped: a missing "indicators" equals []."""
    skip = set(leave_out)
    return {name: value for name, value in item.items() if name not in skip and not _blank(value)}


def _blank(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _details_edited(
    previous: Mapping[str, Any] | None, current: Mapping[str, Any]
) -> tuple[str, ...]:
    if previous is None:
        return ()
    names = [name for name in current if name not in IGNORED_MODULE_FIELDS]
    names += [
        name for name in previous if name not in IGNORED_MODULE_FIELDS and name not in current
    ]
    changed = [
        name
        for name in names
        if previous.get(name) != current.get(name)
        and not (_blank(previous.get(name)) and _blank(current.get(name)))
    ]
    if _scenario_outline(previous) != _scenario_outline(current):
        changed.append("scenarios")
    return tuple(changed)


def _scenario_outline(module: Mapping[str, Any]) -> list[tuple[Any, Any]]:
    """Scenarios' keys and titles in order: renamed, added, removed or reordered scenarios."""
    return [(s.get("key"), s.get("title")) for s in module.get("scenarios") or []]


def _steps_phrase(keys: tuple[str, ...], verb: str) -> str:
    listed = ", ".join(keys[:KEYS_LISTED])
    if len(keys) > KEYS_LISTED:
        listed += f" and {len(keys) - KEYS_LISTED} more"
    return f"{_plural(len(keys), 'step')} {verb} ({listed})"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"
