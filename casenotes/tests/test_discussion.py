"""Discussion of a case, below the pages: comments (redacted, emailed to the case's author
through the outbox), votes (one per person, changeable, split by Prevent priority area) and
what the discussion panel is given (who is named how, when the distribution shows)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from casenotes import selectors, services
from casenotes.models import Comment, ConsensusVote, Visibility
from casenotes.responses import Response
from casenotes.tests.case_factories import CaseFactory, CommentFactory, VoteFactory
from portal.models import EmailKind, EmailPreference, OutboxEmail, Role
from portal.tasks import outbox_send
from portal.tests.factories import UserFactory

RAW_COMMENT = "I spoke to Tariq Mahmood on 07700 900461: early help seems right."


@pytest.fixture
def case(alice):
    return CaseFactory(author=alice, title="Kestrel memes in the group chat")


@pytest.fixture
def shared_case(alice):
    """A case every authority may see (approved for sharing)."""
    return CaseFactory(author=alice, visibility=Visibility.ALL, sharing="approved")


def render_panel(case, user) -> str:
    """The panel alone, as the case page includes it."""
    discussion = selectors.discussion_for_case(case=case, user=user)
    return render_to_string(
        "casenotes/discussion/_panel.html", {"discussion": discussion, "csrf_token": "x"}
    )


# --- Comments ---------------------------------------------------------------------------------


def test_it_stores_only_the_redacted_comment(case, bob):
    comment = services.comment_post(author=bob, case=case, body_raw=RAW_COMMENT)
    stored = Comment.objects.values_list("body", flat=True).get(pk=comment.pk)
    assert stored == "I spoke to [Person 1] on [phone]: early help seems right."
    assert "Tariq" not in stored and "Mahmood" not in stored and "900461" not in stored


def test_it_refuses_a_comment_on_a_case_the_commenter_cannot_see(case, charlie):
    with pytest.raises(services.CaseRefused):
        services.comment_post(author=charlie, case=case, body_raw="Hello")
    assert not Comment.objects.exists()


def test_it_refuses_a_comment_on_a_hidden_case(alice, bob):
    hidden = CaseFactory(author=alice, is_hidden=True)
    with pytest.raises(services.CaseRefused, match="hidden"):
        services.comment_post(author=bob, case=hidden, body_raw="Anything new?")


def test_it_refuses_a_comment_that_is_empty(case, bob):
    with pytest.raises(services.CaseRefused):
        services.comment_post(author=bob, case=case, body_raw="   ")


# --- The email to the case's author -----------------------------------------------------------


def test_it_emails_the_case_author_once_through_the_outbox(
    case, bob, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        comment = services.comment_post(author=bob, case=case, body_raw=RAW_COMMENT)
    row = OutboxEmail.objects.get()
    assert (row.idempotency_key, row.kind, row.user_id, row.object_id) == (
        f"case_comment:{comment.pk}",
        EmailKind.CASE_COMMENT,
        case.author_id,
        comment.pk,
    )
    assert row.status == OutboxEmail.Status.SENT
    assert [message.to for message in mail.outbox] == [["alice@northbridge.example"]]


def test_it_sends_a_link_and_no_case_text(case, bob, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        comment = services.comment_post(author=bob, case=case, body_raw="Try early help first.")
    (message,) = mail.outbox
    html = message.alternatives[0][0]
    link = f"http://testserver{reverse('casenotes:comment-detail', args=[comment.pk])}"
    assert link in message.body and link in html
    for secret in [case.title, "Kestrel", case.account, "early help first", comment.body]:
        assert secret not in message.subject and secret not in message.body
        assert secret not in html
    assert "Bob" not in message.body
    assert "/unsubscribe/" in message.body and "/unsubscribe/" in html
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_it_sends_one_email_per_comment_however_often_the_sender_runs(
    case, bob, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_post(author=bob, case=case, body_raw="First thoughts.")
    _send_outbox()
    _send_outbox()
    assert len(mail.outbox) == 1


def test_it_does_not_email_the_author_about_their_own_comment(
    case, alice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_post(author=alice, case=case, body_raw="An update: it went well.")
    assert not OutboxEmail.objects.exists()
    assert not mail.outbox


def _send_outbox():
    outbox_send.delay()  # runs in this process: tests make tasks eager


def test_it_skips_the_email_when_the_comment_was_hidden_before_sending(
    case, bob, django_capture_on_commit_callbacks
):
    comment = services.comment_post(author=bob, case=case, body_raw="Something unkind.")
    Comment.objects.filter(pk=comment.pk).update(is_hidden=True)
    _send_outbox()
    assert OutboxEmail.objects.get().status == OutboxEmail.Status.SKIPPED
    assert not mail.outbox


def test_it_skips_the_email_when_the_author_can_no_longer_see_the_case(
    case, alice, bob, other_authority, django_capture_on_commit_callbacks
):
    services.comment_post(author=bob, case=case, body_raw="What did the DSL say?")
    alice.authority = other_authority
    alice.team = None
    alice.save()
    _send_outbox()
    assert OutboxEmail.objects.get().status == OutboxEmail.Status.SKIPPED
    assert not mail.outbox


def test_it_respects_an_opt_out_of_comment_emails(
    case, alice, bob, django_capture_on_commit_callbacks
):
    EmailPreference.objects.create(user=alice, kind=EmailKind.CASE_COMMENT)
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_post(author=bob, case=case, body_raw="What did the DSL say?")
    assert OutboxEmail.objects.get().status == OutboxEmail.Status.SKIPPED
    assert not mail.outbox


# --- Votes ------------------------------------------------------------------------------------


def vote(voter, case, routes="family_help + none", actions=(), rationale_raw="Yes."):
    """Vote through the service; `routes` is "<safeguarding> + <prevent>"."""
    safeguarding, prevent = routes.split(" + ")
    return services.vote_record(
        voter=voter,
        case=case,
        safeguarding=safeguarding,
        prevent=prevent,
        actions=actions,
        rationale_raw=rationale_raw,
    )


def test_it_keeps_one_vote_per_person_and_changes_it(case, bob):
    vote(bob, case, "family_help + none", rationale_raw="Proportionate.")
    vote(bob, case, "universal + referral", ["consult_dsl"], "The cousin worries me.")
    stored = ConsensusVote.objects.get()
    assert (stored.voter, stored.response, stored.rationale) == (
        bob,
        Response("universal", "referral", ("consult_dsl",)),
        "The cousin worries me.",
    )


def test_it_stores_the_actions_once_each_in_the_vocabularys_order(case, bob):
    vote(bob, case, actions=["record_decision", "consult_dsl", "record_decision"])
    assert ConsensusVote.objects.get().actions == ["consult_dsl", "record_decision"]


def test_it_redacts_the_rationale(case, bob):
    vote(bob, case, rationale_raw="Ring Sadia Khan on 07700 900461.")
    assert ConsensusVote.objects.get().rationale == "Ring [Person 1] on [phone]."


def test_it_records_whether_the_voter_works_in_a_priority_area_at_vote_time(
    shared_case, bob, charlie, authority
):
    vote(bob, shared_case)
    vote(charlie, shared_case, "record + none")
    authority.is_prevent_priority_area = False
    authority.save()
    in_priority_area = dict(ConsensusVote.objects.values_list("voter", "voter_in_priority_area"))
    assert in_priority_area == {bob.pk: True, charlie.pk: False}


def test_it_refuses_a_vote_on_a_case_the_voter_cannot_see(case, charlie):
    with pytest.raises(services.CaseRefused):
        vote(charlie, case)
    assert not ConsensusVote.objects.exists()


def test_it_refuses_a_vote_from_the_case_author(case, alice):
    with pytest.raises(services.CaseRefused):
        vote(alice, case)


@pytest.mark.parametrize(
    ("routes", "actions", "field", "message"),
    [
        ("shrug + none", [], "safeguarding", "Select a safeguarding route from the list"),
        ("family_help + early_help", [], "prevent", "Select a Prevent route from the list"),
        ("family_help + none", ["consult_dsl", "phone_a_friend"], "actions", "Select actions"),
    ],
)
def test_it_refuses_a_route_or_action_outside_the_vocabulary(
    case, bob, routes, actions, field, message
):
    with pytest.raises(services.CaseRefused, match=message) as refusal:
        vote(bob, case, routes, actions)
    assert refusal.value.field == field
    assert not ConsensusVote.objects.exists()


# --- What the panel is given ------------------------------------------------------------------


def test_it_hides_the_distribution_until_the_viewer_has_voted(shared_case, bob, charlie):
    VoteFactory(case=shared_case, voter=charlie, safeguarding="universal", prevent="referral")
    before = selectors.discussion_for_case(case=shared_case, user=bob)
    assert before.distribution is None and not before.shows_decision
    assert before.vote_count == 1
    vote(bob, shared_case, "family_help + advice", ["consult_dsl"])
    after = selectors.discussion_for_case(case=shared_case, user=bob)
    assert after.distribution is not None and after.shows_decision
    assert after.own_vote.response == Response("family_help", "advice", ("consult_dsl",))
    assert after.own_vote.rationale == "Yes."


def grid_counts(distribution) -> dict[tuple[str, str], int]:
    """The safeguarding × Prevent table as {(safeguarding label, Prevent label): count}, for
    the cells with votes."""
    return {
        (row.label, column): cell.count
        for row in distribution.grid.rows
        for column, cell in zip(distribution.grid.columns, row.cells, strict=True)
        if cell.count
    }


def test_it_counts_both_routes_of_each_vote_together(shared_case, bob, charlie):
    vote(bob, shared_case, "child_protection + referral", ["share_information"])
    vote(charlie, shared_case, "family_help + advice", ["consult_dsl", "share_information"])
    distribution = selectors.discussion_for_case(case=shared_case, user=bob).distribution
    assert grid_counts(distribution) == {
        ("Child protection (section 47)", "Prevent referral"): 1,
        ("Family help (early help or section 17)", "Prevent advice"): 1,
    }
    assert distribution.grid.column_totals == (0, 1, 1, 0) and distribution.total == 2
    assert [(a.label, a.count, a.of) for a in distribution.actions] == [
        ("Share information", 2, 2),
        ("Consult the DSL", 1, 2),
    ]


def test_it_splits_each_route_by_priority_area(shared_case, bob, charlie, wendy, authority):
    vote(bob, shared_case, "family_help + none")
    vote(charlie, shared_case, "family_help + advice")
    vote(wendy, shared_case, "emergency_protection + emergency")
    VoteFactory(
        case=shared_case,
        voter=UserFactory(authority=authority),
        safeguarding="universal",
        prevent="referral",
        voter_in_priority_area=True,
    )
    safeguarding, prevent = selectors.discussion_for_case(
        case=shared_case, user=bob
    ).distribution.splits
    rows = {row.level: (row.priority, row.other) for row in safeguarding.rows}
    assert rows == {
        "none": (0, 0),
        "record": (0, 0),
        "universal": (1, 0),
        "family_help": (1, 1),
        "child_protection": (0, 0),
        "emergency_protection": (0, 1),
    }
    rows = {row.level: (row.priority, row.other) for row in prevent.rows}
    assert rows == {"none": (1, 0), "advice": (0, 1), "referral": (1, 0), "emergency": (0, 1)}


def test_it_marks_the_viewers_answer_and_what_was_done(shared_case, bob):
    vote(bob, shared_case, "universal + referral", ["consult_dsl"])
    distribution = selectors.discussion_for_case(case=shared_case, user=bob).distribution
    cells = [
        (row.label, column, cell.is_own, cell.is_decision)
        for row in distribution.grid.rows
        for column, cell in zip(distribution.grid.columns, row.cells, strict=True)
        if cell.is_own or cell.is_decision
    ]
    assert cells == [
        ("Universal support", "Prevent referral", True, False),
        ("Family help (early help or section 17)", "No Prevent action", False, True),
    ]
    safeguarding, prevent = distribution.splits
    assert [row.level for row in safeguarding.rows if row.is_own] == ["universal"]
    assert [row.level for row in prevent.rows if row.is_decision] == ["none"]
    # What was done (CaseFactory): consult the DSL and inform the family.
    assert [(a.key, a.is_own, a.is_decision) for a in distribution.actions] == [
        ("consult_dsl", True, True)
    ]


def test_it_shows_the_author_the_distribution_once_someone_voted(case, alice, bob):
    assert selectors.discussion_for_case(case=case, user=alice).distribution is None
    vote(bob, case)
    discussion = selectors.discussion_for_case(case=case, user=alice)
    assert discussion.distribution.total == 1
    assert discussion.vote_form is None  # the author's answer is what they did


def test_it_fills_the_vote_form_with_the_viewers_vote(case, bob):
    vote(bob, case, "record + advice", ["record_decision"], "Wait.")
    form = selectors.discussion_for_case(case=case, user=bob).vote_form
    assert form.initial == {
        "safeguarding": "record",
        "prevent": "advice",
        "actions": ["record_decision"],
        "rationale": "Wait.",
    }
    assert not form.is_bound


def test_it_offers_no_forms_on_a_hidden_case(alice, bob):
    hidden = CaseFactory(author=alice, is_hidden=True)
    discussion = selectors.discussion_for_case(case=hidden, user=bob)
    assert discussion.comment_form is None and discussion.vote_form is None
    assert discussion.can_moderate


def test_it_names_commenters_inside_the_authority(case, alice, bob):
    CommentFactory(case=case, author=bob)
    CommentFactory(case=case, author=alice)
    labels = [c.shown_as for c in selectors.discussion_for_case(case=case, user=alice).comments]
    assert labels == ["Bob Hughes", "You"]


def test_it_shows_role_and_region_outside_the_authority(shared_case, bob, charlie):
    CommentFactory(case=shared_case, author=bob)
    CommentFactory(case=shared_case, author=charlie)
    discussion = selectors.discussion_for_case(case=shared_case, user=charlie)
    assert [comment.shown_as for comment in discussion.comments] == [
        "Supervisor, North West",
        "You",
    ]
    page = render_panel(shared_case, charlie)
    assert "Supervisor, North West" in page and "Bob Hughes" not in page


def test_it_names_no_commenter_of_another_authority_even_inside(shared_case, alice, charlie):
    CommentFactory(case=shared_case, author=charlie)
    discussion = selectors.discussion_for_case(case=shared_case, user=alice)
    assert [comment.shown_as for comment in discussion.comments] == ["Practitioner, South East"]


def test_it_hides_hidden_comments_from_all_but_moderators(case, alice, bob, dave, carol):
    CommentFactory(case=case, author=carol, body="Shown.")
    CommentFactory(case=case, author=carol, body="Rude.", is_hidden=True)
    for viewer, bodies in [
        (alice, ["Shown."]),
        (carol, ["Shown."]),
        (bob, ["Shown.", "Rude."]),
        (dave, ["Shown.", "Rude."]),
    ]:
        comments = selectors.discussion_for_case(case=case, user=viewer).comments
        assert [comment.body for comment in comments] == bodies, viewer


def test_it_reads_a_page_of_the_discussion_in_three_queries(
    shared_case, alice, bob, charlie, authority, other_authority, django_assert_num_queries
):
    people = [UserFactory(authority=authority if n % 2 else other_authority) for n in range(50)]
    for number in range(100):
        CommentFactory(case=shared_case, author=people[number % 50], body=f"Comment {number}")
    for person in people:
        VoteFactory(
            case=shared_case,
            voter=person,
            voter_in_priority_area=person.authority_id == authority.pk,
        )
    VoteFactory(
        case=shared_case,
        voter=bob,
        safeguarding="universal",
        prevent="referral",
        actions=["consult_dsl"],
        voter_in_priority_area=True,
    )
    with django_assert_num_queries(3):
        discussion = selectors.discussion_for_case(case=shared_case, user=bob, page_number=2)
    assert [c.body for c in discussion.comments] == [f"Comment {n}" for n in range(50, 100)]
    assert discussion.comment_page.paginator.count == 100
    assert discussion.distribution.total == 51
    assert discussion.own_vote.response == Response("universal", "referral", ("consult_dsl",))
    with django_assert_num_queries(0):
        page = render_to_string(
            "casenotes/discussion/_panel.html",
            {"discussion": discussion, "csrf_token": "x"},
            request=RequestFactory().get("/", {"page": 2}),
        )
    assert "Comment 99" in page and "Comment 49" not in page
    assert 'href="?page=1#comments"' in page and 'aria-label="Comment pages"' in page
    assert "Comments 51 to 100 of 100, oldest first." in page


# --- Pages of comments ----------------------------------------------------------------------


def _comments(case, count: int, **fields) -> list[Comment]:
    return [CommentFactory(case=case, body=f"Comment {n}", **fields) for n in range(count)]


def test_it_shows_fifty_comments_a_page_oldest_first(case, bob):
    _comments(case, 120, author=bob)
    pages = [
        selectors.discussion_for_case(case=case, user=bob, page_number=number) for number in [1, 3]
    ]
    assert [c.body for c in pages[0].comments] == [f"Comment {n}" for n in range(50)]
    assert [c.body for c in pages[1].comments] == [f"Comment {n}" for n in range(100, 120)]
    assert pages[1].comment_page_numbers == [1, 2, 3]


@pytest.mark.parametrize("asked", ["0", "abc", "99", "-1", ""])
def test_it_shows_the_nearest_real_page_for_a_bad_page_number(case, bob, asked):
    _comments(case, 60, author=bob)
    discussion = selectors.discussion_for_case(case=case, user=bob, page_number=asked)
    expected = 1 if asked in {"abc", ""} else 2  # out of range: the last page, as Django does
    assert discussion.comment_page.number == expected


def test_it_finds_the_page_of_a_comment_counting_only_what_the_viewer_sees(case, alice, bob):
    """Hidden comments are listed to moderators (bob, a supervisor) only, so the same comment
    can sit on a later page for them than for alice."""
    _comments(case, 10, author=bob, is_hidden=True)
    shown = _comments(case, 45, author=bob)
    last = CommentFactory(case=case, author=bob, body="The last word.")
    assert selectors.comment_page_number(comment=shown[-1], user=alice) == 1
    assert selectors.comment_page_number(comment=last, user=alice) == 1
    assert selectors.comment_page_number(comment=shown[39], user=bob) == 1
    assert selectors.comment_page_number(comment=shown[40], user=bob) == 2
    assert selectors.comment_page_number(comment=last, user=bob) == 2


def test_it_orders_comments_posted_at_the_same_moment_by_their_number(case, bob):
    moment = timezone.now()
    comments = _comments(case, 51, author=bob, created_at=moment)
    assert selectors.comment_page_number(comment=comments[49], user=bob) == 1
    assert selectors.comment_page_number(comment=comments[50], user=bob) == 2


def test_it_lets_platform_admins_read_but_not_take_part(shared_case, db):
    platform_admin = UserFactory(authority=None, is_staff=True, is_superuser=True)
    CommentFactory(case=shared_case, author=shared_case.author, body="Hello.")
    discussion = selectors.discussion_for_case(case=shared_case, user=platform_admin)
    assert [comment.shown_as for comment in discussion.comments] == ["Practitioner, North West"]
    assert discussion.comment_form is None and discussion.vote_form is None


def test_it_names_the_role_of_a_person_with_no_authority(case, alice):
    platform_admin = UserFactory(authority=None, role=Role.AUTHORITY_ADMIN, is_superuser=True)
    assert selectors.person_shown_as(alice, person=platform_admin, case=case) == "Authority admin"
