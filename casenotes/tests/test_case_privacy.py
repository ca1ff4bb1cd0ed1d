"""Privacy of cases: raw text reaches no table, session, log, email or SQL statement; each
visibility scope holds for the list, a case and search; hidden cases; who is named as author."""

from __future__ import annotations

import json
import logging
import re

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core import mail
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casenotes.models import Case, Visibility
from casenotes.tests.case_factories import CaseFactory
from conftest import signed_in_client
from portal.models import AuthorityPathway, Role
from portal.tests.factories import AuthorityFactory, TeamFactory, UserFactory

# --- Raw text never stored ------------------------------------------------------------------

PARTICIPANTS = "Amira Khan (child)\nSadia Khan (mother)"
TITLE = "Amira Khan and a cousin who went to fight"
QUESTION = "Should we have referred Amira to Prevent? Her mum Sadia asked us for help."
ACCOUNT = """Amira Khan (DOB 14/02/2010) told her form tutor at Parkside Academy that her cousin \
had "gone to fight". Her uncle, Tariq Mahmood, collects her most days.

The family live at Flat 4, 27 Kirkstall Road, Leeds LS3 1HJ. Her mum Sadia Khan rang us on \
07700 900461 and emailed sadia.khan84@example.com.

- NHS number: 943 476 5919
- NI number: JT 48 19 27 B
- She posts as @amira_k_2010 and on https://www.tiktok.com/@amirakhan2010
- She goes to the Al-Noor youth club on Fridays.
"""
EXTRA_TERMS = "Al-Noor youth club"

# Every piece of personal data in the text above, whole and in parts a careless store could keep.
RAW_VALUES = [
    "Amira",  # a listed participant
    "Khan",
    "Sadia",
    "Tariq",  # a name nobody listed
    "Mahmood",
    "14/02/2010",  # a date of birth
    "Flat 4",  # an address with a flat
    "27 Kirkstall Road",
    "Kirkstall",
    "LS3 1HJ",  # a postcode
    "07700 900461",  # a phone number
    "900461",
    "sadia.khan84@example.com",  # an email address
    "sadia.khan84",
    "943 476 5919",  # a valid NHS number
    "JT 48 19 27 B",  # an NI number
    "Parkside Academy",  # a school
    "Parkside",
    "@amira_k_2010",  # an online handle
    "amira_k_2010",
    "tiktok.com/@amirakhan2010",  # a link to a profile
    "amirakhan2010",
    "Al-Noor",  # words the author marked
]


def stored_texts():
    """(where, text) for every text, char and JSON column of every installed model, and every
    session's decoded data."""
    for model in apps.get_models():
        fields = [
            field
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField | models.JSONField)
        ]
        if not fields:
            continue
        for row in model._base_manager.values_list(*[field.attname for field in fields]):
            for field, value in zip(fields, row, strict=True):
                if value is not None:
                    text = value if isinstance(value, str) else json.dumps(value)
                    yield f"{model._meta.label}.{field.name}", text
    for session in Session.objects.all():
        yield f"session {session.session_key}", json.dumps(session.get_decoded(), default=str)


def found_in(texts, values=RAW_VALUES) -> list[str]:
    return [
        f"{value!r} in {where}"
        for where, text in texts
        for value in values
        if value.lower() in text.lower()
    ]


def found_in_labels(texts) -> list[tuple[str, str]]:
    return [(where, text) for where, text in texts if "[Child A]" in text]


def case_data(**changes) -> dict[str, str]:
    data = {
        "title": TITLE,
        "age_band": "14_15",
        "setting": "secondary_school",
        "ideology": "islamist",
        "response_safeguarding": "family_help",
        "response_prevent": "advice",
        "response_actions": ["consult_dsl"],
        "question": QUESTION,
        "account": ACCOUNT,
        "participants": PARTICIPANTS,
        "extra_terms": "",
        "visibility": "all",
        "action": "preview",
    }
    return {**data, **changes}


