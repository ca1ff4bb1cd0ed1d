"""The team progress page kept per viewer (portal.kept_pages) under its authority's progress
version: served without the report's queries, drawn again after any change it shows (the
database's own triggers: SQLite here, PostgreSQL in CI), left alone by answering a step and
by other authorities, drawn afresh each day."""

from __future__ import annotations

import importlib
import re
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import run_migration_sql
from portal import kept_pages
from portal.tests.factories import AuthorityFactory
from training import services
from training.models import Attempt, Module, ProgressVersion
from training.tests.report_data import assign, attempt_with

NOW = "2026-11-27 10:00 +00:00"
TEAM_PROGRESS = reverse("training:team-progress")
# The signed-in session (3), saving it (3) and the version: none of the report's reads.
KEPT_QUERIES = 7


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def number(authority) -> int:
    return ProgressVersion.objects.get(authority_id=authority.pk).number


def read(client, **query) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(TEAM_PROGRESS, query)
    assert response.status_code == 200
    return len(queries), re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def read_html(client) -> str:
    response = client.get(TEAM_PROGRESS)
    assert response.status_code == 200
    return response.content.decode()


def test_a_second_reading_is_served_kept_without_the_reports_queries(verified_client, bob, alice):
    client = verified_client(bob)
    client.get("/")  # the session saved once
    drawn, first = read(client)
    kept, second = read(client)
    assert second == first and "Alice Okafor" in first
    assert kept <= KEPT_QUERIES < drawn


@pytest.mark.parametrize(
    "change", ["assigned", "extended", "finished", "renamed", "team", "module"]
)
def test_a_change_on_the_page_draws_it_again(
    verified_client, bob, alice, authority, version, change
):
    today = timezone.localdate()
    assignment = assign(alice, version.module, due_on=today - timedelta(days=3))
    started = attempt_with(alice, version, [], completed=False)
    client = verified_client(bob)
    _, before = read(client)
    was = number(authority)

    if change == "assigned":
        assign(alice, version.module, due_on=today - timedelta(days=9))
        shown = "9 days overdue"
    elif change == "extended":
        services.assignment_extend(
            actor=bob, assignment=assignment, due_on=today + timedelta(days=7), reason="Leave"
        )
        shown = "Nothing is overdue."
    elif change == "finished":
        Attempt.objects.filter(pk=started.pk).update(completed_at=timezone.now(), percent=83)
        # Written directly, so the progress read model is brought up to date as a service would.
        services.progress_refresh(user_ids=[alice.pk])
        shown = "83%"
    elif change == "renamed":
        alice.full_name = "Alicia Okafor"
        alice.save()
        shown = "Alicia Okafor"
    elif change == "team":
        bob.team.name = "Early Help Central"
        bob.team.save()
        shown = "Early Help Central"
    else:
        Module.objects.filter(pk=version.module_id).update(title="The group chat")
        shown = "The group chat"

    assert number(authority) > was
    assert shown not in before
    assert shown in read(client)[1]


def test_starting_and_removing_an_attempt_draw_the_page_again(
    verified_client, bob, alice, authority, version
):
    assign(alice, version.module, due_on=timezone.localdate() + timedelta(days=30))
    client = verified_client(bob)
    in_progress = 'class="govuk-table__cell"><strong class="govuk-tag govuk-tag--light-blue">'
    assert in_progress not in read_html(client)
    was = number(authority)

    started = attempt_with(alice, version, [], completed=False)
    assert number(authority) > was
    assert in_progress in read_html(client)

    started.delete()
    services.progress_refresh(user_ids=[alice.pk])  # as a service would
    assert in_progress not in read_html(client)


def test_answering_a_step_leaves_the_number_alone(bob, alice, authority, version):
    attempt = attempt_with(alice, version, [], completed=False)
    was = number(authority)
    Attempt.objects.filter(pk=attempt.pk).update(
        current_step_key="d2", answer_count=1, distance_total=1, proportionate_count=0
    )
    assert number(authority) == was
    Attempt.objects.filter(pk=attempt.pk).update(completed_at=timezone.now(), percent=50)
    assert number(authority) > was


def test_signing_in_leaves_the_number_alone(verified_client, bob, authority):
    was = number(authority)
    verified_client(bob)  # writes last_login
    assert number(authority) == was


def test_another_authoritys_change_leaves_this_number_alone(
    alice, charlie, authority, other_authority, version
):
    ours, theirs = number(authority), number(other_authority)
    assign(charlie, version.module, due_on=timezone.localdate())
    assert number(authority) == ours
    assert number(other_authority) > theirs


