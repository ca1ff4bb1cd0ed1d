"""Reads of cases: the list and search, one case, the approval queue.

Every case comes through Case.objects.for_user (casenotes.access.scope_cases), so a case the
viewer may not see answers 404. The author is named through `posted_by`: by name inside the
case's authority, by role and region outside it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from casenotes import access
from casenotes.models import Case, Comment, ConsensusVote
from portal.models import User
from training.models import Indicator

if TYPE_CHECKING:
    from django.contrib.postgres.search import SearchRank

# Far past any real list; keeps a silly ?page= inside the database's integers.
MAX_PAGE_NUMBER = 100_000


@dataclass(frozen=True)
class CaseFilters:
    """What the list is narrowed to; empty strings mean no filter. `scope` is the visibility."""

    q: str = ""
    indicator: str = ""
    ideology: str = ""
    setting: str = ""
    safeguarding: str = ""  # what was done, on either route or both
    prevent: str = ""
    status: str = ""
    scope: str = ""


def _count_of(model: type, **conditions: object) -> Coalesce:
    """How many rows of `model` point at the case, as a subquery (no join, no GROUP BY)."""
    rows = (
        model.objects.filter(case=OuterRef("pk"), **conditions)
        .order_by()
        .values("case")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def _search_query(q: str):
    from django.contrib.postgres.search import SearchQuery

    return SearchQuery(q, search_type="websearch", config="english")


def _matching(user: User, filters: CaseFilters) -> QuerySet[Case]:
    """The cases the user may see that the filters and search words match, unordered: what
    the list shows and what its total counts.

    Search is PostgreSQL full-text search (English stemming, web-search syntax) on the
    service-kept, GIN-indexed search_vector (services.case_search_vector_refresh); a plain
    substring match
    elsewhere (SQLite, the embedded default)."""
    exact = {
        "indicators__key": filters.indicator,
        "ideology": filters.ideology,
        "setting": filters.setting,
        "response_safeguarding": filters.safeguarding,
        "response_prevent": filters.prevent,
        "status": filters.status,
        "visibility": filters.scope,
    }
    cases = Case.objects.for_user(user).filter(
        **{field: value for field, value in exact.items() if value}
    )
    q = filters.q.strip()
    if not q:
        return cases
    if connection.vendor == "postgresql":
        return cases.filter(search_vector=_search_query(q))
    matches = Q()
    for word in q.split():
        matches &= (
            Q(title__icontains=word)
            | Q(question__icontains=word)
            | Q(account__icontains=word)
            | Q(outcome__icontains=word)
        )
    return cases.filter(matches)


# Counting stops past this many cases: the heading then says "more than" and the pages go on
# with Next. An exact total read every visible case of a county for one number.
CASE_COUNT_LIMIT = 1000
# Search ranks the newest this many matching cases, best match first: a word found in most
# cases would otherwise rank thousands of them for one page. More words or a filter narrow it.
SEARCH_RANK_LIMIT = 300


def _listed(cases: QuerySet[Case]) -> QuerySet[Case]:
    """What the list shows of each case: author, authority, counts of visible comments and
    votes; no case text."""
    return (
        cases.select_related("author", "authority")
        .annotate(
            comment_count=_count_of(Comment, is_hidden=False),
            vote_count=_count_of(ConsensusVote),
        )
        .defer("question", "account", "outcome", "search_vector")
    )


def _ranked(q: str) -> SearchRank:
    from django.contrib.postgres.search import SearchRank

    return SearchRank(F("search_vector"), _search_query(q))


class _CountOf(Subquery):
    """How many rows a query has, as a value computed once inside another query."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) counted)"
    output_field = IntegerField()


class CasePage(Page):
    """A page of cases. `total_is_lower_bound`: more cases match than were counted (the
    paginator's count is then one past `total_shown`). `ranked_newest`: when searching, how
    many of the newest matches were ranked (None when all were)."""

    total_is_lower_bound: bool = False
    ranked_newest: int | None = None

    @property
    def total_shown(self) -> int:
        count = self.paginator.count
        return count - 1 if self.total_is_lower_bound else count


class _CasePaginator(Paginator):
    def _get_page(self, *args: Any, **kwargs: Any) -> CasePage:
        return CasePage(*args, **kwargs)


def _page_number(number: object) -> int:
    try:
        return min(max(int(str(number)), 1), MAX_PAGE_NUMBER)
    except ValueError:
        return 1


