"""Every form of every page, sent back empty, answers in GOV.UK's style: each message says
what to do with this field ("Enter your email address"), never Django's defaults ("This field
is required."), internal values ("authority_admin") or a capitalised email address.

The pages come from the access matrix and the forms are read from their HTML (the machinery of
test_bad_numbers), so a new form is covered as soon as its page is in the matrix.
"""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from portal.tests import test_bad_numbers as bad_numbers
from portal.tests.phrasing import banned_in

viewers = bad_numbers.viewers
targets = bad_numbers.targets
listed = bad_numbers.listed

ERROR_TEXT = re.compile(
    r'class="govuk-error-message"[^>]*>(.*?)</(?:p|span)>|govuk-error-summary__list">(.*?)</ul>',
    re.S,
)
# Forms whose empty answer does something other than fail (sign out ends the session the rest
# of the page's forms are sent in).
NOT_SENT = {reverse("portal:sign-out")}
# Boxes a person types in: a form without one (delete, retry, sign out) has nothing to leave
# empty, and sending it would act.
TYPED = {"text", "textarea", "email", "search", "number", "password", "tel"}


def _empty(form: bad_numbers.Form) -> dict[str, list[str]]:
    """The form as a person who typed and chose nothing would send it: hidden values kept,
    the first button pressed."""
    sent: dict[str, list[str]] = {}
    pressed = False
    for name, controls in form.controls.items():
        first = controls[0]
        if first.kind == "hidden":
            sent[name] = first.values[:1]
        elif first.kind == "submit" and not pressed:
            sent[name], pressed = first.values[:1], True
        elif first.kind in TYPED:
            sent[name] = [""]
    return sent


def _errors_in(html: str) -> str:
    html = re.sub(r'<span class="govuk-visually-hidden">Error:</span>', "", html)
    found = " | ".join(
        " ".join(part for part in match.groups() if part) for match in ERROR_TEXT.finditer(html)
    )
    return unescape(re.sub(r"<[^>]+>", " ", found))


@pytest.mark.parametrize("row", bad_numbers.PAGES)
def test_it_words_every_error_of_every_form_for_people(row, viewers, listed):
    kwargs = {**row.kwargs, **(listed[row.target] if row.target else {})}
    url = reverse(row.url_name, kwargs=kwargs or None)
    clients: dict[str, Client] = {}
    seen, failures = set(), []
    for viewer in bad_numbers._viewers_served(row):
        client = bad_numbers._client_for(viewer, viewers, clients)
        page = client.get(url)
        assert page.status_code == 200, f"{viewer} GET {url}: {page.status_code}"
        for form in bad_numbers.forms_on(page.content.decode(), url):
            typed = any(controls[0].kind in TYPED for controls in form.controls.values())
            if form.signature() in seen or form.action in NOT_SENT or not typed:
                continue
            seen.add(form.signature())
            response = bad_numbers._send(client, form, _empty(form))
            errors = _errors_in(response.content.decode())
            for problem in banned_in(errors):
                failures.append(f"{viewer} POST {form.action}: {problem} in “{errors}”")
    assert not failures, "\n".join(failures)
