"""Searching cases finds them by their stored text, including text added after posting.

On PostgreSQL this goes through the GIN-indexed search vector the case services keep
(services.case_search_vector_refresh); on SQLite through substring matching. The same tests
hold on both.
"""

from __future__ import annotations

from casenotes import selectors, services
from casenotes.models import AgeBand, Ideology, Setting, Visibility
from casenotes.selectors.cases import CaseFilters
from casenotes.tests.case_factories import CaseFactory


def _found(user, q: str) -> list[int]:
    page = selectors.case_page_for_user(user=user, filters=CaseFilters(q=q))
    return [case.pk for case in page.object_list]


def test_it_finds_a_case_by_a_word_of_its_title(alice):
    case = CaseFactory(author=alice, title="Worries about a climbing club")
    CaseFactory(author=alice, title="Something else")

    assert _found(alice, "climbing") == [case.pk]


def test_it_finds_a_case_by_its_outcome_once_recorded(alice):
    case = CaseFactory(author=alice)
    assert _found(alice, "apprenticeship") == []

    services.case_outcome_record(
        author=alice,
        case=case,
        outcome_raw="He started an apprenticeship and the worries faded.",
        outcome_safeguarding="family_help",
        outcome_prevent="none",
    )

    assert _found(alice, "apprenticeship") == [case.pk]


def test_it_forgets_words_an_edit_removed(alice):
    case = CaseFactory(author=alice, title="Skateboarding and a new group")
    case.title = "A new group"
    case.save(update_fields=["title"])
    services.case_search_vector_refresh(case_ids=[case.pk])  # as a service writing it would

    assert _found(alice, "skateboarding") == []


def test_it_finds_a_case_posted_through_the_service_by_its_question(alice):
    case = services.case_publish(
        author=alice,
        title_raw="A worry about a gaming forum",
        age_band=AgeBand.AGE_14_15,
        setting=Setting.SECONDARY_SCHOOL,
        ideology=Ideology.EXTREME_RIGHT_WING,
        response_safeguarding="family_help",
        response_prevent="advice",
        question_raw="Should the referral have gone to the Prevent lead sooner?",
        account_raw="A boy of fifteen shared posts in a forum.",
        visibility=Visibility.AUTHORITY,
        indicators=[],
    )

    assert _found(alice, "sooner") == [case.pk]