def test_it_stores_logs_and_emails_no_raw_value_of_a_posted_case(
    verified_client, alice, bob, caplog
):
    client = verified_client(alice)
    url = reverse("casenotes:case-create")
    caplog.set_level(logging.DEBUG)
    with CaptureQueriesContext(connection) as queries:
        first = client.post(url, case_data())
        second = client.post(url, case_data(extra_terms=EXTRA_TERMS))
        published = client.post(url, case_data(extra_terms=EXTRA_TERMS, action="publish"))
        shown = client.get(published.url)
    assert first.status_code == second.status_code == shown.status_code == 200
    assert published.status_code == 302
    case = Case.objects.get()
    assert "[Child A]" in case.account and "[redacted] on Fridays" in case.account

    # The scans see what was saved (the redacted case, the session), so they could find more.
    assert "casenotes.Case.account" in {where for where, _ in found_in_labels(stored_texts())}
    assert any(where.startswith("session") for where, _ in stored_texts())
    assert any("casenotes_case" in query["sql"] for query in queries.captured_queries)
    assert found_in(stored_texts()) == []
    assert found_in(("SQL", query["sql"]) for query in queries.captured_queries) == []
    logged = [("log", record.getMessage()) for record in caplog.records]
    assert found_in([*logged, ("log text", caplog.text)]) == []
    sent = [
        ("email", f"{message.subject}\n{message.body}\n{message.alternatives}")
        for message in mail.outbox
    ]
    assert found_in(sent) == []
    assert found_in([("case page", shown.content.decode())]) == []


def test_it_shows_each_kind_of_personal_data_replaced(verified_client, alice):
    client = verified_client(alice)
    published = client.post(
        reverse("casenotes:case-create"),
        case_data(extra_terms=EXTRA_TERMS, action="publish"),
    )
    assert published.status_code == 302
    account = Case.objects.get().account
    for label in [
        "[Child A]",
        "[Adult 1]",
        "[Adult 2]",
        "[date]",
        "[school]",
        "[address]",
        "[postcode]",
        "[phone]",
        "[email]",
        "[NHS number]",
        "[NI number]",
        "[online handle]",
        "[redacted]",
    ]:
        assert label in account


MARKED_ACCOUNT = "Amira meets older boys at the bluebell den; one calls himself wolfie."
MARKED_VALUES = ["bluebell", "wolfie"]


def test_it_stores_no_word_the_author_marked_in_the_preview(verified_client, alice, caplog):
    client = verified_client(alice)
    url = reverse("casenotes:case-create")
    caplog.set_level(logging.DEBUG)
    data = case_data(account=MARKED_ACCOUNT)
    first = client.post(url, data)
    assert "bluebell den" in first.content.decode()  # the engine alone keeps them
    # the author marks one phrase as a place, then another as a name (no JavaScript needed)
    second = client.post(url, {**data, "words_to_remove": "bluebell den", "remove_kind": "ADDRESS"})
    marked = second.context["form"].marked_value
    assert marked == "ADDRESS: bluebell den"
    third = client.post(
        url, {**data, "marked": marked, "words_to_remove": "wolfie", "remove_kind": "PERSON"}
    )
    page = third.content.decode()
    assert "at the " in page and "bluebell den" not in page.split("Remove more words")[0]
    marked = third.context["form"].marked_value
    assert marked == "ADDRESS: bluebell den\nPERSON: wolfie"
    published = client.post(url, {**data, "marked": marked, "action": "publish"})
    assert published.status_code == 302

    account = Case.objects.get().account
    assert "at the [address]; one calls himself [Person 1]" in account
    assert found_in(stored_texts(), MARKED_VALUES) == []
    logged = [("log", record.getMessage()) for record in caplog.records]
    assert found_in([*logged, ("log text", caplog.text)], MARKED_VALUES) == []


def test_it_says_when_the_kind_of_words_to_remove_is_unknown(verified_client, alice):
    response = verified_client(alice).post(
        reverse("casenotes:case-create"),
        case_data(words_to_remove="wolfie", remove_kind="NOT_A_KIND"),
    )
    assert "Select what the words are" in response.content.decode()
    assert not Case.objects.exists()


# --- Names on a case kept out of its whole discussion ------------------------------------------

