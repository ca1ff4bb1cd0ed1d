"""Reads of case discussion, scoped through casenotes.access. Callers use `selectors.<name>`.

cases: lists, search, a case, approval queue; discussion: comments, votes, the moderation queue;
consensus: what colleagues would do, counted from the votes.
"""

from casenotes.selectors.cases import (
    CaseFilters,
    CasePage,
    approval_queue_for_user,
    case_get_for_author,
    case_get_for_author_lookup,
    case_get_for_moderator,
    case_get_for_user,
    case_page_for_user,
    indicator_choices,
    indicator_list,
    posted_by,
    with_posted_by,
)
from casenotes.selectors.discussion import (
    Discussion,
    comment_get_for_moderator,
    comment_get_for_user,
    comment_page_number,
    discussion_for_case,
    moderation_queue_for_user,
    open_flags,
    person_shown_as,
    with_raised_by_shown_as,
)

__all__ = [
    "CaseFilters",
    "CasePage",
    "approval_queue_for_user",
    "case_get_for_author",
    "case_get_for_author_lookup",
    "case_get_for_moderator",
    "case_get_for_user",
    "case_page_for_user",
    "indicator_choices",
    "indicator_list",
    "posted_by",
    "with_posted_by",
    "Discussion",
    "comment_get_for_moderator",
    "comment_get_for_user",
    "comment_page_number",
    "discussion_for_case",
    "moderation_queue_for_user",
    "open_flags",
    "person_shown_as",
    "with_raised_by_shown_as",
]
