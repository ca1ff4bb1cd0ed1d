"""What was done on a case, or what a colleague would do: a response on both routes with its
actions (DESIGN.md "Responses: two routes, a band, safety-critical decisions"), in words.

A case's decision and outcome and every vote are one of these. The keys come from
training/responses.py; `portal.responses` holds their Django choices.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from portal.responses import Action, PreventRoute, SafeguardingRoute
from training import responses

# What a form says when a route or an action is not in the vocabulary (the forms' choices and
# the services' own checks say the same).
UNKNOWN_ROUTE = {
    responses.SAFEGUARDING: "Select a safeguarding route from the list",
    responses.PREVENT: "Select a Prevent route from the list",
}
UNKNOWN_ACTION = "Select actions from the list"


@dataclass(frozen=True)
class Response:
    safeguarding: str
    prevent: str
    actions: tuple[str, ...] = ()

    @property
    def safeguarding_label(self) -> str:
        return SafeguardingRoute(self.safeguarding).label

    @property
    def prevent_label(self) -> str:
        return PreventRoute(self.prevent).label

    @property
    def action_labels(self) -> list[str]:
        return [Action(key).label for key in self.actions]

    @property
    def routes_label(self) -> str:
        return f"{self.safeguarding_label} + {self.prevent_label}"

    def __str__(self) -> str:
        """For example "Family help (early help or section 17) + Prevent advice; actions:
        Consult the DSL, Record the decision"."""
        if not self.actions:
            return self.routes_label
        return f"{self.routes_label}; actions: {', '.join(self.action_labels)}"


def actions_in_order(keys: Iterable[str]) -> list[str]:
    """The actions given, once each, in the vocabulary's order: a set of actions is stored one
    way only, so votes naming the same actions are counted together. Unknown keys are dropped
    (the services refuse them first)."""
    chosen = set(keys)
    return [key for key in responses.ACTION_KEYS if key in chosen]