# Jordan and Kelly are listed with the case but not in its account; Will Ashdown is listed by a
# commenter. "to Jordan" alone reads as the country: only the lists tell it is a name.
DISCUSSION_PARTICIPANTS = f"{PARTICIPANTS}\nJordan Price (child)\nKelly Price (mother)"
DISCUSSION_NAMES = ["Jordan", "Kelly", "Price", "Ashdown"]


# --- The authority's own numbers kept ---------------------------------------------------------

PATHWAY_ACCOUNT = (
    "Rang the MASH on 0113 496 0123 and the LADO on 0113 496 0456; Wealdshire's MASH is "
    "020 7946 0777. Mum's mobile is 07700 900123."
)


def test_it_keeps_the_authoritys_pathway_numbers_in_a_case_and_its_discussion(
    verified_client, alice, bob
):
    AuthorityPathway.objects.create(
        authority=alice.authority,
        front_door="the MASH on 0113 496 0123",
        other_contacts="LADO: 0113 496 0456\nEarly help hub, weekdays",
    )
    client = verified_client(alice)
    url = reverse("casenotes:case-create")
    preview = client.post(url, case_data(account=PATHWAY_ACCOUNT))
    published = client.post(url, case_data(account=PATHWAY_ACCOUNT, action="publish"))
    case = Case.objects.get()
    verified_client(bob).post(
        reverse("casenotes:comment-create", args=[case.pk]),
        {"body": "Out of hours, ring the MASH on 0113 496 0123, not mum on 07700 900123."},
    )

    assert published.status_code == 302
    assert "0113 496 0123" in preview.content.decode()
    assert "Rang the MASH on 0113 496 0123 and the LADO on 0113 496 0456;" in case.account
    # another authority's number and a person's are redacted
    assert "MASH is [phone]. Mum's mobile is [phone]." in case.account
    assert case.comments.get().body == (
        "Out of hours, ring the MASH on 0113 496 0123, not mum on [phone]."
    )


def test_it_redacts_the_numbers_of_another_authoritys_pathway(verified_client, alice, charlie):
    AuthorityPathway.objects.create(authority=charlie.authority, front_door="0113 496 0123")
    verified_client(alice).post(
        reverse("casenotes:case-create"), case_data(account=PATHWAY_ACCOUNT, action="publish")
    )

    assert "Rang the MASH on [phone] and the LADO on [phone];" in Case.objects.get().account


