"""Oversized, negative, non-numeric and empty numbers get a clear answer, never a 500.

The table is discovered, not written: every page of the access matrix (which must list every
URL of the project) is opened by each persona it serves, every form on it is read from the
HTML, and each numeric field (typed numbers, date parts, ids in hidden inputs, selects, radios
and checkboxes) is sent back with each bad value in turn. A new form is covered as soon as its
page is in the matrix. Ids in URLs are checked the same way, from the matrix's own targets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.converters import IntConverter
from django.utils import timezone

from casenotes.models import Case
from casenotes.services import discussion
from conftest import signed_in_client
from portal.ids import BIGINT_MAX, IdConverter, id_from, ids_from, url_for_ids
from portal.models import EmailKind, OutboxEmail
from portal.tests import test_access_matrix as matrix
from portal.tests.test_access_matrix import ANONYMOUS, ROWS, VIEWERS, Row, signed_in
from training import engine
from training import services as training_services
from training.forms import GovukDateField
from training.models import ModuleVersion

# The access matrix's people and objects, so every page it lists can be opened here.
viewers = matrix.viewers
targets = matrix.targets

OVERSIZED = "9" * 30
BAD_VALUES = {"oversized": OVERSIZED, "negative": "-1", "non-numeric": "abc", "empty": ""}
TYPED_BAD_VALUES = {"oversized", "negative", "non-numeric"}  # a person must be told


# --- Reading forms from a page ------------------------------------------------------------


@dataclass
class Control:
    name: str
    kind: str  # input type, "select" or "textarea"
    attrs: dict[str, str]
    values: list[str] = field(default_factory=list)  # options, or the one value
    chosen: list[str] = field(default_factory=list)  # what a browser would send untouched
    revealed_in: str = ""  # the id of the conditional reveal it sits in, if any


@dataclass
class Form:
    method: str
    action: str
    controls: dict[str, list[Control]] = field(default_factory=dict)

    def add(self, control: Control) -> None:
        self.controls.setdefault(control.name, []).append(control)

    def data(self) -> dict[str, list[str]]:
        """The form filled in as a person would: each blank box given a plausible answer,
        the first real option of each list and radio group, the first named button. So a bad
        number is the only thing wrong, and reaches as far into the code as it can."""
        sent: dict[str, list[str]] = {}
        button_sent = False
        for name, controls in self.controls.items():
            first = controls[0]
            if first.kind == "submit":
                if not button_sent:
                    sent[name], button_sent = first.values[:1], True
            elif first.kind in {"radio", "select"}:
                options = [v for c in controls for v in c.values if v != ""]
                chosen = [v for c in controls for v in c.chosen if v != ""]
                sent[name] = (chosen or options or [""])[:1]
            elif first.kind == "checkbox":
                sent[name] = [v for c in controls for v in c.chosen]
            elif first.kind not in {"file", "password"}:
                value = first.chosen[0] if first.chosen else ""
                sent[name] = [value or _plausible(name, first)]
        return sent

    def numeric_fields(self) -> dict[str, bool]:
        """Numeric fields by name, each with whether a person types it (True) or picks it."""
        found = {}
        for name, controls in self.controls.items():
            first = controls[0]
            classes = first.attrs.get("class", "")
            typed = (
                first.attrs.get("inputmode") == "numeric"
                or first.kind == "number"
                or "govuk-date-input__input" in classes
            )
            values = [v for control in controls for v in control.values if v != ""]
            # A select with no options yet (nothing to choose on this page) may still be a
            # choice of rows: it is tried too, and answering it costs nothing.
            picked = first.kind == "select" or (
                first.kind in {"hidden", "radio", "checkbox"} and values
            )
            if typed or (picked and all(v.isdigit() for v in values)):
                found[name] = bool(typed)
        return found

    def revealing(self, name: str) -> dict[str, list[str]]:
        """The radio option to choose so the field `name` counts: a field revealed under an
        option the form does not read unless that option is chosen."""
        reveal = self.controls[name][0].revealed_in
        for radio, controls in self.controls.items():
            for control in controls:
                if reveal and control.attrs.get("data-aria-controls") == reveal:
                    return {radio: control.values[:1]}
        return {}

    def signature(self) -> tuple:
        return (self.method, self.action, tuple(sorted(self.controls)))


def _plausible(name: str, control: Control) -> str:
    """A good answer for a blank box: a date a year ahead, a small number, or some words."""
    if "govuk-date-input__input" in control.attrs.get("class", ""):
        part = name.rsplit("_", 1)[-1]
        return {"0": "1", "1": "1"}.get(part, str(timezone.now().year + 1))
    if control.attrs.get("inputmode") == "numeric" or control.kind == "number":
        return "1"
    if control.kind == "email":
        return "someone@example.com"
    if control.kind == "hidden":
        return ""
    return "A few plain words"


class _FormReader(HTMLParser):
    def __init__(self, page_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Control | None = None
        self._option: str | None = None
        self._textarea: Control | None = None
        self._divs = 0
        self._reveals: list[tuple[str, int]] = []  # (id, depth) of the reveals we are inside

    def handle_starttag(self, tag: str, attr_list: list[tuple[str, str | None]]) -> None:
        attrs = {key: value or "" for key, value in attr_list}
        if tag == "div":
            self._divs += 1
            if "govuk-radios__conditional" in attrs.get("class", "").split():
                self._reveals.append((attrs.get("id", ""), self._divs))
        if tag == "form":
            action = attrs.get("action") or self.page_url
            self._form = Form(attrs.get("method", "get").lower(), action)
            self.forms.append(self._form)
            return
        if self._form is None or (tag != "option" and not attrs.get("name")):
            return
        revealed_in = self._reveals[-1][0] if self._reveals else ""
        if tag == "input":
            kind = attrs.get("type", "text").lower()
            value = attrs.get("value", "on" if kind in {"checkbox", "radio"} else "")
            chosen = [value] if kind not in {"checkbox", "radio"} or "checked" in attrs else []
            self._form.add(Control(attrs["name"], kind, attrs, [value], chosen, revealed_in))
        elif tag == "button" and attrs.get("type", "submit") == "submit":
            self._form.add(Control(attrs["name"], "submit", attrs, [attrs.get("value", "")]))
        elif tag == "select":
            self._select = Control(attrs["name"], "select", attrs, revealed_in=revealed_in)
            self._form.add(self._select)
        elif tag == "option" and self._select is not None:
            self._option = attrs.get("value")
            if self._option is not None:
                self._select.values.append(self._option)
                if "selected" in attrs:
                    self._select.chosen = [self._option]
        elif tag == "textarea":
            self._textarea = Control(
                attrs["name"], "textarea", attrs, chosen=[""], revealed_in=revealed_in
            )
            self._form.add(self._textarea)

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.chosen = [self._textarea.chosen[0] + data]

    def handle_endtag(self, tag: str) -> None:
        if tag == "div":
            if self._reveals and self._reveals[-1][1] == self._divs:
                self._reveals.pop()
            self._divs -= 1
        elif tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None:
            if not self._select.chosen and self._select.values:
                self._select.chosen = [self._select.values[0]]
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def forms_on(html: str, page_url: str) -> list[Form]:
    reader = _FormReader(page_url)
    reader.feed(html)
    return reader.forms


def shows_error_at(html: str, page_url: str, name: str) -> bool:
    """The field named `name` is drawn again marked invalid, with an error message on the
    page (crispy-forms-gds marks each errored input aria-invalid and govuk-input--error)."""
    if "govuk-error-message" not in html:
        return False
    for form in forms_on(html, page_url):
        for control in form.controls.get(name, []):
            attrs = control.attrs
            if attrs.get("aria-invalid") == "true" or "--error" in attrs.get("class", ""):
                return True
    return False


# --- The table ----------------------------------------------------------------------------


def _viewers_served(row) -> list[str]:
    return [viewer for viewer in VIEWERS if row.expected[viewer] == 200]


# The player shows its forms only while an attempt is under way (the matrix's is finished).
PLAYER_ROWS = [
    Row("training:attempt-play", signed_in(404, practitioner=200), target=target)
    for target in ["attempt_before_confidence", "attempt_at_decision"]
]
PAGES = [
    pytest.param(row, id=f"{row.url_name}-{row.target or 'page'}")
    for row in [*ROWS, *PLAYER_ROWS]
    if _viewers_served(row)
]


def _client_for(viewer: str, viewers: dict, clients: dict) -> Client:
    if viewer not in clients:
        client = Client() if viewer == ANONYMOUS else signed_in_client(viewers[viewer])
        client.raise_request_exception = False  # a server error is answered 500, and counted
        clients[viewer] = client
    return clients[viewer]


def _send(client: Client, form: Form, data: dict[str, list[str]]):
    # In a savepoint: a request that broke the transaction is rolled back and reported as
    # its 500, and the next request starts clean.
    with transaction.atomic():
        if form.method == "post":
            return client.post(form.action, data)
        return client.get(urlsplit(form.action).path, data)


def _attempts_in_play(alice) -> dict[str, dict[str, int]]:
    """Two unfinished attempts: one waiting for the confidence rating, one at a decision."""
    version = ModuleVersion.objects.filter(module__authority=None).first()
    waiting = training_services.attempt_start(user=alice, version=version)
    deciding = training_services.attempt_start(user=alice, version=version)
    training_services.attempt_rate_confidence(user=deciding.user, attempt=deciding, confidence=3)
    steps = engine.steps_by_key(version.snapshot)
    while steps[deciding.current_step_key]["kind"] != engine.DECISION:
        training_services.attempt_continue(
            user=deciding.user, attempt=deciding, from_step_key=deciding.current_step_key
        )
        deciding.refresh_from_db()
    return {
        "attempt_before_confidence": {"pk": waiting.pk},
        "attempt_at_decision": {"pk": deciding.pk},
    }


@pytest.fixture
def listed(targets, alice):
    """Rows that list pages show with a form of their own beside them: a failed email in the
    outbox (to retry), a report on a case (to moderate); and the player's forms, which the
    matrix's finished attempt no longer shows."""
    OutboxEmail.objects.create(
        idempotency_key="bad-numbers-failed",
        kind=EmailKind.DUE_SOON,
        user=alice,
        authority=alice.authority,
        status=OutboxEmail.Status.FAILED,
        attempts=5,
        last_error="SMTPRecipientsRefused: 550 no mailbox",
    )
    case = Case.objects.get(pk=targets["authority_case"]["pk"])
    discussion.flag_raise(raised_by=alice, case=case, reason_raw="It names a school.")
    return {**targets, **_attempts_in_play(alice)}


