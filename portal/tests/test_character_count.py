"""Every box where a person writes within a limit shows GOV.UK's character count, announcing
the limit before they type, and never cuts text silently: over the limit, the form says so
in words ("The title must be 200 characters or fewer").

The forms are the ones test_error_messages walks: every page of the access matrix, read from
its HTML, so a new form is covered as soon as its page is in the matrix.
"""

from __future__ import annotations

import re
from html import unescape

import pytest
from django import forms
from django.test import Client
from django.urls import reverse

from portal.templatetags.character_count import counted_limit
from portal.tests import test_bad_numbers as bad_numbers
from portal.tests import test_error_messages as error_messages
from portal.tests.phrasing import banned_in
from training.forms_studio import ScenarioForm

viewers = bad_numbers.viewers
targets = bad_numbers.targets
listed = bad_numbers.listed

COUNTED = "govuk-js-character-count"


def _message(html: str, control_id: str) -> str:
    found = re.search(rf'id="{control_id}-info"[^>]*>(.*?)</', html, re.S)
    return " ".join(found[1].split()) if found else ""


def _wrapped(html: str, control_id: str, limit: int) -> bool:
    html = " ".join(html.split())
    return (
        f'<div class="govuk-character-count" data-module="govuk-character-count" '
        f'data-maxlength="{limit}"> <div id="div_{control_id}"'
    ) in html


def _problems_of(html: str, url: str) -> list[tuple[bad_numbers.Form, str, int, list[str]]]:
    """Each counted box (its form, name and limit), and what is wrong with its markup."""
    found = []
    for form in bad_numbers.forms_on(html, url):
        for name, controls in form.controls.items():
            control = controls[0]
            attrs = control.attrs
            # Values copied exactly (codes, ids, names: spellcheck off), addresses and searches
            # may keep the browser's maxlength: no real value reaches their limits.
            typed = control.kind in {"text", "textarea"}
            if not typed or attrs.get("spellcheck") == "false":
                continue
            problems = []
            if "maxlength" in attrs:
                problems.append(f"cuts text at {attrs['maxlength']} without a character count")
            if COUNTED not in attrs.get("class", "").split():
                if not problems:
                    continue
                found.append((form, name, 0, problems))
                continue
            message = _message(html, attrs["id"])
            limit = int(re.sub(r"\D", "", message) or 0)
            if not re.fullmatch(r"You can enter up to [\d,]+ characters", message):
                problems.append(f"no limit announced before typing ({message!r})")
            elif not _wrapped(html, attrs["id"], limit):
                problems.append("not inside GOV.UK's character count")
            if f"{attrs['id']}-info" not in attrs.get("aria-describedby", "").split():
                problems.append("the limit is not in its description")
            found.append((form, name, limit, problems))
    return found


def _error_for(html: str, url: str, name: str) -> str:
    if not bad_numbers.shows_error_at(html, url, name):
        return ""
    return error_messages._errors_in(html)


@pytest.mark.parametrize("row", bad_numbers.PAGES)
def test_it_counts_characters_in_every_box_with_a_limit(row, viewers, listed):
    kwargs = {**row.kwargs, **(listed[row.target] if row.target else {})}
    url = reverse(row.url_name, kwargs=kwargs or None)
    clients: dict[str, Client] = {}
    seen, failures = set(), []
    for viewer in bad_numbers._viewers_served(row):
        client = bad_numbers._client_for(viewer, viewers, clients)
        page = client.get(url)
        assert page.status_code == 200, f"{viewer} GET {url}: {page.status_code}"
        for form, name, limit, problems in _problems_of(page.content.decode(), url):
            where = f"{viewer} {url} {form.action} {name}"
            if (form.signature(), name) in seen:
                continue
            seen.add((form.signature(), name))
            failures += [f"{where}: {problem}" for problem in problems]
            if not limit or form.method != "post":
                continue
            sent = {**form.data(), **form.revealing(name), name: ["a" * (limit + 1)]}
            response = bad_numbers._send(client, form, sent)
            errors = _error_for(response.content.decode(), form.action, name)
            wanted = f"must be {limit:,} characters or fewer"
            if wanted not in errors:
                failures.append(f"{where}: {limit + 1} characters, no “…{wanted}” (“{errors}”)")
            failures += [f"{where}: {problem}" for problem in banned_in(errors)]
    assert not failures, "\n".join(failures)


def test_it_counts_words_people_write_but_not_values_copied_exactly():
    scenario = ScenarioForm()
    assert counted_limit(scenario["title"]) == 200

    class Exact(forms.Form):
        code = forms.CharField(max_length=20, widget=forms.TextInput({"spellcheck": "false"}))
        email = forms.EmailField(max_length=254)
        q = forms.CharField(max_length=200, widget=forms.TextInput({"input_type": "search"}))
        unlimited = forms.CharField(widget=forms.Textarea)

    exact = Exact()
    assert [counted_limit(exact[name]) for name in exact.fields] == [None] * 4


def test_it_announces_the_limit_and_drops_the_browsers_cut(verified_client, carol):
    url = reverse("training:studio-module-create")
    html = unescape(verified_client(carol).get(url).content.decode())
    (title,) = [p for f, name, _, p in _problems_of(html, url) if name == "title"]
    assert title == []
    assert _message(html, "id_title") == "You can enter up to 200 characters"
    assert 'name="title" maxlength' not in html
