"""The player in the learner's own authority's words, the feedback page's sources, and the
studio's list of decisions citing superseded guidance (issue #18)."""

import pytest
from django.urls import reverse

from portal.models import AuthorityPathway
from training import services
from training.models import Attempt, Step
from training.tests.factories import small_module


def module_with_pathway():
    data = small_module(key="pathway-module", reviewed_on="2026-12-07")
    d1 = data["scenarios"][0]["steps"][1]
    d1["body"] = "Jo talks about unfairness. You could phone {pathway.front_door}."
    d1["sources"] = [{"key": "kcsie-2025", "section": "Part one"}]
    d1["choices"][1]["text"] = "Talk to the DSL, then {pathway.prevent_lead}"
    d1["choices"][1]["feedback"] = "Right: {pathway.prevent_lead} can advise."
    return data


@pytest.fixture
def pathway_module(indicators):
    module, _ = services.module_load_from_json(data=module_with_pathway())
    return module


def _to_first_decision(client):
    client.post(reverse("training:attempt-start", args=["pathway-module"]))
    attempt = Attempt.objects.get()
    client.post(reverse("training:attempt-confidence", args=[attempt.pk]), {"confidence": 2})
    client.post(reverse("training:attempt-continue", args=[attempt.pk]), {"step_key": "intro"})
    return attempt


def test_it_shows_the_learners_own_authoritys_contacts_in_the_module(
    pathway_module, alice, verified_client
):
    AuthorityPathway.objects.create(
        authority=alice.authority,
        front_door="the Northbridge <b>Front Door</b>",
        prevent_lead="the Northbridge Prevent team",
    )
    client = verified_client(alice)
    attempt = _to_first_decision(client)

    page = client.get(reverse("training:attempt-play", args=[attempt.pk])).text

    assert "You could phone the Northbridge &lt;b&gt;Front Door&lt;/b&gt;." in page
    assert "Talk to the DSL, then the Northbridge Prevent team" in page
    assert "{pathway." not in page


def test_it_uses_the_national_wording_where_the_authority_has_not_filled_it_in(
    pathway_module, charlie, verified_client
):
    client = verified_client(charlie)
    attempt = _to_first_decision(client)

    page = client.get(reverse("training:attempt-play", args=[attempt.pk])).text

    assert "You could phone children's social care's front door (the MASH)." in page
    assert "your local authority&#x27;s Prevent lead" in page


def test_it_lists_the_decisions_sources_on_the_feedback_page(
    pathway_module, alice, verified_client
):
    client = verified_client(alice)
    attempt = _to_first_decision(client)
    client.post(
        reverse("training:attempt-answer", args=[attempt.pk]),
        {"step_key": "d1", "position": 0, "choice": 1},
    )

    page = client.get(reverse("training:attempt-feedback", args=[attempt.pk, 0])).text

    assert "Keeping children safe in education 2025</a>, Part one" in page
    assert (
        'href="https://www.gov.uk/government/publications/keeping-children-safe-in-education--2"'
        in page
    )
    assert "Right: your local authority's Prevent lead can advise." in page


def test_it_lists_our_decisions_that_cite_a_superseded_source(
    indicators, carol, charlie, verified_client
):
    data = small_module(key="ours")
    data["scenarios"][0]["steps"][1]["sources"] = [{"key": "kcsie-2024", "section": "Part one"}]
    module, _ = services.module_load_from_json(data=data, authority=carol.authority)
    draft_step = Step.objects.get(scenario__module=module, key="d1")

    page = verified_client(carol).get(reverse("training:studio-sources")).text

    assert "Superseded: Keeping children safe in education 2024" in page
    assert "Replaced by" in page
    assert reverse("training:studio-step", args=[draft_step.pk]) in page  # the draft
    assert "Version 1" in page  # and the published version
    assert "1 decision still cites it" not in page  # both the draft and the version cite it
    assert "2 decisions still cite it" in page


def test_it_keeps_another_authoritys_citations_out_of_the_list(
    indicators, carol, wendy, verified_client
):
    data = small_module(key="ours")
    data["scenarios"][0]["steps"][1]["sources"] = [{"key": "kcsie-2024"}]
    services.module_load_from_json(data=data, authority=carol.authority)

    page = verified_client(wendy).get(reverse("training:studio-sources")).text

    assert "None of your modules cite it." in page
    assert "Jo&#x27;s bedroom door" not in page
