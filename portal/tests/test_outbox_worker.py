"""Reminder emails through a real Celery worker, real Redis and PostgreSQL: each arrives once,
and none is lost when a worker is killed, Redis stops or two beats plan at the same time.

Runs only with REDIS_URL set (CI's PostgreSQL and Redis pass); see conftest.py.
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from django.test import Client, override_settings
from django.urls import reverse

from portal import tasks as portal_tasks
from portal.celery import app as celery_app
from portal.models import EmailKind, OutboxEmail, User
from portal.tests.factories import UserFactory
from training import services as training_services
from training import tasks as training_tasks
from training.models import AssignmentRule
from training.services.assignments import today
from training.tests.factories import INDICATORS, small_module

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

SENT = OutboxEmail.Status.SENT


def people_with_a_reminder_due(*, dave, team, count: int) -> list[str]:
    """count people in team, each with an assignment due tomorrow (London): a due-soon
    reminder is due today. Returns their email addresses."""
    people = UserFactory.create_batch(count, authority=dave.authority, team=team)
    training_services.indicators_load(data=INDICATORS)
    module, _ = training_services.module_load_from_json(data=small_module())
    # Tomorrow rather than today: should the worker's day turn over mid-test, the reminder is
    # still a due-soon one, with the same key.
    training_services.rule_create(
        actor=dave,
        module=module,
        target=AssignmentRule.Target.TEAM,
        target_team=team,
        due_on=today() + timedelta(days=1),
    )
    return [person.email for person in people]


def wait_until_all_sent(workers, count: int) -> None:
    workers.wait_for(
        lambda: OutboxEmail.objects.filter(status=SENT).count() == count,
        f"{count} outbox rows sent",
    )


def tasks_succeeded(workers, name: str) -> int:
    """How many runs of the task the workers' logs report as succeeded."""
    return len(re.findall(rf"Task {re.escape(name)}\[[^\]]+\] succeeded", workers.logs()))


def test_it_sends_each_planned_reminder_exactly_once_from_a_real_worker(
    celery_worker_process, dave, team
):
    people = people_with_a_reminder_due(dave=dave, team=team, count=20)
    celery_worker_process.start()

    training_tasks.reminders_plan.delay()
    wait_until_all_sent(celery_worker_process, len(people))
    celery_worker_process.stop()

    assert celery_worker_process.recipients() == Counter(people)
    assert {email["Subject"] for email in celery_worker_process.emails()} == {
        "Due tomorrow: Jo's bedroom door"
    }
    assert set(OutboxEmail.objects.values_list("kind", flat=True)) == {EmailKind.DUE_SOON}


def test_it_loses_none_and_repeats_at_most_the_one_in_flight_when_a_worker_is_killed(
    celery_worker_process, dave, team
):
    people = people_with_a_reminder_due(dave=dave, team=team, count=250)
    workers = celery_worker_process
    workers.start()  # batches of OUTBOX_BATCH_SIZE (100): 100, 100, 50
    training_tasks.reminders_plan.delay()

    workers.wait_for(lambda: len(workers.emails()) >= 40, "40 emails sent")
    workers.kill()
    delivered_at_kill = len(workers.emails())
    marked_sent_at_kill = OutboxEmail.objects.filter(status=SENT).count()
    assert delivered_at_kill < len(people), "the worker finished before it was killed"
    sending = OutboxEmail.objects.filter(status=OutboxEmail.Status.SENDING)
    assert sending.exists(), "the worker was killed between batches, not in the middle of one"
    # Sent by the backend but not yet marked sent: the one email in flight, if any.
    in_flight = delivered_at_kill - marked_sent_at_kill
    assert in_flight in (0, 1)

    # The killed task stays unacknowledged until Redis's visibility_timeout (an hour); the
    # sweep is what resumes sending. A 0s sending timeout lets it act at once.
    workers.start(OUTBOX_SENDING_TIMEOUT="0")
    portal_tasks.outbox_sweep.delay()
    wait_until_all_sent(workers, len(people))
    workers.stop()

    received = workers.recipients()
    assert set(received) == set(people), "an email was lost"
    assert sum(received.values()) - len(people) == in_flight


