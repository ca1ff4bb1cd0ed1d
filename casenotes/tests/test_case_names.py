"""The people a case named, kept as keys (CaseNameKeys) so every text written on the case
redacts them under the case's labels: comments, votes, flags, moderation, sharing, outcome."""

from __future__ import annotations

from django.test import override_settings
from django.urls import reverse
from django.views.debug import SafeExceptionReporterFilter

from casenotes import services
from casenotes.models import Case, CaseNameKeys, Visibility
from casenotes.tests.case_factories import CaseFactory
from conftest import signed_in_client
from portal.models import AuditAction, AuditEvent

LISTED = ["Amira Khan (child)", "Sadia Khan (mother)", "Jordan Price (child)"]


def publish(author, participants=LISTED, **changes) -> Case:
    arguments = {
        "author": author,
        "title_raw": "A cousin who went to fight",
        "age_band": "14_15",
        "setting": "secondary_school",
        "ideology": "islamist",
        "indicators": [],
        "response_safeguarding": "family_help",
        "response_prevent": "none",
        "question_raw": "Should we have referred?",
        "account_raw": "Amira Khan (14) told her tutor. Her mum, Sadia Khan, rang us.",
        "visibility": Visibility.AUTHORITY,
        "participants": participants,
        **changes,
    }
    return services.case_publish(**arguments)


def comment(case, author, body, participants=()) -> str:
    return services.comment_post(
        author=author, case=case, body_raw=body, participants=participants
    ).body


def test_it_keeps_keys_of_the_case_names_and_its_label_counts(alice):
    case = publish(alice)
    known = CaseNameKeys.objects.get(case=case).known
    assert [person["label"] for person in known["people"]] == ["[Child A]", "[Adult 1]", None]
    assert (known["children"], known["adults"], known["others"]) == (1, 1, 0)


def test_it_gives_one_name_different_keys_on_two_cases(alice):
    first, second = publish(alice), publish(alice)
    keys = [
        CaseNameKeys.objects.get(case=case).known["people"][0]["firsts"] for case in (first, second)
    ]
    assert keys[0] != keys[1]


def test_it_redacts_a_comment_with_the_case_names_under_their_labels(alice, bob):
    case = publish(alice)
    assert comment(case, bob, "Amira should talk to Jordan, not Mr Khan.") == (
        "[Child A] should talk to [Child B], not [Adult 1]."
    )


def test_it_redacts_a_vote_reason_with_a_name_listed_only_with_the_case(alice, bob):
    case = publish(alice)
    vote = services.vote_record(
        voter=bob,
        case=case,
        safeguarding="family_help",
        prevent="advice",
        rationale_raw="Talk to Jordan with his mum Kelly",
    )
    assert vote.rationale == "Talk to [Child B] with his mum [Adult 2]"


def test_it_keeps_the_label_a_commenter_gave_someone_they_listed(alice, bob):
    case = publish(alice)
    first = comment(case, bob, "Ask Will about it.", participants=["Will Ashdown (uncle)"])
    assert first == "Ask [Adult 2] about it."
    vote = services.vote_record(
        voter=bob,
        case=case,
        safeguarding="family_help",
        prevent="none",
        rationale_raw="Will knows them.",
    )
    assert vote.rationale == "[Adult 2] knows them."


def test_it_redacts_flag_and_moderation_reasons_with_the_case_names(alice, bob):
    case = publish(alice)
    flag = services.flag_raise(raised_by=bob, case=case, reason_raw="It names Sadia.")
    assert flag.reason == "It names [Adult 1]."
    services.case_moderate(actor=bob, case=case, hide=True, reason_raw="Sadia is named.")
    case.refresh_from_db()
    assert case.hidden_reason == "[Adult 1] is named."


def test_it_redacts_the_reason_of_a_sharing_decision_with_the_case_names(alice, bob):
    case = publish(alice, visibility=Visibility.ALL)
    services.case_sharing_decide(
        actor=bob, case=case, approve=False, reason="Jordan's school is named."
    )
    detail = AuditEvent.objects.get(action=AuditAction.CASE_SHARING_DECIDED).detail
    assert detail["reason"] == "[Child B]'s school is named."


def test_it_redacts_the_outcome_with_the_case_names(alice):
    case = publish(alice)
    services.case_outcome_record(
        author=alice,
        case=case,
        outcome_raw="Jordan and Amira engaged with early help.",
        outcome_safeguarding="family_help",
        outcome_prevent="none",
    )
    assert case.outcome == "[Child B] and [Child A] engaged with early help."


def test_it_gives_someone_new_on_an_older_case_a_label_its_texts_do_not_hold(alice, bob):
    """A case posted before cases kept their names: its labels are counted from its texts."""
    case = CaseFactory(author=alice, account="[Child A] and [Adult 1] met [Person 1].")
    assert not CaseNameKeys.objects.filter(case=case).exists()
    assert comment(case, bob, "Her uncle, Tariq Mahmood, rang.") == "Her uncle, [Adult 2], rang."
    assert comment(case, bob, "Tariq rang again.") == "[Adult 2] rang again."


@override_settings(CASE_NAME_KEY="the first key")
def test_it_no_longer_finds_the_names_once_the_key_changes(alice, bob):
    case = publish(alice)
    with override_settings(CASE_NAME_KEY="another key"):
        assert comment(case, bob, "Talk to Jordan.") == "Talk to Jordan."
    assert comment(case, bob, "Talk to Jordan.") == "Talk to [Child B]."


def preview_outcome(client, case):
    return client.post(
        reverse("casenotes:case-outcome", args=[case.pk]),
        {
            "outcome": "Jordan engaged.",
            "outcome_safeguarding": "family_help",
            "outcome_prevent": "none",
            "participants": "",
            "extra_terms": "",
            "action": "preview",
        },
    )


def test_it_previews_the_outcome_with_the_case_labels_and_keeps_nothing(verified_client, alice):
    case = publish(alice)
    response = preview_outcome(verified_client(alice), case)
    assert "[Child B]" in response.content.decode()
    assert CaseNameKeys.objects.get(case=case).known["people"][2]["label"] is None


def test_it_answers_404_to_an_outsider_previewing_an_outcome(verified_client, alice, charlie):
    assert preview_outcome(verified_client(charlie), publish(alice)).status_code == 404


def test_it_redacts_and_audits_a_platform_admins_reason_for_hiding_in_the_django_admin(
    alice, platform_admin
):
    """The admin's one editable text is a text on the case like a moderator's reason."""
    case = publish(alice)
    url = reverse("admin:casenotes_case_change", args=[case.pk])
    posted = {"is_hidden": "on", "hidden_reason": "Amira Khan is named in it.", "_save": "Save"}

    response = signed_in_client(platform_admin).post(url, posted)

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.is_hidden and case.hidden_reason == "[Child A] is named in it."
    event = AuditEvent.objects.get(action=AuditAction.CASE_MODERATED)
    assert event.actor == platform_admin and event.authority_id == case.authority_id
    assert event.detail["reason"] == "[Child A] is named in it."
    reported = SafeExceptionReporterFilter().get_post_parameters(response.wsgi_request)
    assert reported["hidden_reason"] == SafeExceptionReporterFilter.cleansed_substitute
