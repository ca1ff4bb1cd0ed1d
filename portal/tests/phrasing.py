"""Phrasings no error message may use: Django's defaults and internal values (GOV.UK's content
style: say what went wrong with this field and how to fix it, in the person's words).

Shared by the every-form test (portal/tests/test_error_messages.py) and the every-page browser
test (portal/tests/test_every_page_browser.py).
"""

from __future__ import annotations

import re

BANNED = [
    (re.compile(r"This field is required", re.I), "Django's default for a missing answer"),
    (re.compile(r"Enter a valid\b", re.I), "Django's default for a bad value"),
    (re.compile(r"Select a valid choice", re.I), "Django's default for a bad choice"),
    (re.compile(r"Ensure this value", re.I), "Django's default for a limit"),
    (re.compile(r"Enter a whole number", re.I), "Django's default for a number"),
    (re.compile(r"\b[A-Za-z]+_[a-z_]+\b"), "an internal name (snake_case)"),
    (re.compile(r"\b[A-Z][\w.+-]*@[\w-]+\.\w"), "an email address with a capital letter"),
]


def banned_in(text: str) -> list[str]:
    """Each banned phrasing found in text, with what it is. A name a person must type as it
    is (a CSV file's column heading) is shown in <code>: leave <code> out of the text."""
    return [
        f"{match.group(0)!r}: {why}" for pattern, why in BANNED for match in pattern.finditer(text)
    ]
