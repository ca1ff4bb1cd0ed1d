"""The pages about reminder emails: one-click unsubscribe (no sign-in), a person's email
preferences, mandatory kinds, and an authority admin's outbox with its retry button."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import pytest
import time_machine
from django.core import mail, signing
from django.test import Client
from django.urls import reverse

from portal import selectors, services, unsubscribe
from portal.models import EmailKind, EmailPreference, OutboxEmail
from training.tests.reminder_data import (
    assignment_due,
    london,
    outbox_send,
    published_module,
    reminders_plan,
    reminders_run,
)

PENDING, SENT, FAILED, SKIPPED = (
    OutboxEmail.Status.PENDING,
    OutboxEmail.Status.SENT,
    OutboxEmail.Status.FAILED,
    OutboxEmail.Status.SKIPPED,
)


@pytest.fixture
def due_1_march(alice):
    """Alice's assignment due on 1 March 2026 (due-soon reminders on 22 and 28 February,
    overdue notices from 2 March)."""
    return assignment_due(alice, published_module(), date(2026, 3, 1))


@pytest.fixture
def unsubscribe_link(due_1_march) -> Iterator[str]:
    """The path of the unsubscribe link in alice's 7-day reminder (sent on 22 February)."""
    [reminder] = reminders_run(date(2026, 2, 22))
    link = reminder.extra_headers["List-Unsubscribe"].strip("<>")
    assert link.startswith("http://testserver/")
    # Followed the next day, whenever the tests run: links work for a year from sending.
    with time_machine.travel(london(2026, 2, 23, 8, 0), tick=True):
        yield link.removeprefix("http://testserver")


def mandatory(authority, *kinds: str) -> None:
    authority.mandatory_email_kinds = list(kinds)
    authority.save(update_fields=["mandatory_email_kinds"])


# --- One-click unsubscribe ----------------------------------------------------------------


def test_it_asks_before_unsubscribing_without_signing_in(alice, unsubscribe_link):
    response = Client().get(unsubscribe_link)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Stop these emails?" in page
    assert "Training due soon" in page
    assert EmailKind.DUE_SOON in selectors.email_kinds_wanted(user=alice)


def test_it_turns_the_kind_off_when_unsubscribing_is_confirmed(alice, unsubscribe_link):
    response = Client().post(unsubscribe_link)

    assert response.status_code == 200
    assert "You won't get these emails again" in response.content.decode()
    assert EmailKind.DUE_SOON not in selectors.email_kinds_wanted(user=alice)


