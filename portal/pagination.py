"""One way to page a long list, for every list page (the template: includes/pagination.html)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PAGE_SIZE = 50


def page_of(
    request: HttpRequest,
    items: Any,
    *,
    per_page: int = PAGE_SIZE,
    count: int | None = None,
    rows: Callable[[list[Any]], Sequence[Any]] | None = None,
) -> tuple[Page, list[int | str]]:
    """The requested page (the nearest real one for a bad number) and the numbers to link.

    items should be in a unique order (end with a tiebreaker such as "id"), or rows can
    appear on two pages. count, when the page has counted the items already, saves the
    paginator's COUNT query. rows turns the page's items into what the template shows, so
    that work is done for one page, not the whole list.
    """
    paginator = Paginator(items, per_page)
    if count is not None:
        paginator.count = count  # a cached_property: this replaces the query
    page = paginator.get_page(request.GET.get("page"))
    if rows is not None:
        page.object_list = rows(list(page.object_list))
    return page, page_numbers(page)


def page_numbers(page: Page) -> list[int | str]:
    """The page numbers to link around `page`: its neighbours and both ends, elided between."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
