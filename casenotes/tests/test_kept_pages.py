"""Case pages kept per viewer (portal.kept_pages): served without their queries, drawn again
after any change they show, never shared between viewers, forms still carrying the viewer's
CSRF token. The triggers that move the version are the database's own (SQLite here,
PostgreSQL in CI)."""

from __future__ import annotations

import importlib
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casenotes.models import Case, CasesVersion, Comment, Visibility
from casenotes.tests.case_factories import CaseFactory, CommentFactory, VoteFactory
from conftest import run_migration_sql, signed_in_client
from portal import kept_pages
from portal.models import Role
from portal.tests.query_counts import text
from training import services as training_services
from training.models import Indicator
from training.tests.factories import INDICATORS

LIST = reverse("casenotes:case-list")


@pytest.fixture
def indicators(db):
    training_services.indicators_load(data=INDICATORS)


def version() -> int:
    return CasesVersion.objects.get(pk=1).number


def queries_for(client: Client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), text(response)


def test_a_second_reading_is_served_kept_without_the_pages_queries(alice):
    case = CaseFactory(author=alice, title="Kestrel memes")
    CommentFactory.create_batch(3, case=case, author=alice)
    client = signed_in_client(alice)
    for url in (LIST, LIST + "?q=kestrel", reverse("casenotes:case-detail", args=[case.pk])):
        drawn, first = queries_for(client, url)
        kept, second = queries_for(client, url)
        assert second == first
        # The signed-in session and the version: no case, comment or vote read.
        assert kept < drawn
        assert kept <= 7


@pytest.mark.parametrize(
    "change",
    [
        "comment",
        "vote",
        "hidden comment",
        "title",
        "author's role",
        "indicator",
        "indicator's name",
        "new indicator",
        "authority's region",
    ],
)
def test_a_change_on_the_page_draws_it_again(alice, bob, charlie, indicators, change):
    shared = CaseFactory(
        author=alice, title="Kestrel memes", visibility=Visibility.ALL, sharing="approved"
    )
    comment = CommentFactory(case=shared, author=bob, body="Speak to the school first.")
    client = signed_in_client(charlie)
    case_url = reverse("casenotes:case-detail", args=[shared.pk])
    before = {url: queries_for(client, url)[1] for url in (LIST, case_url)}
    number = version()

    if change == "comment":
        CommentFactory(case=shared, author=bob, body="Then early help.")
        shown = {LIST: "2 comments", case_url: "Then early help."}
    elif change == "vote":
        VoteFactory(case=shared, voter=bob)
        shown = {LIST: "1 vote"}
    elif change == "hidden comment":
        Comment.objects.filter(pk=comment.pk).update(is_hidden=True)
        shown = {LIST: "0 comments"}
    elif change == "title":
        Case.objects.filter(pk=shared.pk).update(title="Kestrel stickers")
        shown = {LIST: "Kestrel stickers", case_url: "Kestrel stickers"}
    elif change == "author's role":
        alice.role = Role.AUTHORITY_ADMIN
        alice.save(update_fields=["role"])
        named = f"{Role.AUTHORITY_ADMIN.label}, North West"
        shown = {LIST: named, case_url: named}
    elif change == "indicator":
        shared.indicators.add(Indicator.objects.get(key="isolation"))
        shown = {case_url: "Isolation"}
    elif change == "indicator's name":
        shared.indicators.add(Indicator.objects.get(key="isolation"))
        Indicator.objects.filter(key="isolation").update(name="Isolated from friends")
        shown = {case_url: "Isolated from friends"}
    elif change == "new indicator":
        Indicator.objects.create(
            key="conspiracy-forums",
            name="Conspiracy forums",
            category=Indicator.Category.ENGAGEMENT,
            description="Spends hours on conspiracy forums.",
        )
        shown = {LIST: "Conspiracy forums"}
    else:
        alice.authority.region = "Yorkshire and the Humber"
        alice.authority.save()
        shown = {LIST: "Yorkshire and the Humber", case_url: "Yorkshire and the Humber"}

    assert version() > number
    for url, words in shown.items():
        assert words not in before[url]
        assert words in queries_for(client, url)[1]


def test_reading_and_signing_in_leave_the_version_alone(alice, bob):
    case = CaseFactory(author=alice)
    number = version()
    client = signed_in_client(bob)  # last_login is written
    queries_for(client, LIST)
    queries_for(client, reverse("casenotes:case-detail", args=[case.pk]))
    assert version() == number


def test_a_page_kept_for_one_viewer_is_not_shown_to_another(alice, bob, charlie):
    team_only = CaseFactory(author=alice, title="Team only case", visibility=Visibility.TEAM)
    case_url = reverse("casenotes:case-detail", args=[team_only.pk])
    alices = signed_in_client(alice)
    assert "Team only case" in queries_for(alices, LIST)[1]
    assert "Team only case" in queries_for(alices, case_url)[1]

    charlies = signed_in_client(charlie)
    assert "Team only case" not in queries_for(charlies, LIST)[1]
    assert charlies.get(case_url).status_code == 404
    # Bob is in her authority: he sees her name where Charlie would see a role and region.
    assert "Alice Okafor" in queries_for(signed_in_client(bob), LIST)[1]


def test_a_kept_case_page_posts_with_the_readers_own_csrf_token(alice, bob):
    case = CaseFactory(author=alice)
    url = reverse("casenotes:case-detail", args=[case.pk])
    client = signed_in_client(bob)
    client.handler.enforce_csrf_checks = True
    client.get(url)  # drawn and kept
    page = client.get(url).content.decode()  # served kept
    assert kept_pages.csrf_placeholder() not in page
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert tokens, "the page has no form"
    response = client.post(
        reverse("casenotes:comment-create", args=[case.pk]),
        {"body": "Check with the designated safeguarding lead.", "csrfmiddlewaretoken": tokens[0]},
    )
    assert response.status_code == 302
    assert Comment.objects.filter(case=case, author=bob).exists()
    assert "Check with the designated safeguarding lead." in queries_for(client, url)[1]


def test_the_placeholder_comes_from_the_secret_key(settings):
    first = kept_pages.csrf_placeholder()
    kept_pages.csrf_placeholder.cache_clear()
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789"
    try:
        assert kept_pages.csrf_placeholder() != first
    finally:
        kept_pages.csrf_placeholder.cache_clear()


def test_without_the_version_row_pages_are_drawn_every_time(alice):
    """A flushed database (TransactionTestCase) has no row: nothing is kept, nothing breaks."""
    case = CaseFactory(author=alice, title="Kestrel memes")
    CasesVersion.objects.all().delete()
    client = signed_in_client(alice)
    drawn, page = queries_for(client, LIST)
    again, _ = queries_for(client, LIST)
    assert "Kestrel memes" in page and again == drawn
    assert queries_for(client, reverse("casenotes:case-detail", args=[case.pk]))[0] > 7


def test_the_migrations_triggers_come_off_and_back_on(alice):
    migration = importlib.import_module("casenotes.migrations.0006_cases_version")
    off = migration._triggers(migration._postgresql_backwards, migration._sqlite_backwards)
    on = migration._triggers(migration._postgresql_forwards, migration._sqlite_forwards)

    run_migration_sql(off)
    number = version()
    CaseFactory(author=alice)
    assert version() == number

    run_migration_sql(on)
    CaseFactory(author=alice)
    assert version() > number
