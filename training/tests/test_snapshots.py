"""My training reads each published version's card (title, minutes, summary) through the cache:
publishing fills it, and cards it lacks are made from their snapshots in one query."""

from __future__ import annotations

from django.core.cache import cache
from django.urls import reverse

from portal.tests.query_counts import kept_pages_forgotten
from training import snapshots
from training.models import ModuleVersion


def test_it_keeps_a_card_of_the_titles_when_publishing(version, django_assert_num_queries):
    fetched = list(ModuleVersion.objects.defer("snapshot").filter(pk=version.pk))

    with django_assert_num_queries(0):
        snapshots.cards_fill(fetched)

    snapshot = version.snapshot
    assert fetched[0].card == {
        "title": snapshot["title"],
        "minutes": snapshot["minutes"],
        "summary": snapshot["summary"],
    }
    assert "snapshot" in fetched[0].get_deferred_fields()  # the whole snapshot stayed behind


def test_it_makes_cards_the_cache_lacks_from_their_snapshots(version, django_assert_num_queries):
    cache.clear()
    fetched = list(ModuleVersion.objects.defer("snapshot").filter(pk=version.pk))

    with django_assert_num_queries(1):
        snapshots.cards_fill(fetched)
    again = list(ModuleVersion.objects.defer("snapshot").filter(pk=version.pk))
    with django_assert_num_queries(0):
        snapshots.cards_fill(again)
    assert again[0].card == {name: version.snapshot[name] for name in snapshots.CARD_FIELDS}


def test_it_keeps_the_cards_it_has_read_in_the_process(version, django_assert_num_queries):
    """A card never changes, so once read it is not asked of the cache (nor the database)
    again: with the shared cache emptied, the card still comes, and the cache stays empty."""
    first = list(ModuleVersion.objects.defer("snapshot").filter(pk=version.pk))
    snapshots.cards_fill(first)
    cache.clear()
    again = list(ModuleVersion.objects.defer("snapshot").filter(pk=version.pk))

    with django_assert_num_queries(0):
        snapshots.cards_fill(again)

    assert again[0].card == first[0].card
    assert cache.get(snapshots._key(version)) is None


def test_it_keeps_a_bounded_number_of_cards_in_the_process(version):
    snapshots.SEEN.keep({f"other:{n}": {} for n in range(snapshots.SEEN.limit)})
    snapshots.cards_fill(ModuleVersion.objects.defer("snapshot").filter(pk=version.pk))
    assert len(snapshots.SEEN) <= snapshots.SEEN.limit
    assert snapshots._key(version) in snapshots.SEEN


def test_it_shows_my_training_from_cached_snapshots(
    verified_client, alice, version, django_assert_num_queries
):
    client = verified_client(alice)
    url = reverse("training:catalogue")
    client.get(url)
    kept_pages_forgotten()  # count drawing the page, not serving it kept

    # Session, person, the page's own two, and the progress version it is kept under.
    with django_assert_num_queries(9):
        page = client.get(url)

    assert "bedroom door" in page.content.decode()  # the module's title, from its snapshot
