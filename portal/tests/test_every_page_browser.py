"""Every page each demo persona can reach, at a phone's 320 px and a desktop's 1280 px: none
scrolls sideways, none has a serious or critical axe failure, none shows a banned phrasing.

The demo is loaded (`load_library`, `load_demo`) and each persona signs in through the real
forms. Pages are found as a person finds them, by following the links of the pages reached,
starting from home and the pages the access matrix lists for their role; at most
PER_URL_NAME addresses of each URL name are opened (the fifth case page adds nothing).
"""

from __future__ import annotations

import re
from collections import Counter, deque
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.urls import Resolver404, resolve, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import current_code
from portal.demo import DEMO_PASSWORD
from portal.tests import test_access_matrix as matrix
from portal.tests.phrasing import banned_in
from training.pathway_words import PLACEHOLDER

pytestmark = pytest.mark.browser

PER_URL_NAME = 2
WIDTHS = (1280, 320)
# Not pages: downloads, sign-out, health and the Django admin (not ours to draw).
SKIPPED = {
    "portal:healthz",
    "portal:sign-out",
    "training:team-matrix-csv",
    "training:team-people-csv",
    "training:person-record-csv",
    "training:studio-export",
}
PERSONAS = {  # demo login: the access matrix's viewer of the same role
    "alice@northbridge.example": matrix.PRACTITIONER,
    "bob@northbridge.example": matrix.SUPERVISOR,
    "carol@northbridge.example": matrix.AUTHOR,
    "dave@northbridge.example": matrix.ADMIN,
    "ella@northbridge.example": matrix.PRACTITIONER,
    "charlie@wealdshire.example": matrix.PRACTITIONER,
    "wendy@wealdshire.example": matrix.ADMIN,
    "admin@threshold.example": matrix.PLATFORM_ADMIN,
    None: matrix.ANONYMOUS,
}
# Kinds of page (URL names) each role reaches at least, so a broken sign-in or link cannot
# pass by visiting nothing.
MINIMUM_PAGES = {
    matrix.ANONYMOUS: 4,
    matrix.PRACTITIONER: 10,
    matrix.SUPERVISOR: 15,
    matrix.AUTHOR: 15,
    matrix.ADMIN: 20,
    matrix.PLATFORM_ADMIN: 10,
}
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
LINKS = "els => els.map(el => el.getAttribute('href'))"
# The main content's text, but for <code>: a name a person must type as it is (a CSV file's
# column heading) is shown as code, and may be snake_case.
MAIN_TEXT_BUT_CODE = """main => {
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  const words = [];
  while (walker.nextNode()) {
    if (!walker.currentNode.parentElement.closest("code, script")) {
      words.push(walker.currentNode.data);
    }
  }
  return words.join(" ");
}"""
# The studio shows module text as its author wrote it, placeholders such as
# {pathway.prevent_lead} included (training/library/FORMAT.md): the author types those. Anywhere
# else (the studio's preview plays the module as a learner sees it) a placeholder on the page is
# one the player failed to fill, and fails as an internal name.
AUTHORS_TEXT = re.compile(r"^/training/studio/(?!.*/preview/)")


def _seeds(viewer: str) -> list[str]:
    """Pages the matrix says this role may open that need no object."""
    return [
        reverse(row.url_name)
        for row in matrix.ROWS
        if row.expected[viewer] == 200 and not row.target and not row.kwargs
    ]


def _url_name(url: str) -> str | None:
    try:
        return resolve(urlsplit(url).path).view_name
    except Resolver404:
        return None


def _sign_in(page, email: str) -> None:
    device = TOTPDevice.objects.get(user__email=email)
    page.goto("/account/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_role("button", name="Continue").click()  # the email first (single sign-on)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Code").fill(current_code(device))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/")


def _check(page, url: str, axe_violations) -> list[str]:
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        overflow = page.evaluate(OVERFLOW)
        if overflow > 0:
            problems.append(f"{url} at {width} px scrolls sideways by {overflow} px")
        if violations := axe_violations(page):
            problems.append(f"{url} at {width} px:\n{violations}")
    errors = page.locator(".govuk-error-message, .govuk-error-summary").all_inner_texts()
    shown = page.locator("main").evaluate(MAIN_TEXT_BUT_CODE)
    if AUTHORS_TEXT.match(urlsplit(url).path):
        shown = PLACEHOLDER.sub(" ", shown)
    found = banned_in(" ".join(errors)) + banned_in(shown)
    return problems + [f"{url}: {problem}" for problem in found]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("email", list(PERSONAS), ids=lambda e: (e or "anonymous").split("@")[0])
def test_it_fits_every_page_a_persona_reaches(email, browser_page, axe_violations, settings):
    settings.DEBUG = True  # load_demo refuses to run otherwise
    call_command("load_library", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    page = browser_page
    if email is not None:
        _sign_in(page, email)
    queue = deque(["/", *_seeds(PERSONAS[email])])
    opened: Counter[str] = Counter()
    seen, problems = set(queue), []
    while queue:
        url = queue.popleft()
        name = _url_name(url)
        if name is None or name in SKIPPED or name.startswith("admin:"):
            continue
        if opened[name] >= PER_URL_NAME:
            continue
        opened[name] += 1
        response = page.goto(url)
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        problems += _check(page, url, axe_violations)
        for href in page.eval_on_selector_all("a[href]", LINKS):
            target = urlsplit(urljoin(page.url, href))
            if target.netloc != urlsplit(page.url).netloc:
                continue
            link = target.path + (f"?{target.query}" if target.query else "")
            if link not in seen:
                seen.add(link)
                queue.append(link)
    assert len(opened) >= MINIMUM_PAGES[PERSONAS[email]], f"Too few pages reached: {opened}"
    assert not problems, "\n".join(problems)
