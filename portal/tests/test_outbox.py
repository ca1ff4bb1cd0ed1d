"""The email outbox: planning once per key, sending through a real SMTP server that refuses
some recipients (retries with backoff, then `failed`, never lost), the sweeper, and pages that
keep answering while the Celery broker is down.
"""

from __future__ import annotations

import email
import email.policy
import re
import socket
from collections import Counter
from datetime import date, timedelta

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone

from portal import services, tasks
from portal.celery import app as celery_app
from portal.models import AccountEmailKind, EmailKind, OutboxEmail, User
from portal.tests.factories import UserFactory
from training.tests.reminder_data import (
    assignment_due,
    london,
    outbox_send,
    published_module,
    reminders_run,
)

PENDING, SENDING, SENT, FAILED = (
    OutboxEmail.Status.PENDING,
    OutboxEmail.Status.SENDING,
    OutboxEmail.Status.SENT,
    OutboxEmail.Status.FAILED,
)
# Monday 2 March 2026: everyone below has an assignment due tomorrow.
DAY = date(2026, 3, 2)
DUE_ON = date(2026, 3, 3)


# --- Planning -----------------------------------------------------------------------------


def planned(key: str, user: User) -> services.PlannedEmail:
    return services.PlannedEmail(
        key=key, kind=EmailKind.DUE_SOON, user_id=user.pk, authority_id=user.authority_id
    )


def test_it_plans_each_key_once(alice):
    first = services.outbox_plan(emails=[planned("a", alice), planned("b", alice)])
    second = services.outbox_plan(emails=[planned("b", alice), planned("c", alice)])

    assert (first, second) == (2, 1)
    assert sorted(OutboxEmail.objects.values_list("idempotency_key", flat=True)) == [
        "a",
        "b",
        "c",
    ]


def test_it_returns_emails_stuck_with_a_dead_sender_to_pending(settings, alice):
    settings.OUTBOX_SENDING_TIMEOUT = 600
    services.outbox_plan(emails=[planned("stuck", alice), planned("fresh", alice)])
    now = timezone.now()
    OutboxEmail.objects.filter(idempotency_key="stuck").update(
        status=SENDING, claimed_at=now - timedelta(minutes=11)
    )
    OutboxEmail.objects.filter(idempotency_key="fresh").update(
        status=SENDING, claimed_at=now - timedelta(minutes=9)
    )

    returned = services.outbox_sweep()

    assert returned == 1
    assert dict(OutboxEmail.objects.values_list("idempotency_key", "status")) == {
        "stuck": PENDING,
        "fresh": SENDING,
    }


# --- A real SMTP server that refuses some recipients --------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RefusingMailServer:
    """aiosmtpd handler: refuses recipients whose address starts with "bounce" (550) and
    keeps every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address.startswith("bounce"):
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.SMTP))
        return "250 Message accepted for delivery"

    def recipients(self) -> Counter[str]:
        return Counter(str(message["To"]) for message in self.messages)


@pytest.fixture
def mail_server(settings):
    """A real SMTP server in a thread on 127.0.0.1, and Django's SMTP backend pointed at it."""
    handler = RefusingMailServer()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = controller.hostname, controller.port
    settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD = "", ""
    settings.EMAIL_USE_TLS, settings.EMAIL_USE_SSL = False, False
    settings.EMAIL_TIMEOUT = 5
    yield handler
    controller.stop()


GOOD = ["alice@northbridge.example", "erin@northbridge.example"]
REFUSED = ["bounce-fay@northbridge.example", "bounce-gus@northbridge.example"]


@pytest.fixture
def mixed_recipients(alice):
    """Alice and three more people in her authority, each with an assignment due tomorrow;
    the mail server refuses two of them."""
    module = published_module()
    for address in GOOD + REFUSED:
        user = (
            alice
            if address == alice.email
            else UserFactory(email=address, authority=alice.authority)
        )
        assignment_due(user, module, DUE_ON)


