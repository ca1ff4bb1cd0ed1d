"""Load benchmark: the main pages under concurrent load, beside a bare-Django baseline.

Run from the project root, on PostgreSQL holding the scale data:

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/threshold_scale
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py seed_scale
    .venv/bin/python bench/load.py [--connections 8] [--duration 20]

It needs `wrk` (Debian: apt-get install wrk). It serves the portal with gunicorn (2 sync
workers, DEBUG off, persistent database connections, Redis cache if REDIS_URL is set) on
127.0.0.1, signs in a practitioner of the 200-person team, its supervisor and an authority
admin through the real sign-in and second-factor forms, copies each session so every
connection has its own, then drives each page with wrk for the same duration and prints
requests/s and p50/p95/p99, and each page's p95 as a multiple of the baseline's (measured
first, halfway and last; the median of the three). The baseline (`/bench/baseline/`, served
only here) is a bare view behind the same middleware that renders a template from one
indexed query.

The benchmark writes to the database it is pointed at: known passwords and authenticator
devices for the people it signs in as, one attempt it plays to a decision, sessions.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

PASSWORD = "bench-load-password-2026"  # noqa: S105 - a benchmark account, on a bench database
SESSION_COOKIE = "__Host-sessionid"
CSRF_COOKIE = "__Host-csrftoken"
SEARCH_TERM = "online"
GOALS = {"learner": 2.0, "case": 2.0, "supervisor": 4.0}
MAX_P95_MS = 250


@dataclass(frozen=True)
class Page:
    name: str
    role: str  # whose sessions request it
    path: str
    kind: str  # "baseline", "learner", "case", "supervisor" (its goal) or "drawn" (none)
    kept: bool = False  # served from portal.kept_pages after its first reading
    drawn: bool = False  # every request asks for a page never kept (--drawn)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--duration", type=int, default=20, help="seconds per page")
    parser.add_argument("--port", type=int, default=8077)
    parser.add_argument(
        "--warmup", type=int, default=3, help="seconds of load before each page is measured"
    )
    parser.add_argument("--only", help="run only pages whose name contains this")
    parser.add_argument(
        "--drawn",
        action="store_true",
        help="also measure each kept page drawn on every request (a unique query string each)",
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Point DATABASE_URL at the PostgreSQL database holding the scale data.")

    # The server and this process must share the key: the sessions copied here are signed.
    os.environ["SECRET_KEY"] = secrets.token_urlsafe(48)
    import django

    django.setup()
    targets = _targets_prepare()
    server = _server_start(args.port)
    try:
        cookies = {
            role: _sessions_copy(_sign_in(args.port, email), args.connections)
            for role, email in targets["people"].items()
        }
        pages = [p for p in _pages(targets) if not args.only or args.only in p.name]
        if pages[0].kind != "baseline":
            pages.insert(0, _pages(targets)[0])
        if args.drawn:
            pages = [v for p in pages for v in ([p, _drawn(p)] if p.kept else [p])]
        results = []
        for page in _with_baseline_repeated(pages):
            _check_page(args.port, page, cookies[page.role][0])
            results.append((page, _wrk(args, page, cookies[page.role])))
        _report(results, args)
    finally:
        server.terminate()
        server.wait(timeout=30)


# --- What to request, and as whom -----------------------------------------------------------


def _targets_prepare() -> dict:
    """The people and objects the pages show, chosen from the scale data; known sign-ins."""
    from django.db.models import Count
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from casenotes.models import Case
    from portal.models import Role, Team, User
    from training import engine, services
    from training.models import Attempt

    team = Team.objects.annotate(people=Count("members")).order_by("-people", "pk").first()
    members = User.objects.filter(team=team, is_active=True)
    supervisor = members.filter(role=Role.SUPERVISOR).order_by("pk").first()
    practitioner = (
        members.filter(role=Role.PRACTITIONER, assignments__isnull=False).order_by("pk").first()
    )
    admin = User.objects.filter(
        authority_id=team.authority_id, role=Role.AUTHORITY_ADMIN, is_active=True
    ).first()
    people = {"practitioner": practitioner, "supervisor": supervisor, "admin": admin}
    for person in people.values():
        person.set_password(PASSWORD)
        person.save(update_fields=["password"])
        TOTPDevice.objects.filter(user=person, name="bench").delete()
        TOTPDevice.objects.create(user=person, name="bench", confirmed=True)

    # A learner part-way through a module: one decision answered (its feedback page), and
    # standing on the next step.
    attempt = (
        Attempt.objects.filter(user=practitioner, completed_at__isnull=True, answer_count__gte=1)
        .exclude(current_step_key="")
        .first()
    )
    if attempt is None:
        version = practitioner.assignments.select_related("module").first().module.versions.latest()
        attempt = services.attempt_start(user=practitioner, version=version)
        services.attempt_rate_confidence(user=practitioner, attempt=attempt, confidence=3)
        steps = engine.steps_by_key(version.snapshot)
        while attempt.answer_count == 0:
            step = steps[attempt.current_step_key]
            if step["kind"] == engine.DECISION:
                services.answer_record(
                    user=practitioner,
                    attempt=attempt,
                    step_key=step["key"],
                    position=0,
                    choice_index=0,
                )
            else:
                services.attempt_continue(
                    user=practitioner, attempt=attempt, from_step_key=step["key"]
                )
            attempt.refresh_from_db()
    case = (
        Case.objects.filter(author__authority_id=team.authority_id)
        .annotate(comment_count=Count("comments"))
        .order_by("-comment_count", "pk")
        .first()
    )
    print(
        f"Team {team} ({members.count()} people), supervisor {supervisor.email}, practitioner "
        f"{practitioner.email} (attempt {attempt.pk}), admin {admin.email}, case {case.pk} "
        f"with {case.comment_count} comments"
    )
    return {
        "people": {role: person.email for role, person in people.items()},
        "attempt": attempt.pk,
        "case": case.pk,
    }


def _pages(targets: dict) -> list[Page]:
    attempt, case = targets["attempt"], targets["case"]
    return [
        Page("baseline (bare view, one query)", "practitioner", "/bench/baseline/", "baseline"),
        Page("learner home", "practitioner", "/", "learner", kept=True),
        Page("my training", "practitioner", "/training/", "learner", kept=True),
        Page("scenario step", "practitioner", f"/training/attempts/{attempt}/", "learner"),
        Page(
            "step feedback",
            "practitioner",
            f"/training/attempts/{attempt}/feedback/0/",
            "learner",
        ),
        Page("case list", "practitioner", "/cases/", "case", kept=True),
        Page("case with 100 comments", "practitioner", f"/cases/{case}/", "case", kept=True),
        Page(
            "case search",
            "practitioner",
            f"/cases/?{urlencode({'q': SEARCH_TERM})}",
            "case",
            kept=True,
        ),
        Page(
            "supervisor team matrix (200)",
            "supervisor",
            "/training/progress/",
            "supervisor",
            kept=True,
        ),
        Page("supervisor home", "supervisor", "/", "supervisor"),
    ]


def _drawn(page: Page) -> Page:
    """The same page asked for with a query string of its own each time (wrk_report.lua adds
    a nonce), so it is drawn, and kept, on every request: what a first reading costs."""
    return Page(f"{page.name}, drawn every time", page.role, page.path, "drawn", drawn=True)


def _with_baseline_repeated(pages: list[Page]) -> list[Page]:
    """The baseline first, again halfway and again last: on a shared machine its p95 drifts by
    a third from one minute to the next, so each page is compared with the median of three."""
    baseline, others = pages[0], pages[1:]
    if not others:
        return [baseline]
    half = (len(others) + 1) // 2
    return [baseline, *others[:half], baseline, *others[half:], baseline]


# --- The server and signing in ---------------------------------------------------------------


def _server_start(port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DEBUG": "off",
        "ALLOWED_HOSTS": "127.0.0.1",
        "BENCH_BASELINE": "on",
        "CONN_MAX_AGE": "60",
        "LOG_LEVEL": "WARNING",
    }
    python = str(Path(sys.executable))
    subprocess.run(  # noqa: S603 - our own programs, fixed arguments
        [python, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    server = subprocess.Popen(  # noqa: S603 - our own programs, fixed arguments
        [gunicorn, "portal.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if _request(port, "GET", "/healthz", {}, None)[0] == 200:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    server.terminate()
    sys.exit("gunicorn did not answer /healthz within 30 seconds")


def _request(port: int, method: str, path: str, cookies: dict[str, str], body: dict | None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {
        "X-Forwarded-Proto": "https",
        "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
    }
    data = None
    if body is not None:
        data = urlencode(body)
        headers.update(
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": f"https://127.0.0.1:{port}",
                "Referer": f"https://127.0.0.1:{port}{path}",
            }
        )
    connection.request(method, path, body=data, headers=headers)
    response = connection.getresponse()
    for header, value in response.getheaders():
        if header.lower() == "set-cookie":
            name, _, rest = value.partition("=")
            cookies[name] = rest.split(";", 1)[0]
    return response.status, response.read().decode(), response.getheader("Location", "")


def _follow(port: int, path: str, cookies: dict[str, str]) -> str:
    """GET a path, following redirects within the site, and return the page."""
    for _ in range(5):
        status, page, location = _request(port, "GET", path, cookies, None)
        if status not in (301, 302):
            return page
        path = re.sub(r"^https?://[^/]+", "", location)
    sys.exit(f"Too many redirects from {path}")


def _csrf_token(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def _sign_in(port: int, email: str) -> str:
    """Through the real forms: email and password, then an authenticator code."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    cookies: dict[str, str] = {}
    _, page, _ = _request(port, "GET", "/account/sign-in/", cookies, None)
    form = {"csrfmiddlewaretoken": _csrf_token(page), "username": email, "password": PASSWORD}
    status, _, location = _request(port, "POST", "/account/sign-in/", cookies, form)
    if status != 302:
        sys.exit(f"Signing in {email} answered {status}")
    page = _follow(port, location, cookies)
    device = TOTPDevice.objects.get(user__email=email, name="bench")
    code = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    form = {"csrfmiddlewaretoken": _csrf_token(page), "code": f"{code:06d}"}
    status, _, _ = _request(port, "POST", "/account/second-factor/verify/", cookies, form)
    if status != 302:
        sys.exit(f"The second factor for {email} answered {status}")
    return cookies[SESSION_COOKIE]


