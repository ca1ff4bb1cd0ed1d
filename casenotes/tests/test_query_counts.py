"""Case discussion's list pages take the same queries for ten times the rows: the case list
(filtered and searched), a case's comments and votes, the approval and moderation queues."""

from __future__ import annotations

import pytest
from django.urls import reverse

from casenotes.models import Flag, Visibility
from casenotes.tests.case_factories import CaseFactory, CommentFactory, VoteFactory
from portal.models import Role
from portal.tests.factories import TeamFactory, UserFactory
from portal.tests.query_counts import ListPage, State, assert_same_queries_at_ten_times
from training import services as training_services
from training.models import Indicator
from training.tests.factories import INDICATORS

ROLES = [Role.PRACTITIONER, Role.SUPERVISOR, Role.AUTHORITY_ADMIN]


@pytest.fixture
def indicators(db):
    training_services.indicators_load(data=INDICATORS)


def _person(state: State, n: int, *, elsewhere: bool = False):
    """Someone numbered n, in alice's authority or (elsewhere) in charlie's."""
    home = state["fixture"]("charlie" if elsewhere else "alice")
    return UserFactory(
        email=f"person{n:03d}{'-elsewhere' if elsewhere else ''}@example.org",
        full_name=f"Person {n:03d}",
        authority=home.authority,
        team=home.team if n % 2 else TeamFactory(authority=home.authority),
        role=ROLES[n % 3],
    )


def _own_visibility(n: int) -> str:
    return Visibility.TEAM if n % 4 in (0, 1) else Visibility.AUTHORITY


def _grow_cases(state: State, first: int, count: int) -> None:
    """Cases alice may see: her authority's (some for her team only) and other authorities'
    shared with everyone, each with indicators, comments and votes."""
    isolation = Indicator.objects.get(key="isolation")
    for n in range(first, first + count):
        elsewhere = n % 3 == 2
        author = _person(state, n, elsewhere=elsewhere)
        case = CaseFactory(
            author=author,
            title=f"Case {n:03d} about memes",
            visibility=Visibility.ALL if elsewhere else _own_visibility(n),
            sharing="approved" if elsewhere else "not_needed",
            team=state["fixture"]("alice").team if n % 2 else author.team,
            status="outcome_recorded" if n % 4 == 0 else "open",
        )
        case.indicators.add(isolation)
        CommentFactory(case=case, author=author)
        CommentFactory(case=case, author=state["fixture"]("bob"), is_hidden=n % 5 == 0)
        VoteFactory(case=case, voter=state["fixture"]("bob"))


def _grow_pending(state: State, first: int, count: int) -> None:
    for n in range(first, first + count):
        CaseFactory(
            author=_person(state, n),
            title=f"Pending case {n:03d}",
            visibility=[Visibility.REGION, Visibility.ALL][n % 2],
        )


def _grow_flags(state: State, first: int, count: int) -> None:
    """Open reports on bob's authority's cases (one hidden) and comments, some raised by
    people elsewhere on a shared case; and resolved reports, which are not listed."""
    alice = state["fixture"]("alice")
    for n in range(first, first + count):
        case = CaseFactory(
            author=alice,
            title=f"Reported case {n:03d}",
            visibility=Visibility.ALL,
            sharing="approved",
            is_hidden=n % 4 == 0,
        )
        raiser = _person(state, n, elsewhere=n % 2 == 1)
        comment = CommentFactory(case=case, author=raiser, is_hidden=n % 3 == 0)
        Flag.objects.create(case=case, raised_by=raiser, reason=f"Case reason {n:03d}")
        Flag.objects.create(
            case=case, comment=comment, raised_by=alice, reason=f"Comment reason {n:03d}"
        )
        Flag.objects.create(
            case=case, raised_by=alice, reason="Already done", resolved_at=case.created_at
        )


def _setup_case(fixture) -> State:
    bob = fixture("bob")
    case = CaseFactory(author=fixture("alice"), visibility=Visibility.ALL, sharing="approved")
    case.indicators.add(*Indicator.objects.all())
    VoteFactory(case=case, voter=bob, voter_in_priority_area=True)
    VoteFactory(case=case, voter=fixture("charlie"))
    return {"case": case}


def _grow_discussion(state: State, first: int, count: int) -> None:
    """Comments and votes from people of both authorities; some comments hidden."""
    case = state["case"]
    for n in range(first, first + count):
        person = _person(state, n, elsewhere=n % 2 == 1)
        CommentFactory(case=case, author=person, body=f"Comment {n:03d}", is_hidden=n % 7 == 3)
        VoteFactory(
            case=case,
            voter=person,
            safeguarding=["family_help", "universal", "child_protection"][n % 3],
            prevent=["none", "advice", "referral", "emergency"][n % 4],
            actions=[["consult_dsl"], [], ["share_information", "record_decision"]][n % 3],
            voter_in_priority_area=not n % 2,
        )


def _setup_reported(fixture) -> State:
    """A shared case of bob's authority and a comment on it, both to moderate."""
    case = CaseFactory(author=fixture("alice"), visibility=Visibility.ALL, sharing="approved")
    return {"case": case, "comment": CommentFactory(case=case, author=fixture("charlie"))}