def test_it_accepts_a_mail_apps_one_click_unsubscribe(alice, unsubscribe_link):
    # RFC 8058: the mail app posts this body, with no cookies and no CSRF token.
    client = Client(enforce_csrf_checks=True)

    response = client.post(unsubscribe_link, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert EmailKind.DUE_SOON not in selectors.email_kinds_wanted(user=alice)


def test_it_skips_the_next_planned_email_of_the_kind_unsubscribed_from(alice, unsubscribe_link):
    reminders_plan(date(2026, 2, 28))
    Client().post(unsubscribe_link)

    assert outbox_send(date(2026, 2, 28)) == []
    assert OutboxEmail.objects.filter(status=SKIPPED).count() == 1


def test_it_keeps_sending_the_other_kinds(alice, unsubscribe_link):
    Client().post(unsubscribe_link)

    [overdue] = reminders_run(date(2026, 3, 2))

    assert overdue.subject == "Overdue: Jo's bedroom door"


def test_it_refuses_a_tampered_unsubscribe_link_with_a_clear_page(alice, unsubscribe_link):
    token = unsubscribe_link.rstrip("/").rsplit("/", 1)[1]
    tampered = unsubscribe.token_make(user_id=alice.pk + 1, kind=EmailKind.DUE_SOON)
    forged = f"{tampered.rsplit(':', 1)[0]}:{token.rsplit(':', 1)[1]}"  # her signature

    response = Client().post(reverse("portal:email-unsubscribe", args=[forged]))

    assert response.status_code == 400
    assert "This link does not work" in response.content.decode()
    assert EmailPreference.objects.count() == 0


def test_it_refuses_a_made_up_unsubscribe_link(db):
    response = Client().get(reverse("portal:email-unsubscribe", args=["not-a-token"]))

    assert response.status_code == 400
    assert "This link does not work" in response.content.decode()


def _signed(value: object, *, compress: bool = False) -> str:
    """A token signed with the site's key and the unsubscribe salt, holding any value: what a
    future or mistaken token shape would look like (no outsider can sign one)."""
    return signing.dumps(value, salt=unsubscribe.SALT, compress=compress)


@pytest.mark.parametrize(
    "token",
    [
        lambda alice: _signed([alice.pk, EmailKind.DUE_SOON]),
        lambda alice: _signed({"user": alice.pk}),
        lambda alice: _signed({"kind": EmailKind.DUE_SOON}),
        lambda alice: _signed({"user": str(alice.pk), "kind": EmailKind.DUE_SOON}),
        lambda alice: _signed({"user": "Alice", "kind": EmailKind.DUE_SOON}),
        lambda alice: _signed({"user": None, "kind": EmailKind.DUE_SOON}),
        lambda alice: _signed({"user": True, "kind": EmailKind.DUE_SOON}),
        lambda alice: _signed({"user": 10**30, "kind": EmailKind.DUE_SOON}),
        lambda alice: _signed({"user": -alice.pk, "kind": EmailKind.DUE_SOON}),
        lambda alice: _signed({"user": alice.pk, "kind": ["due_soon"]}),
        lambda alice: _signed({"user": alice.pk, "kind": "no-such-kind"}),
        lambda alice: _signed({"user": [alice.pk], "kind": EmailKind.DUE_SOON}),
        lambda alice: _signed("x" * 200, compress=True),
        lambda alice: signing.TimestampSigner(salt=unsubscribe.SALT).sign("not-base64!"),
        lambda alice: signing.TimestampSigner(salt=unsubscribe.SALT).sign(".bm90LXpsaWI"),
        lambda alice: signing.TimestampSigner(salt=unsubscribe.SALT).sign("bm90IGpzb24"),
        lambda alice: "é:é:é",
    ],
    ids=[
        "a list",
        "no kind",
        "no user",
        "user as text",
        "user a name",
        "user null",
        "user true",
        "user too big for any id",
        "user negative",
        "kind a list",
        "kind unknown",
        "user a list",
        "a compressed string",
        "not base64",
        "not zlib",
        "not json",
        "not ascii",
    ],
)
def test_it_answers_a_malformed_unsubscribe_link_with_the_400_page(alice, token):
    path = reverse("portal:email-unsubscribe", args=[token(alice)])

    for response in (Client().get(path), Client().post(path)):
        assert response.status_code == 400
        assert "This link does not work" in response.content.decode()
    assert EmailPreference.objects.count() == 0


def test_it_still_honours_an_unsubscribe_link_up_to_a_year_old(alice, unsubscribe_link):
    with time_machine.travel(london(2027, 2, 21, 23, 0)):
        response = Client().post(unsubscribe_link)

    assert response.status_code == 200
    assert EmailKind.DUE_SOON not in selectors.email_kinds_wanted(user=alice)


def test_it_refuses_an_unsubscribe_link_more_than_a_year_old(alice, unsubscribe_link):
    with time_machine.travel(london(2027, 2, 22, 7, 1)):  # sent at 07:00 a year before
        response = Client().post(unsubscribe_link)

    assert response.status_code == 400
    assert "more than a year old" in response.content.decode()
    assert EmailPreference.objects.count() == 0


def test_it_says_a_mandatory_kind_cannot_be_turned_off(alice, unsubscribe_link):
    mandatory(alice.authority, EmailKind.DUE_SOON)

    response = Client().get(unsubscribe_link)

    page = response.content.decode()
    assert response.status_code == 200
    assert "These emails can't be turned off" in page
    assert "<form" not in page.split("<main")[1]


def test_it_keeps_a_mandatory_kind_on_when_its_unsubscribe_link_is_posted(alice, unsubscribe_link):
    mandatory(alice.authority, EmailKind.DUE_SOON)

    Client().post(unsubscribe_link)

    assert not EmailPreference.objects.filter(user=alice).exists()
    assert [m.subject for m in reminders_run(date(2026, 2, 28))] == [
        "Due tomorrow: Jo's bedroom door"
    ]


def test_it_sends_a_mandatory_kind_to_someone_who_turned_it_off_before(alice, due_1_march):
    EmailPreference.objects.create(user=alice, kind=EmailKind.OVERDUE)
    mandatory(alice.authority, EmailKind.OVERDUE)

    assert [m.subject for m in reminders_run(date(2026, 3, 2))] == ["Overdue: Jo's bedroom door"]


# --- Preferences page ---------------------------------------------------------------------


def test_it_saves_a_persons_email_choices(verified_client, alice):
    client = verified_client(alice)

    response = client.post(
        reverse("portal:email-preferences"),
        {"kinds": [EmailKind.DUE_SOON, EmailKind.CERTIFICATE_EXPIRING]},
        follow=True,
    )

    assert "Your email choices have been saved." in response.content.decode()
    assert set(EmailPreference.objects.filter(user=alice).values_list("kind", flat=True)) == {
        EmailKind.OVERDUE,
        EmailKind.SUPERVISOR_DIGEST,
        EmailKind.CASE_COMMENT,
    }


def checkboxes(page: str) -> dict[str, bool]:
    """Each checkbox's value, and whether it is ticked."""
    inputs = re.findall(r'<input\s[^>]*type="checkbox"[^>]*>', page)
    return {re.search(r'value="([^"]+)"', tag)[1]: "checked" in tag for tag in inputs}


def test_it_shows_the_choices_saved_as_ticked(verified_client, alice):
    EmailPreference.objects.create(user=alice, kind=EmailKind.OVERDUE)

    page = verified_client(alice).get(reverse("portal:email-preferences")).content.decode()

    assert checkboxes(page) == {
        EmailKind.DUE_SOON: True,
        EmailKind.OVERDUE: False,
        EmailKind.CERTIFICATE_EXPIRING: True,
        EmailKind.SUPERVISOR_DIGEST: True,
        EmailKind.CASE_COMMENT: True,
    }


def test_it_shows_mandatory_kinds_as_always_sent_not_as_choices(verified_client, alice):
    mandatory(alice.authority, EmailKind.OVERDUE)

    page = verified_client(alice).get(reverse("portal:email-preferences")).content.decode()

    inset = page.split('class="govuk-inset-text"')[1].split("</div>")[0]
    assert "can't be turned off" in inset
    assert "Training overdue" in inset
    assert list(checkboxes(page)) == [
        EmailKind.DUE_SOON,
        EmailKind.CERTIFICATE_EXPIRING,
        EmailKind.SUPERVISOR_DIGEST,
        EmailKind.CASE_COMMENT,
    ]


def test_it_keeps_mandatory_kinds_on_whatever_is_posted(verified_client, alice):
    mandatory(alice.authority, EmailKind.OVERDUE)

    verified_client(alice).post(reverse("portal:email-preferences"), {"kinds": []})

    assert set(EmailPreference.objects.filter(user=alice).values_list("kind", flat=True)) == {
        EmailKind.DUE_SOON,
        EmailKind.CERTIFICATE_EXPIRING,
        EmailKind.SUPERVISOR_DIGEST,
        EmailKind.CASE_COMMENT,
    }


# --- The outbox page ----------------------------------------------------------------------


def counts(response) -> dict[str, int]:
    return {label: count for _, label, count in response.context["counts"]}


def outbox_row(user, status: str, key: str, last_error: str = "") -> OutboxEmail:
    return OutboxEmail.objects.create(
        idempotency_key=key,
        kind=EmailKind.DUE_SOON,
        user=user,
        authority=user.authority,
        status=status,
        attempts=5 if status == FAILED else 0,
        last_error=last_error,
    )


@pytest.fixture
def outboxes(alice, bob, charlie):
    """Northbridge's outbox: 2 pending, 1 sent, 2 failed, 1 skipped; Wealdshire's: 1 failed."""
    for n, status in enumerate([PENDING, PENDING, SENT, SKIPPED]):
        outbox_row(alice, status, f"north-{n}")
    return {
        "alice": outbox_row(alice, FAILED, "north-f1", "SMTPRecipientsRefused: 550 no mailbox"),
        "bob": outbox_row(bob, FAILED, "north-f2", "SMTPServerDisconnected: closed"),
        "charlie": outbox_row(charlie, FAILED, "weald-f1", "SMTPDataError: 554 refused"),
    }


def test_it_counts_the_authoritys_emails_by_status(verified_client, dave, outboxes):
    response = verified_client(dave).get(reverse("portal:manage-outbox"))

    assert counts(response) == {
        "Pending": 2, "Sending": 0, "Sent": 1, "Failed": 2, "No longer needed": 1,
    }  # fmt: skip


def test_it_lists_the_failures_with_their_last_error(verified_client, dave, outboxes):
    page = verified_client(dave).get(reverse("portal:manage-outbox")).content.decode()

    assert "Alice Okafor" in page
    assert "SMTPRecipientsRefused: 550 no mailbox" in page
    assert "Bob Hughes" in page
    assert "SMTPServerDisconnected: closed" in page


def test_it_shows_an_admin_none_of_another_authoritys_outbox(verified_client, wendy, outboxes):
    response = verified_client(wendy).get(reverse("portal:manage-outbox"))

    page = response.content.decode()
    assert "Alice Okafor" not in page
    assert "SMTPRecipientsRefused" not in page
    assert "Charlie Adeyemi" in page
    assert counts(response)["Failed"] == 1


def test_it_lists_the_sent_emails_newest_first_welcome_emails_included(
    verified_client, dave, alice, bob, django_capture_on_commit_callbacks
):
    sent = outbox_row(alice, SENT, "north-sent-1")
    OutboxEmail.objects.filter(pk=sent.pk).update(sent_at=london(2026, 3, 1, 9, 0))
    with django_capture_on_commit_callbacks(execute=True):
        services.user_create(
            actor=dave, email="erin@northbridge.example", full_name="Erin Walsh",
            role="practitioner", team=None,
        )  # fmt: skip

    response = verified_client(dave).get(reverse("portal:manage-outbox"), {"status": "sent"})

    assert [email.user.full_name for email in response.context["page"]] == [
        "Erin Walsh", "Alice Okafor",
    ]  # fmt: skip
    page = text(response)
    assert "Welcome (a link to choose a password)" in page
    assert "1 March 2026, 09:00" in page
    assert "Retry selected emails" not in page
    assert counts(response)["Sent"] == 2


@pytest.mark.parametrize("status", ["pending", "skipped"])
def test_it_lists_the_emails_of_each_status(verified_client, dave, outboxes, status):
    response = verified_client(dave).get(reverse("portal:manage-outbox"), {"status": status})
    shown = response.context["page"]
    assert len(shown) == counts(response)[OutboxEmail.Status(status).label] > 0
    assert {email.status for email in shown} == {status}


@pytest.mark.parametrize("asked", ["", "bogus", "failed"])
def test_it_shows_the_failed_emails_unless_asked_for_another_status(
    verified_client, dave, outboxes, asked
):
    response = verified_client(dave).get(reverse("portal:manage-outbox"), {"status": asked})
    assert {email.pk for email in response.context["page"]} == {
        outboxes["alice"].pk, outboxes["bob"].pk,
    }  # fmt: skip
    assert 'href="?status=failed" aria-current="true"' in text(response)
    assert "Retry selected emails" in text(response)


def test_it_shows_an_admin_none_of_another_authoritys_sent_emails(
    verified_client, wendy, alice, charlie
):
    outbox_row(alice, SENT, "north-sent")
    outbox_row(charlie, SENT, "weald-sent")
    response = verified_client(wendy).get(reverse("portal:manage-outbox"), {"status": "sent"})
    assert [email.user for email in response.context["page"]] == [charlie]


def test_it_sends_the_failures_retried(verified_client, dave, alice, due_1_march):
    reminders_plan(date(2026, 3, 2))
    OutboxEmail.objects.update(status=FAILED, attempts=5, last_error="SMTPServerDisconnected")
    failed = OutboxEmail.objects.get()

    # The retry queues the sender, which runs at once in tests (and, for real, on a worker).
    with time_machine.travel(london(2026, 3, 2, 10, 0), tick=False):
        response = verified_client(dave).post(
            reverse("portal:manage-outbox"), {"email": [failed.pk]}, follow=True
        )

    failed.refresh_from_db()
    assert "1 email will be retried." in response.content.decode()
    assert (failed.status, failed.attempts) == (SENT, 0)
    assert [m.subject for m in mail.outbox] == ["Overdue: Jo's bedroom door"]


def test_it_does_not_retry_another_authoritys_failures(verified_client, wendy, outboxes):
    client = verified_client(wendy)

    response = client.post(
        reverse("portal:manage-outbox"), {"email": [outboxes["alice"].pk]}, follow=True
    )

    outboxes["alice"].refresh_from_db()
    assert "0 emails will be retried." in response.content.decode()
    assert (outboxes["alice"].status, outboxes["alice"].attempts) == (FAILED, 5)


def test_it_ignores_retry_values_that_are_not_email_ids(verified_client, dave, outboxes):
    response = verified_client(dave).post(
        reverse("portal:manage-outbox"), {"email": ["abc", "²", "-1"]}, follow=True
    )

    assert response.status_code == 200
    assert "0 emails will be retried." in response.content.decode()


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def fifty_five_failures(alice) -> list[OutboxEmail]:
    """Fifty-five of Northbridge's emails that failed, oldest first."""
    return [outbox_row(alice, FAILED, f"failed-{n}", f"Error {n:02d}") for n in range(55)]


def test_it_pages_the_failures_fifty_at_a_time_oldest_first(
    verified_client, dave, fifty_five_failures
):
    client = verified_client(dave)
    first = client.get(reverse("portal:manage-outbox"))
    second = client.get(reverse("portal:manage-outbox"), {"page": 2})
    assert list(first.context["page"]) == fifty_five_failures[:50]
    assert list(second.context["page"]) == fifty_five_failures[50:]
    assert counts(first)["Failed"] == 55
    assert "Showing 1 to 50 of 55, oldest first." in text(first)
    assert "Showing 51 to 55 of 55, oldest first." in text(second)
    assert 'href="?page=2"' in text(first)


@pytest.mark.parametrize(("asked", "shown"), [("999", 2), ("x", 1)])
def test_it_shows_the_nearest_real_page_of_failures(
    verified_client, dave, fifty_five_failures, asked, shown
):
    response = verified_client(dave).get(reverse("portal:manage-outbox"), {"page": asked})
    assert response.status_code == 200
    assert response.context["page"].number == shown


def test_it_retries_the_ticked_failures_of_a_page_and_comes_back_to_it(
    verified_client, dave, fifty_five_failures
):
    client = verified_client(dave)
    page_two = client.get(reverse("portal:manage-outbox"), {"page": 2})
    ticked = [email.pk for email in page_two.context["page"]][:2]
    assert '<form method="post" action="?page=2">' in text(page_two)

    response = client.post(reverse("portal:manage-outbox") + "?page=2", {"email": ticked})

    assert response["Location"] == reverse("portal:manage-outbox") + "?page=2"
    back = client.get(response["Location"])
    assert "2 emails will be retried." in text(back)
    assert list(back.context["page"]) == fifty_five_failures[52:]
    assert OutboxEmail.objects.filter(pk__in=ticked, status=FAILED).count() == 0


def test_it_shows_the_last_page_left_after_retrying_a_whole_page(
    verified_client, dave, fifty_five_failures
):
    client = verified_client(dave)
    ticked = [email.pk for email in fifty_five_failures[50:]]

    response = client.post(
        reverse("portal:manage-outbox") + "?page=2", {"email": ticked}, follow=True
    )

    assert response.status_code == 200
    assert response.context["page"].number == 1
    assert list(response.context["page"]) == fifty_five_failures[:50]


def test_it_refuses_the_outbox_to_a_practitioner(verified_client, charlie, outboxes):
    response = verified_client(charlie).get(reverse("portal:manage-outbox"))

    assert response.status_code == 403
