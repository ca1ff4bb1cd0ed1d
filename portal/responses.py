"""The response vocabulary as Django choices: two routes, actions and practice errors.

Built from training.responses (pure, no Django), keys, labels and order alike, so a form, a
model field and the engine can never spell a route differently.
"""

from django.db import models

from training import responses


def _members(terms: tuple[responses.Term, ...]) -> dict[str, tuple[str, str]]:
    return {term.key.upper(): (term.key, term.label) for term in terms}


SafeguardingRoute = models.TextChoices("SafeguardingRoute", _members(responses.SAFEGUARDING_LEVELS))
PreventRoute = models.TextChoices("PreventRoute", _members(responses.PREVENT_LEVELS))
Action = models.TextChoices("Action", _members(responses.ACTIONS))
PracticeError = models.TextChoices("PracticeError", _members(responses.PRACTICE_ERRORS))
