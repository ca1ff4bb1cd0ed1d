"""Reading a row id from a request, one way for URLs, query strings, posted data and forms;
and writing many ids into one route's URLs (`url_for_ids`).

An id that cannot name a row (not a whole number, negative, zero, or beyond PostgreSQL's
bigint) is refused before any query: on SQLite a huge int raises OverflowError, on PostgreSQL
some lookups raise DataError, and both would answer 500. A URL with such an id does not match
(404); a form field says what is wrong; a loose query or posted value is dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse

BIGINT_MAX = 2**63 - 1
_MAX_DIGITS = len(str(BIGINT_MAX))


def id_from(value: Any, *, minimum: int = 1) -> int | None:
    """The id `value` spells (ASCII digits, `minimum` to BIGINT_MAX), or None."""
    text = value.strip() if isinstance(value, str) else ""
    if not (text.isascii() and text.isdigit() and len(text) <= _MAX_DIGITS):
        return None
    number = int(text)
    return number if minimum <= number <= BIGINT_MAX else None


def ids_from(values: Iterable[Any]) -> list[int]:
    """The ids among `values`, in order, dropping any that cannot name a row."""
    return [number for number in map(id_from, values) if number is not None]


# An id no route's fixed text contains: where it lands in a reversed URL is where ids go.
_STAND_IN = "918273645546372819"


def url_for_ids(name: str) -> Callable[[int], str]:
    """`reverse(name, args=[pk])` for many ids: the route is reversed once and each id written
    into the same place (pages that link hundreds of rows would otherwise resolve the route
    hundreds of times). For routes whose one argument is an `<id:...>`."""
    head, tail = reverse(name, args=[_STAND_IN]).split(_STAND_IN)
    return lambda pk: f"{head}{pk}{tail}"


class IdConverter:
    """The `<id:...>` path converter every project URL uses instead of Django's `<int:...>`,
    which passes any number of digits on to the database."""

    regex = f"[0-9]{{1,{_MAX_DIGITS}}}"
    minimum = 1

    def to_python(self, value: str) -> int:
        number = id_from(value, minimum=self.minimum)
        if number is None:
            raise ValueError("out of range")  # Django reads this as "no match": a 404
        return number

    def to_url(self, value: int | str) -> str:
        return str(value)


class IndexConverter(IdConverter):
    """`<index:...>`: a position counted from 0 (an answer's place in an attempt)."""

    minimum = 0


class IdField(forms.IntegerField):
    """A form field holding a row id: a whole number from 1 to BIGINT_MAX."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", BIGINT_MAX)
        super().__init__(**kwargs)


class ModelMultipleIdChoiceField(forms.ModelMultipleChoiceField):
    """Django's multiple choice of rows, refusing a value that is not a row id before it
    reaches the `pk__in` query (where SQLite overflows)."""

    def _check_values(self, value: Iterable[Any]) -> Any:
        for item in value:
            if id_from(str(item)) is None:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": item},
                )
        return super()._check_values(value)
