"""What one process keeps of values that never change once made (drawn forms, module cards),
so a page view does not make or fetch them again."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Generic, TypeVar

Value = TypeVar("Value")


class KeptInProcess(Generic[Value]):
    """At most `limit` values by key, emptied when full: a simple bound, since what is kept is
    small and cheap to make again."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._values: dict[Hashable, Value] = {}

    def get(self, key: Hashable) -> Value | None:
        return self._values.get(key)

    def keep(self, values: dict[Hashable, Value]) -> None:
        if len(self._values) + len(values) > self.limit:
            self._values.clear()
        self._values.update(values)

    def found(self, keys: Iterable[Hashable]) -> dict[Hashable, Value]:
        """Those of `keys` kept, with their values."""
        return {key: self._values[key] for key in keys if key in self._values}

    def __len__(self) -> int:
        return len(self._values)

    def __contains__(self, key: object) -> bool:
        return key in self._values
