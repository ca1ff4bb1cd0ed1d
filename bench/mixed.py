"""Mixed-workload benchmark: the portal's people at once, beside a bare-Django yardstick.

Run from the project root on the PostgreSQL database `seed_scale` filled (bench/README.md):

    .venv/bin/python bench/mixed.py [--users 16] [--duration 120] [--quick]
    .venv/bin/python bench/mixed.py --think 10 --ladder 100,200,300

It serves the portal with gunicorn (2 sync workers, DEBUG off, persistent database
connections, Redis cache when REDIS_URL is set, `bench.settings`) on 127.0.0.1, gives each
virtual user's account an authenticator it can compute codes for, then runs Locust headless
twice at the same concurrency: the mix of bench/locustfile.py (practitioners 70 %, case
readers and writers 15 %, supervisors 10 %, authors 5 %), then the yardstick alone (the bare
view /bench/baseline/). Each run signs every user in through the real forms, warms up, then
measures. It prints per endpoint requests, p50/p95/p99 and errors, the mix's throughput and
its ratio to the yardstick's, and the CPU share of Locust and of gunicorn.

With --ladder it runs only the mix, once per number of users, and prints one line each: how
many users the machine serves with p95 ≤ 250 ms on every endpoint and no errors.

The benchmark writes to the database it is pointed at: authenticator devices named bench-…,
sessions, attempts played and votes cast (as people do). The comments it posts on the
benchmark case are removed at the end, so that case keeps its 100.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import math
import os
import platform
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MIX = ["PractitionerUser", "CaseUser", "SupervisorUser", "AuthorUser"]
WEIGHTS = {"practitioner": 0.70, "case": 0.15, "supervisor": 0.10, "author": 0.05}
YARDSTICK = ["BaselineUser"]
# The table's order: each role's pages in the order its people visit them.
ENDPOINTS = [
    "practitioner home", "my training", "module", "attempt start POST", "confidence POST",
    "step", "continue POST", "answer POST", "feedback", "summary",
    "case list", "case search", "case with 100 comments", "comment POST", "vote POST",
    "supervisor home", "team matrix (200 people)", "person's record", "team matrix CSV",
    "studio module", "scenario map", "step editor", "step edit POST",
]  # fmt: skip
SEARCH_TERM = "online"
MAX_P95_MS = 250
MAX_COST = 3.0
DEVICE_PREFIX = "bench-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=16, help="concurrent users (default 16)")
    parser.add_argument("--duration", type=int, default=120, help="seconds measured per run")
    parser.add_argument("--warmup", type=int, default=20, help="seconds after sign-in, unmeasured")
    parser.add_argument("--think", type=float, default=0, help="seconds spent on each page")
    parser.add_argument("--ladder", help="mix only, at each of these user counts: 100,200,300")
    parser.add_argument("--quick", action="store_true", help="30 s measured, 10 s warm-up")
    parser.add_argument("--port", type=int, default=8077)
    parser.add_argument(
        "--spawn-rate", type=float, default=2, help="users started a second (each signs in)"
    )
    args = parser.parse_args()
    if args.quick:
        args.duration, args.warmup = 30, 10
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Point DATABASE_URL at the PostgreSQL database holding the scale data.")
    os.environ.update(
        {
            "SECRET_KEY": secrets.token_urlsafe(48),
            "DEBUG": "off",
            "ALLOWED_HOSTS": "127.0.0.1",
            "CONN_MAX_AGE": "60",
            "LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "bench.settings",
        }
    )
    # Stopped with SIGTERM (a background job ignores SIGINT), gunicorn is still stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("Stopped."))
    import django

    django.setup()
    ladder = [int(n) for n in args.ladder.split(",")] if args.ladder else []
    folder = Path(tempfile.mkdtemp(prefix="threshold-bench-"))
    accounts = accounts_prepare(max([args.users, *ladder]), args.port)
    (folder / "accounts.json").write_text(json.dumps(accounts))
    first_comment = _comment_high_water()
    server = server_start(args.port)
    try:
        if ladder:
            print(_heading(args, accounts))
            print("| users | req/s | p95, all | worst p95 (endpoint) | errors | met | Locust CPU |")
            print("|---|---|---|---|---|---|---|")
            for users in ladder:
                result = locust_run(MIX, users, args, folder, server.pid)
                if result is None:
                    print(f"| {users} | could not sign everyone in | | | | NO | |")
                    break
                print(_ladder_line(result), flush=True)
        else:
            mix = locust_run(MIX, args.users, args, folder, server.pid)
            yardstick = mix and locust_run(YARDSTICK, args.users, args, folder, server.pid)
            if not (mix and yardstick):
                sys.exit("Locust wrote no results: some users could not sign in (see above).")
            print(_heading(args, accounts))
            report(mix, yardstick)
    finally:
        server.terminate()
        server.wait(timeout=30)
        _comments_remove(accounts["case"], first_comment)
        shutil.rmtree(folder, ignore_errors=True)


# --- Accounts ------------------------------------------------------------------------------


def accounts_prepare(users: int, port: int) -> dict:
    """Who each virtual user signs in as, with an authenticator key of its own.

    Practitioners (and the yardstick's users) come from the 200-person team's authority, case
    readers from the other authorities, each a different person; every supervisor user is the
    200-person team's supervisor and every author user one of the authorities' authors, each
    with a device of its own (bench.settings turns off django-otp's per-device throttle).
    """
    from django.db.models import Count
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from bench.scale_seed import PASSWORD
    from casenotes.models import Case
    from portal.models import Role, Team, User
    from training.models import Module

    team = Team.objects.annotate(people=Count("members")).order_by("-people", "pk").first()
    if team is None:
        sys.exit("No teams: run manage.py seed_scale first (bench/README.md).")
    # The seed's benchmark case: the most discussed of those shared with every authority.
    case = (
        Case.objects.filter(visibility="all", sharing="approved")
        .annotate(comment_count=Count("comments"))
        .order_by("-comment_count", "pk")
        .first()
    )
    active = User.objects.filter(is_active=True)
    practitioners = list(
        active.filter(authority_id=team.authority_id, role=Role.PRACTITIONER)
        .order_by("pk")
        .values_list("email", flat=True)[: users + 2]
    )
    readers = list(
        active.filter(role=Role.PRACTITIONER)
        .exclude(authority_id=team.authority_id)
        .exclude(pk=case.author_id)  # its author's page has no vote to cast
        .order_by("pk")
        .values_list("email", flat=True)[: math.ceil(users * WEIGHTS["case"]) + 2]
    )
    supervisor = active.get(team=team, role=Role.SUPERVISOR).email
    authors = []
    for author in active.filter(role=Role.AUTHOR).order_by("pk"):
        module = Module.objects.filter(authority_id=author.authority_id, scenarios__isnull=False)
        module_pk = module.order_by("pk").values_list("pk", flat=True).first()
        if module_pk:
            authors.append((author.email, module_pk))
    slots = {
        "practitioner": [{"email": email} for email in practitioners],
        "case": [{"email": email} for email in readers],
        "supervisor": [
            {"email": supervisor} for _ in range(math.ceil(users * WEIGHTS["supervisor"]) + 2)
        ],
        "author": [
            {"email": authors[i % len(authors)][0], "module": authors[i % len(authors)][1]}
            for i in range(math.ceil(users * WEIGHTS["author"]) + 2)
        ],
    }
    TOTPDevice.objects.filter(name__startswith=DEVICE_PREFIX).delete()
    by_email = {u.email: u for u in User.objects.filter(email__in=_emails(slots))}
    devices = []
    for role, role_slots in slots.items():
        for number, slot in enumerate(role_slots):
            name = f"{DEVICE_PREFIX}{role}-{number}"
            slot["key"] = hmac.new(
                PASSWORD.encode(), f"{slot['email']}:{name}".encode(), hashlib.sha1
            ).hexdigest()
            devices.append(
                TOTPDevice(user=by_email[slot["email"]], name=name, key=slot["key"], confirmed=True)
            )
    TOTPDevice.objects.bulk_create(devices)
    return {
        "host": f"127.0.0.1:{port}",
        "password": PASSWORD,
        "slots": slots,
        "case": case.pk,
        "search": SEARCH_TERM,
        "team": f"{team.name} ({team.people} people)",
    }


def _emails(slots: dict) -> set[str]:
    return {slot["email"] for role_slots in slots.values() for slot in role_slots}


def _comment_high_water() -> int:
    from casenotes.models import Comment

    return Comment.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _comments_remove(case_pk: int, after_pk: int) -> None:
    """The benchmark case keeps its 100 comments from one run to the next."""
    from casenotes.models import Comment

    Comment.objects.filter(case_id=case_pk, pk__gt=after_pk).delete()


# --- The server and Locust -------------------------------------------------------------------


def server_start(port: int) -> subprocess.Popen:
    python = str(Path(sys.executable))
    subprocess.run(  # noqa: S603 - our own programs, fixed arguments
        [python, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, check=True
    )
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    server = subprocess.Popen(  # noqa: S603 - our own programs, fixed arguments
        [gunicorn, "portal.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}"], cwd=ROOT
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            request = urllib.request.Request(  # noqa: S310 - our own server on 127.0.0.1
                f"http://127.0.0.1:{port}/healthz", headers={"X-Forwarded-Proto": "https"}
            )
            with urllib.request.urlopen(request, timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    sys.exit("gunicorn did not answer /healthz within 30 seconds")


def locust_run(
    classes: list[str], users: int, args: argparse.Namespace, folder: Path, server_pid: int
) -> dict:
    out = folder / f"result-{'-'.join(classes)}-{users}.json"
    out.unlink(missing_ok=True)
    env = {
        **os.environ,
        "BENCH_ACCOUNTS": str(folder / "accounts.json"),
        "BENCH_OUT": str(out),
        "BENCH_WARMUP": str(args.warmup),
        "BENCH_DURATION": str(args.duration),
        "BENCH_THINK": str(args.think),
        "BENCH_SERVER_PID": str(server_pid),
    }
    locust = str(Path(sys.executable).with_name("locust"))
    command = [
        locust, "-f", str(ROOT / "bench" / "locustfile.py"), "--headless", "--only-summary",
        "--users", str(users), "--spawn-rate", f"{args.spawn_rate:g}",
        "--host", f"http://127.0.0.1:{args.port}", "--loglevel", "WARNING",
        "--run-time", f"{args.warmup + args.duration + 900}s", *classes,
    ]  # fmt: skip
    print(f"Locust: {' '.join(classes)} × {users} users …", file=sys.stderr, flush=True)
    subprocess.run(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, check=False)  # noqa: S603
    return json.loads(out.read_text()) if out.exists() else None


# --- Reporting -------------------------------------------------------------------------------


def _heading(args: argparse.Namespace, accounts: dict) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.machine(),
    )
    cache = "Redis" if os.environ.get("REDIS_URL") else "in-process memory (no REDIS_URL)"
    think = f"{args.think:g} s think time" if args.think else "no think time"
    return (
        f"\n{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} CPUs ({model}), "
        f"PostgreSQL {postgres}, cache {cache}, Python {platform.python_version()}.\n"
        f"gunicorn 2 sync workers; {think}; {args.warmup} s warm-up after every user signed "
        f"in, {args.duration} s measured; team {accounts['team']}, case {accounts['case']}.\n"
    )


def report(mix: dict, yardstick: dict) -> None:
    print(f"{mix['users']} users\n")
    print("| endpoint | requests | req/s | p50 ms | p95 ms | p99 ms | errors | p95 ≤ 250 ms |")
    print("|---|---|---|---|---|---|---|---|")
    missed = []
    order = {name: number for number, name in enumerate(ENDPOINTS)}
    for endpoint in sorted(mix["endpoints"], key=lambda e: order.get(e["name"], len(order))):
        ok = endpoint["p95"] <= MAX_P95_MS and not endpoint["errors"]
        print(_row(endpoint, mix["window"], "yes" if ok else "NO"))
        if not ok:
            missed.append(endpoint["name"])
    mix_rate = _rate(mix)
    base_rate = _rate(yardstick)
    total = {
        "name": "**the mix, all endpoints**",
        "requests": sum(e["requests"] for e in mix["endpoints"]),
        "errors": sum(e["errors"] for e in mix["endpoints"]),
        **{key: mix["total"][key] for key in ("p50", "p95", "p99")},
    }
    print(_row(total, mix["window"], "—"))
    for endpoint in yardstick["endpoints"]:
        print(_row({**endpoint, "name": f"yardstick: {endpoint['name']}"}, yardstick["window"]))
    cost = base_rate / mix_rate if mix_rate else math.inf
    print(
        f"\nThroughput: the mix {mix_rate:.1f} requests/s, the yardstick {base_rate:.1f}: the "
        f"mix's mean request costs {cost:.2f}× the yardstick's (goal ≤ {MAX_COST:g}×; its "
        f"throughput {mix_rate / base_rate:.0%} of the bare view's)."
    )
    mix_cpu, base_cpu = _server_ms_per_request(mix), _server_ms_per_request(yardstick)
    print(
        f"gunicorn's CPU a request: the mix {mix_cpu:.1f} ms, the yardstick {base_cpu:.1f} ms: "
        f"{mix_cpu / base_cpu:.2f}× (steadier than throughput when other work shares the "
        "machine: it leaves out time spent waiting for a core)."
    )
    for name, run in (("mix", mix), ("yardstick", yardstick)):
        print(f"CPU during the {name}: {_cpu_line(run)}")
    for error in mix["errors"] + yardstick["errors"]:
        print(f"  error ×{error['count']}: {error['name']}: {error['error']}")
    goals = []
    if missed:
        goals.append(f"p95 over {MAX_P95_MS} ms or errors: {', '.join(missed)}")
    if cost > MAX_COST:
        goals.append(f"mean cost {cost:.2f}× the yardstick's")
    print("\nAll goals met." if not goals else "\nGoals missed: " + "; ".join(goals))


def _row(endpoint: dict, window: float, met: str = "—") -> str:
    return (
        f"| {endpoint['name']} | {endpoint['requests']} | {endpoint['requests'] / window:.1f} "
        f"| {endpoint['p50']:.0f} | {endpoint['p95']:.0f} | {endpoint['p99']:.0f} "
        f"| {endpoint['errors']} | {met} |"
    )


def _rate(run: dict) -> float:
    return sum(e["requests"] for e in run["endpoints"]) / run["window"]


def _server_ms_per_request(run: dict) -> float:
    return 1000 * run["cpu"]["server"] / max(sum(e["requests"] for e in run["endpoints"]), 1)


def _cpu_line(run: dict) -> str:
    cpu = run["cpu"]
    requests = sum(e["requests"] for e in run["endpoints"]) or 1
    return (
        f"{requests} requests, all users signed in after {run['signed_in_seconds']:.0f} s; "
        f"gunicorn {1000 * cpu['server'] / requests:.1f} ms of CPU a request. "
        f"Locust {cpu['locust']:.1f} s ({cpu['locust'] / cpu['capacity']:.0%} of the machine's "
        f"{cpu['capacity']:.0f} CPU-seconds, {cpu['locust'] / cpu['busy']:.0%} of all busy "
        f"time), gunicorn {cpu['server']:.1f} s ({cpu['server'] / cpu['busy']:.0%} of busy "
        f"time); the machine busy {cpu['busy'] / cpu['capacity']:.0%} (other work included)."
    )


def _ladder_line(run: dict) -> str:
    worst = max(run["endpoints"], key=lambda e: e["p95"])
    errors = sum(e["errors"] for e in run["endpoints"])
    met = worst["p95"] <= MAX_P95_MS and not errors
    return (
        f"| {run['users']} | {_rate(run):.1f} | {run['total']['p95']:.0f} ms "
        f"| {worst['p95']:.0f} ms ({worst['name']}) | {errors} | {'yes' if met else 'NO'} "
        f"| {run['cpu']['locust'] / run['cpu']['busy']:.0%} |"
    )


if __name__ == "__main__":
    main()
