"""How long the morning's reminder planning takes for 100,000 assignments on PostgreSQL.

Run from the project root, with DATABASE_URL naming a scratch database on this machine that
does not exist yet (the script creates it, and drops it at the end):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/threshold_bench \\
        .venv/bin/python bench/reminders_plan.py [--assignments 100000] [--authorities 10]

It bulk-creates the authorities (10 teams each, a supervisor per team), their people, one
published module version and the assignments, with due dates spread over ten weeks around the
planning day so that many reminders are due (some completed, cancelled or extended), plus
certificates expiring over the next two months. Then it times training.services.reminders_plan
for a Monday (digests included), and again to show that planning twice adds nothing, printing
rows planned, rows per second and the number of queries (CaptureQueriesContext).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections import Counter
from contextlib import closing
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
PLANNING_DAY = date(2026, 6, 1)  # a Monday: supervisors' digests are planned too
LONDON = ZoneInfo("Europe/London")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assignments", type=int, default=100_000)
    parser.add_argument("--authorities", type=int, default=10)
    args = parser.parse_args()

    database = _scratch_database()
    _create_database(database)
    try:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        counts = _generate(args.assignments, args.authorities)
        print(f"Generated {counts} in {time.perf_counter() - started:.1f} s")
        _time_planning()
    finally:
        from django.db import connections

        connections.close_all()
        _drop_database(database)


def _scratch_database() -> dict:
    """DATABASE_URL's settings, refused unless it is PostgreSQL on this machine."""
    import environ

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("Set DATABASE_URL to a scratch PostgreSQL database, e.g. "
                         "postgres://postgres@127.0.0.1:5432/threshold_bench")  # fmt: skip
    database = environ.Env.db_url_config(url)
    if (database.get("HOST") or "localhost") not in LOCAL_HOSTS:
        raise SystemExit("The benchmark creates and drops its database: 127.0.0.1 only.")
    return database


def _server(database: dict):
    """An autocommit connection to the server's maintenance database (CREATE and DROP
    DATABASE cannot run inside a transaction, nor while connected to the database itself)."""
    import psycopg2

    connection = psycopg2.connect(
        dbname="postgres",
        user=database.get("USER") or None,
        password=database.get("PASSWORD") or None,
        host=database.get("HOST") or "127.0.0.1",
        port=database.get("PORT") or 5432,
    )
    connection.autocommit = True
    return closing(connection)


def _create_database(database: dict) -> None:
    from psycopg2 import sql

    with _server(database) as server, server.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database["NAME"]])
        if cursor.fetchone():
            raise SystemExit(
                f"Database {database['NAME']} already exists; the benchmark only drops what it "
                "created. Drop it yourself (dropdb) if it is a leftover scratch database."
            )
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database["NAME"])))


def _drop_database(database: dict) -> None:
    from psycopg2 import sql

    with _server(database) as server, server.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE {}").format(sql.Identifier(database["NAME"])))
    print(f"Dropped {database['NAME']}.")


