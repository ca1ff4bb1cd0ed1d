"""What the benchmark's virtual users do as a browser and a person would: read a page's forms
and fill them in, and read a code off an authenticator. Plain Python, so tests can check it
against the real pages without Locust (bench/tests/test_mixed.py)."""

from __future__ import annotations

import hashlib
import hmac
import random
import struct
import time
from html.parser import HTMLParser


class Form:
    def __init__(self, action: str, method: str) -> None:
        self.action, self.method = action, method
        self.fields: list[tuple[str, str]] = []  # what the browser would send as it stands
        self.radios: dict[str, list[str]] = {}

    def data(self, **override: str) -> list[tuple[str, str]]:
        """The form as it stands (a name may come more than once, as a ticked checkbox
        group's does), each radio group answered at random, then `override`."""
        pairs = [(name, value) for name, value in self.fields if name not in override]
        sent = {name for name, _ in pairs}
        for name, options in self.radios.items():
            if name not in sent and name not in override:
                pairs.append((name, random.choice(options)))  # noqa: S311 - a simulated choice
        return pairs + list(override.items())


class FormParser(HTMLParser):
    """Every form of a page with its inputs, selects and textareas (enough for ours)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.textarea: str | None = None
        self.select: str | None = None
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(Form(a.get("action", ""), a.get("method", "get").lower()))
        elif not self.forms or "name" not in a:
            return
        form = self.forms[-1]
        kind = a.get("type", "text").lower()
        if tag == "input" and kind == "radio":
            form.radios.setdefault(a["name"], []).append(a.get("value", "on"))
            if "checked" in a:
                form.fields.append((a["name"], a.get("value", "on")))
        elif tag == "input" and kind == "checkbox":
            if "checked" in a:
                form.fields.append((a["name"], a.get("value", "on")))
        elif tag == "input" and kind not in ("submit", "button", "file"):
            form.fields.append((a["name"], a.get("value", "")))
        elif tag == "textarea":
            self.textarea, self.text = a["name"], ""
        elif tag == "select":
            self.select = a["name"]
        elif tag == "option" and self.select and "selected" in a:
            form.fields.append((self.select, a.get("value", "")))

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self.textarea is not None:
            self.forms[-1].fields.append((self.textarea, self.text.removeprefix("\n")))
            self.textarea = None
        elif tag == "select":
            self.select = None


def form_on(page: str, action: str, *, here: str = "") -> Form:
    """The form on the page that posts to `action` (a form with no action posts to the page
    itself, `here`); with no `here`, the first whose action contains `action`."""
    parser = FormParser()
    parser.feed(page)
    for form in parser.forms:
        if form.method != "post":
            continue
        if (form.action or here) == action if here else action in form.action:
            return form
    raise LookupError(f"no form posting to {action!r}")


def totp(key_hex: str, at: float | None = None) -> str:
    """RFC 6238 with django-otp's defaults (SHA-1, 30 s, 6 digits)."""
    counter = int((at or time.time()) // 30)
    digest = hmac.new(bytes.fromhex(key_hex), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{code:06d}"
