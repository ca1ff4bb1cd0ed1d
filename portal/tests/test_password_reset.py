"""Resetting a forgotten password through an emailed one-time link, and its rate limits."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from portal.models import AuditAction, AuditEvent
from portal.tests.factories import UserFactory

RESET = "/account/password-reset/"
NEW_PASSWORD = "a-brand-new-lighthouse"
TOO_MANY_MESSAGE = "Too many password reset requests. Wait an hour, then try again"


def ask_for_reset(client, email, **extra):
    """Ask, then let what the request queued run (as a worker would, once it is committed)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(RESET, {"email": email}, **extra)


def the_work_of_asking(client, email) -> tuple[list[str], int, int, int]:
    """What the request itself does for an address: its SQL (without values), the tasks it
    queues, the emails it sends and the audit events it writes."""
    emails_before, events_before = len(mail.outbox), AuditEvent.objects.count()
    with (
        TestCase.captureOnCommitCallbacks() as queued,
        CaptureQueriesContext(connection) as queries,
    ):
        response = client.post(RESET, {"email": email})
    assert response.status_code == 302
    statements = [re.sub(r"'[^']*'|\b\d+\b", "?", query["sql"]) for query in queries]
    sent, recorded = len(mail.outbox) - emails_before, AuditEvent.objects.count() - events_before
    return statements, len(queued), sent, recorded


def emailed_link(message):
    match = re.search(r"http://testserver(/account/password-reset/\S+/)", message.body)
    assert match, f"no reset link in: {message.body}"
    return match.group(1)


def choose_password(client, link, password=NEW_PASSWORD):
    """Follow the emailed link and submit a new password, as a browser would."""
    form_page = client.get(link, follow=True)
    set_password_path = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    return client.post(set_password_path, {"new_password1": password, "new_password2": password})


@pytest.fixture
def frozen_time():
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), tick=False) as traveller:
        yield traveller


def test_it_says_check_your_email_after_a_request(client, alice):
    response = ask_for_reset(client, "alice@northbridge.example", follow=True)

    assert response.redirect_chain[-1][0] == "/account/password-reset/sent/"
    assert "Check your email" in response.content.decode()


def test_it_emails_a_reset_link(client, alice):
    ask_for_reset(client, "alice@northbridge.example")

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["alice@northbridge.example"]
    assert mail.outbox[0].subject == "Reset your Threshold password"
    assert emailed_link(mail.outbox[0])


def test_it_finds_the_account_whatever_the_case_of_the_email(client, alice):
    ask_for_reset(client, "Alice@Northbridge.Example")

    assert [message.to for message in mail.outbox] == [["alice@northbridge.example"]]


def test_it_records_the_request(client, alice):
    ask_for_reset(client, "alice@northbridge.example")

    assert AuditEvent.objects.filter(
        action=AuditAction.PASSWORD_RESET_REQUESTED, subject=alice
    ).exists()


def test_it_shows_the_same_page_and_sends_nothing_for_an_unknown_address(client, alice):
    response = ask_for_reset(client, "nobody@northbridge.example", follow=True)

    assert response.redirect_chain[-1][0] == "/account/password-reset/sent/"
    assert "Check your email" in response.content.decode()
    assert mail.outbox == []


def test_it_does_the_same_work_for_a_known_and_an_unknown_address(client, alice):
    """So timing tells them apart no more than the page does: one task queued for either,
    nothing looked up, sent or recorded while the person waits."""
    known = the_work_of_asking(client, "alice@northbridge.example")
    unknown = the_work_of_asking(client, "nobody@northbridge.example")

    assert known == unknown
    assert known[1:] == (1, 0, 0)


def test_it_sends_the_queued_reset_from_the_worker_with_the_clients_address(client, alice):
    ask_for_reset(client, "alice@northbridge.example", REMOTE_ADDR="198.51.100.7")

    assert [message.to for message in mail.outbox] == [["alice@northbridge.example"]]
    event = AuditEvent.objects.get(action=AuditAction.PASSWORD_RESET_REQUESTED)
    assert (event.subject, event.ip_address) == (alice, "198.51.100.7")