def test_it_keeps_the_names_on_a_case_out_of_its_discussion(
    alice, bob, dave, caplog, django_capture_on_commit_callbacks
):
    author, colleague, admin = (signed_in_client(user) for user in (alice, bob, dave))
    caplog.set_level(logging.DEBUG)
    with CaptureQueriesContext(connection) as queries:
        author.post(
            reverse("casenotes:case-create"),
            case_data(participants=DISCUSSION_PARTICIPANTS, action="publish"),
        )
        case = Case.objects.get()
        with django_capture_on_commit_callbacks(execute=True):  # the email to alice
            colleague.post(
                reverse("casenotes:comment-create", args=[case.pk]),
                {
                    "body": "Tariq Mahmood and Will Ashdown's advice: talk to Jordan.",
                    "participants": "Will Ashdown (uncle)",
                },
            )
        colleague.post(
            reverse("casenotes:vote", args=[case.pk]),
            {
                "safeguarding": "family_help",
                "prevent": "advice",
                "actions": ["inform_family"],
                "rationale": "Talk to Jordan with his mum Kelly",
            },
        )
        colleague.post(
            reverse("casenotes:case-flag", args=[case.pk]),
            {"reason": "It says Amira lives with Kelly Price."},
        )
        outcome = {
            "outcome": "Jordan and Kelly engaged; Will Ashdown helped.",
            "outcome_safeguarding": "family_help",
            "outcome_prevent": "none",
            "outcome_actions": ["inform_family"],
            "participants": "",
            "extra_terms": "",
        }
        url = reverse("casenotes:case-outcome", args=[case.pk])
        preview = author.post(url, {**outcome, "action": "preview"})
        author.post(url, {**outcome, "action": "publish"})
        comment = case.comments.get()
        admin.post(
            reverse("casenotes:comment-moderate", args=[comment.pk]),
            {"action": "hide", "reason": "It names Jordan's uncle, Will Ashdown."},
        )
        shown = admin.get(reverse("casenotes:case-detail", args=[case.pk]))
    case.refresh_from_db()
    comment.refresh_from_db()

    # One label for one person in every text of the case, and none given twice.
    assert comment.body == "[Adult 2] and [Adult 3]'s advice: talk to [Child B]."
    assert case.votes.get().rationale == "Talk to [Child B] with his mum [Adult 4]"
    assert case.flags.get().reason == "It says [Child A] lives with [Adult 4]."
    assert case.outcome == "[Child B] and [Adult 4] engaged; [Adult 3] helped."
    shown_first = preview.content.decode()
    assert all(label in shown_first for label in ("[Child B]", "[Adult 4]", "[Adult 3]"))
    assert comment.hidden_reason == "It names [Child B]'s uncle, [Adult 3]."

    raw = RAW_VALUES + DISCUSSION_NAMES
    assert found_in(stored_texts(), raw) == []
    assert found_in((("SQL", query["sql"]) for query in queries.captured_queries), raw) == []
    logged = [("log", record.getMessage()) for record in caplog.records]
    assert found_in([*logged, ("log text", caplog.text)], raw) == []
    sent = [("email", f"{message.subject}\n{message.body}") for message in mail.outbox]
    assert sent and found_in(sent, raw) == []
    assert found_in([("case page", shown.content.decode())], raw) == []
    # The preview sends the raw outcome back in its form, and shows only the redacted one.
    assert found_in([("preview", shown_first.split('name="outcome"')[0])], raw) == []


# --- Who sees which case ----------------------------------------------------------------------


@pytest.fixture
def people(alice, bob, dave, charlie, wendy, authority):
    """Besides the personas: erin, in another team of alice's authority, and frank, in another
    authority of her region (North West)."""
    erin = UserFactory(
        full_name="Erin Walsh",
        authority=authority,
        team=TeamFactory(authority=authority, name="Youth Justice"),
    )
    fellside = AuthorityFactory(name="Fellside Borough Council", region="North West")
    frank = UserFactory(full_name="Frank Lowe", authority=fellside)
    return {
        "alice": alice,
        "bob": bob,
        "dave": dave,
        "erin": erin,
        "frank": frank,
        "charlie": charlie,
        "wendy": wendy,
    }


NORTHBRIDGE = {"alice", "bob", "dave", "erin"}
SCOPES = {
    # name: (visibility, sharing, who sees it)
    "team": (Visibility.TEAM, "not_needed", {"alice", "bob", "dave"}),
    "authority": (Visibility.AUTHORITY, "not_needed", NORTHBRIDGE),
    "region_pending": (Visibility.REGION, "pending", NORTHBRIDGE),
    "region_approved": (Visibility.REGION, "approved", NORTHBRIDGE | {"frank"}),
    "region_declined": (Visibility.REGION, "declined", NORTHBRIDGE),
    "all_pending": (Visibility.ALL, "pending", NORTHBRIDGE),
    "all_approved": (Visibility.ALL, "approved", NORTHBRIDGE | {"frank", "charlie", "wendy"}),
    "all_declined": (Visibility.ALL, "declined", NORTHBRIDGE),
}
VIEWERS = ["alice", "bob", "dave", "erin", "frank", "charlie", "wendy"]
SCOPE_CASES = [(scope, viewer) for scope in SCOPES for viewer in VIEWERS]


@pytest.fixture
def scoped(people):
    """One case of alice's per scope, its title naming the scope, every account with 'plover'."""
    return {
        scope: CaseFactory(
            author=people["alice"],
            title=f"Case {scope.replace('_', ' ')} kestrel",
            account="[Child A] drew a plover on his planner.",
            visibility=visibility,
            sharing=sharing,
        )
        for scope, (visibility, sharing, _) in SCOPES.items()
    }


