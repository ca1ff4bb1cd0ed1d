"""Published module snapshots through the cache (Redis when configured, memory otherwise).

A published version never changes, so its snapshot can be kept as long as the cache likes:
My training shows every module's latest version, and reading forty snapshots from the
database on each visit was most of that page's time. Publishing puts the snapshot in the
cache at once; a version the cache lacks is read with the others in one query.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.cache import cache

from training.models import ModuleVersion

KEPT_FOR_SECONDS = 7 * 24 * 60 * 60


def _key(version: ModuleVersion) -> str:
    # The publication time as well as the id: on SQLite a rolled-back publish can hand its
    # id to a later version, which must not inherit its snapshot.
    return f"training:snapshot:{version.pk}:{version.published_at.timestamp()}"


# What My training shows of each module: forty whole snapshots from the cache cost that page
# more than the rest of it together.
CARD_FIELDS = ("title", "minutes", "summary")


def _card_key(version: ModuleVersion) -> str:
    return f"training:card:{version.pk}:{version.published_at.timestamp()}"


def _card_of(snapshot: dict[str, Any]) -> dict[str, Any]:
    return {name: snapshot.get(name) for name in CARD_FIELDS}


def snapshot_remember(version: ModuleVersion) -> None:
    cache.set_many(
        {_key(version): version.snapshot, _card_key(version): _card_of(version.snapshot)},
        KEPT_FOR_SECONDS,
    )


def cards_fill(versions: Iterable[ModuleVersion]) -> None:
    """Give versions fetched without their snapshot their card (`version.card`)."""
    versions = list(versions)
    found = cache.get_many([_card_key(version) for version in versions])
    missing = [version for version in versions if _card_key(version) not in found]
    if missing:
        snapshots_fill(missing)
        cards = {_card_key(version): _card_of(version.snapshot) for version in missing}
        cache.set_many(cards, KEPT_FOR_SECONDS)
        found.update(cards)
    for version in versions:
        version.card = found[_card_key(version)]


def snapshots_fill(versions: Iterable[ModuleVersion]) -> None:
    """Give versions fetched without their snapshot (`.defer("snapshot")`) their snapshot."""
    versions = list(versions)
    found = cache.get_many([_key(version) for version in versions])
    missing = [version for version in versions if _key(version) not in found]
    if missing:
        rows = dict(
            ModuleVersion.objects.filter(pk__in=[v.pk for v in missing]).values_list(
                "pk", "snapshot"
            )
        )
        for version in missing:
            found[_key(version)] = rows[version.pk]
        cache.set_many({_key(v): rows[v.pk] for v in missing}, KEPT_FOR_SECONDS)
    for version in versions:
        version.snapshot = found[_key(version)]