def test_it_sends_nothing_to_a_deactivated_account(client, alice):
    alice.is_active = False
    alice.save(update_fields=["is_active"])

    ask_for_reset(client, "alice@northbridge.example")

    assert mail.outbox == []


def test_it_asks_for_an_email_address_when_none_is_given(client, db):
    response = ask_for_reset(client, "")

    assert response.status_code == 200
    assert "Enter your email address" in response.content.decode()


def test_it_lets_the_person_choose_a_new_password_from_the_link(client, alice):
    ask_for_reset(client, "alice@northbridge.example")

    response = choose_password(client, emailed_link(mail.outbox[0]))

    assert response.status_code == 302
    assert response["Location"] == "/account/password-set/"
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)


def test_it_signs_in_with_the_new_password(client, alice):
    ask_for_reset(client, "alice@northbridge.example")
    choose_password(client, emailed_link(mail.outbox[0]))

    client.post(
        "/account/sign-in/", {"username": "alice@northbridge.example", "password": NEW_PASSWORD}
    )

    assert client.session.get("_auth_user_id") == str(alice.pk)


def test_it_refuses_the_link_a_second_time(client, alice):
    ask_for_reset(client, "alice@northbridge.example")
    link = emailed_link(mail.outbox[0])
    choose_password(client, link)

    response = client.get(link, follow=True)

    assert "This link has expired or been used" in response.content.decode()
    assert not response.context["validlink"]


def test_it_does_not_change_the_password_through_a_used_link(client, alice):
    ask_for_reset(client, "alice@northbridge.example")
    link = emailed_link(mail.outbox[0])
    choose_password(client, link)

    choose_password(client, link, "someone-else-chose-this")

    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)


def test_it_refuses_the_link_after_a_day(client, alice, frozen_time):
    ask_for_reset(client, "alice@northbridge.example")
    frozen_time.shift(timedelta(days=1, minutes=1))

    response = client.get(emailed_link(mail.outbox[0]), follow=True)

    assert not response.context["validlink"]


def test_it_refuses_a_weak_new_password(client, alice):
    ask_for_reset(client, "alice@northbridge.example")

    response = choose_password(client, emailed_link(mail.outbox[0]), "password")

    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]


def test_it_records_the_new_password(client, alice):
    ask_for_reset(client, "alice@northbridge.example")

    choose_password(client, emailed_link(mail.outbox[0]))

    assert AuditEvent.objects.filter(action=AuditAction.PASSWORD_CHANGED, subject=alice).exists()


def test_it_refuses_the_fourth_request_for_one_address_within_an_hour(client, alice, frozen_time):
    for _ in range(3):
        ask_for_reset(client, "alice@northbridge.example")
    frozen_time.shift(timedelta(minutes=59))

    response = ask_for_reset(client, "alice@northbridge.example")

    assert response.status_code == 200
    assert TOO_MANY_MESSAGE in response.content.decode()
    assert response.context["form"].errors["email"]
    assert len(mail.outbox) == 3


def test_it_counts_requests_for_one_address_whatever_its_case(client, alice, frozen_time):
    for email in [
        "alice@northbridge.example",
        "ALICE@northbridge.example",
        "Alice@Northbridge.Example",
    ]:
        ask_for_reset(client, email)

    response = ask_for_reset(client, "alice@NORTHBRIDGE.example")

    assert TOO_MANY_MESSAGE in response.content.decode()


def test_it_counts_requests_for_one_address_from_any_client_address(client, alice, frozen_time):
    for last_octet in range(1, 4):
        ask_for_reset(client, "alice@northbridge.example", REMOTE_ADDR=f"198.51.100.{last_octet}")

    response = ask_for_reset(client, "alice@northbridge.example", REMOTE_ADDR="198.51.100.99")

    assert TOO_MANY_MESSAGE in response.content.decode()
    assert len(mail.outbox) == 3