def _generate(assignments: int, authorities: int) -> str:
    """Authorities, teams, people, one module version, assignments and certificates, in bulk.

    Each authority has 10 rules (one per batch of its people's assignments) and enough people
    for its share of the assignments at 10 each. Due dates spread from 6 weeks before to 4
    weeks after the planning day; 10% are completed, 3% cancelled, 5% extended by 2 weeks.
    """
    from portal.models import Authority, Role, Team, User
    from training.models import (
        Assignment,
        AssignmentRule,
        Attempt,
        Certificate,
        Module,
        ModuleVersion,
    )

    rng = random.Random(20260601)  # noqa: S311 - reproducible test data, not secrets
    module = Module.objects.create(
        key="bench-module", title="Bench module", summary=".", confidence_topic="a concern",
        learning_outcomes="One", has_unpublished_changes=False,
    )  # fmt: skip
    version = ModuleVersion.objects.create(module=module, number=1, snapshot={})
    per_person = 10
    people_each = -(-assignments // (authorities * per_person))  # ceiling
    created = Counter()
    for number in range(authorities):
        authority = Authority.objects.create(name=f"Bench Authority {number}", region="Bench")
        teams = Team.objects.bulk_create(
            Team(authority=authority, name=f"Team {t}") for t in range(10)
        )
        User.objects.bulk_create(
            User(
                email=f"supervisor{number}-{t}@bench.example",
                full_name="Supervisor",
                role=Role.SUPERVISOR,
                authority=authority,
                team=team,
            )  # fmt: skip
            for t, team in enumerate(teams)
        )
        people = User.objects.bulk_create(
            (
                User(
                    email=f"person{number}-{p}@bench.example",
                    full_name=f"Person {p}",
                    authority=authority,
                    team=teams[p % 10],
                )  # fmt: skip
                for p in range(people_each)
            ),
            batch_size=5000,
        )
        rules = AssignmentRule.objects.bulk_create(
            AssignmentRule(
                authority=authority,
                module=module,
                target="authority",
                due_on=PLANNING_DAY,
                refresher_months=12,
            )  # fmt: skip
            for _ in range(per_person)
        )
        rows = []
        for person in people:
            for rule in rules:
                if created["assignments"] + len(rows) >= assignments:
                    break
                rows.append(_assignment(rng, rule, person, module))
        created["assignments"] += len(Assignment.objects.bulk_create(rows, batch_size=5000))
        certified = people[: len(people) // 10]
        attempts = Attempt.objects.bulk_create(
            (Attempt(user=person, version=version, passed=True) for person in certified),
            batch_size=5000,
        )
        midnight = datetime.combine(PLANNING_DAY, datetime.min.time(), tzinfo=LONDON)
        Certificate.objects.bulk_create(
            (
                Certificate(
                    attempt=attempt,
                    user_id=attempt.user_id,
                    version=version,
                    code=f"B{attempt.pk}",
                    issued_at=midnight - timedelta(days=300),
                    expires_at=midnight + timedelta(days=rng.randint(1, 60), hours=12),
                )  # fmt: skip
                for attempt in attempts
            ),
            batch_size=5000,
        )
        created["people"] += len(people) + len(teams)
        created["certificates"] += len(attempts)
    created["authorities"] = authorities
    return ", ".join(f"{count:,} {name}" for name, count in created.items())


def _assignment(rng: random.Random, rule, person, module):
    from django.utils import timezone

    from training.models import Assignment

    due_on = PLANNING_DAY + timedelta(days=rng.randint(-42, 28))
    chance = rng.random()
    return Assignment(
        rule=rule,
        user=person,
        module=module,
        assigned_on=due_on - timedelta(days=30),
        due_on=due_on,
        extended_due_on=due_on + timedelta(days=14) if 0.13 <= chance < 0.18 else None,
        completed_at=timezone.now() if chance < 0.10 else None,
        cancelled_at=timezone.now() if 0.10 <= chance < 0.13 else None,
    )


def _time_planning() -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from portal.models import OutboxEmail
    from training import services
    from training.models import Assignment

    assignments = Assignment.objects.count()
    for label in ("First planning", "Planning again (nothing new)"):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            planned = services.reminders_plan(on=PLANNING_DAY)
            elapsed = time.perf_counter() - started
        statements = Counter(query["sql"].split(" ", 1)[0] for query in queries)
        print(f"{label}: {planned:,} emails planned from {assignments:,} assignments in "
              f"{elapsed:.2f} s ({assignments / elapsed:,.0f} assignments/s, "
              f"{planned / elapsed:,.0f} emails/s); {len(queries)} queries "
              f"({', '.join(f'{n} {verb}' for verb, n in statements.most_common())})")  # fmt: skip
    kinds = Counter(OutboxEmail.objects.values_list("kind", flat=True))
    print("Outbox by kind: " + ", ".join(f"{kind} {n:,}" for kind, n in sorted(kinds.items())))
    print(f"Database: PostgreSQL {connection.pg_version // 10000}, "
          f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs")  # fmt: skip


if __name__ == "__main__":
    main()