def _grow_reports(state: State, first: int, count: int) -> None:
    """Open reports on the case and on the comment, from people of both authorities."""
    for n in range(first, first + count):
        raiser = _person(state, n, elsewhere=n % 2 == 1)
        Flag.objects.create(case=state["case"], raised_by=raiser, reason=f"Case reason {n:03d}")
        Flag.objects.create(
            case=state["case"],
            comment=state["comment"],
            raised_by=raiser,
            reason=f"Comment reason {n:03d}",
        )


def _case_list(query: str = ""):
    return lambda state: reverse("casenotes:case-list") + query


def _case_url(state: State) -> str:
    return reverse("casenotes:case-detail", args=[state["case"].pk])


def _visible_to_alice(total: int) -> int:
    """Her authority's cases for another team (n % 4 == 0) are not hers to see."""
    return sum(1 for n in range(total) if n % 3 == 2 or n % 4 != 0)


PAGES = {
    "case list": ListPage(
        persona="alice",
        grow=_grow_cases,
        url=_case_list(),
        shows=lambda total: [f"{_visible_to_alice(total)} cases", ", South East"],
        ceiling=8,
    ),
    "case list, searched": ListPage(
        persona="alice",
        grow=_grow_cases,
        url=_case_list("?q=memes"),
        shows=lambda total: [f"{_visible_to_alice(total)} matching cases"],
        ceiling=9,  # on PostgreSQL the newest matching ids first, then their page ranked
    ),
    "case list, filtered": ListPage(
        persona="alice",
        grow=_grow_cases,
        url=_case_list(
            "?indicator=isolation&ideology=extreme_right_wing&setting=secondary_school"
            "&safeguarding=family_help&prevent=none"
        ),
        shows=lambda total: [f"{_visible_to_alice(total)} matching cases"],
        ceiling=8,
    ),
    "case list, an authority admin's": ListPage(
        persona="dave",
        grow=_grow_cases,
        url=_case_list(),
        shows=lambda total: [f"{total} cases", "1 comment · 1 vote"],
        ceiling=8,
    ),
    "approval queue": ListPage(
        persona="bob",
        grow=_grow_pending,
        url=lambda state: reverse("casenotes:approval-queue"),
        shows=lambda total: ["Pending case 000", f"Pending case {total - 1:03d}"],
        ceiling=9,  # with the pager's COUNT
    ),
    "moderation queue": ListPage(
        persona="bob",
        grow=_grow_flags,
        url=lambda state: reverse("casenotes:moderation-queue"),
        # Two open reports a case: the first page of 50 ends with the 25th case's.
        shows=lambda total: [
            f"Comment reason {min(total, 25) - 1:03d}",
            f"Case reason {min(total, 25) - 1:03d}",
            ", South East",
        ],
        ceiling=9,  # with the pager's COUNT
    ),
    "case with its discussion": ListPage(
        persona="bob",
        setup=_setup_case,
        grow=_grow_discussion,
        url=_case_url,
        shows=lambda total: ["Comment 000", f"{total + 2} answers"],
        ceiling=11,  # with the comment pager's COUNT
    ),
    "case with its discussion, from elsewhere": ListPage(
        persona="charlie",
        setup=_setup_case,
        grow=_grow_discussion,
        url=_case_url,
        shows=lambda total: ["Comment 000", f"{total + 2} answers"],
        ceiling=11,  # with the comment pager's COUNT
    ),
    "case moderation, its reports": ListPage(
        persona="bob",
        setup=_setup_reported,
        grow=_grow_reports,
        url=lambda state: reverse("casenotes:case-moderate", args=[state["case"].pk]),
        shows=lambda total: [f"Case reason {total - 1:03d}", ", South East"],
        ceiling=9,
    ),
    "comment moderation, its reports": ListPage(
        persona="bob",
        setup=_setup_reported,
        grow=_grow_reports,
        url=lambda state: reverse("casenotes:comment-moderate", args=[state["comment"].pk]),
        shows=lambda total: [f"Comment reason {total - 1:03d}", ", South East"],
        ceiling=8,
    ),
    # The platform admin's list is the Django admin's.
    "admin: cases": ListPage(
        persona="platform_admin",
        grow=_grow_cases,
        url=lambda state: reverse("admin:casenotes_case_changelist"),
        shows=lambda total: [f"Case {total - 1:03d} about memes", "Wealdshire County Council"],
        ceiling=12,
    ),
}


@pytest.mark.parametrize("name", PAGES)
def test_it_draws_the_page_in_the_same_queries_for_ten_times_the_rows(
    name,
    indicators,
    request,
    verified_client,
    django_assert_num_queries,
    django_assert_max_num_queries,
):
    assert_same_queries_at_ten_times(
        PAGES[name],
        request=request,
        verified_client=verified_client,
        django_assert_num_queries=django_assert_num_queries,
        django_assert_max_num_queries=django_assert_max_num_queries,
    )