def test_it_limits_unknown_addresses_too(client, db, frozen_time):
    for _ in range(3):
        ask_for_reset(client, "nobody@northbridge.example")

    response = ask_for_reset(client, "nobody@northbridge.example")

    assert TOO_MANY_MESSAGE in response.content.decode()


def test_it_accepts_requests_for_the_address_again_after_an_hour(client, alice, frozen_time):
    for _ in range(4):
        ask_for_reset(client, "alice@northbridge.example")
    frozen_time.shift(timedelta(hours=1))

    response = ask_for_reset(client, "alice@northbridge.example")

    assert response.status_code == 302
    assert len(mail.outbox) == 4


def test_it_does_not_extend_the_wait_for_refused_requests(client, alice, frozen_time):
    for _ in range(3):
        ask_for_reset(client, "alice@northbridge.example")
    frozen_time.shift(timedelta(minutes=50))
    for _ in range(3):
        ask_for_reset(client, "alice@northbridge.example")
    frozen_time.shift(timedelta(minutes=10))

    response = ask_for_reset(client, "alice@northbridge.example")

    assert response.status_code == 302
    assert len(mail.outbox) == 4


def test_it_does_not_limit_one_address_for_requests_about_another(client, alice, bob, frozen_time):
    for _ in range(3):
        ask_for_reset(client, "alice@northbridge.example")

    ask_for_reset(client, "bob@northbridge.example")

    assert mail.outbox[-1].to == ["bob@northbridge.example"]


def test_it_limits_requests_from_one_client_address(client, settings, db, frozen_time):
    settings.PASSWORD_RESET_LIMIT_PER_IP = 5
    people = UserFactory.create_batch(6)
    for person in people[:5]:
        ask_for_reset(client, person.email, REMOTE_ADDR="198.51.100.7")

    response = ask_for_reset(client, people[5].email, REMOTE_ADDR="198.51.100.7")

    assert TOO_MANY_MESSAGE in response.content.decode()
    assert len(mail.outbox) == 5


def test_it_does_not_limit_other_client_addresses(client, settings, db, frozen_time):
    settings.PASSWORD_RESET_LIMIT_PER_IP = 5
    people = UserFactory.create_batch(6)
    for person in people[:5]:
        ask_for_reset(client, person.email, REMOTE_ADDR="198.51.100.7")

    response = ask_for_reset(client, people[5].email, REMOTE_ADDR="198.51.100.8")

    assert response.status_code == 302
    assert mail.outbox[-1].to == [people[5].email]


def test_it_ignores_a_forged_forwarded_for_header_when_reached_directly(
    client, settings, db, frozen_time
):
    settings.PASSWORD_RESET_LIMIT_PER_IP = 5
    people = UserFactory.create_batch(6)
    for number, person in enumerate(people[:5]):
        ask_for_reset(
            client,
            person.email,
            REMOTE_ADDR="198.51.100.7",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{number}",
        )

    response = ask_for_reset(
        client, people[5].email, REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.99"
    )

    assert TOO_MANY_MESSAGE in response.content.decode()


def test_it_tells_people_apart_behind_our_own_proxy(client, settings, db, frozen_time):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.PASSWORD_RESET_LIMIT_PER_IP = 5
    people = UserFactory.create_batch(6)
    for person in people[:5]:
        ask_for_reset(
            client, person.email, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7"
        )

    response = ask_for_reset(
        client, people[5].email, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.8"
    )

    assert response.status_code == 302
    assert mail.outbox[-1].to == [people[5].email]


def test_it_believes_only_what_our_own_proxy_added(client, settings, db, frozen_time):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.PASSWORD_RESET_LIMIT_PER_IP = 5
    people = UserFactory.create_batch(6)
    for number, person in enumerate(people[:5]):
        ask_for_reset(
            client,
            person.email,
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{number}, 198.51.100.7",
        )

    response = ask_for_reset(
        client,
        people[5].email,
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="203.0.113.99, 198.51.100.7",
    )

    assert TOO_MANY_MESSAGE in response.content.decode()
