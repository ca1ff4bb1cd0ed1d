"""Every write of case discussion. Callers use `services.<name>` from here.

cases: posting (redaction first), sharing approval, outcome, retention; discussion: comments,
votes, flags, moderation.
"""

from casenotes.services.cases import (
    CaseRefused,
    case_author_view_record,
    case_outcome_record,
    case_publish,
    case_search_vector_refresh,
    case_sharing_decide,
    cases_delete_expired,
)
from casenotes.services.discussion import (
    case_moderate,
    comment_moderate,
    comment_post,
    flag_raise,
    vote_record,
)

__all__ = [
    "CaseRefused",
    "case_author_view_record",
    "case_outcome_record",
    "case_publish",
    "case_search_vector_refresh",
    "case_sharing_decide",
    "cases_delete_expired",
    "case_moderate",
    "comment_moderate",
    "comment_post",
    "flag_raise",
    "vote_record",
]
