"""Flags and moderation: anyone who can see a case reports it (or a comment); supervisors and
authority admins of the case's own authority see the reports, hide or show what was reported,
and every decision is audited. Hidden comments are seen by those moderators only."""

from __future__ import annotations

import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from casenotes import selectors, services
from casenotes.models import Case, Comment, Flag, Visibility
from casenotes.tests.case_factories import CaseFactory, CommentFactory
from portal.models import AuditAction, AuditEvent, Role
from portal.tests.factories import UserFactory


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def panel(case, user) -> str:
    discussion = selectors.discussion_for_case(case=case, user=user)
    return render_to_string(
        "casenotes/discussion/_panel.html", {"discussion": discussion, "csrf_token": "x"}
    )


@pytest.fixture
def case(carol):
    """Posted by carol, inside Northbridge only."""
    return CaseFactory(author=carol, title="Kestrel memes in the group chat")


@pytest.fixture
def comment(case, alice):
    return CommentFactory(case=case, author=alice, body="Ask the DSL first.")


@pytest.fixture
def case_of_b(charlie):
    return CaseFactory(author=charlie, title="Heron drawings")


# --- Flags ------------------------------------------------------------------------------------


def test_it_shows_the_form_to_report_a_case(verified_client, case, alice):
    response = verified_client(alice).get(reverse("casenotes:case-flag", args=[case.pk]))
    assert response.status_code == 200
    assert "Report this case" in text(response)


def test_it_reports_a_case_with_a_redacted_reason(verified_client, case, alice):
    url = reverse("casenotes:case-flag", args=[case.pk])
    response = verified_client(alice).post(url, {"reason": "It names Sadia Khan."})
    assert response.status_code == 302
    flag = Flag.objects.get()
    assert (flag.case, flag.comment, flag.raised_by) == (case, None, alice)
    assert flag.reason == "It names [Person 1]."


def test_it_reports_a_comment(verified_client, comment, bob):
    url = reverse("casenotes:comment-flag", args=[comment.pk])
    page = text(verified_client(bob).get(url))
    assert "Ask the DSL first." in page and "Alice Okafor" in page
    back = reverse("casenotes:comment-detail", args=[comment.pk])  # its page of the discussion
    assert f'<a href="{back}" class="govuk-back-link">Back to the case</a>' in page
    verified_client(bob).post(url, {"reason": "Unkind."})
    flag = Flag.objects.get()
    assert (flag.case, flag.comment, flag.raised_by) == (comment.case, comment, bob)


def test_it_keeps_one_open_report_per_person_and_thing(verified_client, comment, bob):
    client = verified_client(bob)
    url = reverse("casenotes:comment-flag", args=[comment.pk])
    client.post(url, {"reason": "Unkind."})
    client.post(url, {"reason": "Unkind, and off topic."})
    assert list(Flag.objects.values_list("reason", flat=True)) == ["Unkind, and off topic."]


def test_it_needs_a_reason_to_report(verified_client, case, alice):
    url = reverse("casenotes:case-flag", args=[case.pk])
    assert "Enter what is wrong" in text(verified_client(alice).post(url, {"reason": ""}))
    assert not Flag.objects.exists()


@pytest.mark.parametrize("url_name", ["casenotes:case-flag", "casenotes:comment-flag"])
def test_it_answers_404_to_reports_from_outside_the_case_visibility(
    verified_client, comment, charlie, url_name
):
    target = comment.case if url_name == "casenotes:case-flag" else comment
    url = reverse(url_name, args=[target.pk])
    client = verified_client(charlie)
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "Spam."}).status_code == 404
    assert not Flag.objects.exists()


def test_it_lets_another_authority_report_a_case_shared_with_all(verified_client, carol, charlie):
    shared = CaseFactory(author=carol, visibility=Visibility.ALL, sharing="approved")
    url = reverse("casenotes:case-flag", args=[shared.pk])
    assert verified_client(charlie).post(url, {"reason": "Too detailed."}).status_code == 302
    assert Flag.objects.get().raised_by == charlie


def test_it_answers_404_to_reporting_a_hidden_comment_but_to_moderators(
    verified_client, case, alice, bob
):
    hidden = CommentFactory(case=case, author=bob, is_hidden=True)
    url = reverse("casenotes:comment-flag", args=[hidden.pk])
    assert verified_client(alice).get(url).status_code == 404
    assert verified_client(bob).get(url).status_code == 200


