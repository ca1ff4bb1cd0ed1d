"""Migrations 0010–0012 read every decision, outcome and vote made on the old single scale onto
the two routes through training.responses.FROM_OLD_LEVEL, then drop the old fields; rolled
back, each response returns to an old level."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from casenotes.models import Case, ConsensusVote
from casenotes.tests.case_factories import CaseFactory
from training.responses import FROM_OLD_LEVEL, OLD_LEVELS

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("casenotes", "0009_case_search_vector_kept_by_services")]
AFTER = [("casenotes", "0012_drop_single_levels")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def old_apps():
    """The casenotes tables as they were before the two routes; migrated forward again after
    the test, so the next one finds the current schema."""
    apps = migrate(BEFORE)
    yield apps
    migrate(AFTER)


def old_case(apps, author, level: str, outcome_level: str = ""):
    return apps.get_model("casenotes", "Case").objects.create(
        authority_id=author.authority_id,
        author_id=author.pk,
        title=f"A case done as {level}",
        age_band="14_15",
        setting="online",
        ideology="none",
        response_taken=level,
        question="Was it right?",
        account="[Child A] posted videos.",
        visibility="authority",
        sharing="not_needed",
        status="outcome_recorded" if outcome_level else "open",
        outcome_level=outcome_level,
        delete_after=date(2030, 1, 1),
    )


def test_it_reads_every_old_decision_outcome_and_vote_onto_the_two_routes(old_apps, alice, bob):
    Vote = old_apps.get_model("casenotes", "ConsensusVote")
    for index, level in enumerate(OLD_LEVELS):
        outcome = OLD_LEVELS[-1 - index]  # every old level as an outcome too
        case = old_case(old_apps, alice, level, outcome)
        Vote.objects.create(
            case=case, voter_id=bob.pk, level=level, rationale="Because.",
            voter_in_priority_area=False,
        )  # fmt: skip
    open_case = old_case(old_apps, alice, "early_help")

    migrate(AFTER)

    for index, level in enumerate(OLD_LEVELS):
        case = Case.objects.get(title=f"A case done as {level}", status="outcome_recorded")
        assert (case.response_safeguarding, case.response_prevent) == FROM_OLD_LEVEL[level]
        outcome = OLD_LEVELS[-1 - index]
        assert (case.outcome_safeguarding, case.outcome_prevent) == FROM_OLD_LEVEL[outcome]
        assert case.response_actions == [] and case.outcome_actions == []
        vote = ConsensusVote.objects.get(case=case)
        assert (vote.safeguarding, vote.prevent, vote.actions) == (*FROM_OLD_LEVEL[level], [])
    still_open = Case.objects.get(pk=open_case.pk)
    assert still_open.decision.routes_label == (
        "Family help (early help or section 17) + No Prevent action"
    )
    assert still_open.outcome_response is None
    assert "response_taken" not in {field.name for field in Case._meta.get_fields()}


def test_it_rolls_each_response_back_to_an_old_level(alice, bob):
    """A response the old scale had goes back to its level; any other to the level of its most
    intrusive part: a Prevent referral or emergency first, else its safeguarding route."""
    expected = {
        ("family_help", "none"): "early_help",
        ("universal", "referral"): "prevent_referral",
        ("child_protection", "referral"): "prevent_referral",
        ("record", "advice"): "monitor_and_record",
        ("child_protection", "emergency"): "police_emergency",
    }
    for safeguarding, prevent in expected:
        CaseFactory(
            author=alice,
            title=f"{safeguarding} + {prevent}",
            response_safeguarding=safeguarding,
            response_prevent=prevent,
        )
    try:
        apps = migrate(BEFORE)
        rolled_back = dict(
            apps.get_model("casenotes", "Case").objects.values_list("title", "response_taken")
        )
    finally:
        migrate(AFTER)
    assert rolled_back == {f"{sg} + {prevent}": level for (sg, prevent), level in expected.items()}