def _sessions_copy(session_key: str, count: int) -> list[str]:
    """One signed-in session per connection, so no two connections update the same row."""
    from django.contrib.sessions.backends.db import SessionStore

    data = SessionStore(session_key=session_key).load()
    keys = [session_key]
    for _ in range(count - 1):
        copy = SessionStore()
        copy.update(data)
        copy.create()
        keys.append(copy.session_key)
    return [f"{SESSION_COOKIE}={key}" for key in keys]


# --- Measuring and reporting -----------------------------------------------------------------


def _check_page(port: int, page: Page, cookie: str) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", page.path, headers={"Cookie": cookie, "X-Forwarded-Proto": "https"})
    response = connection.getresponse()
    response.read()
    if response.status != 200:
        sys.exit(f"{page.name} ({page.path}) answered {response.status}, not 200")


def _wrk(args: argparse.Namespace, page: Page, cookies: list[str]) -> dict:
    """Warm the page up (connections, caches, the workers' code paths), then measure it."""
    if args.warmup:
        _wrk_run(args, page, cookies, args.warmup)
    result = _wrk_run(args, page, cookies, args.duration)
    print(f"  {page.name}: {result['requests']} requests, p95 {result['p95_us'] / 1000:.1f} ms")
    return result


def _wrk_run(args: argparse.Namespace, page: Page, cookies: list[str], seconds: int) -> dict:
    command = [
        "wrk",
        f"--threads={args.threads}",
        f"--connections={args.connections}",
        f"--duration={seconds}s",
        f"--script={ROOT / 'bench' / 'wrk_report.lua'}",
        f"http://127.0.0.1:{args.port}{page.path}",
    ]
    env = {
        **os.environ,
        "BENCH_COOKIES": "|".join(cookies),
        "BENCH_NONCE": "1" if page.drawn else "",
    }
    output = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout  # noqa: S603 - our own programs, fixed arguments
    return json.loads(output.strip().splitlines()[-1])