def rows_of(addresses: list[str]) -> list[OutboxEmail]:
    return list(OutboxEmail.objects.filter(user__email__in=addresses))


def test_it_delivers_to_the_recipients_the_mail_server_accepts(mail_server, mixed_recipients):
    reminders_run(DAY)

    assert mail_server.recipients() == Counter(GOOD)
    assert {row.status for row in rows_of(GOOD)} == {SENT}


def test_it_keeps_a_refused_email_pending_for_a_later_attempt(mail_server, mixed_recipients):
    reminders_run(DAY)

    for row in rows_of(REFUSED):
        assert (row.status, row.attempts) == (PENDING, 1)
        assert "550" in row.last_error
        assert row.next_attempt_at > london(2026, 3, 2, 7, 0)


def send_until_nothing_is_due(limit: int = 20) -> None:
    """Travel to each pending email's next attempt and run the sender there."""
    for _ in range(limit):
        retry = OutboxEmail.objects.filter(status=PENDING).order_by("next_attempt_at").first()
        if retry is None:
            return
        moment = timezone.localtime(retry.next_attempt_at)
        outbox_send(moment.date(), moment.time())
    pytest.fail(f"Still pending after {limit} runs of the sender")


def test_it_marks_a_refused_email_failed_after_the_last_attempt(
    settings, mail_server, mixed_recipients
):
    reminders_run(DAY)

    send_until_nothing_is_due()

    for row in rows_of(REFUSED):
        assert (row.status, row.attempts) == (FAILED, settings.OUTBOX_MAX_ATTEMPTS)
        assert "550 5.1.1 No such mailbox" in row.last_error


def test_it_backs_off_1_2_4_and_8_minutes_between_attempts(mail_server, mixed_recipients):
    reminders_run(DAY)
    [row, _] = rows_of(REFUSED)
    tried_at, waits = london(2026, 3, 2, 7, 0), []

    while row.status == PENDING:
        waits.append(row.next_attempt_at - tried_at)
        tried_at = timezone.localtime(row.next_attempt_at)
        outbox_send(tried_at.date(), tried_at.time())
        row.refresh_from_db()

    assert waits == [timedelta(minutes=minutes) for minutes in (1, 2, 4, 8)]


def test_it_loses_no_email_and_repeats_none_while_some_recipients_are_refused(
    mail_server, mixed_recipients
):
    reminders_run(DAY)

    send_until_nothing_is_due()

    assert mail_server.recipients() == Counter(GOOD)
    assert Counter(OutboxEmail.objects.values_list("status", flat=True)) == {SENT: 2, FAILED: 2}


def test_it_records_no_email_text_in_the_last_error_or_the_log(
    mail_server, mixed_recipients, caplog
):
    reminders_run(DAY)

    # Alice's email, as delivered, less what is hers alone: what the refused emails said too.
    [delivered] = [m for m in mail_server.messages if m["To"] == "alice@northbridge.example"]
    text = delivered.get_body(("plain",)).get_content()
    shared = [line.strip() for line in text.splitlines() if len(line.strip()) > 10]
    shared = [line for line in shared if "Alice" not in line and "unsubscribe" not in line]
    recorded = " ".join(row.last_error for row in rows_of(REFUSED)) + caplog.text
    assert len(shared) >= 3
    assert [line for line in shared if line in recorded] == []
    assert "Jo's bedroom door" not in recorded


# --- The broker is down -------------------------------------------------------------------

UNREACHABLE_BROKER = "redis://127.0.0.1:1/0"


@pytest.fixture
def broker_down():
    """Tasks published for real (not run eagerly) to a broker nobody listens on; Celery's
    configuration and connection pools are put back afterwards."""
    conf = celery_app.conf
    saved = conf.task_always_eager, conf.broker_url
    saved_pools = celery_app._pool, celery_app.amqp._producer_pool
    conf.task_always_eager, conf.broker_url = False, UNREACHABLE_BROKER
    # Pools are made from broker_url on first use; drop them so the next task uses the new one.
    celery_app._pool = celery_app.amqp._producer_pool = None
    try:
        yield
    finally:
        conf.task_always_eager, conf.broker_url = saved
        celery_app._pool, celery_app.amqp._producer_pool = saved_pools


