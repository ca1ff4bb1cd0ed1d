"""Counting a list page's queries with a small set of rows and with ten times as many.

Each app's test_query_counts.py describes its list and dashboard pages as `ListPage`s; the
test grows the rows, reads the page twice at each size and asserts the second reading costs
the same number of queries both times (no N+1), within a ceiling.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpResponse
from django.urls import reverse

Fixture = Callable[[str], Any]  # pytest's request.getfixturevalue
State = dict[str, Any]  # what a page's `setup` made, for `grow` and `url` to use


def url_of(name: str, query: str = "") -> Callable[[State], str]:
    """A ListPage url for a page whose address does not depend on the data."""
    return lambda state: reverse(name) + query


def _nothing(fixture: Fixture) -> State:
    return {}


@dataclass(frozen=True)
class ListPage:
    """A page showing rows that grow with the data.

    persona: the fixture of who reads it. setup: makes what every size shares (returns a
    state). grow(state, first, count): adds rows numbered first..first+count-1. url(state):
    where the page is. shows(total): text the page holds once `total` rows exist, so the
    test cannot pass on an empty page. ceiling: the most queries the page may ever take.
    small: how many rows the small reading has (the large one has ten times as many).
    """

    persona: str
    grow: Callable[[State, int, int], None]
    url: Callable[[State], str]
    shows: Callable[[int], list[str]]
    ceiling: int
    setup: Callable[[Fixture], State] = field(default=_nothing)
    small: int = 3


def text(response: HttpResponse) -> str:
    """The page's visible text (tags dropped, entities decoded, spaces collapsed)."""
    body = response.content.decode()
    if response.get("Content-Type", "").startswith("text/html"):
        body = re.sub(r"<[^>]+>", " ", body)
    return re.sub(r"\s+", " ", html.unescape(body))


def assert_same_queries_at_ten_times(
    page: ListPage,
    *,
    request: Any,
    verified_client: Callable[[Any], Any],
    django_assert_num_queries: Any,
    django_assert_max_num_queries: Any,
) -> tuple[int, int]:
    """Read the page with `small` rows, then with ten times as many: the same queries each
    time, at most `ceiling`. Each size is read twice and the second reading counted, so
    warm-up work (the first request after sign-in saving the session) is not. Returns the two
    counts."""
    fixture = request.getfixturevalue
    client = verified_client(fixture(page.persona))
    state = {"fixture": fixture, **page.setup(fixture)}
    counts = []
    for first, count in ((0, page.small), (page.small, 9 * page.small)):
        page.grow(state, first, count)
        url = page.url(state)
        assert client.get(url).status_code == 200
        if not counts:
            with django_assert_max_num_queries(page.ceiling) as queries:
                response = client.get(url)
        else:
            with django_assert_num_queries(counts[0]) as queries:
                response = client.get(url)
        counts.append(len(queries.captured_queries))
        assert response.status_code == 200
        shown = text(response)
        for expected in page.shows(first + count):
            assert expected in shown, f"{expected!r} is not on the page"
    return counts[0], counts[1]