def test_a_page_kept_for_a_supervisor_is_not_shown_to_an_admin(verified_client, bob, dave):
    _, supervisors = read(verified_client(bob))
    _, admins = read(verified_client(dave))
    assert "All teams" in admins and "All teams" not in supervisors


def test_the_next_day_draws_the_page_afresh(verified_client, bob, alice, version):
    assign(alice, version.module, due_on=timezone.localdate() - timedelta(days=3))
    with time_machine.travel("2026-11-27 23:55 +00:00", tick=False):
        client = verified_client(bob)
        read(client)
        _, today = read(client)  # kept
    with time_machine.travel("2026-11-28 00:05 +00:00", tick=False):
        drawn, tomorrow = read(client)
    assert "3 days overdue" in today
    assert "4 days overdue" in tomorrow
    assert drawn > KEPT_QUERIES


def test_a_new_authority_gets_its_number(db):
    authority = AuthorityFactory(name="Fenmoor District Council")
    assert number(authority) >= 1


def test_the_migrations_triggers_come_off_and_back_on(alice, authority, version):
    migration = importlib.import_module("training.migrations.0005_progress_version")
    off = migration._triggers(migration._postgresql_backwards, migration._sqlite_backwards)
    on = migration._triggers(migration._postgresql_forwards, migration._sqlite_forwards)
    today = timezone.localdate()

    run_migration_sql(off)
    was = number(authority)
    assign(alice, version.module, due_on=today)
    assert number(authority) == was

    run_migration_sql(on)
    assign(alice, version.module, due_on=today)
    assert number(authority) > was


# --- The practitioner's home ------------------------------------------------------------------


def test_the_practitioners_home_is_kept_and_its_start_buttons_post(verified_client, alice, version):
    assign(alice, version.module, due_on=timezone.localdate() + timedelta(days=20))
    client = verified_client(alice)
    client.handler.enforce_csrf_checks = True
    client.get("/")  # drawn and kept
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/").content.decode()
    assert len(queries) <= KEPT_QUERIES
    assert kept_pages.csrf_placeholder() not in page
    start = re.search(
        r'<form method="post" action="(/training/[^"]+)" class="threshold-inline-form">'
        r'<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)">',
        page,
    )
    assert start, "no start button"
    response = client.post(start.group(1), {"csrfmiddlewaretoken": start.group(2)})
    assert response.status_code == 302
    assert Attempt.objects.filter(user=alice, completed_at__isnull=True).exists()
    assert "Resume" in client.get("/").content.decode()


def test_the_practitioners_home_follows_their_authoritys_contacts(verified_client, alice):
    client = verified_client(alice)
    assert "Local referral contacts" not in client.get("/").content.decode()
    alice.authority.referral_contacts = "Prevent team: 0161 496 0000"
    alice.authority.save()
    assert "Prevent team: 0161 496 0000" in client.get("/").content.decode()


def test_the_supervisors_home_start_buttons_carry_a_real_token(verified_client, bob, version):
    assign(bob, version.module, due_on=timezone.localdate() + timedelta(days=20))
    page = verified_client(bob).get("/").content.decode()
    assert 'name="csrfmiddlewaretoken"' in page
    assert kept_pages.csrf_placeholder() not in page


# --- My training ------------------------------------------------------------------------------

CATALOGUE = reverse("training:catalogue")


def status_of(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        page = client.get(CATALOGUE).content.decode()
    tag = re.search(
        r'class="govuk-task-list__status"[^>]*><strong class="govuk-tag [^"]*">([^<]+)<', page
    )
    assert tag, "no status tag"
    return len(queries), tag.group(1)


def test_my_training_is_kept_until_the_soonest_certificate_runs_out(
    verified_client, alice, version
):
    attempt = attempt_with(alice, version, [0, 0], percent=100)
    certificate = services.certificate_issue(attempt=attempt)
    runs_out = timezone.now() + timedelta(minutes=20)  # within the signed-in session
    type(certificate).objects.filter(pk=certificate.pk).update(expires_at=runs_out)
    client = verified_client(alice)
    client.get("/")  # the session saved once

    drawn, before = status_of(client)
    kept, still = status_of(client)
    assert before == still == "Certified"
    assert kept <= KEPT_QUERIES < drawn
    # Nothing is written when it runs out: the page is drawn again all the same.
    with time_machine.travel(runs_out + timedelta(seconds=1), tick=False):
        again, after = status_of(client)
    assert after == "Not passed yet"
    assert again > KEPT_QUERIES


def test_my_training_follows_a_new_attempt(verified_client, alice, version):
    client = verified_client(alice)
    assert status_of(client)[1] == "Not started"
    attempt_with(alice, version, [], completed=False)
    assert status_of(client)[1] == "In progress"
