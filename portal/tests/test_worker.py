"""A real Celery worker, on the real broker, sends what the web tier queued.

Runs only with REDIS_URL set (CI's PostgreSQL and Redis pass); see conftest.py.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from portal import services
from portal.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]
DEADLINE_SECONDS = 60


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    host, port, user = db["HOST"] or "127.0.0.1", db["PORT"] or 5432, db["USER"]
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


@pytest.fixture
def worker(tmp_path):
    """A worker process reading the test database and writing emails as files in tmp_path."""
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"] in ("", ":memory:"):
        pytest.fail("The worker test needs a database another process can open.")
    celery_app.control.purge()
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "EMAIL_URL": "filemail://",
        "EMAIL_FILE_PATH": str(tmp_path / "mail"),
        "SITE_URL": settings.SITE_URL,
    }
    (tmp_path / "mail").mkdir()
    log = (tmp_path / "worker-output.txt").open("w")
    process = subprocess.Popen(  # noqa: S603 - our own worker, fixed arguments
        [sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool=solo"]
        + ["--without-gossip", "--without-mingle", "--loglevel=INFO"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    yield tmp_path
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


def _wait_for_email(folder: Path) -> str:
    deadline = time.monotonic() + DEADLINE_SECONDS
    while time.monotonic() < deadline:
        emails = list((folder / "mail").glob("*.log"))
        if emails:
            return emails[0].read_text()
        time.sleep(0.2)  # polling for the worker's result, bounded by the deadline
    log = (folder / "worker-output.txt").read_text()
    pytest.fail(f"No email within {DEADLINE_SECONDS}s. Worker log:\n{log[-3000:]}")


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_it_sends_a_new_persons_welcome_email_from_a_real_worker(worker, dave, team):
    user = services.user_create(
        actor=dave,
        email="newstarter@northbridge.example",
        full_name="New Starter",
        role="practitioner",
        team=team,
    )
    email = _wait_for_email(worker)
    assert "To: newstarter@northbridge.example" in email
    assert "/account/set-password/" in email
    assert not user.has_usable_password()