@pytest.mark.parametrize("row", PAGES)
def test_it_answers_bad_numbers_in_every_form_without_a_server_error(row, viewers, listed):
    targets = listed
    kwargs = {**row.kwargs, **(targets[row.target] if row.target else {})}
    url = reverse(row.url_name, kwargs=kwargs or None)
    clients: dict[str, Client] = {}
    seen, failures = set(), []
    for viewer in _viewers_served(row):
        client = _client_for(viewer, viewers, clients)
        page = client.get(url)
        assert page.status_code == 200, f"{viewer} GET {url}: {page.status_code}"
        for form in forms_on(page.content.decode(), url):
            if form.signature() in seen:
                continue
            seen.add(form.signature())
            for name, typed in form.numeric_fields().items():
                for label, bad in BAD_VALUES.items():
                    sent = {**form.data(), **form.revealing(name), name: [bad]}
                    response = _send(client, form, sent)
                    where = f"{viewer} {form.method.upper()} {form.action} {name}={label}"
                    if response.status_code >= 500:
                        failures.append(f"{where}: {response.status_code}")
                    elif typed and label in TYPED_BAD_VALUES and response.status_code != 404:
                        shown = shows_error_at(response.content.decode(), form.action, name)
                        if not shown:
                            failures.append(f"{where}: {response.status_code}, no error shown")
    assert not failures, "\n".join(failures)


