"""Cases made straight in the database, for tests of reading, sharing and retention.

Their text is already redacted, as case_publish would leave it. Posting through the service or
the pages is tested with raw text in test_cases.py and test_case_privacy.py.
"""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from casenotes.models import (
    AgeBand,
    Case,
    Comment,
    ConsensusVote,
    Ideology,
    Setting,
    Visibility,
)
from casenotes.services import case_search_vector_refresh

SHARING_FOR = {
    Visibility.TEAM: Case.Sharing.NOT_NEEDED,
    Visibility.AUTHORITY: Case.Sharing.NOT_NEEDED,
    Visibility.REGION: Case.Sharing.PENDING,
    Visibility.ALL: Case.Sharing.PENDING,
}


class CaseFactory(factory.django.DjangoModelFactory):
    """Give `author`; authority and team follow from them, sharing from the visibility."""

    class Meta:
        model = Case
        skip_postgeneration_save = True

    author = None
    authority = factory.LazyAttribute(lambda case: case.author.authority)
    team = factory.LazyAttribute(lambda case: case.author.team)
    title = factory.Sequence(lambda n: f"Case {n}: [Child A] and online videos")
    age_band = AgeBand.AGE_14_15
    setting = Setting.SECONDARY_SCHOOL
    ideology = Ideology.EXTREME_RIGHT_WING
    response_safeguarding = "family_help"
    response_prevent = "none"
    response_actions = factory.LazyFunction(lambda: ["consult_dsl", "inform_family"])
    question = "Was early help proportionate, or should we have referred to Prevent?"
    account = "[Child A] (15) shared memes in a group chat. [Adult 1], his mum, was worried."
    visibility = Visibility.AUTHORITY
    sharing = factory.LazyAttribute(lambda case: SHARING_FOR[case.visibility])
    created_at = factory.LazyFunction(timezone.now)
    delete_after = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=730))

    @factory.post_generation
    def search_vector(case, create, extracted, **kwargs):
        """Searchable as a posted case is (the services keep the vector)."""
        if create:
            case_search_vector_refresh(case_ids=[case.pk])


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    body = "Have you spoken to your Prevent lead?"


class VoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsensusVote

    safeguarding = "family_help"
    prevent = "none"
    actions = factory.LazyFunction(list)
    rationale = "Early help first."
    voter_in_priority_area = False
