"""One way to page a long list, for every list page (the template: includes/pagination.html)."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PAGE_SIZE = 50


def page_of(
    request: HttpRequest, items: Any, *, per_page: int = PAGE_SIZE
) -> tuple[Page, list[int | str]]:
    """The requested page (the nearest real one for a bad number) and the numbers to link."""
    paginator = Paginator(items, per_page)
    page = paginator.get_page(request.GET.get("page"))
    return page, list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