# --- The moderation queue ---------------------------------------------------------------------


@pytest.fixture
def flags(case, comment, case_of_b, alice, charlie):
    return [
        services.flag_raise(raised_by=alice, case=case, reason_raw="Too detailed."),
        services.flag_raise(raised_by=alice, case=case, comment=comment, reason_raw="Mine, oops."),
        services.flag_raise(raised_by=charlie, case=case_of_b, reason_raw="Weald report."),
    ]


@pytest.mark.parametrize("moderator", ["bob", "dave"])
def test_it_queues_only_the_reports_of_the_moderators_own_authority(
    verified_client, flags, moderator, request
):
    page = text(
        verified_client(request.getfixturevalue(moderator)).get(
            reverse("casenotes:moderation-queue")
        )
    )
    assert "Too detailed." in page and "Mine, oops." in page
    assert "Alice Okafor" in page
    assert "Weald report." not in page and "Heron drawings" not in page


def test_it_queues_the_other_authoritys_reports_for_its_admin(verified_client, flags, wendy):
    page = text(verified_client(wendy).get(reverse("casenotes:moderation-queue")))
    assert "Weald report." in page and "Too detailed." not in page


def test_it_names_reporters_of_another_authority_by_role_and_region(
    verified_client, carol, charlie, bob
):
    shared = CaseFactory(author=carol, visibility=Visibility.ALL, sharing="approved")
    services.flag_raise(raised_by=charlie, case=shared, reason_raw="Too detailed.")
    page = text(verified_client(bob).get(reverse("casenotes:moderation-queue")))
    assert "Practitioner, South East" in page and "Charlie" not in page


def test_it_keeps_the_queue_from_practitioners(verified_client, flags, alice):
    assert verified_client(alice).get(reverse("casenotes:moderation-queue")).status_code == 403


def test_it_drops_resolved_reports_from_the_queue(verified_client, flags, comment, bob):
    services.comment_moderate(actor=bob, comment=comment, hide=False, reason_raw="It is fine.")
    page = text(verified_client(bob).get(reverse("casenotes:moderation-queue")))
    assert "Mine, oops." not in page and "Too detailed." in page


@pytest.fixture
def fifty_five_flags(case, alice) -> list[Flag]:
    """Fifty-five open reports of carol's case, oldest first."""
    # Made directly: flag_raise keeps one open report a person a case.
    return [
        Flag.objects.create(case=case, raised_by=alice, reason=f"Report {n:02d}.")
        for n in range(55)
    ]


def test_it_pages_the_moderation_queue_fifty_at_a_time_oldest_first(
    verified_client, bob, fifty_five_flags
):
    client = verified_client(bob)
    first = client.get(reverse("casenotes:moderation-queue"))
    second = client.get(reverse("casenotes:moderation-queue"), {"page": 2})
    assert list(first.context["page"]) == fifty_five_flags[:50]
    assert list(second.context["page"]) == fifty_five_flags[50:]
    assert "Open reports, oldest first: 1 to 50 of 55" in text(first)
    assert "51 to 55 of 55" in text(second)
    assert "Report 49." in text(first) and "Report 50." not in text(first)
    assert text(second).count("Alice Okafor") == 5  # who raised each, named on every page


@pytest.mark.parametrize(("asked", "shown"), [("999", 2), ("x", 1)])
def test_it_shows_the_nearest_real_page_of_the_moderation_queue(
    verified_client, bob, fifty_five_flags, asked, shown
):
    response = verified_client(bob).get(reverse("casenotes:moderation-queue"), {"page": asked})
    assert response.status_code == 200
    assert response.context["page"].number == shown


# --- Hiding and showing -----------------------------------------------------------------------


def test_it_hides_a_comment_resolving_its_reports_audited(verified_client, flags, comment, bob):
    url = reverse("casenotes:comment-moderate", args=[comment.pk])
    client = verified_client(bob)
    assert "Mine, oops." in text(client.get(url))
    response = client.post(url, {"action": "hide", "reason": "Names Sadia Khan."})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.is_hidden and comment.hidden_reason == "Names [Person 1]."
    flag = Flag.objects.get(comment=comment)
    assert flag.resolved_by == bob and flag.resolved_at is not None
    assert flag.resolution == "Hidden: Names [Person 1]."
    assert Flag.objects.get(case=comment.case, comment=None).resolved_at is None
    event = AuditEvent.objects.get(action=AuditAction.CASE_MODERATED)
    assert (event.actor, event.subject, event.authority_id) == (
        bob,
        comment.author,
        comment.case.authority_id,
    )
    assert event.detail == {
        "what": "comment",
        "which": comment.pk,
        "case": comment.case_id,
        "action": "hide",
        "reason": "Names [Person 1].",
    }