def test_it_accepts_a_retry_from_the_outbox_page_while_the_broker_is_down(
    broker_down, verified_client, dave, alice, caplog
):
    failed = OutboxEmail.objects.create(
        idempotency_key="k", kind=EmailKind.DUE_SOON, user=alice, authority=alice.authority,
        status=FAILED, attempts=5, last_error="SMTPRecipientsRefused",
    )  # fmt: skip
    client = verified_client(dave)

    response = client.post(reverse("portal:manage-outbox"), {"email": [failed.pk]}, follow=True)

    failed.refresh_from_db()
    assert response.status_code == 200
    assert "1 email will be retried." in response.content.decode()
    assert failed.status == PENDING
    assert "Could not queue outbox sending" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_it_creates_a_person_while_the_broker_is_down(broker_down, verified_client, dave, caplog):
    client = verified_client(dave)

    response = client.post(
        reverse("portal:manage-user-create"),
        {"email": "erin@northbridge.example", "full_name": "Erin Walsh", "role": "practitioner"},
        follow=True,
    )

    assert response.status_code == 200
    assert "Account created for Erin Walsh" in response.content.decode()
    assert User.objects.filter(email="erin@northbridge.example").exists()
    # Queueing the sender failed, and said so; the welcome email waits for the sweep.
    assert "Could not queue outbox sending" in caplog.text
    assert OutboxEmail.objects.get(kind=AccountEmailKind.WELCOME).status == PENDING


@pytest.mark.django_db(transaction=True)
def test_it_imports_staff_while_the_broker_is_down(broker_down, verified_client, dave, caplog):
    client = verified_client(dave)
    upload = SimpleUploadedFile(
        "staff.csv",
        b"email,full_name,role,team\nerin@northbridge.example,Erin Walsh,practitioner,\n",
        content_type="text/csv",
    )

    response = client.post(reverse("portal:manage-user-import"), {"file": upload}, follow=True)

    assert response.status_code == 200
    assert "1 person imported" in response.content.decode()
    assert User.objects.filter(email="erin@northbridge.example").exists()
    assert "Could not queue outbox sending" in caplog.text
    assert OutboxEmail.objects.get(kind=AccountEmailKind.WELCOME).status == PENDING


# --- Retrying failures ----------------------------------------------------------------------


def test_it_puts_an_authoritys_failed_emails_back_to_pending(alice, charlie, dave):
    services.outbox_plan(emails=[planned("north", alice), planned("weald", charlie)])
    OutboxEmail.objects.update(status=FAILED, attempts=5, next_attempt_at=london(2026, 1, 1))
    ids = OutboxEmail.objects.values_list("id", flat=True)

    retried = services.outbox_retry(by=dave, email_ids=ids)

    assert retried == 1
    north = OutboxEmail.objects.get(idempotency_key="north")
    assert (north.status, north.attempts) == (PENDING, 0)
    assert north.next_attempt_at > london(2026, 1, 1)
    assert OutboxEmail.objects.get(idempotency_key="weald").status == FAILED


def test_it_lets_only_an_authority_admin_retry_failed_emails(alice, bob):
    services.outbox_plan(emails=[planned("north", alice)])
    OutboxEmail.objects.update(status=FAILED)
    ids = OutboxEmail.objects.values_list("id", flat=True)

    for person in (alice, bob):
        with pytest.raises(PermissionDenied):
            services.outbox_retry(by=person, email_ids=ids)

    assert OutboxEmail.objects.get().status == FAILED


# --- Welcome emails -------------------------------------------------------------------------


