"""The portal's list and dashboard pages take the same queries for ten times the rows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.models import AuditAction, AuditEvent, EmailKind, OutboxEmail, Role
from portal.tests.factories import AuthorityFactory, TeamFactory, UserFactory
from portal.tests.query_counts import ListPage, State, assert_same_queries_at_ten_times, url_of
from training import services as training_services
from training.models import Module
from training.tests.report_data import assign, attempt_with, modules_with_versions


def _people(state: State, first: int, count: int, **fields) -> list:
    authority = state["fixture"]("authority")
    return [
        UserFactory(
            email=f"person{n:03d}@northbridge.example",
            full_name=f"Person {n:03d}",
            authority=authority,
            **fields,
        )
        for n in range(first, first + count)
    ]


def _assigned_modules(user, first: int, count: int) -> None:
    """Modules assigned to user: a third open, a third in progress, a third passed (with a
    certificate), so every kind of row the training panel draws is there."""
    today = timezone.localdate()
    versions = modules_with_versions(count, prefix=f"assigned-{user.pk}-{first}", first=first + 1)
    for n, version in enumerate(versions, start=first):
        due_on = today + timedelta(days=n + 1)
        if n % 3 == 0:
            assign(user, version.module, due_on=due_on)
        elif n % 3 == 1:
            attempt_with(user, version, [0], completed=False)
            assign(user, version.module, due_on=due_on)
        else:
            passed = attempt_with(user, version, [0, 0], percent=100)
            certificate = training_services.certificate_issue(attempt=passed)
            assign(user, version.module, due_on=due_on, certificate=certificate)


# --- Home pages ---------------------------------------------------------------------------


def _grow_practitioner_home(state: State, first: int, count: int) -> None:
    _assigned_modules(state["fixture"]("alice"), first, count)


def _grow_supervisor_home(state: State, first: int, count: int) -> None:
    bob = state["fixture"]("bob")
    _people(state, first, count, team=bob.team)
    _assigned_modules(bob, first, count)


def _grow_author_home(state: State, first: int, count: int) -> None:
    """Nothing on the author's home lists rows; their authority's modules grow anyway."""
    authority = state["fixture"]("authority")
    for n in range(first, first + count):
        Module.objects.create(key=f"own-{n:03d}", title=f"Own module {n:03d}", authority=authority)


def _grow_authority_admin_home(state: State, first: int, count: int) -> None:
    authority = state["fixture"]("authority")
    for n in range(first, first + count):
        team = TeamFactory(authority=authority, name=f"Team {n:03d}")
        UserFactory(authority=authority, team=team, full_name=f"Person {n:03d}")


def _grow_platform_admin_home(state: State, first: int, count: int) -> None:
    for n in range(first, first + count):
        authority = AuthorityFactory(name=f"Authority {n:03d}")
        UserFactory(authority=authority)


# --- Administration -----------------------------------------------------------------------


def _grow_users(state: State, first: int, count: int) -> None:
    authority = state["fixture"]("authority")
    for n in range(first, first + count):
        team = TeamFactory(authority=authority, name=f"Team {n:03d}") if n % 2 else None
        UserFactory(
            email=f"person{n:03d}@northbridge.example",
            full_name=f"Person {n:03d}",
            authority=authority,
            team=team,
            role=[Role.PRACTITIONER, Role.SUPERVISOR, Role.AUTHOR][n % 3],
            is_active=n % 5 != 4,
        )


def _grow_teams(state: State, first: int, count: int) -> None:
    authority = state["fixture"]("authority")
    for n in range(first, first + count):
        team = TeamFactory(authority=authority, name=f"Team {n:03d}")
        UserFactory(authority=authority, team=team)
        UserFactory(authority=authority, team=team, is_active=False)


def _grow_audit_events(state: State, first: int, count: int) -> None:
    dave = state["fixture"]("dave")
    for person in _people(state, first, count):
        AuditEvent.objects.create(
            authority_id=dave.authority_id,
            actor=dave,
            subject=person,
            action=AuditAction.USER_UPDATED,
            detail={"role": ["practitioner", "supervisor"]},
            ip_address="192.0.2.1",
        )
        AuditEvent.objects.create(
            authority_id=dave.authority_id, actor=person, action=AuditAction.SIGNED_IN
        )


def _grow_outbox(state: State, first: int, count: int) -> None:
    for person in _people(state, first, count):
        for status in (OutboxEmail.Status.SENT, OutboxEmail.Status.FAILED):
            OutboxEmail.objects.create(
                idempotency_key=f"{person.pk}-{status}",
                kind=EmailKind.DUE_SOON,
                user=person,
                authority_id=person.authority_id,
                status=status,
                attempts=5 if status == OutboxEmail.Status.FAILED else 1,
                last_error="SMTPServerDisconnected: closed" if status == "failed" else "",
            )


def _grow_admin_rows(state: State, first: int, count: int) -> None:
    """Authorities, each with a team, two people and an audit event, for the Django admin."""
    for n in range(first, first + count):
        authority = AuthorityFactory(name=f"Authority {n:03d}")
        team = TeamFactory(authority=authority, name=f"Team {n:03d}")
        actor = UserFactory(authority=authority, team=team, full_name=f"Person {n:03d}")
        subject = UserFactory(authority=authority)
        AuditEvent.objects.create(
            authority=authority, actor=actor, subject=subject, action=AuditAction.USER_UPDATED
        )


def _setup_audit_person(fixture) -> State:
    return {"dave": fixture("dave")}


PAGES = {
    "practitioner home": ListPage(
        persona="alice",
        grow=_grow_practitioner_home,
        url=url_of("portal:home"),
        shows=lambda total: ["Module 01", f"Module {total:02d}", "Resume", "Certificate"],
        ceiling=8,
    ),
    "supervisor home": ListPage(
        persona="bob",
        grow=_grow_supervisor_home,
        url=url_of("portal:home"),
        shows=lambda total: ["Person 000", f"Person {total - 1:03d}", f"Module {total:02d}"],
        ceiling=13,  # with the team list's COUNT and one COUNT per to-do queue (3)
    ),
    "author home": ListPage(
        persona="carol",
        grow=_grow_author_home,
        url=url_of("portal:home"),
        shows=lambda total: ["Open the studio"],
        ceiling=7,
    ),
    "authority admin home": ListPage(
        persona="dave",
        grow=_grow_authority_admin_home,
        url=url_of("portal:home"),
        shows=lambda total: [f"{total + 1} active staff", f"{total} teams"],
        ceiling=13,  # with one COUNT per to-do queue (4)
    ),
    "platform admin home": ListPage(
        persona="platform_admin",
        grow=_grow_platform_admin_home,
        url=url_of("portal:home"),
        shows=lambda total: ["Platform administration"],
        ceiling=6,
    ),
    "user list": ListPage(
        persona="dave",
        grow=_grow_users,
        url=url_of("portal:manage-user-list"),
        shows=lambda total: [f"Everyone in Northbridge City Council ({total + 1})", "Person 000"],
        ceiling=9,
        small=6,  # pages of 50: the larger list has a second page
    ),
    "user list, searched": ListPage(
        persona="dave",
        grow=_grow_users,
        url=url_of("portal:manage-user-list", "?q=person"),
        shows=lambda total: [f"People matching “person” ({total})", "Person 000"],
        ceiling=9,
        small=6,
    ),
    "new person (a choice of teams)": ListPage(
        persona="dave",
        grow=_grow_teams,
        url=url_of("portal:manage-user-create"),
        shows=lambda total: ["Team 000", f"Team {total - 1:03d}"],
        ceiling=8,
    ),
    "team list": ListPage(
        persona="dave",
        grow=_grow_teams,
        url=url_of("portal:manage-team-list"),
        shows=lambda total: ["Team 000", f"Team {total - 1:03d}"],
        ceiling=8,
    ),
    "audit log": ListPage(
        persona="dave",
        grow=_grow_audit_events,
        url=url_of("portal:manage-audit-log"),
        shows=lambda total: [f"Person {total - 1:03d}", "role: practitioner → supervisor"],
        ceiling=10,
        small=6,  # pages of 50: the larger log has a second page
    ),
    "audit log, by person and action": ListPage(
        persona="dave",
        setup=_setup_audit_person,
        grow=_grow_audit_events,
        url=lambda state: (
            reverse("portal:manage-audit-log")
            + f"?person={state['dave'].pk}&action={AuditAction.USER_UPDATED}"
        ),
        shows=lambda total: [f"Events ({total})", f"Person {total - 1:03d}"],
        ceiling=11,
        small=6,
    ),
    "outbox": ListPage(
        persona="dave",
        grow=_grow_outbox,
        url=url_of("portal:manage-outbox"),
        shows=lambda total: [f"Sent ({total})", f"Failed ({total})", f"Person {total - 1:03d}"],
        ceiling=8,
    ),
    "outbox: sent": ListPage(
        persona="dave",
        grow=_grow_outbox,
        url=lambda state: reverse("portal:manage-outbox") + "?status=sent",
        shows=lambda total: [f"Sent ({total})", f"Person {total - 1:03d}"],
        ceiling=8,
    ),
    # The platform admin's lists are the Django admin's.
    "admin: authorities": ListPage(
        persona="platform_admin",
        grow=_grow_admin_rows,
        url=url_of("admin:portal_authority_changelist"),
        shows=lambda total: [f"Authority {total - 1:03d}"],
        ceiling=10,
    ),
    "admin: teams": ListPage(
        persona="platform_admin",
        grow=_grow_admin_rows,
        url=url_of("admin:portal_team_changelist"),
        shows=lambda total: [f"Team {total - 1:03d}", f"Authority {total - 1:03d}"],
        ceiling=10,
    ),
    "admin: people": ListPage(
        persona="platform_admin",
        grow=_grow_admin_rows,
        url=url_of("admin:portal_user_changelist"),
        shows=lambda total: [f"Person {total - 1:03d}", f"Team {total - 1:03d}"],
        ceiling=10,
    ),
    "admin: audit events": ListPage(
        persona="platform_admin",
        grow=_grow_admin_rows,
        url=url_of("admin:portal_auditevent_changelist"),
        shows=lambda total: [f"Person {total - 1:03d}", f"Authority {total - 1:03d}"],
        ceiling=10,
    ),
}


@pytest.mark.parametrize("name", PAGES)
def test_it_draws_the_page_in_the_same_queries_for_ten_times_the_rows(
    name, db, request, verified_client, django_assert_num_queries, django_assert_max_num_queries
):
    assert_same_queries_at_ten_times(
        PAGES[name],
        request=request,
        verified_client=verified_client,
        django_assert_num_queries=django_assert_num_queries,
        django_assert_max_num_queries=django_assert_max_num_queries,
    )