def test_it_hides_a_hidden_comment_from_all_but_moderators(case, comment, alice, bob, dave, carol):
    services.comment_moderate(actor=bob, comment=comment, hide=True, reason_raw="Off topic.")
    for viewer in (alice, carol):
        assert "Ask the DSL first." not in panel(case, viewer)
    for moderator in (bob, dave):
        page = panel(case, moderator)
        assert "Ask the DSL first." in page
        assert '<strong class="govuk-tag govuk-tag--red">Hidden</strong>' in page
        assert "Off topic." in page


def test_it_restores_a_comment_audited(verified_client, comment, alice, bob):
    services.comment_moderate(actor=bob, comment=comment, hide=True, reason_raw="Off topic.")
    url = reverse("casenotes:comment-moderate", args=[comment.pk])
    verified_client(bob).post(url, {"action": "restore", "reason": "Fine after all."})
    comment.refresh_from_db()
    assert not comment.is_hidden and comment.hidden_reason == ""
    assert "Ask the DSL first." in panel(comment.case, alice)
    actions = AuditEvent.objects.filter(action=AuditAction.CASE_MODERATED).order_by("pk")
    assert [event.detail["action"] for event in actions] == ["hide", "restore"]


def test_it_hides_a_case_from_all_but_its_moderators(
    verified_client, case, flags, alice, bob, carol
):
    url = reverse("casenotes:case-moderate", args=[case.pk])
    verified_client(bob).post(url, {"action": "hide", "reason": "Identifies the family."})
    case.refresh_from_db()
    assert case.is_hidden and case.hidden_reason == "Identifies the family."
    assert not Case.objects.for_user(alice).filter(pk=case.pk).exists()
    assert not Case.objects.for_user(carol).filter(pk=case.pk).exists()  # even its author
    assert Case.objects.for_user(bob).filter(pk=case.pk).exists()
    assert Flag.objects.get(case=case, comment=None).resolution.startswith("Hidden: ")
    assert Flag.objects.get(comment__isnull=False).resolved_at is None  # the comment's own
    event = AuditEvent.objects.get(action=AuditAction.CASE_MODERATED)
    assert event.detail["what"] == "case" and event.detail["which"] == case.pk
    assert event.subject == carol


def test_it_needs_a_choice_and_a_reason_to_moderate(verified_client, comment, bob):
    url = reverse("casenotes:comment-moderate", args=[comment.pk])
    page = text(verified_client(bob).post(url, {"action": "", "reason": ""}))
    assert "Select whether to hide or show it" in page and "Enter the reason" in page
    assert not AuditEvent.objects.filter(action=AuditAction.CASE_MODERATED).exists()


@pytest.mark.parametrize("url_name", ["casenotes:case-moderate", "casenotes:comment-moderate"])
def test_it_answers_404_to_moderators_of_another_authority(
    verified_client, comment, wendy, url_name
):
    target = comment.case if url_name == "casenotes:case-moderate" else comment
    url = reverse(url_name, args=[target.pk])
    client = verified_client(wendy)
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "hide", "reason": "Mine now."}).status_code == 404
    comment.refresh_from_db()
    assert not comment.is_hidden and not comment.case.is_hidden


def test_it_keeps_moderation_from_practitioners(verified_client, comment, alice):
    url = reverse("casenotes:comment-moderate", args=[comment.pk])
    assert verified_client(alice).post(url, {"action": "hide", "reason": "x"}).status_code == 403
    assert not Comment.objects.get().is_hidden


def test_it_refuses_moderation_by_a_moderator_of_another_authority_in_the_service(
    comment, authority, other_authority
):
    supervisor = UserFactory(authority=other_authority, role=Role.SUPERVISOR)
    with pytest.raises(services.CaseRefused):
        services.comment_moderate(actor=supervisor, comment=comment, hide=True, reason_raw="x")