def test_it_finds_the_numeric_fields_of_a_form_it_reads(verified_client, dave, team):
    """The discovery itself: typed numbers and date parts, ids picked from a list."""
    url = reverse("training:assignment-create")
    page = verified_client(dave).get(url).content.decode()

    (form,) = [form for form in forms_on(page, url) if form.action == url]

    fields = form.numeric_fields()
    typed = {name for name, is_typed in fields.items() if is_typed}
    assert {"due_on_0", "due_on_1", "due_on_2", "due_in_days"} <= typed
    assert fields["target_team"] is False
    # A field under a conditional reveal is sent with the option that reveals it chosen.
    assert form.revealing("due_in_days") == {"due_kind": ["days"]}
    assert form.revealing("target_team") == {"target": ["team"]}
    assert form.revealing("module") == {}


# --- Ids in URLs --------------------------------------------------------------------------

NUMBER_KWARG = re.compile(r"<(?:(\w+):)?(\w+)>")
NUMBER_KINDS = {"id", "index"}


def _viewers_allowed(row) -> list[str]:
    """Who the row lets past sign-in and the role and authority checks (a page, a redirect
    or a refused method): for them only the id can make the answer a 404."""
    return [v for v in VIEWERS if v != ANONYMOUS and row.expected[v] not in {403, 404}]


