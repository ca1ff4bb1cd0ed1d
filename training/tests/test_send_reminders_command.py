"""`manage.py send_reminders`: plan and send today's reminders by hand, idempotently."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from training import services


@pytest.fixture
def due_in_a_week(dave, alice, module):
    rule = services.rule_create(
        actor=dave,
        module=module,
        target="person",
        target_user=alice,
        due_on=timezone.localdate() + timedelta(days=7),
    )
    return rule.assignments.get(user=alice)


def test_it_sends_todays_reminders_once(due_in_a_week):
    call_command("send_reminders", verbosity=0)
    call_command("send_reminders", verbosity=0)

    assert [message.to for message in mail.outbox] == [["alice@northbridge.example"]]
    assert "Due in 7 days" in mail.outbox[0].subject


def test_it_refuses_a_date_it_cannot_read(db):
    with pytest.raises(CommandError, match="--date must look like"):
        call_command("send_reminders", "--date", "next tuesday")