def listed_titles(client, query: str = "") -> set[str]:
    page = client.get(reverse("casenotes:case-list") + query).content.decode()
    return set(re.findall(r"Case ([a-z ]+) kestrel", page))


def _title(scope: str) -> str:
    return scope.replace("_", " ")


@pytest.mark.parametrize(("scope", "viewer"), SCOPE_CASES)
def test_it_shows_a_case_in_the_list_only_to_its_scope(
    verified_client, people, scoped, scope, viewer
):
    client = verified_client(people[viewer])
    assert (_title(scope) in listed_titles(client)) == (viewer in SCOPES[scope][2])


@pytest.mark.parametrize(("scope", "viewer"), SCOPE_CASES)
def test_it_finds_a_case_in_search_only_for_its_scope(
    verified_client, people, scoped, scope, viewer
):
    client = verified_client(people[viewer])
    assert (_title(scope) in listed_titles(client, "?q=plover")) == (viewer in SCOPES[scope][2])


@pytest.mark.parametrize(("scope", "viewer"), SCOPE_CASES)
def test_it_opens_a_case_only_for_its_scope(verified_client, people, scoped, scope, viewer):
    client = verified_client(people[viewer])
    response = client.get(reverse("casenotes:case-detail", args=[scoped[scope].pk]))
    assert response.status_code == (200 if viewer in SCOPES[scope][2] else 404)


@pytest.mark.parametrize(
    ("viewer", "sees"),
    [
        ("bob", True),
        ("dave", True),
        ("alice", False),  # its author: hidden content is for moderators only
        ("erin", False),
        ("frank", False),
        ("charlie", False),
        ("wendy", False),  # a moderator, of another authority
    ],
)
def test_it_shows_a_hidden_case_only_to_its_moderators(
    verified_client, people, scoped, viewer, sees
):
    hidden = scoped["all_approved"]
    Case.objects.filter(pk=hidden.pk).update(is_hidden=True, hidden_reason="Names a village")
    client = verified_client(people[viewer])
    assert ("all approved" in listed_titles(client)) == sees
    assert ("all approved" in listed_titles(client, "?q=plover")) == sees
    response = client.get(reverse("casenotes:case-detail", args=[hidden.pk]))
    assert response.status_code == (200 if sees else 404)


# --- Who is named as the author ---------------------------------------------------------------


@pytest.mark.parametrize("viewer", ["frank", "charlie", "wendy"])
def test_it_names_the_author_by_role_and_region_outside_the_authority(
    verified_client, people, scoped, viewer
):
    client = verified_client(people[viewer])
    case = scoped["all_approved"]
    for url in [
        reverse("casenotes:case-list"),
        reverse("casenotes:case-detail", args=[case.pk]),
    ]:
        page = client.get(url).content.decode()
        assert "Practitioner, North West" in page
        assert "Alice" not in page and "Okafor" not in page


def test_it_names_a_supervisors_role_outside_the_authority(verified_client, people, bob):
    case = CaseFactory(author=bob, visibility=Visibility.ALL, sharing="approved")
    page = verified_client(people["charlie"]).get(reverse("casenotes:case-detail", args=[case.pk]))
    assert "Supervisor, North West" in page.content.decode()
    assert "Bob Hughes" not in page.content.decode()


@pytest.mark.parametrize("viewer", ["bob", "dave", "erin"])
def test_it_names_the_author_inside_the_authority(verified_client, people, scoped, viewer):
    client = verified_client(people[viewer])
    page = client.get(reverse("casenotes:case-detail", args=[scoped["all_approved"].pk]))
    assert "Alice Okafor" in page.content.decode()


def test_it_names_the_author_by_the_region_of_the_cases_authority(verified_client, people):
    """A role label comes from the role, the region from the authority the case belongs to."""
    author = UserFactory(
        role=Role.AUTHOR, full_name="Ada Pike", authority=people["frank"].authority
    )
    case = CaseFactory(author=author, visibility=Visibility.ALL, sharing="approved")
    page = verified_client(people["charlie"]).get(reverse("casenotes:case-detail", args=[case.pk]))
    assert "Author, North West" in page.content.decode()
    assert "Ada Pike" not in page.content.decode()
