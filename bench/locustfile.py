"""The mixed workload's virtual users, for Locust (bench/mixed.py starts Locust with them).

Each user signs in through the real forms (email and password, then an authenticator code
computed from the key bench/mixed.py gave its account) and then works through its role's
pages for as long as the run lasts, with no pause between requests unless BENCH_THINK
gives one:

- practitioners (70 %): home, My training, a module, then play it through: start, confidence,
  each step, each answer (POST) and its feedback, the summary;
- case readers and writers (15 %): the case list, a search, the case with 100 comments, a
  comment (POST), a vote (POST);
- supervisors (10 %): home, the 200-person team matrix, a person's record, the CSV export;
- authors (5 %): a module's studio page, a scenario's map, a step's editor and saving it
  (POST).

`BaselineUser` asks only for the yardstick, /bench/baseline/. Requests are not followed
through redirects: every GET must answer 200 and every POST 302, or it counts as an error
(a redirect to the sign-in page would otherwise flatter the figures).

Settings come from the environment bench/mixed.py sets: BENCH_ACCOUNTS (the accounts file),
BENCH_WARMUP and BENCH_DURATION (seconds), BENCH_THINK (seconds a person
spends on each page before the next request), BENCH_OUT
(where the results are written as JSON), BENCH_SERVER_PID (gunicorn's master, for its CPU).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import sys
import time
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path
from urllib.parse import urlencode

import gevent
import psutil
from locust import FastHttpUser, constant, events, task
from locust.exception import StopUser

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.browser import form_on, totp  # noqa: E402 - after the project joins the path

ACCOUNTS = json.loads(Path(os.environ["BENCH_ACCOUNTS"]).read_text())
THINK = float(os.environ.get("BENCH_THINK", "0"))
SIGN_IN_PREFIX = "sign-in"  # requests named so are left out of the results
PREFIX = f"https://{ACCOUNTS['host']}"  # what a browser behind the TLS proxy would send
BASE_HEADERS = {"X-Forwarded-Proto": "https"}
signed_in = itertools.count(1)
signed_in_total = 0


class BehindTls(DefaultCookiePolicy):
    """In production gunicorn sits behind a TLS proxy; here Locust speaks plain HTTP to it
    and says X-Forwarded-Proto: https, so the cookies the site marks Secure must go back."""

    def return_ok_secure(self, cookie, request) -> bool:
        return True


# --- Users -----------------------------------------------------------------------------------


class SignedInUser(FastHttpUser):
    abstract = True
    role = ""
    wait_time = constant(0)  # the think time is spent after each request instead
    slots: itertools.count

    def on_start(self) -> None:
        global signed_in_total
        self.client.cookiejar.set_policy(BehindTls())
        accounts = ACCOUNTS["slots"][self.role]
        self.account = accounts[next(type(self).slots) % len(accounts)]
        for attempt in range(3):
            try:
                self.sign_in()
                break
            except _Abandon:  # hashing passwords queues while many sign in at once
                gevent.sleep(5 * (attempt + 1))
        else:
            self.environment.runner.quit()  # no figures are better than flattering ones
            raise StopUser()
        signed_in_total = next(signed_in)

    def sign_in(self) -> None:
        account = self.account
        page = self.get("/account/sign-in/", f"{SIGN_IN_PREFIX}: form")
        form = form_on(page, "/account/sign-in/", here="/account/sign-in/")
        data = form.data(username=account["email"], password=ACCOUNTS["password"])
        self.post("/account/sign-in/", data, f"{SIGN_IN_PREFIX}: password POST")
        location = "/account/second-factor/verify/"
        for attempt in range(3):
            page = self.get(location, f"{SIGN_IN_PREFIX}: second factor form")
            form = form_on(page, location, here=location)
            data = form.data(code=totp(account["key"]))
            with self.client.post(
                location,
                data=urlencode(data),
                headers=self.post_headers(location),
                allow_redirects=False,
                name=f"{SIGN_IN_PREFIX}: second factor POST",
                catch_response=True,
            ) as response:
                if response.status_code == 302:
                    return
                response.success()  # a code used a moment ago by a user sharing the account
            gevent.sleep(30 - time.time() % 30 + 0.5 + attempt)
        self.environment.runner.quit()
        raise StopUser(f"{account['email']} could not pass the second factor")

    # The request helpers: one name per endpoint, status checked, never a redirect followed.

    def get(self, path: str, name: str) -> str:
        with self.client.get(
            path, headers=BASE_HEADERS, allow_redirects=False, name=name, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"{name}: {response.status_code} for {path}")
                raise _Abandon()
        think(name)
        return response.text

    def post(self, path: str, data: list[tuple[str, str]], name: str) -> str:
        """POST a form; returns where it redirected to."""
        with self.client.post(
            path,
            data=urlencode(data),
            headers=self.post_headers(path),
            allow_redirects=False,
            name=name,
            catch_response=True,
        ) as response:
            location = response.headers.get("Location", "") if response.headers else ""
            if response.status_code != 302 or "/account/sign-in/" in location:
                response.failure(f"{name}: {response.status_code} for {path}")
                raise _Abandon()
        think(name)
        return re.sub(r"^https?://[^/]+", "", location)

    def post_headers(self, path: str) -> dict[str, str]:
        return {
            **BASE_HEADERS,
            "Origin": PREFIX,
            "Referer": f"{PREFIX}{path}",
            "Content-Type": "application/x-www-form-urlencoded",
        }


def think(name: str) -> None:
    """A person reads the page (or the form they sent) before asking for the next."""
    if THINK and not name.startswith(SIGN_IN_PREFIX):
        gevent.sleep(THINK)


class _Abandon(Exception):
    """A page answered wrongly: it is counted as an error; the user starts its next task."""


def _abandoning(method):
    def run(self):
        try:
            method(self)
        except _Abandon:
            pass

    run.__name__ = method.__name__
    return run


class PractitionerUser(SignedInUser):
    weight = 70
    role = "practitioner"
    slots = itertools.count()

    @task
    @_abandoning
    def train(self) -> None:
        self.get("/", "practitioner home")
        catalogue = self.get("/training/", "my training")
        keys = sorted(set(re.findall(r'href="/training/modules/([\w-]+)/"', catalogue)))
        key = random.choice(keys)  # noqa: S311 - a simulated choice
        module = self.get(f"/training/modules/{key}/", "module")
        resume = re.search(r'href="(/training/attempts/\d+/)"', module)
        if resume:  # an attempt under way: carry on with it
            self.play(resume.group(1))
        else:
            form = form_on(module, "/start/")
            self.play(self.post(form.action, form.data(), "attempt start POST"))

    def play(self, play: str) -> None:
        for _ in range(100):
            with self.client.get(
                play, headers=BASE_HEADERS, allow_redirects=False, name="step", catch_response=True
            ) as response:
                if response.status_code == 302 and "/summary/" in response.headers["Location"]:
                    break
                if response.status_code != 200:
                    response.failure(f"step: {response.status_code}")
                    raise _Abandon()
                page = response.text
            think("step")
            if "/answer/" in page:
                feedback = self.post(
                    play + "answer/", form_on(page, "/answer/").data(), "answer POST"
                )
                self.get(feedback, "feedback")
            elif "/continue/" in page:
                self.post(play + "continue/", form_on(page, "/continue/").data(), "continue POST")
            else:
                form = form_on(page, "/confidence/")
                if "/summary/" in self.post(play + "confidence/", form.data(), "confidence POST"):
                    break
        self.get(play + "summary/", "summary")


class CaseUser(SignedInUser):
    weight = 15
    role = "case"
    slots = itertools.count()

    @task
    @_abandoning
    def discuss(self) -> None:
        case = ACCOUNTS["case"]
        self.get("/cases/", "case list")
        self.get(f"/cases/?q={ACCOUNTS['search']}", "case search")
        page = self.get(f"/cases/{case}/", "case with 100 comments")
        body = random.choice(COMMENTS)  # noqa: S311 - a simulated choice
        form = form_on(page, f"/cases/{case}/comments/")
        self.post(f"/cases/{case}/comments/", form.data(body=body), "comment POST")
        form = form_on(page, f"/cases/{case}/vote/")
        rationale = random.choice(RATIONALES)  # noqa: S311 - a simulated choice
        self.post(f"/cases/{case}/vote/", form.data(rationale=rationale), "vote POST")


class SupervisorUser(SignedInUser):
    weight = 10
    role = "supervisor"
    slots = itertools.count()

    @task
    @_abandoning
    def review(self) -> None:
        self.get("/", "supervisor home")
        matrix = self.get("/training/progress/", "team matrix (200 people)")
        people = sorted(set(re.findall(r'href="(/training/people/\d+/)"', matrix)))
        self.get(random.choice(people), "person's record")  # noqa: S311 - a simulated choice
        self.get("/training/progress/matrix.csv", "team matrix CSV")


class AuthorUser(SignedInUser):
    weight = 5
    role = "author"
    slots = itertools.count()

    @task
    @_abandoning
    def write(self) -> None:
        module = self.get(f"/training/studio/modules/{self.account['module']}/", "studio module")
        scenarios = re.findall(r'href="(/training/studio/scenarios/\d+/)"', module)
        the_map = self.get(random.choice(scenarios), "scenario map")  # noqa: S311
        steps = sorted(set(re.findall(r'href="(/training/studio/steps/\d+/)"', the_map)))
        step = random.choice(steps)  # noqa: S311 - a simulated choice
        editor = self.get(step, "step editor")
        form = form_on(editor, step, here=step)
        self.post(step, form.data(), "step edit POST")


class BaselineUser(SignedInUser):
    """The yardstick: a bare view behind the same middleware, one indexed query."""

    role = "practitioner"
    slots = itertools.count()

    @task
    @_abandoning
    def baseline(self) -> None:
        self.get("/bench/baseline/", "baseline (bare view)")


COMMENTS = [
    "We had a similar referral last term. The DSL consulted the Prevent lead before anything "
    "else, and the family were kept informed throughout.",
    "I would record the concern and the decision first, then talk to the DSL the same day.",
    "Worth checking whether early help is already open before a new referral is made.",
]
RATIONALES = [
    "The online contact is worrying but there is no dated threat yet.",
    "Consent matters here: talk to the family before sharing beyond the school.",
    "Travel plans change the picture: this needs the Prevent lead today.",
]


# --- The measured window ---------------------------------------------------------------------


@events.test_start.add_listener
def _on_test_start(environment, **_kwargs) -> None:
    gevent.spawn(_measure, environment)


def _measure(environment) -> None:
    """Wait for every user to be signed in, warm up, then measure for the set duration."""
    wanted = environment.parsed_options.num_users
    started = time.monotonic()
    while signed_in_total < wanted and time.monotonic() - started < 900:
        gevent.sleep(0.5)
    signed_in_seconds = time.monotonic() - started
    gevent.sleep(float(os.environ.get("BENCH_WARMUP", "10")))
    environment.runner.stats.reset_all()
    before = _cpu_sample()
    began = time.monotonic()
    gevent.sleep(float(os.environ.get("BENCH_DURATION", "60")))
    window = time.monotonic() - began
    after = _cpu_sample()
    _write_results(environment, window, signed_in_seconds, before, after)
    environment.runner.quit()


def _cpu_sample() -> dict[str, float]:
    """CPU seconds used so far by this process, by gunicorn (master and workers) and by the
    whole machine (busy, not idle), with the number of cores."""
    me = psutil.Process().cpu_times()
    server = 0.0
    pid = int(os.environ.get("BENCH_SERVER_PID", "0"))
    if pid:
        master = psutil.Process(pid)
        for process in [master, *master.children(recursive=True)]:
            try:
                times = process.cpu_times()
            except psutil.NoSuchProcess:
                continue
            server += times.user + times.system
    total = psutil.cpu_times()
    busy = sum(total) - total.idle - getattr(total, "iowait", 0.0)
    return {
        "locust": me.user + me.system,
        "server": server,
        "busy": busy,
        "cores": psutil.cpu_count() or 1,
    }


def _write_results(environment, window, signed_in_seconds, before, after) -> None:
    stats = environment.runner.stats
    endpoints = []
    for entry in stats.entries.values():
        if entry.name.startswith(SIGN_IN_PREFIX) or not entry.num_requests:
            continue
        endpoints.append(
            {
                "name": entry.name,
                "method": entry.method,
                "requests": entry.num_requests,
                "errors": entry.num_failures,
                "p50": entry.get_response_time_percentile(0.50),
                "p95": entry.get_response_time_percentile(0.95),
                "p99": entry.get_response_time_percentile(0.99),
                "mean": entry.avg_response_time,
            }
        )
    used = {key: after[key] - before[key] for key in ("locust", "server", "busy")}
    result = {
        "users": environment.parsed_options.num_users,
        "think": THINK,
        "window": window,
        "signed_in_seconds": signed_in_seconds,
        "endpoints": endpoints,
        "total": {f"p{n}": stats.total.get_response_time_percentile(n / 100) for n in (50, 95, 99)},
        "errors": [
            {"name": e.name, "error": str(e.error), "count": e.occurrences}
            for e in stats.errors.values()
            if not e.name.startswith(SIGN_IN_PREFIX)
        ],
        "cpu": {**used, "capacity": window * after["cores"]},
    }
    Path(os.environ["BENCH_OUT"]).write_text(json.dumps(result))
