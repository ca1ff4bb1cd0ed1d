"""A real Celery worker, on the real broker, sends what the web tier queued.

Runs only with REDIS_URL set (CI's PostgreSQL and Redis pass); see conftest.py.
"""

from __future__ import annotations

import pytest

from portal import services


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_it_sends_a_new_persons_welcome_email_from_a_real_worker(celery_worker_process, dave, team):
    celery_worker_process.start()
    user = services.user_create(
        actor=dave,
        email="newstarter@northbridge.example",
        full_name="New Starter",
        role="practitioner",
        team=team,
    )
    celery_worker_process.wait_for(celery_worker_process.emails, "the welcome email is sent")
    [email] = celery_worker_process.emails()
    assert email["To"] == "newstarter@northbridge.example"
    assert "/account/set-password/" in email.get_body(("plain",)).get_content()
    assert not user.has_usable_password()
