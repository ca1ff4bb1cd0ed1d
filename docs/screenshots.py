"""Take the README screenshots from a running demo (`make demo`, then in another terminal):

    .venv/bin/python docs/screenshots.py [--base-url http://127.0.0.1:8000]

Signs in as demo people with the demo password and a code from `manage.py demo_otp`, so run it
from the same checkout (and environment) as the server. Needs Debian's Chromium.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
import django  # noqa: E402 - the settings module must be set first

django.setup()
from portal.demo import DEMO_PASSWORD  # noqa: E402 - models load after django.setup()

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = 375  # px: a common phone width
SHOTS = [  # (file name, demo login or None for the signed-out page, page to open after[, width])
    ("sign-in.png", None, None),
    ("home-practitioner.png", "alice@northbridge.example", None),
    ("home-practitioner-phone.png", "alice@northbridge.example", None, PHONE),
    ("home-authority-admin.png", "dave@northbridge.example", None),
    ("team-progress.png", "bob@northbridge.example", "/training/progress/"),
    ("authority-report.png", "dave@northbridge.example", "/training/authority/"),
    # The author's draft adopted from the library (see training/demo.py).
    ("studio-module.png", "carol@northbridge.example", lambda: _studio_path("module")),
    ("studio-map.png", "carol@northbridge.example", lambda: _studio_path("scenario")),
]


def _studio_path(page: str) -> str:
    from training.demo import ADOPTED
    from training.models import Module

    module = Module.objects.filter(adopted_from__key=ADOPTED).first()
    if page == "module":
        return f"/training/studio/modules/{module.pk}/"
    return f"/training/studio/scenarios/{module.scenarios.first().pk}/"


def demo_code(email: str) -> str:
    command = [sys.executable, "manage.py", "demo_otp", email]
    return subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
        command, cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.strip()


def sign_in(page: Page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/account/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_role("button", name="Continue").click()  # email first
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # A code is accepted once: a second run within 30 seconds waits for the next one.
    for _ in range(3):
        page.get_by_label("Code").fill(demo_code(email))
        page.get_by_role("button", name="Continue").click()
        page.wait_for_load_state()
        if "/second-factor/" not in page.url:
            return
        time.sleep(30 - time.time() % 30 + 1)
    raise SystemExit(f"Could not sign in as {email}: is the demo loaded (make demo)?")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    base_url = args.base_url.rstrip("/")
    args.out.mkdir(parents=True, exist_ok=True)

    # Paths that need the database are worked out before Playwright starts its event loop.
    shots = [
        (name, email, path() if callable(path) else path, *width)
        for name, email, path, *width in SHOTS
    ]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        for filename, email, path, *width in shots:
            # A short viewport: full_page grows it to the content, never pads it.
            viewport = {"width": width[0] if width else 1280, "height": 600}
            context = browser.new_context(viewport=viewport)
            page = context.new_page()
            if email is None:
                page.goto(f"{base_url}/account/sign-in/")
            else:
                sign_in(page, base_url, email)
            if path:
                page.goto(f"{base_url}{path}")
            page.evaluate("document.activeElement && document.activeElement.blur()")
            page.screenshot(path=args.out / filename, full_page=True)
            print(f"Saved {args.out / filename}")
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
