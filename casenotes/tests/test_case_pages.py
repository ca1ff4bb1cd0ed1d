"""Case pages: posting with a preview, the list and search, a case, approval for wider sharing,
the outcome and who posted it. Every page proves charlie (another authority) gets a 404."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.urls import reverse
from django.views.debug import SafeExceptionReporterFilter

from casenotes.forms import OUTCOME_RAW_FIELDS, RAW_FIELDS
from casenotes.models import Case, Visibility
from casenotes.responses import Response
from casenotes.selectors import cases as case_selectors
from casenotes.tests.case_factories import CaseFactory, CommentFactory, VoteFactory
from casenotes.views import cases as case_views
from portal.models import AuditAction, AuditEvent
from portal.tests.factories import UserFactory
from training import services as training_services
from training.models import Indicator
from training.tests.factories import INDICATORS

MAX_LIST_QUERIES = 8
# A search on PostgreSQL reads the newest matching ids, then ranks their page: one more.
MAX_SEARCH_QUERIES = 9
CLEANSED = SafeExceptionReporterFilter.cleansed_substitute
ALL_CHECKS = ["no_dates", "no_unusual_events", "no_small_places"]


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def indicators(db):
    training_services.indicators_load(data=INDICATORS)


# Words marked in the preview are raw text too.
MARKS = {"marked": "SCHOOL: Parkside", "words_to_remove": "cousin"}


def post_data(**changes) -> dict[str, object]:
    data = {
        "title": "Amira and a cousin who went to fight",
        "age_band": "14_15",
        "setting": "secondary_school",
        "ideology": "islamist",
        "response_safeguarding": "family_help",
        "response_prevent": "advice",
        "response_actions": ["consult_dsl"],
        "question": "Should we have referred Amira to Prevent?",
        "account": "Amira Khan told her tutor at Parkside Academy that her cousin went to fight.",
        "participants": "Amira Khan (child)",
        "extra_terms": "",
        "visibility": "authority",
        "action": "preview",
    }
    return {**data, **changes}


# --- Posting: form, preview, publish --------------------------------------------------------


def test_it_shows_the_form_to_post_a_case(verified_client, alice, indicators):
    response = verified_client(alice).get(reverse("casenotes:case-create"))
    assert response.status_code == 200
    assert "Names of the people involved (optional)" in text(response)
    assert "Justifying violence" in text(response)


def test_it_previews_the_redacted_text_without_saving(verified_client, alice):
    response = verified_client(alice).post(reverse("casenotes:case-create"), post_data())
    assert response.status_code == 200
    page = text(response)
    assert "Check your case before publishing" in page
    assert (
        '<mark class="threshold-redaction"><span class="govuk-visually-hidden">Replaced name: '
        "</span>[Child A]</mark> told her tutor at "
        '<mark class="threshold-redaction"><span class="govuk-visually-hidden">Replaced school: '
        "</span>[school]</mark>"
    ) in page
    assert "<li>3 names</li>" in page and "<li>1 school</li>" in page
    assert not Case.objects.exists()


def test_it_carries_the_answers_through_the_preview_in_the_form(verified_client, alice):
    response = verified_client(alice).post(reverse("casenotes:case-create"), post_data())
    page = response.content.decode()
    assert '<input type="hidden" name="account" value="Amira Khan told her tutor' in page
    assert '<input type="hidden" name="participants" value="Amira Khan (child)"' in page
    assert '<input type="hidden" name="response_actions" value="consult_dsl"' in page
    assert (
        'What was done</dt><dd class="govuk-summary-list__value">Family help (early help or '
        "section 17) + Prevent advice; actions: Consult the DSL</dd>"
    ) in text(response)


def test_it_replaces_more_words_marked_in_the_preview(verified_client, alice):
    data = post_data(account="Amira goes to the Al-Noor youth club.", extra_terms="Al-Noor")
    page = text(verified_client(alice).post(reverse("casenotes:case-create"), data))
    assert "Replaced word you marked: </span>[redacted]</mark> youth club." in page


def test_it_publishes_the_redacted_case_and_shows_it(verified_client, alice, indicators):
    client = verified_client(alice)
    isolation = Indicator.objects.get(key="isolation")
    data = post_data(action="publish", indicators=[isolation.pk])
    response = client.post(reverse("casenotes:case-create"), data)
    case = Case.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("casenotes:case-detail", args=[case.pk])
    assert case.account == "[Child A] told her tutor at [school] that her cousin went to fight."
    assert list(case.indicators.all()) == [isolation]
    assert case.decision == Response("family_help", "advice", ("consult_dsl",))
    page = text(client.get(response.url))
    assert "Case posted." in page
    assert "[Child A] told her tutor at [school]" in page


def test_it_says_a_wider_case_waits_for_approval(verified_client, alice):
    client = verified_client(alice)
    response = client.post(
        reverse("casenotes:case-create"), post_data(action="publish", visibility="region")
    )
    assert Case.objects.get().sharing == Case.Sharing.PENDING
    assert "a supervisor or authority admin will check it" in text(client.get(response.url))


def test_it_sends_the_previews_history_entry_on_to_the_case_just_published(verified_client, alice):
    client = verified_client(alice)
    preview = client.post(reverse("casenotes:case-create"), post_data())
    client.post(reverse("casenotes:case-create"), post_data(action="publish"))
    case = Case.objects.get()

    response = client.get(reverse("casenotes:case-create") + "?previewed")

    assert (
        f'data-threshold-replace-history="{reverse("casenotes:case-create")}?previewed"'
        in preview.content.decode()
    )
    assert response.status_code == 303
    assert response.url == reverse("casenotes:case-detail", args=[case.pk])
    assert client.session["casenotes_just_published"] == case.pk


def test_it_shows_the_empty_form_at_the_previews_address_once_a_new_case_is_previewed(
    verified_client, alice
):
    client = verified_client(alice)
    client.post(reverse("casenotes:case-create"), post_data(action="publish"))
    client.post(reverse("casenotes:case-create"), post_data())

    response = client.get(reverse("casenotes:case-create") + "?previewed")

    assert response.status_code == 200
    assert "Preview the case" in text(response)
    assert "told her tutor" not in text(response)


def test_it_shows_the_form_not_the_last_case_to_post_another(verified_client, alice):
    client = verified_client(alice)
    client.post(reverse("casenotes:case-create"), post_data(action="publish"))

    response = client.get(reverse("casenotes:case-create"))

    assert response.status_code == 200
    assert "Preview the case" in text(response)


def test_it_goes_back_to_the_form_with_the_answers_to_change_them(verified_client, alice):
    response = verified_client(alice).post(
        reverse("casenotes:case-create"), post_data(action="edit")
    )
    page = text(response)
    assert "Preview the case" in page
    assert "Amira Khan told her tutor at Parkside Academy" in page
    assert not Case.objects.exists()


def test_it_shows_errors_on_the_form(verified_client, alice):
    data = post_data(title="", visibility="")
    page = text(verified_client(alice).post(reverse("casenotes:case-create"), data))
    assert "There is a problem" in page
    assert "Enter a title" in page and "Select who can see the case" in page
    assert not Case.objects.exists()


def test_it_offers_my_team_only_to_someone_in_a_team(verified_client, alice, carol):
    assert "My team (Early Help North)" in text(
        verified_client(alice).get(reverse("casenotes:case-create"))
    )
    page = text(
        verified_client(carol).post(reverse("casenotes:case-create"), post_data(visibility="team"))
    )
    assert "My team" not in page
    assert "Select who can see the case" in page


def test_it_shows_a_refusal_of_the_service_on_its_field(verified_client, alice):
    data = post_data(action="publish", title=" ".join(["@ab"] * 30))  # 119 characters
    page = text(verified_client(alice).post(reverse("casenotes:case-create"), data))
    assert "The title must be 150 characters or fewer once personal details are replaced" in page
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("url_name", "fields", "data"),
    [
        ("casenotes:case-create", RAW_FIELDS, MARKS),
        ("casenotes:case-outcome", OUTCOME_RAW_FIELDS, {"outcome": "Amira is fine.", **MARKS}),
    ],
)
def test_it_masks_raw_text_in_error_reports_and_browser_caches(
    verified_client, alice, url_name, fields, data
):
    case = CaseFactory(author=alice)
    url = reverse(url_name, args=[case.pk] if url_name == "casenotes:case-outcome" else [])
    response = verified_client(alice).post(url, post_data(**data))
    reported = SafeExceptionReporterFilter().get_post_parameters(response.wsgi_request)
    assert {name: reported[name] for name in fields} == dict.fromkeys(fields, CLEANSED)
    assert reported["age_band"] == "14_15"
    assert "no-store" in response["Cache-Control"]


def test_it_refuses_posting_to_someone_of_no_authority(db, verified_client):
    platform_admin = UserFactory(authority=None, is_staff=True, is_superuser=True)
    response = verified_client(platform_admin).get(reverse("casenotes:case-create"))
    assert response.status_code == 403


# --- The list and search --------------------------------------------------------------------


@pytest.fixture
def listed(alice, charlie, indicators):
    isolation = Indicator.objects.get(key="isolation")
    first = CaseFactory(author=alice, title="Kestrel memes", ideology="extreme_right_wing")
    first.indicators.add(isolation)
    second = CaseFactory(
        author=alice,
        title="Sparrow videos",
        account="[Child A] watched lectures online late at night.",
        ideology="islamist",
        setting="online",
        response_safeguarding="universal",
        response_prevent="referral",
        visibility=Visibility.TEAM,
        status=Case.Status.OUTCOME_RECORDED,
    )
    other = CaseFactory(author=charlie, title="Heron drawings")
    return {"first": first, "second": second, "other": other}


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ("", {"Kestrel memes", "Sparrow videos"}),
        ("indicator=isolation", {"Kestrel memes"}),
        ("ideology=islamist", {"Sparrow videos"}),
        ("setting=online", {"Sparrow videos"}),
        ("prevent=referral", {"Sparrow videos"}),
        ("safeguarding=family_help", {"Kestrel memes"}),
        ("safeguarding=universal&prevent=referral", {"Sparrow videos"}),
        ("safeguarding=family_help&prevent=referral", set()),
        ("prevent=early_help", {"Kestrel memes", "Sparrow videos"}),
        ("status=outcome_recorded", {"Sparrow videos"}),
        ("scope=team", {"Sparrow videos"}),
        ("scope=authority", {"Kestrel memes"}),
        ("q=lectures", {"Sparrow videos"}),
        ("q=kestrel", {"Kestrel memes"}),
        ("q=heron", set()),
        ("ideology=not-a-choice", {"Kestrel memes", "Sparrow videos"}),
    ],
)
def test_it_filters_and_searches_the_cases_the_viewer_may_see(
    verified_client, alice, listed, query, shown
):
    page = text(verified_client(alice).get(f"{reverse('casenotes:case-list')}?{query}"))
    titles = {"Kestrel memes", "Sparrow videos", "Heron drawings"}
    assert {title for title in titles if title in page} == shown


def test_it_marks_the_chosen_filters_each_time_though_their_html_is_cached(verified_client, alice):
    client = verified_client(alice)
    for ideology in ["islamist", "incel", "islamist", ""]:
        page = client.get(reverse("casenotes:case-list") + f"?ideology={ideology}&q=kestrel")
        html = page.content.decode()
        chosen = re.findall(r'<option value="([^"]*)" selected>', html)
        assert chosen[1] == ideology, (ideology, chosen)  # after the indicator's "Any"
        assert 'value="kestrel"' in html


def test_it_shows_how_many_cases_match(verified_client, alice, listed):
    page = text(verified_client(alice).get(reverse("casenotes:case-list") + "?ideology=islamist"))
    assert "1 matching case" in page


def test_it_pages_the_list(verified_client, alice):
    for number in range(23):
        CaseFactory(author=alice, title=f"Numbered case {number:02d}")
    client = verified_client(alice)
    first = text(client.get(reverse("casenotes:case-list")))
    second = text(client.get(reverse("casenotes:case-list") + "?page=2"))
    beyond = text(client.get(reverse("casenotes:case-list") + "?page=9"))
    assert "23 cases" in first and "Numbered case 22" in first and "Numbered case 02" not in first
    assert "Numbered case 02" in second and "Numbered case 03" not in second
    assert "Numbered case 02" in beyond and 'aria-current="page">2<' in beyond


@pytest.fixture
def small_limits(monkeypatch):
    """Counting stops past 3 cases, search ranks the newest 3, two cases a page."""
    monkeypatch.setattr(case_selectors, "CASE_COUNT_LIMIT", 3)
    monkeypatch.setattr(case_selectors, "SEARCH_RANK_LIMIT", 3)
    monkeypatch.setattr(case_views, "CASES_PER_PAGE", 2)


def test_it_stops_counting_past_the_limit_and_pages_on(verified_client, alice, small_limits):
    for number in range(5):
        CaseFactory(author=alice, title=f"Numbered case {number}")
    client = verified_client(alice)
    first = text(client.get(reverse("casenotes:case-list")))
    last = text(client.get(reverse("casenotes:case-list") + "?page=3"))

    assert "More than 3 cases" in first
    assert 'aria-label="Page 2"' in first and "&ctdot;" in first and 'rel="next"' in first
    assert "Numbered case 4" in first and "Numbered case 2" not in first
    # Counting goes on from the page asked for: the last page knows the total.
    assert "5 cases" in last and "More than" not in last
    assert "Numbered case 0" in last and 'rel="next"' not in last


def test_it_counts_exactly_under_the_limit(verified_client, alice, small_limits):
    for number in range(3):
        CaseFactory(author=alice, title=f"Numbered case {number}")
    page = text(verified_client(alice).get(reverse("casenotes:case-list")))
    assert "3 cases" in page and "More than" not in page and "&ctdot;" not in page


def test_a_search_matching_more_than_the_limit_says_so(verified_client, alice, small_limits):
    for number in range(5):
        CaseFactory(author=alice, title=f"Kestrel case {number}")
    client = verified_client(alice)
    url = reverse("casenotes:case-list") + "?q=kestrel&page="
    pages = [text(client.get(f"{url}{number}")) for number in (1, 2, 3)]

    assert "More than 3 matching cases" in pages[0]
    shown = {n for n in range(5) for page in pages if f"Kestrel case {n}" in page}
    if connection.vendor == "postgresql":
        # Ranked among the newest three matches, and the page says how to narrow it.
        assert shown == {2, 3, 4}
        assert "The best matches among the newest 3 are shown" in pages[0]
    else:  # substring search: no ranking, so every match can be paged to
        assert shown == {0, 1, 2, 3, 4}


def test_it_lists_cases_in_a_fixed_number_of_queries(
    verified_client, alice, bob, charlie, indicators, django_assert_max_num_queries
):
    isolation = Indicator.objects.get(key="isolation")
    everyone = CaseFactory(author=charlie, visibility=Visibility.ALL, sharing="approved")
    CommentFactory(case=everyone, author=charlie)
    for number in range(30):
        case = CaseFactory(author=alice if number % 2 else bob)
        case.indicators.add(isolation)
        CommentFactory(case=case, author=bob)
        VoteFactory(case=case, voter=alice)
    client = verified_client(alice)
    with django_assert_max_num_queries(MAX_SEARCH_QUERIES):
        searched = client.get(reverse("casenotes:case-list") + "?indicator=isolation&q=memes")
    with django_assert_max_num_queries(MAX_LIST_QUERIES):
        listed = client.get(reverse("casenotes:case-list") + "?page=2")
    assert "30 matching cases" in text(searched)
    assert "31 cases" in text(listed)
    assert "1 comment · 1 vote" in text(listed)


def test_it_shows_the_preview_as_text_not_html(verified_client, alice):
    data = post_data(account="<script>alert(1)</script> Amira <b>said</b> so.")
    page = verified_client(alice).post(reverse("casenotes:case-create"), data).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark" in page
    assert "<script>alert" not in page


# --- A case ---------------------------------------------------------------------------------


def test_it_shows_a_case_with_its_facts(verified_client, alice, indicators):
    case = CaseFactory(author=alice, title="Kestrel memes")
    case.indicators.add(Indicator.objects.get(key="grievance"))
    page = text(verified_client(alice).get(reverse("casenotes:case-detail", args=[case.pk])))
    assert "Kestrel memes" in page
    assert "Grievance" in page and "Extreme right-wing" in page
    assert (
        "Family help (early help or section 17) + No Prevent action; "
        "actions: Consult the DSL, Inform the family"
    ) in page
    assert "Posted</dt>" in page and "by Alice Okafor" in page
    assert "Record the outcome" in page


def test_it_reads_a_case_in_two_queries_and_its_discussion_in_three_more(
    verified_client, alice, bob, indicators, django_assert_max_num_queries
):
    case = CaseFactory(author=alice)
    case.indicators.add(*Indicator.objects.all())
    for _ in range(5):
        CommentFactory(case=case, author=bob)
    client = verified_client(alice)
    client.get(reverse("casenotes:case-detail", args=[case.pk]))
    # 6 for the signed-in session, 2 for the case (with its indicators), 3 for the discussion
    # (its comments counted, a page of them, the votes).
    with django_assert_max_num_queries(11):
        assert client.get(reverse("casenotes:case-detail", args=[case.pk])).status_code == 200


def test_it_hides_what_was_done_and_the_outcome_until_a_peer_answers(verified_client, alice, bob):
    case = CaseFactory(
        author=alice,
        response_safeguarding="universal",
        response_prevent="referral",
        status=Case.Status.OUTCOME_RECORDED,
        outcome="Channel panel offered support.",
        outcome_safeguarding="universal",
        outcome_prevent="referral",
        outcome_actions=["seek_consent"],
    )
    client = verified_client(bob)
    before = text(client.get(reverse("casenotes:case-detail", args=[case.pk])))
    assert "Shown once you say" in before
    assert "Prevent referral" not in before.split('id="discussion"')[0]
    assert "Channel panel offered support." not in before
    VoteFactory(case=case, voter=bob)
    after = text(client.get(reverse("casenotes:case-detail", args=[case.pk])))
    assert "Shown once you say" not in after
    assert (
        "The response in the end: <strong>Universal support + Prevent referral; actions: "
        "Seek consent</strong>"
    ) in after
    assert "Channel panel offered support." in after


def test_it_renders_the_account_as_sanitised_markdown(verified_client, alice):
    case = CaseFactory(
        author=alice,
        account=(
            "**Bold** point.\n\n<script>alert('x')</script>\n\n"
            '<img src="x" onerror="alert(1)">\n\n[click](javascript:alert(2))\n\n'
            '<a href="https://example.org" onclick="alert(3)">link</a>\n\n'
            '<div style="color:red"><iframe src="https://evil.example"></iframe></div>'
        ),
        question="<b onmouseover=alert(4)>Help?</b>",
    )
    response = verified_client(alice).get(reverse("casenotes:case-detail", args=[case.pk]))
    page = response.content.decode()
    assert "<strong>Bold</strong> point." in page
    for unsafe in ["<script>alert", "onerror", "javascript:", "onclick", "onmouseover"]:
        assert unsafe not in page
    for tag in ["<img", "<iframe", "<div style", "<b "]:
        assert tag not in page


def test_it_answers_404_for_a_case_of_another_authority(verified_client, alice, charlie):
    case = CaseFactory(author=alice)
    response = verified_client(charlie).get(reverse("casenotes:case-detail", args=[case.pk]))
    assert response.status_code == 404


# --- Approval for wider sharing ---------------------------------------------------------------


@pytest.fixture
def pending(alice):
    return CaseFactory(author=alice, title="Kestrel memes", visibility=Visibility.REGION)


def test_it_lists_the_authoritys_cases_waiting_for_approval(verified_client, bob, pending, charlie):
    CaseFactory(author=charlie, title="Heron drawings", visibility=Visibility.ALL)
    CaseFactory(author=pending.author, title="Sparrow videos", visibility=Visibility.AUTHORITY)
    page = text(verified_client(bob).get(reverse("casenotes:approval-queue")))
    assert "Kestrel memes" in page and "Alice Okafor" in page
    assert "Heron drawings" not in page and "Sparrow videos" not in page


@pytest.fixture
def fifty_five_pending(alice) -> list[Case]:
    """Fifty-five cases waiting for approval, oldest first."""
    return [
        CaseFactory(author=alice, title=f"Pending {n:02d}", visibility=Visibility.REGION)
        for n in range(55)
    ]


def test_it_pages_the_approval_queue_fifty_at_a_time_oldest_first(
    verified_client, bob, fifty_five_pending
):
    client = verified_client(bob)
    first = client.get(reverse("casenotes:approval-queue"))
    second = client.get(reverse("casenotes:approval-queue"), {"page": 2})
    assert list(first.context["page"]) == fifty_five_pending[:50]
    assert list(second.context["page"]) == fifty_five_pending[50:]
    assert "Waiting, oldest first: 1 to 50 of 55" in text(first)
    assert "51 to 55 of 55" in text(second)
    assert 'href="?page=2"' in text(first)


@pytest.mark.parametrize(("asked", "shown"), [("999", 2), ("x", 1)])
def test_it_shows_the_nearest_real_page_of_the_approval_queue(
    verified_client, bob, fifty_five_pending, asked, shown
):
    response = verified_client(bob).get(reverse("casenotes:approval-queue"), {"page": asked})
    assert response.status_code == 200
    assert response.context["page"].number == shown


def test_it_shows_the_checklist_to_a_moderator(verified_client, dave, pending):
    page = text(verified_client(dave).get(reverse("casenotes:case-sharing", args=[pending.pk])))
    assert "There are no exact dates" in page
    assert "would single the child or family out" in page
    assert "No small place" in page


def test_it_approves_only_with_every_check_ticked(verified_client, bob, pending):
    url = reverse("casenotes:case-sharing", args=[pending.pk])
    data = {"decision": "approve", "checks": ALL_CHECKS[:2], "reason": ""}
    page = text(verified_client(bob).post(url, data))
    assert "Select all three checks before approving the case for sharing" in page
    assert Case.objects.get().sharing == Case.Sharing.PENDING
    assert not AuditEvent.objects.filter(action=AuditAction.CASE_SHARING_DECIDED).exists()


def test_it_approves_a_case_and_audits_it(verified_client, bob, pending):
    client = verified_client(bob)
    url = reverse("casenotes:case-sharing", args=[pending.pk])
    response = client.post(url, {"decision": "approve", "checks": ALL_CHECKS})
    assert response.status_code == 302
    assert Case.objects.get().sharing == Case.Sharing.APPROVED
    event = AuditEvent.objects.get(action=AuditAction.CASE_SHARING_DECIDED)
    assert event.actor == bob and event.detail["decision"] == "approved"
    assert "is approved for wider sharing" in text(client.get(response.url))


def test_it_declines_a_case_only_with_a_reason(verified_client, bob, pending):
    client = verified_client(bob)
    url = reverse("casenotes:case-sharing", args=[pending.pk])
    assert "Enter the reason for declining" in text(client.post(url, {"decision": "decline"}))
    client.post(url, {"decision": "decline", "reason": "It names the village."})
    assert Case.objects.get().sharing == Case.Sharing.DECLINED
    assert (
        AuditEvent.objects.get(action=AuditAction.CASE_SHARING_DECIDED).detail["reason"]
        == "It names the village."
    )


def test_it_shows_a_decided_case_without_the_form(verified_client, bob, dave, pending):
    verified_client(bob).post(
        reverse("casenotes:case-sharing", args=[pending.pk]),
        {"decision": "decline", "reason": "Too specific"},
    )
    page = text(verified_client(dave).get(reverse("casenotes:case-sharing", args=[pending.pk])))
    assert "already been decided: not approved for wider sharing" in page
    assert "Save the decision" not in page


@pytest.mark.parametrize(("persona", "status"), [("alice", 403), ("carol", 403), ("wendy", 404)])
def test_it_keeps_the_checklist_from_others(verified_client, request, pending, persona, status):
    client = verified_client(request.getfixturevalue(persona))
    url = reverse("casenotes:case-sharing", args=[pending.pk])
    assert client.post(url, {"decision": "approve", "checks": ALL_CHECKS}).status_code == status
    assert Case.objects.get().sharing == Case.Sharing.PENDING


# --- Outcome --------------------------------------------------------------------------------


def test_it_previews_then_saves_a_redacted_outcome(verified_client, alice):
    case = CaseFactory(author=alice)
    client = verified_client(alice)
    url = reverse("casenotes:case-outcome", args=[case.pk])
    data = {
        "outcome": "Amira Khan settled at Parkside Academy.",
        "outcome_safeguarding": "family_help",
        "outcome_prevent": "none",
        "outcome_actions": ["inform_family", "record_decision"],
        "participants": "Amira Khan (child)",
        "extra_terms": "",
        "action": "preview",
    }
    preview = text(client.post(url, data))
    assert "Replaced school: </span>[school]</mark>" in preview
    assert Case.objects.get().status == Case.Status.OPEN
    response = client.post(url, {**data, "action": "publish"})
    assert response.status_code == 302
    case.refresh_from_db()
    # The factory's account already has a [Child A], who may be someone else.
    assert case.outcome == "[Child B] settled at [school]."
    assert case.outcome_response == Response(
        "family_help", "none", ("record_decision", "inform_family")
    )
    assert "Outcome recorded" in text(client.get(response.url))


def test_it_starts_the_outcome_from_what_was_done_then_from_the_outcome(verified_client, alice):
    case = CaseFactory(author=alice)
    client = verified_client(alice)
    url = reverse("casenotes:case-outcome", args=[case.pk])
    assert client.get(url).context["form"].initial == {
        "outcome_safeguarding": "family_help",
        "outcome_prevent": "none",
        "outcome_actions": ["consult_dsl", "inform_family"],
    }
    case.outcome_safeguarding, case.outcome_prevent = "child_protection", "advice"
    case.save()
    assert client.get(url).context["form"].initial == {
        "outcome_safeguarding": "child_protection",
        "outcome_prevent": "advice",
        "outcome_actions": [],
    }


def test_it_shows_an_outcome_route_outside_the_vocabulary_on_the_form(verified_client, alice):
    case = CaseFactory(author=alice)
    data = {"outcome": "Closed.", "outcome_safeguarding": "s47", "outcome_prevent": "none"}
    page = text(
        verified_client(alice).post(reverse("casenotes:case-outcome", args=[case.pk]), data)
    )
    assert "There is a problem" in page and "Select a safeguarding route from the list" in page
    assert Case.objects.get().status == Case.Status.OPEN


@pytest.mark.parametrize("persona", ["bob", "dave", "charlie"])
def test_it_lets_only_the_author_record_the_outcome(verified_client, request, alice, persona):
    case = CaseFactory(author=alice, visibility=Visibility.ALL, sharing="approved")
    client = verified_client(request.getfixturevalue(persona))
    assert client.get(reverse("casenotes:case-outcome", args=[case.pk])).status_code == 404


# --- Who posted it --------------------------------------------------------------------------


@pytest.fixture
def shared(alice):
    return CaseFactory(author=alice, visibility=Visibility.ALL, sharing="approved")


def test_it_asks_the_admin_before_showing_who_posted(verified_client, dave, shared):
    page = text(verified_client(dave).get(reverse("casenotes:case-author", args=[shared.pk])))
    assert "Every look-up is recorded in the audit log" in page
    assert "Alice Okafor" not in page
    assert not AuditEvent.objects.filter(action=AuditAction.CASE_AUTHOR_VIEWED).exists()


def test_it_shows_the_admin_who_posted_and_audits_it(verified_client, dave, alice, shared):
    response = verified_client(dave).post(reverse("casenotes:case-author", args=[shared.pk]))
    page = text(response)
    assert "Alice Okafor" in page and "alice@northbridge.example" in page
    event = AuditEvent.objects.get(action=AuditAction.CASE_AUTHOR_VIEWED)
    assert (event.actor, event.subject, event.detail) == (dave, alice, {"case": shared.pk})


def test_it_offers_the_look_up_to_the_owning_admin_only(verified_client, dave, bob, shared):
    url = reverse("casenotes:case-detail", args=[shared.pk])
    assert "See who posted this case" in text(verified_client(dave).get(url))
    assert "See who posted this case" not in text(verified_client(bob).get(url))


@pytest.mark.parametrize("persona", ["alice", "bob", "carol", "wendy", "charlie"])
def test_it_shows_no_one_else_who_posted(verified_client, request, shared, persona):
    client = verified_client(request.getfixturevalue(persona))
    url = reverse("casenotes:case-author", args=[shared.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.CASE_AUTHOR_VIEWED).exists()


def test_it_links_cases_to_the_approval_queue_for_moderators(verified_client, bob, alice):
    assert "Cases waiting for approval" in text(
        verified_client(bob).get(reverse("casenotes:case-list"))
    )


# --- The Django admin -----------------------------------------------------------------------


def test_it_shows_cases_to_platform_admins_in_the_django_admin(verified_client, alice):
    case = CaseFactory(author=alice, title="Kestrel memes")
    platform_admin = UserFactory(authority=None, is_staff=True, is_superuser=True)
    client = verified_client(platform_admin)
    assert "Kestrel memes" in text(client.get(reverse("admin:casenotes_case_changelist")))
    page = text(client.get(reverse("admin:casenotes_case_change", args=[case.pk])))
    assert 'name="is_hidden"' in page and 'name="account"' not in page


def test_it_keeps_cases_from_authors_in_the_django_admin(verified_client, carol, alice):
    CaseFactory(author=alice)
    client = verified_client(carol)
    assert client.get(reverse("admin:casenotes_case_changelist")).status_code == 403
    assert "Case discussion" not in text(client.get(reverse("admin:index")))


def test_it_masks_a_sharing_decisions_raw_reason_in_error_reports(verified_client, bob, pending):
    """The reason is redacted before it is audited; the posted text is raw, like a comment's."""
    url = reverse("casenotes:case-sharing", args=[pending.pk])
    response = verified_client(bob).post(url, {"decision": "decline", "reason": "Amira Khan."})
    reported = SafeExceptionReporterFilter().get_post_parameters(response.wsgi_request)
    assert reported["reason"] == CLEANSED
    assert reported["decision"] == "decline"