def case_page_for_user(
    *, user: User, filters: CaseFilters | None = None, number: object = 1, per_page: int = 20
) -> CasePage:
    """One page of the list with its total, `posted_by` set on each case. A number past the
    end gives the last page, as Paginator.get_page does.

    The list is one query: each row carries the count of matching cases (up to
    CASE_COUNT_LIMIT past the page), computed once from the list index alone, and the page is
    read in that index's order. A search on PostgreSQL is two: the newest SEARCH_RANK_LIMIT
    matching ids, then the page of them ranked best match first."""
    filters = filters or CaseFilters()
    number = _page_number(number)
    q = filters.q.strip()
    if q and connection.vendor == "postgresql":
        return _search_page(user, filters, number, per_page)
    matching = _matching(user, filters)
    cases = _listed(matching)
    paginator = _CasePaginator(cases, per_page)
    bottom = (number - 1) * per_page
    count_limit = max(CASE_COUNT_LIMIT, bottom + per_page)
    total = _CountOf(matching.order_by().values("pk")[: count_limit + 1])
    rows = list(cases.annotate(total=total)[bottom : bottom + per_page])
    if rows or number == 1:
        paginator.count = rows[0].total if rows else 0
    else:  # past the end (rare): count them all, then show the last page
        number = paginator.num_pages
        bottom = (number - 1) * per_page
        rows = list(cases[bottom : bottom + per_page])
    page = paginator.page(number)
    page.total_is_lower_bound = paginator.count > count_limit
    page.object_list = with_posted_by(rows, user=user)
    return page


def _search_page(user: User, filters: CaseFilters, number: int, per_page: int) -> CasePage:
    q = filters.q.strip()
    newest = _matching(user, filters).order_by("-created_at", "-id").values_list("pk", flat=True)
    ids = list(newest[: SEARCH_RANK_LIMIT + 1])
    more = len(ids) > SEARCH_RANK_LIMIT
    ids = ids[:SEARCH_RANK_LIMIT]
    ranked = (
        _listed(Case.objects.filter(pk__in=ids))  # ids from the scoped query just above
        .annotate(rank=_ranked(q))
        .order_by("-rank", "-created_at", "-id")
    )
    paginator = _CasePaginator(ranked, per_page)
    paginator.count = len(ids)
    page = paginator.get_page(number)
    page.object_list = with_posted_by(page.object_list, user=user)
    page.ranked_newest = SEARCH_RANK_LIMIT if more else None
    return page


def with_posted_by(cases: Iterable[Case], *, user: User) -> list[Case]:
    """Set `posted_by` on each case (author and authority fetched with it)."""
    cases = list(cases)
    for case in cases:
        case.posted_by = posted_by(case, user=user)
    return cases


def posted_by(case: Case, *, user: User) -> str:
    return access.author_shown_as(
        user, author=case.author, authority_id=case.authority_id, region=case.authority.region
    )


def case_get_for_user(*, user: User, pk: int) -> Case:
    """One case the user may see, with its author, authority, team and indicators (2 queries);
    `posted_by` set. 404 otherwise."""
    case = (
        Case.objects.for_user(user)
        .select_related("author", "authority", "team")
        .defer("search_vector")  # only search reads it, in SQL
        .prefetch_related("indicators")
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise Http404("No such case.")
    case.posted_by = posted_by(case, user=user)
    return case


def case_get_for_author(*, user: User, pk: int) -> Case:
    """A case the user posted (and may still see). 404 for anyone else."""
    case = case_get_for_user(user=user, pk=pk)
    if case.author_id != user.pk:
        raise Http404("No such case.")
    return case


def case_get_for_moderator(*, user: User, pk: int) -> Case:
    """A case of the moderator's own authority. 404 for anyone else."""
    case = case_get_for_user(user=user, pk=pk)
    if not access.is_moderator_of(user, case.authority_id):
        raise Http404("No such case.")
    return case


def case_get_for_author_lookup(*, user: User, pk: int) -> Case:
    """A case whose author the user (an admin of its authority) may identify. 404 otherwise."""
    case = case_get_for_user(user=user, pk=pk)
    if not access.can_identify_author(user, case.authority_id):
        raise Http404("No such case.")
    return case


def indicator_list() -> QuerySet[Indicator]:
    """The indicators a case can be tagged with (the training taxonomy, shared by all)."""
    return Indicator.objects.all()


def indicator_choices() -> list[tuple[str, str]]:
    """(key, name) of every indicator, for filtering the list by one."""
    return list(indicator_list().values_list("key", "name"))


def approval_queue_for_user(*, user: User) -> QuerySet[Case]:
    """Cases of the moderator's authority waiting for a decision on wider sharing, oldest
    first. Nothing for anyone who does not moderate."""
    if not access.can_moderate(user):
        return Case.objects.none()
    return (
        Case.objects.for_user(user)
        .filter(authority_id=user.authority_id, sharing=Case.Sharing.PENDING)
        .select_related("author", "team")
        .order_by("created_at", "id")
    )
