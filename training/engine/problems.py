"""What validation reports: one problem and where it is. Pure."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One reason a module cannot be published, and where it is.

    `message` reads on its own (the publish page's list); `detail` reads after the location,
    either a JSON path (`scenarios[0].steps[4].choices[0].next: …`) or the field it concerns
    on the studio's step page. `field` is the key at that place, dotted for a band
    (`bands.prevent`).
    """

    message: str
    detail: str
    scenario_index: int | None = None
    step_index: int | None = None
    step_key: str = ""
    choice_index: int | None = None
    field: str = ""

    @property
    def path(self) -> str:
        parts = []
        if self.scenario_index is not None:
            parts.append(f"scenarios[{self.scenario_index}]")
        if self.step_index is not None:
            parts.append(f"steps[{self.step_index}]")
        if self.choice_index is not None:
            parts.append(f"choices[{self.choice_index}]")
        if self.field:
            parts.append(self.field)
        return ".".join(parts)