def _routes_by_name(patterns=None, prefix: str = "", namespace: str = "") -> dict[str, str]:
    routes = {}
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            routes |= _routes_by_name(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            routes[f"{namespace}{pattern.name}"] = prefix + str(pattern.pattern)
    return routes


def _routes_with_numbers() -> list:
    """One row per URL name with a number in its route, with a viewer it lets in."""
    routes, params, seen = _routes_by_name(), [], set()
    for row in ROWS:
        kinds = {kind for kind, _ in NUMBER_KWARG.findall(routes.get(row.url_name, ""))}
        if kinds & NUMBER_KINDS and row.url_name not in seen and _viewers_allowed(row):
            seen.add(row.url_name)
            params.append(pytest.param(row, id=row.url_name))
    return params


@pytest.mark.parametrize("row", _routes_with_numbers())
def test_it_answers_404_for_an_id_no_row_can_have_in_a_url(row, viewers, targets):
    kwargs = {**row.kwargs, **targets[row.target]}
    match = resolve(reverse(row.url_name, kwargs=kwargs))
    numbers = [name for kind, name in NUMBER_KWARG.findall(match.route) if kind in NUMBER_KINDS]
    assert numbers, f"{row.url_name} has no number in {match.route}"
    client = _client_for(_viewers_allowed(row)[0], viewers, {})
    answers = {}
    for number in numbers:
        for bad in [OVERSIZED, str(BIGINT_MAX + 1), "-1", "0" if number != "position" else "x"]:
            route = NUMBER_KWARG.sub(
                lambda m, number=number, bad=bad: (
                    bad if m[2] == number else str(match.kwargs[m[2]])
                ),
                match.route,
            )
            answers[f"GET /{route}"] = client.get(f"/{route}").status_code
            answers[f"POST /{route}"] = client.post(f"/{route}").status_code

    assert set(answers.values()) == {404}, answers


def _patterns(patterns=None, prefix: str = ""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if getattr(pattern, "app_name", None) != "admin":
                yield from _patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.pattern.converters


def test_it_takes_every_number_in_a_url_through_a_bounded_converter():
    unbounded = [
        route
        for route, converters in _patterns()
        if any(isinstance(converter, IntConverter) for converter in converters.values())
    ]
    assert not unbounded, f"Use <id:...> or <index:...> instead of <int:...>: {unbounded}"


# --- The shared reader --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1", 1),
        (" 42 ", 42),
        (str(BIGINT_MAX), BIGINT_MAX),
        (str(BIGINT_MAX + 1), None),
        (OVERSIZED, None),
        ("0", None),
        ("-1", None),
        ("abc", None),
        ("", None),
        (None, None),
        ("١٢", None),  # Arabic-Indic digits: str.isdigit() says yes, the database says no
        ("1e3", None),
    ],
)
def test_it_reads_an_id_only_when_a_row_could_have_it(value, expected):
    assert id_from(value) == expected


@pytest.mark.parametrize(
    "name", ["training:person-record", "casenotes:case-detail", "casenotes:comment-flag"]
)
def test_it_writes_ids_into_a_route_as_reverse_does(name):
    url_for = url_for_ids(name)
    for pk in (1, 22, 918273645546372819, BIGINT_MAX):
        assert url_for(pk) == reverse(name, args=[pk])


def test_it_keeps_only_the_ids_among_posted_values():
    assert ids_from(["3", OVERSIZED, "-4", "x", "5"]) == [3, 5]


def test_it_does_not_match_a_url_id_beyond_bigint():
    with pytest.raises(ValueError):
        IdConverter().to_python(str(BIGINT_MAX + 1))


@pytest.mark.parametrize(
    "parts",
    [
        ["1", "1", OVERSIZED],
        [OVERSIZED, "1", "2030"],
        ["1", OVERSIZED, "2030"],
        ["-1", "1", "2030"],
        ["1", "13", "2030"],
        ["30", "2", "2030"],
        ["1", "1", "0000"],
        ["١", "1", "2030"],
    ],
)
def test_it_calls_an_impossible_date_not_a_real_date(parts):
    with pytest.raises(ValidationError, match="Enter a real date"):
        GovukDateField().clean(parts)
