"""What My training shows of each published module (its card) through the cache (Redis when
configured, memory otherwise).

A published version never changes, so its card can be kept as long as the cache likes. My
training shows every module's latest version: reading forty whole snapshots (from the
database, then from the cache) to show three fields of each was most of that page's time.
Publishing puts the card in the cache at once; cards the cache lacks are made from their
snapshots, read together in one query.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.cache import cache

from training.models import ModuleVersion

KEPT_FOR_SECONDS = 7 * 24 * 60 * 60
CARD_FIELDS = ("title", "minutes", "summary")


def _key(version: ModuleVersion) -> str:
    # The publication time as well as the id: on SQLite a rolled-back publish can hand its
    # id to a later version, which must not inherit its card.
    return f"training:card:{version.pk}:{version.published_at.timestamp()}"


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
