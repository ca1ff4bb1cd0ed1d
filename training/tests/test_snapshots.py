"""My training reads each published version's card (title, minutes, summary) through the cache:
publishing fills it, and cards it lacks are made from their snapshots in one query."""

from __future__ import annotations

from django.core.cache import cache
from django.urls import reverse

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


def test_it_shows_my_training_from_cached_snapshots(
    verified_client, alice, version, django_assert_num_queries
):
    client = verified_client(alice)
    url = reverse("training:catalogue")
    client.get(url)

    with django_assert_num_queries(8):  # as before the cache: session, person, the page's own
        page = client.get(url)

    assert "bedroom door" in page.content.decode()  # the module's title, from its snapshot


def test_it_reads_step_titles_from_the_snapshot_once_then_from_the_cache(
    version, django_assert_num_queries
):
    cache.clear()
    given = [(version.pk, version.published_at)] * 2  # asked twice, read once

    with django_assert_num_queries(1):
        titles = snapshots.step_titles(given)
    with django_assert_num_queries(0):
        again = snapshots.step_titles(given)

    steps = [step for scenario in version.snapshot["scenarios"] for step in scenario["steps"]]
    assert titles == again == {(version.pk, s["key"]): s.get("title") or s["key"] for s in steps}
    assert titles  # the module has steps to name
