"""What My training shows of each published module (its card) through the cache (Redis when
configured, memory otherwise).

A published version never changes, so its card can be kept as long as the cache likes. My
training shows every module's latest version: reading forty whole snapshots (from the
database, then from the cache) to show three fields of each was most of that page's time.
Publishing puts the card in the cache at once; cards the cache lacks are made from their
snapshots, read together in one query.

The team page and a person's record name each critical miss by its decision's title, from a
score of versions at once: each version's step titles are kept the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.core.cache import cache

from training import engine
from training.models import ModuleVersion

KEPT_FOR_SECONDS = 7 * 24 * 60 * 60
CARD_FIELDS = ("title", "minutes", "summary")


def _key(version: ModuleVersion, kind: str = "card") -> str:
    return _key_of(version.pk, version.published_at, kind)


def _key_of(pk: int, published_at: datetime, kind: str) -> str:
    # The publication time as well as the id: on SQLite a rolled-back publish can hand its
    # id to a later version, which must not inherit its card.
    return f"training:{kind}:{pk}:{published_at.timestamp()}"


def _card_of(snapshot: dict[str, Any]) -> dict[str, Any]:
    return {name: snapshot.get(name) for name in CARD_FIELDS}


def card_remember(version: ModuleVersion) -> None:
    cache.set(_key(version), _card_of(version.snapshot), KEPT_FOR_SECONDS)


def cards_fill(versions: Iterable[ModuleVersion]) -> None:
    """Give versions fetched without their snapshot (`.defer("snapshot")`) their card
    (`version.card`)."""
    versions = list(versions)
    keys = [_key(version) for version in versions]
    found = cache.get_many(keys)
    missing = [version for version in versions if _key(version) not in found]
    if missing:
        snapshots = dict(
            ModuleVersion.objects.filter(pk__in=[v.pk for v in missing]).values_list(
                "pk", "snapshot"
            )
        )
        cards = {_key(version): _card_of(snapshots[version.pk]) for version in missing}
        cache.set_many(cards, KEPT_FOR_SECONDS)
        found.update(cards)
    for version in versions:
        version.card = found[_key(version)]


def step_titles(versions: Iterable[tuple[int, datetime]]) -> dict[tuple[int, str], str]:
    """Each version's step titles by (version id, step key), for versions given as (id,
    publication time); those the cache lacks are read from their snapshots in one query (a
    step's title is where it was in every format)."""
    keys = {_key_of(pk, published_at, "titles"): pk for pk, published_at in set(versions)}
    found = cache.get_many(keys)
    missing = {pk: key for key, pk in keys.items() if key not in found}
    if missing:
        snapshots = ModuleVersion.objects.filter(pk__in=missing).values_list("pk", "snapshot")
        read = {
            missing[pk]: {
                key: step.get("title") or key for key, step in engine.steps_by_key(snapshot).items()
            }
            for pk, snapshot in snapshots
        }
        cache.set_many(read, KEPT_FOR_SECONDS)
        found.update(read)
    return {
        (pk, step_key): title
        for key, pk in keys.items()
        for step_key, title in found.get(key, {}).items()
    }
