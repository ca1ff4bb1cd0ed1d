"""How long a supervisor's team progress page takes for a team of 200 people and 20 modules.

Run from the project root:  .venv/bin/python bench/team_progress.py [--people N] [--modules N]

It makes a throwaway test database (SQLite in memory, or a test_… database next to the one
DATABASE_URL names), fills it with a generated team (every module assigned to everyone, about
half completed with eight answers each, some overdue, extended or in progress), signs the
supervisor in through the real second-factor form, renders the page through Django's test
client several times, and prints the median time and the query count. The database is
dropped at the end.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--modules", type=int, default=20)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import (
        CaptureQueriesContext,
        setup_test_environment,
        teardown_test_environment,
    )

    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        client, started = _signed_in_supervisor(args.people, args.modules)
        print(f"Generated {args.people} people × {args.modules} modules in {started:.1f} s")
        url = "/training/progress/"
        client.get(url)  # warm up: templates compiled, caches filled
        timings = []
        for _ in range(args.runs):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - start) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"The page answered {response.status_code}")
        print(f"Database: {connection.vendor}")
        print(f"Page size: {len(response.content) / 1024:.0f} KiB")
        print(f"Queries per page (whole request, session and second factor included): "
              f"{len(queries)}")  # fmt: skip
        print(f"Median of {args.runs} renders: {statistics.median(timings):.0f} ms "
              f"(fastest {min(timings):.0f} ms, slowest {max(timings):.0f} ms)")  # fmt: skip
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


def _signed_in_supervisor(people: int, modules: int):
    from django.test import Client
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from portal.models import Authority, Role, Team, User
    from training.tests.report_data import generated_team, modules_with_versions

    start = time.perf_counter()
    authority = Authority.objects.create(name="Bench Borough", region="North West")
    team = Team.objects.create(authority=authority, name="Early Help North")
    versions = modules_with_versions(modules)
    generated_team(team, people=people, versions=versions)
    supervisor = User.objects.create_user(
        "supervisor@bench.example",
        "bench-password",
        full_name="Sam Supervisor",
        role=Role.SUPERVISOR,
        authority=authority,
        team=team,
    )
    device = TOTPDevice.objects.create(user=supervisor, name="Bench", confirmed=True)
    generated = time.perf_counter() - start

    client = Client()
    client.force_login(supervisor)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    response = client.post(
        "/account/second-factor/verify/", {"code": f"{totp.token():06d}", "next": "/"}
    )
    if response.status_code != 302:
        raise SystemExit("Second factor verification failed")
    return client, generated


if __name__ == "__main__":
    main()
