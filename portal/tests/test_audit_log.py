from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from portal import services
from portal.models import AuditAction, AuditEvent

URL = reverse("portal:manage-audit-log")


@pytest.fixture
def dave_client(verified_client, dave):
    """Dave, signed in; signing in records events of its own, so the log starts empty."""
    client = verified_client(dave)
    AuditEvent.objects.all().delete()
    return client


def record(count, *, action=AuditAction.USER_UPDATED, actor=None, subject=None):
    for _ in range(count):
        services.audit_record(action=action, actor=actor, subject=subject, detail={"n": 1})


def test_it_shows_the_authoritys_events_newest_first(dave_client, dave, alice):
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    for hours, action in enumerate([AuditAction.USER_CREATED, AuditAction.USER_DEACTIVATED]):
        with time_machine.travel(start + timedelta(hours=hours), tick=False):
            services.audit_record(action=action, actor=dave, subject=alice)
    response = dave_client.get(URL)
    actions = [event.action for event, _ in response.context["rows"]]
    assert actions == [AuditAction.USER_DEACTIVATED, AuditAction.USER_CREATED]


def test_it_leaves_out_another_authoritys_events(dave_client, wendy, charlie):
    record(1, actor=wendy, subject=charlie)
    response = dave_client.get(URL)
    assert response.context["rows"] == []
    assert "No events match." in response.content.decode()


def test_it_shows_fifty_events_a_page(dave_client, dave, alice):
    record(60, actor=dave, subject=alice)
    first = dave_client.get(URL)
    second = dave_client.get(URL, {"page": 2})
    assert len(first.context["rows"]) == 50
    assert len(second.context["rows"]) == 10


def test_it_links_to_the_next_page(dave_client, dave, alice):
    record(51, actor=dave, subject=alice)
    page = dave_client.get(URL).content.decode()
    assert 'href="?page=2" rel="next"' in page


def test_it_shows_the_last_page_for_a_page_number_past_the_end(dave_client, dave, alice):
    record(51, actor=dave, subject=alice)
    response = dave_client.get(URL, {"page": "999"})
    assert response.status_code == 200
    assert response.context["page"].number == 2


def test_it_shows_the_first_page_for_a_page_that_is_not_a_number(dave_client, dave):
    record(1, actor=dave, subject=dave)
    response = dave_client.get(URL, {"page": "last; drop table"})
    assert response.context["page"].number == 1


def test_it_filters_by_person_done_by_or_to_them(dave_client, dave, alice, bob):
    record(1, actor=dave, subject=alice)
    record(1, actor=alice, subject=alice, action=AuditAction.PASSWORD_CHANGED)
    record(1, actor=dave, subject=bob)
    response = dave_client.get(URL, {"person": alice.pk})
    people = {(event.actor, event.subject) for event, _ in response.context["rows"]}
    assert people == {(dave, alice), (alice, alice)}


def test_it_filters_by_action(dave_client, dave, alice):
    record(2, actor=dave, subject=alice, action=AuditAction.USER_DEACTIVATED)
    record(3, actor=dave, subject=alice, action=AuditAction.USER_UPDATED)
    response = dave_client.get(URL, {"action": AuditAction.USER_DEACTIVATED})
    actions = [event.action for event, _ in response.context["rows"]]
    assert actions == [AuditAction.USER_DEACTIVATED] * 2


def test_it_keeps_the_filters_when_paging(dave_client, dave, alice, bob):
    record(55, actor=dave, subject=alice, action=AuditAction.USER_UPDATED)
    record(5, actor=dave, subject=bob, action=AuditAction.USER_UPDATED)
    query = {"person": alice.pk, "action": AuditAction.USER_UPDATED}
    first = dave_client.get(URL, query).content.decode()
    second = dave_client.get(URL, {**query, "page": 2})
    assert f'href="?person={alice.pk}&amp;action=user_updated&amp;page=2"' in first
    assert len(second.context["rows"]) == 5
    assert {event.subject for event, _ in second.context["rows"]} == {alice}


def test_it_offers_only_the_authoritys_people_to_filter_by(dave_client, alice, charlie):
    page = dave_client.get(URL).content.decode()
    assert "Alice Okafor (alice@northbridge.example)" in page
    assert charlie.email not in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"person": "not-a-number"}, "Choose a person from the list"),
        ({"person": "99999999999999999999999"}, "Choose a person from the list"),
        ({"action": "made_coffee"}, "Choose an event from the list"),
    ],
)
def test_it_explains_a_bad_filter_instead_of_failing(dave_client, dave, query, message):
    record(1, actor=dave, subject=dave)
    response = dave_client.get(URL, query)
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert "<title>Error: Audit log" in page


def test_it_refuses_to_filter_by_a_person_of_another_authority(dave_client, wendy, charlie):
    record(1, actor=wendy, subject=charlie)
    response = dave_client.get(URL, {"person": charlie.pk})
    assert "Choose a person from the list" in response.content.decode()
    assert response.context["rows"] == []


def test_it_shows_what_changed(dave_client, dave, alice):
    services.audit_record(
        action=AuditAction.USER_UPDATED,
        actor=dave,
        subject=alice,
        detail={"role": ["practitioner", "supervisor"], "team": ["Early Help North", None]},
    )
    page = dave_client.get(URL).content.decode()
    assert "role: practitioner → supervisor; team: Early Help North → none" in page


def test_it_reads_a_full_page_in_a_fixed_number_of_queries(
    dave_client, dave, alice, bob, django_assert_max_num_queries
):
    record(25, actor=dave, subject=alice)
    record(25, actor=bob, subject=bob)
    with django_assert_max_num_queries(12):
        response = dave_client.get(URL)
    assert len(response.context["rows"]) == 50


def test_it_records_every_administration_change(dave, alice, authority):
    team = services.team_create(actor=dave, name="Youth Justice")
    services.team_rename(actor=dave, team=team, name="Youth Justice Service")
    person = services.user_create(
        actor=dave, email="erin@northbridge.example", full_name="Erin", role="author", team=team
    )
    services.user_update(actor=dave, user=person, full_name="Erin Walsh", role="author", team=None)
    services.user_deactivate(actor=dave, user=person)
    services.user_reactivate(actor=dave, user=person)
    services.team_delete(actor=dave, team=team)
    services.staff_import(
        actor=dave,
        authority=authority,
        file_bytes=b"email,full_name,role,team\nfay@northbridge.example,Fay,author,\n",
    )
    actions = list(
        AuditEvent.objects.filter(authority=authority, actor=dave)
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        AuditAction.TEAM_CREATED,
        AuditAction.TEAM_UPDATED,
        AuditAction.USER_CREATED,
        AuditAction.USER_UPDATED,
        AuditAction.USER_DEACTIVATED,
        AuditAction.USER_REACTIVATED,
        AuditAction.TEAM_DELETED,
        AuditAction.USERS_IMPORTED,
        AuditAction.USER_CREATED,
    ]