def _report(results: list[tuple[Page, dict]], args: argparse.Namespace) -> None:
    baseline = _median(r["p95_us"] for page, r in results if page.kind == "baseline")
    baseline_rate = _median(_rate(r) for page, r in results if page.kind == "baseline")
    print(
        f"\n{args.connections} connections, {args.threads} wrk threads, {args.duration} s per "
        f"page after {args.warmup} s of warm-up, gunicorn 2 sync workers, PostgreSQL\n"
    )
    print(
        "| page | req/s | p50 ms | p95 ms | p99 ms | p95 ÷ baseline | cost ÷ baseline | goal "
        "| met |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    failed = []
    for page, r in results:
        ratio = r["p95_us"] / baseline
        limit = GOALS.get(page.kind)
        ok = (
            r["non_200"] == 0
            and r["socket_errors"] == 0
            and r["p95_us"] <= MAX_P95_MS * 1000
            and (limit is None or ratio <= limit)
        )
        goal = f"≤ {limit:g}× and ≤ {MAX_P95_MS} ms" if limit else "—"
        if page.drawn:  # for information: the goals are for pages as people are served them
            ok, goal = r["non_200"] == 0 and r["socket_errors"] == 0, "(first reading)"
        rate = _rate(r)
        print(
            f"| {page.name} | {rate:.0f} | {r['p50_us'] / 1000:.1f} | {r['p95_us'] / 1000:.1f} "
            f"| {r['p99_us'] / 1000:.1f} | {ratio:.2f} | {baseline_rate / rate:.2f} | {goal} "
            f"| {'yes' if ok else 'NO'} |"
        )
        if not ok:
            failed.append(page.name)
        if r["non_200"]:
            print(f"  ({r['non_200']} responses were not 200)")
    print("\nAll goals met." if not failed else f"\nGoals missed: {', '.join(failed)}")
    print(
        "p95 ÷ baseline: against the median of the baseline's three runs. cost ÷ baseline: its "
        "requests/s over the page's, what a request costs the machine as a multiple."
    )
    if any(page.drawn for page, _ in results):
        print(
            "Drawn every time: each request asks with a query string of its own, so the page is "
            "drawn and kept anew (portal.kept_pages), as on a first reading or after a change."
        )


def _rate(result: dict) -> float:
    return result["requests"] / (result["duration_us"] / 1e6)


def _median(values: Iterable[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


if __name__ == "__main__":
    main()