def test_it_hands_what_it_has_not_sent_to_the_next_task_when_its_time_is_up(
    celery_worker_process, dave, team
):
    people = people_with_a_reminder_due(dave=dave, team=team, count=10)
    celery_worker_process.start(OUTBOX_SEND_SECONDS="0")  # one email per task

    training_tasks.reminders_plan.delay()
    wait_until_all_sent(celery_worker_process, len(people))
    celery_worker_process.stop()

    assert celery_worker_process.recipients() == Counter(people)
    assert tasks_succeeded(celery_worker_process, "portal.tasks.outbox_send") >= len(people)


def test_it_sends_each_email_once_when_two_beats_plan_at_the_same_time(
    celery_worker_process, dave, team
):
    people = people_with_a_reminder_due(dave=dave, team=team, count=150)
    celery_worker_process.start(pool="prefork", concurrency=2)

    training_tasks.reminders_plan.delay()
    training_tasks.reminders_plan.delay()
    wait_until_all_sent(celery_worker_process, len(people))
    celery_worker_process.stop()

    assert celery_worker_process.recipients() == Counter(people)
    assert tasks_succeeded(celery_worker_process, "training.tasks.reminders_plan") == 2


# --- Redis stopped and started again ------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrivateRedis:
    """A redis-server of the test's own, on a free port, that the test may stop and start."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        server = shutil.which("redis-server")
        if server is None:
            pytest.fail("redis-server is missing: apt-get install redis-server")
        self.process = subprocess.Popen(  # noqa: S603 - fixed arguments
            [server, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no", "--daemonize", "no", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        with redis.Redis(port=self.port, socket_connect_timeout=1) as client:
            while not self._answers(client):
                if time.monotonic() > deadline:
                    pytest.fail(f"redis-server did not answer on port {self.port}")
                time.sleep(0.05)  # waiting for the server to listen, bounded by the deadline

    @staticmethod
    def _answers(client: redis.Redis) -> bool:
        try:
            return client.ping()
        except redis.ConnectionError:
            return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def point_celery_at(url: str) -> None:
    celery_app.conf.broker_url = url
    # The app keeps its broker connection and producer pools; drop them as Celery does after a
    # fork, so the next task is sent to url.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def private_redis(tmp_path):
    """Broker and cache of this test (and of its workers) on a private Redis; the machine's
    Redis is left alone. Celery's broker and the cache are put back afterwards."""
    server = PrivateRedis(tmp_path)
    server.start()
    previous_broker = celery_app.conf.broker_url
    point_celery_at(server.url)
    cache = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": server.url,
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }
    with override_settings(CACHES={"default": cache}):
        yield server
    point_celery_at(previous_broker)
    server.stop()


def test_it_keeps_serving_and_loses_no_reminder_while_redis_is_down(
    private_redis, celery_worker_process, verified_client, dave, team, caplog
):
    people = people_with_a_reminder_due(dave=dave, team=team, count=30)
    private_redis.stop()

    health = Client().get("/healthz")
    assert (health.status_code, health.json()["redis"]) == (503, "unavailable")
    assert Client().get(reverse("portal:sign-in")).status_code == 200
    response = verified_client(dave).post(
        reverse("portal:manage-user-create"),
        {"email": "erin@northbridge.example", "full_name": "Erin Walsh", "role": "practitioner"},
    )
    assert response.status_code == 302
    erin = User.objects.get(email="erin@northbridge.example")
    # Her welcome email waits in the outbox; the failure to queue it is logged, not shown.
    assert OutboxEmail.objects.filter(user=erin, status=OutboxEmail.Status.PENDING).count() == 1
    assert "Could not queue outbox sending" in caplog.text
    # A worker that was already running the morning's planning carries on without Redis.
    training_tasks.reminders_plan()
    pending = OutboxEmail.objects.filter(status=OutboxEmail.Status.PENDING).count()
    assert pending == len(people) + 1

    private_redis.start()
    celery_worker_process.start(REDIS_URL=private_redis.url)
    portal_tasks.outbox_sweep.delay()  # what beat sends every 5 minutes
    wait_until_all_sent(celery_worker_process, len(people) + 1)
    celery_worker_process.stop()

    assert celery_worker_process.recipients() == Counter([*people, erin.email])
