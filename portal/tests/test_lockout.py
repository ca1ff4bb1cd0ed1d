"""Lockout after repeated failed sign-ins (django-axes), counted per account, not per address."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail

from portal.models import AuditAction, AuditEvent
from portal.tests.factories import PASSWORD

SIGN_IN = "/account/sign-in/"
LOCKED_MESSAGE = "This account is locked for 15 minutes after 5 failed sign-in attempts."


def sign_in(client, email, password=PASSWORD, attempt=0):
    """Each attempt comes from a different client address and claims yet another one."""
    return client.post(
        SIGN_IN,
        {"username": email, "password": password},
        REMOTE_ADDR=f"198.51.100.{attempt + 1}",
        HTTP_X_FORWARDED_FOR=f"203.0.113.{attempt + 1}, 192.0.2.{attempt + 1}",
    )


def fail(client, email, times):
    for attempt in range(times):
        response = sign_in(client, email, "not-the-password", attempt=attempt)
    return response


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


@pytest.fixture
def frozen_time():
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), tick=False) as traveller:
        yield traveller


def test_it_does_not_lock_after_four_failures(client, alice):
    fail(client, "alice@northbridge.example", 4)

    response = sign_in(client, "alice@northbridge.example", attempt=99)

    assert response.status_code == 302
    assert signed_in_user_id(client) == str(alice.pk)


def test_it_locks_the_account_on_the_fifth_failure_from_any_address(client, alice):
    response = fail(client, "alice@northbridge.example", 5)

    assert response.status_code == 429
    assert LOCKED_MESSAGE in response.content.decode()


def test_it_refuses_the_correct_password_while_locked(client, alice):
    fail(client, "alice@northbridge.example", 5)

    response = sign_in(client, "alice@northbridge.example", attempt=99)

    assert response.status_code == 429
    assert LOCKED_MESSAGE in response.content.decode()
    assert signed_in_user_id(client) is None


def test_it_keeps_the_email_in_the_form_when_locked(client, alice):
    response = fail(client, "alice@northbridge.example", 5)

    assert 'value="alice@northbridge.example"' in response.content.decode()


def test_it_still_refuses_after_fourteen_minutes(client, alice, frozen_time):
    fail(client, "alice@northbridge.example", 5)
    frozen_time.shift(timedelta(minutes=14))

    response = sign_in(client, "alice@northbridge.example", attempt=99)

    assert response.status_code == 429
    assert signed_in_user_id(client) is None


def test_it_lets_the_correct_password_in_after_fifteen_minutes(client, alice, frozen_time):
    fail(client, "alice@northbridge.example", 5)
    frozen_time.shift(timedelta(minutes=15, seconds=1))

    response = sign_in(client, "alice@northbridge.example", attempt=99)

    assert response.status_code == 302
    assert signed_in_user_id(client) == str(alice.pk)


def test_it_does_not_extend_the_lockout_for_attempts_while_locked(client, alice, frozen_time):
    fail(client, "alice@northbridge.example", 5)
    frozen_time.shift(timedelta(minutes=10))
    fail(client, "alice@northbridge.example", 3)
    frozen_time.shift(timedelta(minutes=5, seconds=1))

    sign_in(client, "alice@northbridge.example", attempt=99)

    assert signed_in_user_id(client) == str(alice.pk)


def test_it_does_not_lock_one_account_for_failures_on_another(client, alice, bob):
    fail(client, "bob@northbridge.example", 5)

    response = sign_in(client, "alice@northbridge.example")

    assert response.status_code == 302
    assert signed_in_user_id(client) == str(alice.pk)


def test_it_counts_failures_whatever_the_case_of_the_email(client, alice):
    spellings = [
        "alice@northbridge.example",
        "ALICE@northbridge.example",
        "Alice@Northbridge.Example",
        "aLiCe@NORTHBRIDGE.EXAMPLE",
        " alice@northbridge.example ",
    ]
    for attempt, email in enumerate(spellings):
        sign_in(client, email, "not-the-password", attempt=attempt)

    response = sign_in(client, "Alice@northbridge.example", attempt=99)

    assert response.status_code == 429
    assert signed_in_user_id(client) is None


def test_it_forgets_earlier_failures_after_a_successful_sign_in(client, alice):
    fail(client, "alice@northbridge.example", 4)
    sign_in(client, "alice@northbridge.example")
    client.post("/account/sign-out/")

    response = fail(client, "alice@northbridge.example", 4)

    assert response.status_code == 200
    assert LOCKED_MESSAGE not in response.content.decode()


def test_it_locks_unknown_addresses_the_same_way(client, db):
    response = fail(client, "nobody@northbridge.example", 5)

    assert response.status_code == 429
    assert LOCKED_MESSAGE in response.content.decode()


def test_it_records_each_failed_sign_in(client, alice):
    fail(client, "alice@northbridge.example", 3)

    events = AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED)
    assert events.count() == 3
    assert {(event.subject, event.authority) for event in events} == {(alice, alice.authority)}


def test_it_records_the_address_each_failure_came_from(client, alice):
    fail(client, "alice@northbridge.example", 2)

    addresses = AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED).values_list(
        "ip_address", flat=True
    )
    assert sorted(addresses) == ["198.51.100.1", "198.51.100.2"]


def test_it_records_the_lockout_once(client, alice):
    fail(client, "alice@northbridge.example", 5)

    assert AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED).count() == 5
    locked = AuditEvent.objects.get(action=AuditAction.LOCKED_OUT)
    assert (locked.subject, locked.authority) == (alice, alice.authority)


def test_it_records_a_refused_attempt_while_locked_once(client, alice):
    fail(client, "alice@northbridge.example", 5)

    sign_in(client, "alice@northbridge.example", attempt=99)

    assert AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED).count() == 6
    assert AuditEvent.objects.filter(action=AuditAction.LOCKED_OUT).count() == 2


def test_it_records_a_successful_sign_in_after_the_lockout(client, alice, frozen_time):
    fail(client, "alice@northbridge.example", 5)
    frozen_time.shift(timedelta(minutes=16))

    sign_in(client, "alice@northbridge.example")

    event = AuditEvent.objects.get(action=AuditAction.SIGNED_IN)
    assert (event.actor, event.subject) == (alice, alice)


def test_it_unlocks_the_account_when_the_password_is_reset_by_email(
    client, alice, django_capture_on_commit_callbacks
):
    fail(client, "alice@northbridge.example", 5)
    with django_capture_on_commit_callbacks(execute=True):  # the queued reset email is sent
        client.post("/account/password-reset/", {"email": "alice@northbridge.example"})
    link = re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1)
    set_password_path = client.get(link)["Location"]
    new_password = "a-brand-new-lighthouse"
    client.post(set_password_path, {"new_password1": new_password, "new_password2": new_password})

    response = sign_in(client, "alice@northbridge.example", new_password)

    assert response.status_code == 302
    assert signed_in_user_id(client) == str(alice.pk)


def test_it_records_the_address_behind_our_own_proxy(client, settings, alice):
    settings.TRUSTED_PROXY_COUNT = 1

    client.post(
        SIGN_IN,
        {"username": alice.email, "password": "not-the-password"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7",
    )

    event = AuditEvent.objects.get(action=AuditAction.SIGN_IN_FAILED)
    assert event.ip_address == "198.51.100.7"


def test_it_locks_an_account_whatever_addresses_our_proxy_reports(client, settings, alice):
    settings.TRUSTED_PROXY_COUNT = 1
    for attempt in range(5):
        client.post(
            SIGN_IN,
            {"username": alice.email, "password": "not-the-password"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{attempt + 1}",
        )

    response = sign_in(client, "alice@northbridge.example", attempt=99)

    assert response.status_code == 429