def erin_created(dave) -> User:
    return services.user_create(
        actor=dave, email="erin@northbridge.example", full_name="Erin Walsh",
        role="practitioner", team=None,
    )  # fmt: skip


def test_it_sends_a_new_persons_welcome_email_through_the_outbox(
    dave, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        erin = erin_created(dave)
    row = OutboxEmail.objects.get()
    assert (row.idempotency_key, row.kind, row.user, row.authority, row.status) == (
        f"welcome:{erin.pk}", AccountEmailKind.WELCOME, erin, dave.authority, SENT,
    )  # fmt: skip
    [message] = mail.outbox
    assert message.to == ["erin@northbridge.example"]
    assert "/account/set-password/" in message.body


def test_it_keeps_the_welcome_link_out_of_the_database(dave, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        erin_created(dave)
    link = re.search(r"/account/set-password/\S+/", mail.outbox[0].body)[0]
    stored = [str(value) for value in OutboxEmail.objects.values().get().values()]
    assert not [value for value in stored if "set-password" in value or link in value]


def test_it_plans_one_welcome_email_per_person(dave, alice):
    services.welcome_email_plan(users=[alice])
    services.welcome_email_plan(users=[alice])
    assert OutboxEmail.objects.filter(user=alice, kind=AccountEmailKind.WELCOME).count() == 1


def test_it_sends_no_welcome_to_someone_who_has_chosen_a_password(dave, alice):
    """Planned, then the person set a password (a reset, say) before it went: no dead link."""
    services.welcome_email_plan(users=[alice])  # on_commit never runs here: nothing sent yet
    assert alice.has_usable_password()

    tasks.outbox_send.delay()

    assert OutboxEmail.objects.get().status == OutboxEmail.Status.SKIPPED
    assert mail.outbox == []


# --- Password resets ---------------------------------------------------------------------------


def reset_asked(address: str) -> None:
    """Ask on the page, then run what it queued as a worker would once it is committed."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        Client().post(reverse("portal:password-reset"), {"email": address})


def test_it_sends_a_password_reset_through_the_outbox(alice):
    reset_asked(alice.email)

    row = OutboxEmail.objects.get()
    assert (row.kind, row.user, row.authority, row.status) == (
        AccountEmailKind.PASSWORD_RESET, alice, alice.authority, SENT,
    )  # fmt: skip
    [message] = mail.outbox
    assert (message.to, message.subject) == ([alice.email], "Reset your Threshold password")


def test_it_keeps_the_reset_link_out_of_the_database(alice):
    reset_asked(alice.email)

    link = re.search(r"/account/password-reset/\S+/", mail.outbox[0].body)[0]
    stored = [str(value) for value in OutboxEmail.objects.values().get().values()]
    assert not [value for value in stored if link in value]


def test_it_sends_each_reset_asked_for(alice):
    reset_asked(alice.email)
    reset_asked(alice.email)

    assert OutboxEmail.objects.filter(kind=AccountEmailKind.PASSWORD_RESET).count() == 2
    assert len(mail.outbox) == 2


def test_it_plans_nothing_for_an_address_without_an_account(db):
    reset_asked("nobody@northbridge.example")

    assert not OutboxEmail.objects.exists()


def test_it_keeps_a_refused_reset_for_another_attempt(mail_server, alice):
    alice.email = "bounce-alice@northbridge.example"
    alice.save(update_fields=["email"])

    reset_asked(alice.email)

    row = OutboxEmail.objects.get()
    assert (row.status, row.attempts) == (PENDING, 1)
    assert "550" in row.last_error
    assert mail_server.messages == []


def test_it_lists_a_reset_on_the_authoritys_outbox_page(verified_client, dave, alice):
    reset_asked(alice.email)

    page = verified_client(dave).get(reverse("portal:manage-outbox"), {"status": SENT})

    assert "Password reset" in page.content.decode()
    assert alice.full_name in page.content.decode()
