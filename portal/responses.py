"""Django choices for the response vocabulary of training/responses.py (which imports nothing
from Django): the two routes, the actions and the practice errors, keys and labels in order."""

from django.db import models

from training import responses


def _choices(name: str, terms: tuple[responses.Term, ...]) -> type[models.TextChoices]:
    return models.TextChoices(name, [(term.key.upper(), (term.key, term.label)) for term in terms])


SafeguardingRoute = _choices("SafeguardingRoute", responses.SAFEGUARDING_LEVELS)
PreventRoute = _choices("PreventRoute", responses.PREVENT_LEVELS)
Action = _choices("Action", responses.ACTIONS)
PracticeError = _choices("PracticeError", responses.PRACTICE_ERRORS)
