"""Case services: posting redacts first, sharing approval, outcome, who posted it."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.template.loader import render_to_string

from casenotes import case_text, services
from casenotes.models import AgeBand, Case, Ideology, Setting, Visibility
from casenotes.responses import UNKNOWN_ACTION, UNKNOWN_ROUTE, Response
from casenotes.tests.case_factories import CaseFactory
from portal.models import AuditAction, AuditEvent
from training import services as training_services
from training.models import Indicator
from training.tests.factories import INDICATORS

LONDON = ZoneInfo("Europe/London")
PARTICIPANTS = ["Amira Khan (child)", "Sadia Khan (mother)"]


@pytest.fixture
def indicators(db):
    training_services.indicators_load(data=INDICATORS)
    return Indicator.objects.filter(key__in=["isolation", "grievance"])


def publish(author, **changes):
    arguments = {
        "author": author,
        "title_raw": "Amira and a cousin who went to fight",
        "age_band": AgeBand.AGE_14_15,
        "setting": Setting.SECONDARY_SCHOOL,
        "ideology": Ideology.ISLAMIST,
        "indicators": [],
        "response_safeguarding": "family_help",
        "response_prevent": "advice",
        "response_actions": ["record_decision", "consult_dsl"],
        "question_raw": "Should we have referred Amira to Prevent? Her mum Sadia asked for help.",
        "account_raw": "Amira Khan told her tutor her cousin had gone to fight. Sadia Khan rang.",
        "visibility": Visibility.AUTHORITY,
        "participants": PARTICIPANTS,
        "extra_terms": [],
    }
    return services.case_publish(**{**arguments, **changes})


# --- Posting ------------------------------------------------------------------------------


def test_it_saves_only_redacted_text(alice):
    case = publish(alice)
    case.refresh_from_db()
    assert case.title == "[Child A] and a cousin who went to fight"
    assert case.account == "[Child A] told her tutor her cousin had gone to fight. [Adult 1] rang."


def test_it_records_what_was_done_on_both_routes_with_its_actions_in_order(alice):
    case = publish(alice)
    case.refresh_from_db()
    assert case.decision == Response("family_help", "advice", ("consult_dsl", "record_decision"))
    assert str(case.decision) == (
        "Family help (early help or section 17) + Prevent advice; "
        "actions: Consult the DSL, Record the decision"
    )


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"response_safeguarding": "early_help"},
            "response_safeguarding",
            UNKNOWN_ROUTE["safeguarding"],
        ),
        ({"response_prevent": "channel"}, "response_prevent", UNKNOWN_ROUTE["prevent"]),
        ({"response_actions": ["consult_dsl", "ring_round"]}, "response_actions", UNKNOWN_ACTION),
    ],
)
def test_it_refuses_a_route_or_action_outside_the_vocabulary(alice, changes, field, message):
    with pytest.raises(services.CaseRefused) as refusal:
        publish(alice, **changes)
    assert (str(refusal.value), refusal.value.field) == (message, field)
    assert not Case.objects.exists()


def test_it_gives_a_person_the_same_label_in_every_field(alice):
    case = publish(alice)
    assert "[Child A]" in case.title
    assert case.question == (
        "Should we have referred [Child A] to Prevent? Her mum [Adult 1] asked for help."
    )


def test_it_redacts_the_words_the_author_marked(alice):
    case = publish(
        alice,
        account_raw="Amira goes to the Al-Noor youth club on Fridays.",
        extra_terms=["Al-Noor youth club"],
    )
    assert case.account == "[Child A] goes to the [redacted] on Fridays."


def test_it_records_the_author_their_authority_team_and_indicators(alice, indicators):
    case = publish(alice, indicators=indicators)
    assert (case.author, case.authority, case.team) == (alice, alice.authority, alice.team)
    assert set(case.indicators.values_list("key", flat=True)) == {"isolation", "grievance"}
    assert case.status == Case.Status.OPEN


@pytest.mark.parametrize(
    ("visibility", "sharing"),
    [
        (Visibility.TEAM, Case.Sharing.NOT_NEEDED),
        (Visibility.AUTHORITY, Case.Sharing.NOT_NEEDED),
        (Visibility.REGION, Case.Sharing.PENDING),
        (Visibility.ALL, Case.Sharing.PENDING),
    ],
)
def test_it_holds_cases_for_approval_only_when_shared_beyond_the_authority(
    alice, visibility, sharing
):
    assert publish(alice, visibility=visibility).sharing == sharing


def test_it_sets_the_deletion_date_from_the_authoritys_retention_period(alice, authority):
    authority.case_retention_months = 6
    authority.save()
    alice.refresh_from_db()
    with time_machine.travel(datetime(2026, 8, 31, 23, 30, tzinfo=LONDON), tick=False):
        case = publish(alice)
    assert case.delete_after == date(2027, 2, 28)


def test_it_refuses_my_team_to_someone_in_no_team(carol):
    with pytest.raises(services.CaseRefused) as refused:
        publish(carol, visibility=Visibility.TEAM)
    assert refused.value.field == "visibility"
    assert not Case.objects.exists()


def test_it_refuses_a_title_too_long_once_redacted(alice):
    title = " ".join(["@ab"] * 30)  # 119 characters; each handle becomes "[online handle]"
    with pytest.raises(services.CaseRefused) as refused:
        publish(alice, title_raw=title)
    assert refused.value.field == "title"
    assert not Case.objects.exists()


def test_it_refuses_someone_of_no_authority(alice):
    alice.authority = None
    with pytest.raises(services.CaseRefused):
        publish(alice)


# --- Approval for wider sharing -----------------------------------------------------------


def test_it_approves_a_pending_case_and_audits_it(alice, bob):
    case = CaseFactory(author=alice, visibility=Visibility.REGION)
    services.case_sharing_decide(actor=bob, case=case, approve=True, reason="")
    case.refresh_from_db()
    assert (case.sharing, case.sharing_decided_by) == (Case.Sharing.APPROVED, bob)
    event = AuditEvent.objects.get(action=AuditAction.CASE_SHARING_DECIDED)
    assert (event.actor, event.subject, event.authority_id) == (bob, alice, alice.authority_id)
    assert event.detail == {"case": case.pk, "decision": "approved", "reason": ""}


def test_it_redacts_the_reason_for_declining_before_auditing_it(alice, dave):
    case = CaseFactory(author=alice, visibility=Visibility.ALL)
    services.case_sharing_decide(
        actor=dave, case=case, approve=False, reason="It names Parkside Academy. Ring 07700 900461."
    )
    case.refresh_from_db()
    assert case.sharing == Case.Sharing.DECLINED
    detail = AuditEvent.objects.get(action=AuditAction.CASE_SHARING_DECIDED).detail
    assert detail["decision"] == "declined"
    assert detail["reason"] == "It names [school]. Ring [phone]."


def test_it_lets_no_one_approve_their_own_case(bob):
    case = CaseFactory(author=bob, visibility=Visibility.REGION)
    with pytest.raises(services.CaseRefused):
        services.case_sharing_decide(actor=bob, case=case, approve=True)
    assert Case.objects.get().sharing == Case.Sharing.PENDING


@pytest.mark.parametrize("persona", ["alice", "carol", "wendy"])
def test_it_lets_only_moderators_of_the_authority_decide(request, persona, bob):
    case = CaseFactory(author=bob, visibility=Visibility.REGION)
    with pytest.raises(services.CaseRefused):
        services.case_sharing_decide(
            actor=request.getfixturevalue(persona), case=case, approve=True
        )
    assert not AuditEvent.objects.exists()


def test_it_decides_a_case_only_once(alice, bob, dave):
    case = CaseFactory(author=alice, visibility=Visibility.REGION)
    services.case_sharing_decide(actor=bob, case=case, approve=False, reason="Too specific")
    with pytest.raises(services.CaseRefused):
        services.case_sharing_decide(actor=dave, case=Case.objects.get(), approve=True)
    assert Case.objects.get().sharing == Case.Sharing.DECLINED
    assert AuditEvent.objects.count() == 1


def test_it_refuses_to_decide_a_case_that_needs_no_approval(alice, bob):
    case = CaseFactory(author=alice, visibility=Visibility.AUTHORITY)
    with pytest.raises(services.CaseRefused):
        services.case_sharing_decide(actor=bob, case=case, approve=True)
    assert Case.objects.get().sharing == Case.Sharing.NOT_NEEDED


# --- Outcome ------------------------------------------------------------------------------


def test_it_records_a_redacted_outcome(alice):
    case = publish(alice)
    services.case_outcome_record(
        author=alice,
        case=case,
        outcome_raw="Amira Khan engaged with early help; Sadia Khan is relieved.",
        outcome_safeguarding="family_help",
        outcome_prevent="none",
        outcome_actions=["inform_family"],
        participants=PARTICIPANTS,
    )
    case.refresh_from_db()
    assert case.outcome == "[Child A] engaged with early help; [Adult 1] is relieved."
    assert (case.outcome_response, case.status) == (
        Response("family_help", "none", ("inform_family",)),
        Case.Status.OUTCOME_RECORDED,
    )


def test_it_lets_only_the_author_record_the_outcome(alice, bob):
    case = CaseFactory(author=alice)
    with pytest.raises(services.CaseRefused):
        services.case_outcome_record(
            author=bob,
            case=case,
            outcome_raw="Closed.",
            outcome_safeguarding="none",
            outcome_prevent="none",
        )
    assert Case.objects.get().status == Case.Status.OPEN


# --- Who posted it ------------------------------------------------------------------------


def test_it_tells_the_authority_admin_who_posted_and_audits_it(alice, dave):
    case = CaseFactory(author=alice, visibility=Visibility.ALL, sharing=Case.Sharing.APPROVED)
    assert services.case_author_view_record(actor=dave, case=case) == alice
    event = AuditEvent.objects.get(action=AuditAction.CASE_AUTHOR_VIEWED)
    assert (event.actor, event.subject, event.authority_id) == (dave, alice, case.authority_id)
    assert event.detail == {"case": case.pk}


@pytest.mark.parametrize("persona", ["bob", "alice", "wendy"])
def test_it_tells_no_one_else_who_posted(request, persona, alice):
    case = CaseFactory(author=alice, visibility=Visibility.ALL, sharing=Case.Sharing.APPROVED)
    with pytest.raises(services.CaseRefused):
        services.case_author_view_record(actor=request.getfixturevalue(persona), case=case)
    assert not AuditEvent.objects.exists()


# --- Redacting the fields of one case (pure, no database) -----------------------------------


def test_it_reads_one_participant_a_line():
    assert case_text.participants_parse("Amira Khan (child)\r\n\n  Sadia Khan  \n") == [
        "Amira Khan (child)",
        "Sadia Khan",
    ]


def test_it_reads_words_to_redact_by_line_or_comma():
    assert case_text.terms_parse("Al-Noor, Bramley\nthe Crown pub\n, ") == [
        "Al-Noor",
        "Bramley",
        "the Crown pub",
    ]


def test_it_splits_the_redaction_back_into_fields_with_browser_line_endings_made_plain():
    title, account = case_text.redact_fields(
        ["Amira", "Amira rang.\r\n\r\nCall 07700 900461."], participants=["Amira Khan (child)"]
    )
    assert title.text == "[Child A]"
    assert account.text == "[Child A] rang.\n\nCall [phone]."
    assert account.kinds == ["PERSON", "PHONE"]


def test_it_highlights_replacements_and_escapes_the_rest():
    (field,) = case_text.redact_fields(["<b>Amira</b>"], participants=["Amira Khan (child)"])
    highlighted = render_to_string("casenotes/_highlighted.html", {"field": field})
    assert highlighted == (
        '&lt;b&gt;<mark class="threshold-redaction"><span class="govuk-visually-hidden">'
        "Replaced name: </span>[Child A]</mark>&lt;/b&gt;"
    )


def test_it_counts_replacements_by_kind_for_people():
    fields = case_text.redact_fields(
        ["Amira and Sadia Khan", "Ring 07700 900461 or see @amira_k and @sadia_k"],
        participants=["Amira Khan (child)", "Sadia Khan (mother)"],
    )
    assert case_text.kind_counts(fields) == [
        "2 names",
        "2 online handles or links",
        "1 phone number",
    ]
