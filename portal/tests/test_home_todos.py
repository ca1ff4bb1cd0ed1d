"""What waits for a supervisor or authority admin, on their home page: counts that link to
each queue, only the queues their role opens, in a fixed number of queries."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from casenotes.services import discussion
from casenotes.tests.case_factories import CaseFactory
from portal.models import EmailKind, OutboxEmail
from portal.tests.factories import UserFactory
from training import services as training_services
from training.tests.factories import INDICATORS, small_module


@pytest.fixture
def waiting(alice, bob, dave, team, authority, charlie):
    """In alice's authority: two cases waiting for approval, one report, bob's team (alice, a
    colleague and bob himself) overdue, one failed email; in charlie's: the same again, which
    nobody here sees."""
    for author in (alice, alice, charlie, charlie):
        CaseFactory(author=author, visibility="region")
    discussion.flag_raise(
        raised_by=alice, case=CaseFactory(author=alice, visibility="authority"), reason_raw="Names"
    )
    training_services.indicators_load(data=INDICATORS)
    module, _ = training_services.module_load_from_json(data=small_module())
    colleague = UserFactory(authority=authority, team=team)
    with time_machine.travel(timezone.now() - timezone.timedelta(days=40)):
        training_services.rule_create(
            actor=bob, module=module, target="team", target_team=team, due_in_days=10
        )
    for person in (alice, charlie):
        OutboxEmail.objects.create(
            idempotency_key=f"failed-{person.pk}",
            kind=EmailKind.DUE_SOON,
            user=person,
            authority=person.authority,
            status=OutboxEmail.Status.FAILED,
        )
    return colleague


def test_it_shows_an_authority_admin_every_queue_with_its_count(verified_client, dave, waiting):
    page = verified_client(dave).get(reverse("portal:home")).content.decode()

    assert "Waiting for you" in page
    assert f'href="{reverse("casenotes:approval-queue")}">2 cases wait for approval' in page
    assert f'href="{reverse("casenotes:moderation-queue")}">1 report of a case' in page
    assert (
        f'href="{reverse("training:team-progress")}?status=overdue">3 people have overdue' in page
    )
    assert f'href="{reverse("portal:manage-outbox")}">1 email could not be sent' in page


def test_it_shows_a_supervisor_their_queues_but_not_the_outbox(verified_client, bob, waiting):
    page = verified_client(bob).get(reverse("portal:home")).content.decode()

    assert "2 cases wait for approval" in page
    assert "1 report of a case or comment" in page
    assert "2 people have overdue training" in page  # alice and the colleague, not bob
    assert "could not be sent" not in page
    assert reverse("portal:manage-outbox") not in page


def test_it_says_when_nothing_waits(verified_client, dave):
    page = verified_client(dave).get(reverse("portal:home")).content.decode()

    assert "Nothing is waiting for you" in page


@pytest.mark.parametrize("persona", ["bob", "dave"])
def test_it_counts_the_queues_in_a_fixed_number_of_queries(
    persona, request, verified_client, waiting, authority, team, django_assert_max_num_queries
):
    client = verified_client(request.getfixturevalue(persona))
    client.get(reverse("portal:home"))  # warm the session and caches
    for _ in range(5):
        CaseFactory(author=UserFactory(authority=authority, team=team), visibility="all")

    with django_assert_max_num_queries(14):
        response = client.get(reverse("portal:home"))

    assert response.status_code == 200
