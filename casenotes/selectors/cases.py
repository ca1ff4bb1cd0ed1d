"""Reads of cases: the list and search, one case, the approval queue.

Every case comes through Case.objects.for_user (casenotes.access.scope_cases), so a case the
viewer may not see answers 404. The author is named through `posted_by`: by name inside the
case's authority, by role and region outside it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from casenotes import access
from casenotes.models import Case, Comment, ConsensusVote
from portal.models import User
from training.models import Indicator

# Far past any real list; keeps a silly ?page= inside the database's integers.
MAX_PAGE_NUMBER = 100_000


@dataclass(frozen=True)
class CaseFilters:
    """What the list is narrowed to; empty strings mean no filter. `scope` is the visibility."""

    q: str = ""
    indicator: str = ""
    ideology: str = ""
    setting: str = ""
    response: str = ""
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
    trigger-kept, GIN-indexed search_vector (migration 0002); a plain substring match
    elsewhere (SQLite, the embedded default)."""
    exact = {
        "indicators__key": filters.indicator,
        "ideology": filters.ideology,
        "setting": filters.setting,
        "response_taken": filters.response,
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


def case_list_for_user(*, user: User, filters: CaseFilters | None = None) -> QuerySet[Case]:
    """Cases the user may see, newest first (best match first when searching on PostgreSQL),
    with what the list shows: author, authority, and counts of visible comments and votes."""
    filters = filters or CaseFilters()
    cases = (
        _matching(user, filters)
        .select_related("author", "authority")
        .annotate(
            comment_count=_count_of(Comment, is_hidden=False),
            vote_count=_count_of(ConsensusVote),
        )
    )
    if filters.q.strip() and connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchRank

        rank = SearchRank(F("search_vector"), _search_query(filters.q.strip()))
        cases = cases.annotate(rank=rank).order_by("-rank", "-created_at", "-id")
    return cases


class _CountOf(Subquery):
    """How many rows a query has, as a value computed once inside another query."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) counted)"
    output_field = IntegerField()


def case_page_for_user(
    *, user: User, filters: CaseFilters | None = None, number: object = 1, per_page: int = 20
) -> Page:
    """One page of case_list_for_user with the total, both from one query (each row carries
    the count of all matching cases, computed once as a subquery), `posted_by` set on each
    case. A number past the end gives the last page, as Paginator.get_page does (that rare
    case costs two more queries).

    The count runs on the matching ids alone and the page on the newest-first index, so a
    county's twenty thousand cases are not joined, sorted and counted as whole rows (which
    spilled to disk); the list shows no case text, so that stays behind too."""
    filters = filters or CaseFilters()
    cases = case_list_for_user(user=user, filters=filters).defer(
        "question", "account", "outcome", "search_vector"
    )
    paginator = Paginator(cases, per_page)
    try:
        number = min(max(int(str(number)), 1), MAX_PAGE_NUMBER)
    except ValueError:
        number = 1
    bottom = (number - 1) * per_page
    total = _CountOf(_matching(user, filters).order_by().values("pk"))
    rows = list(cases.annotate(total=total)[bottom : bottom + per_page])
    if rows or number == 1:
        paginator.count = rows[0].total if rows else 0
    else:
        number = paginator.num_pages
        bottom = (number - 1) * per_page
        rows = list(cases[bottom : bottom + per_page])
    page = paginator.page(number)
    page.object_list = with_posted_by(rows, user=user)
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
