"""Sessions end after 30 minutes idle, and 12 hours after sign-in however active.

The test client sends back whatever cookie it was given, expired or not, so these tests prove
the server refuses the old session itself, not only that a browser would drop the cookie.
"""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session

from portal.models import AuditAction, AuditEvent

SIGN_IN = "/account/sign-in/"


@pytest.fixture
def frozen_time():
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), tick=False) as traveller:
        yield traveller


def session_key(client):
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def stay_active(client, traveller, until, every=timedelta(minutes=20)):
    """Open the home page every 20 minutes for `until`, checking each visit gets in."""
    elapsed = timedelta(0)
    while elapsed + every <= until:
        traveller.shift(every)
        elapsed += every
        assert client.get("/").status_code == 200, f"session ended after {elapsed}"


def test_it_keeps_a_session_after_29_idle_minutes(verified_client, alice, frozen_time):
    client = verified_client(alice)
    frozen_time.shift(timedelta(minutes=29))

    assert client.get("/").status_code == 200


def test_it_ends_a_session_after_31_idle_minutes(verified_client, alice, frozen_time):
    client = verified_client(alice)
    frozen_time.shift(timedelta(minutes=31))

    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"].startswith(SIGN_IN)


def test_it_expires_an_idle_session_on_the_server(verified_client, alice, frozen_time):
    client = verified_client(alice)
    old_key = session_key(client)
    frozen_time.shift(timedelta(minutes=31))

    client.cookies[settings.SESSION_COOKIE_NAME] = old_key  # as a careless browser would
    response = client.get("/account/")

    assert response["Location"].startswith(SIGN_IN)
    assert Session.objects.get(session_key=old_key).expire_date < datetime(
        2026, 3, 2, 9, 31, tzinfo=UTC
    )


def test_it_tells_the_browser_to_drop_the_cookie_after_30_idle_minutes(verified_client, alice):
    client = verified_client(alice)

    response = client.get("/")

    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 30 * 60


def test_it_moves_the_idle_deadline_on_with_each_request(verified_client, alice, frozen_time):
    client = verified_client(alice)
    frozen_time.shift(timedelta(minutes=20))
    client.get("/")

    expire_date = Session.objects.get(session_key=session_key(client)).expire_date

    assert expire_date == datetime(2026, 3, 2, 9, 50, tzinfo=UTC)


def test_it_keeps_an_active_session_for_12_hours(verified_client, alice, frozen_time):
    client = verified_client(alice)

    stay_active(client, frozen_time, until=timedelta(hours=12))

    assert client.get("/").status_code == 200


def test_it_ends_an_active_session_12_hours_after_sign_in(verified_client, alice, frozen_time):
    client = verified_client(alice)
    old_key = session_key(client)
    stay_active(client, frozen_time, until=timedelta(hours=12))
    frozen_time.shift(timedelta(minutes=1))

    response = client.get("/account/")

    assert response.status_code == 302
    assert response["Location"] == f"{SIGN_IN}?next=%2Faccount%2F"
    assert not Session.objects.filter(session_key=old_key).exists()


def test_it_refuses_the_old_session_after_12_hours(verified_client, alice, frozen_time):
    client = verified_client(alice)
    old_key = session_key(client)
    stay_active(client, frozen_time, until=timedelta(hours=12))
    frozen_time.shift(timedelta(minutes=1))
    client.get("/")

    client.cookies[settings.SESSION_COOKIE_NAME] = old_key
    response = client.get("/")

    assert response["Location"].startswith(SIGN_IN)


def test_it_says_why_the_session_ended(verified_client, alice, frozen_time):
    client = verified_client(alice)
    stay_active(client, frozen_time, until=timedelta(hours=12))
    frozen_time.shift(timedelta(minutes=1))

    response = client.get("/", follow=True)

    assert response.redirect_chain[-1][0].startswith(SIGN_IN)
    assert "Your session has ended. Sign in again to continue." in response.content.decode()


def test_it_records_the_end_of_a_session_as_a_sign_out(verified_client, alice, frozen_time):
    client = verified_client(alice)
    stay_active(client, frozen_time, until=timedelta(hours=12))
    frozen_time.shift(timedelta(minutes=1))

    client.get("/")

    assert AuditEvent.objects.filter(action=AuditAction.SIGNED_OUT, subject=alice).count() == 1


def test_it_counts_the_12_hours_from_the_latest_sign_in(verified_client, alice, frozen_time):
    client = verified_client(alice)
    stay_active(client, frozen_time, until=timedelta(hours=6))
    client.post("/account/sign-out/")
    verified_client(alice)
    stay_active(client, frozen_time, until=timedelta(hours=7))

    assert client.get("/").status_code == 200


def test_it_ends_an_idle_session_before_the_second_factor_too(client, alice, frozen_time):
    client.post(SIGN_IN, {"username": alice.email, "password": "correct-horse-battery-staple"})
    frozen_time.shift(timedelta(minutes=31))

    response = client.get("/")

    assert response["Location"].startswith(SIGN_IN)
