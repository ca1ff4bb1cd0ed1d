"""Discussion pages: commenting and voting through the case page's forms, with their error
pages. Every page proves charlie (another authority) gets a 404 on a case kept inside alice's
authority, and may take part once the case is approved for every authority."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.views.debug import SafeExceptionReporterFilter

from casenotes.forms_discussion import COMMENT_RAW_FIELDS, VOTE_RAW_FIELDS
from casenotes.models import Comment, ConsensusVote, Visibility
from casenotes.tests.case_factories import CaseFactory, CommentFactory, VoteFactory
from portal.tests.factories import UserFactory

CLEANSED = SafeExceptionReporterFilter.cleansed_substitute
FAMILY_HELP = {"safeguarding": "family_help", "prevent": "none"}


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def case(alice):
    """Inside Northbridge only."""
    return CaseFactory(author=alice, title="Kestrel memes in the group chat")


@pytest.fixture
def shared_case(alice):
    return CaseFactory(author=alice, visibility=Visibility.ALL, sharing="approved")


def comment_url(case) -> str:
    return reverse("casenotes:comment-create", args=[case.pk])


def vote_url(case) -> str:
    return reverse("casenotes:vote", args=[case.pk])


# --- Who may take part ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "data"),
    [
        (comment_url, {"body": "From Wealdshire."}),
        (vote_url, {**FAMILY_HELP, "rationale": "Early help first."}),
    ],
)
def test_it_answers_404_outside_the_case_visibility(verified_client, case, charlie, url, data):
    response = verified_client(charlie).post(url(case), data)
    assert response.status_code == 404
    assert not Comment.objects.exists() and not ConsensusVote.objects.exists()


def test_it_lets_another_authority_comment_on_a_case_shared_with_all(
    verified_client, shared_case, charlie
):
    response = verified_client(charlie).post(comment_url(shared_case), {"body": "Hello."})
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response.url == (
        f"{reverse('casenotes:case-detail', args=[shared_case.pk])}#comment-{comment.pk}"
    )
    assert comment.author == charlie


def test_it_lets_another_authority_vote_on_a_case_shared_with_all(
    verified_client, shared_case, charlie
):
    data = {"safeguarding": "record", "prevent": "advice", "rationale": "Too early to tell."}
    response = verified_client(charlie).post(vote_url(shared_case), data)
    assert response.status_code == 302
    assert response.url.endswith("#consensus")
    vote = ConsensusVote.objects.get()
    assert (vote.voter, vote.safeguarding, vote.prevent, vote.voter_in_priority_area) == (
        charlie,
        "record",
        "advice",
        False,
    )


@pytest.mark.parametrize("url", [comment_url, vote_url])
def test_it_takes_forms_by_post_only(verified_client, case, bob, url):
    assert verified_client(bob).get(url(case)).status_code == 405


def test_it_refuses_taking_part_to_someone_of_no_authority(verified_client, shared_case):
    platform_admin = UserFactory(authority=None, is_staff=True, is_superuser=True)
    response = verified_client(platform_admin).post(comment_url(shared_case), {"body": "Hi."})
    assert response.status_code == 403


# --- Comments ---------------------------------------------------------------------------------


def test_it_stores_a_comment_redacted(verified_client, case, bob):
    body = "Did Tariq Mahmood ring you from 07700 900461?"
    verified_client(bob).post(comment_url(case), {"body": body})
    stored = Comment.objects.values_list("body", flat=True).get()
    assert stored == "Did [Person 1] ring you from [phone]?"


def test_it_shows_a_comment_error_on_its_own_page(verified_client, case, bob):
    response = verified_client(bob).post(comment_url(case), {"body": ""})
    page = text(response)
    assert response.status_code == 200
    assert "There is a problem" in page and "Enter your comment" in page
    assert "Back to the case" in page
    assert not Comment.objects.exists()


def test_it_shows_the_refusal_of_a_comment_on_a_hidden_case(verified_client, alice, bob):
    hidden = CaseFactory(author=alice, is_hidden=True)
    page = text(verified_client(bob).post(comment_url(hidden), {"body": "Still there?"}))
    assert "This case is hidden by a moderator, so its discussion is closed" in page
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("url", "fields", "data"),
    [
        (comment_url, COMMENT_RAW_FIELDS, {"body": "Amira is 14.", "participants": "Amira"}),
        (
            vote_url,
            VOTE_RAW_FIELDS,
            {"safeguarding": "", "rationale": "Amira is 14.", "participants": "Amira"},
        ),
    ],
)
def test_it_masks_raw_text_in_error_reports_and_browser_caches(
    verified_client, case, bob, url, fields, data
):
    response = verified_client(bob).post(url(case), data)
    reported = SafeExceptionReporterFilter().get_post_parameters(response.wsgi_request)
    assert {name: reported[name] for name in fields} == dict.fromkeys(fields, CLEANSED)
    assert "no-store" in response["Cache-Control"]


# --- Votes ------------------------------------------------------------------------------------


def test_it_changes_a_vote_by_voting_again(verified_client, case, bob):
    client = verified_client(bob)
    client.post(vote_url(case), {**FAMILY_HELP, "rationale": "Proportionate."})
    data = {
        "safeguarding": "universal",
        "prevent": "referral",
        "actions": ["share_information", "consult_dsl"],
        "rationale": "On reflection.",
    }
    client.post(vote_url(case), data)
    votes = ConsensusVote.objects.values_list(
        "voter", "safeguarding", "prevent", "actions", "rationale"
    )
    assert list(votes) == [
        (bob.pk, "universal", "referral", ["consult_dsl", "share_information"], "On reflection.")
    ]


def test_it_shows_a_vote_error_on_its_own_page(verified_client, case, bob):
    page = text(verified_client(bob).post(vote_url(case), {"rationale": ""}))
    assert "Select what you would do on the safeguarding route" in page
    assert "Select what you would do on the Prevent route" in page
    assert "Enter why you would choose this response" in page
    assert not ConsensusVote.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"safeguarding": "early_help", "prevent": "none"}, "Select a safeguarding route from"),
        ({"safeguarding": "record", "prevent": "channel"}, "Select a Prevent route from the list"),
        (
            {"safeguarding": "record", "prevent": "none", "actions": ["consult_dsl", "shrug"]},
            "Select actions from the list",
        ),
    ],
)
def test_it_shows_a_route_or_action_outside_the_vocabulary_as_a_form_error(
    verified_client, case, bob, data, message
):
    page = text(verified_client(bob).post(vote_url(case), {**data, "rationale": "Because."}))
    assert "There is a problem" in page and message in page
    assert not ConsensusVote.objects.exists()


def test_it_tells_the_author_their_answer_is_what_they_did(verified_client, case, alice):
    data = {**FAMILY_HELP, "rationale": "As I did."}
    page = text(verified_client(alice).post(vote_url(case), data))
    assert "You posted this case: your answer is what you did" in page
    assert not ConsensusVote.objects.exists()


# --- Markdown ---------------------------------------------------------------------------------

HOSTILE = (
    "**Bold** point.\n\n<script>alert('x')</script>\n\n"
    '<img src="x" onerror="alert(1)">\n\n[click](javascript:alert(2))\n\n'
    '<a href="https://example.org" onclick="alert(3)">link</a>\n\n'
    '<div class="govuk-panel"><iframe src="https://evil.example"></iframe></div>'
)


def test_it_renders_comments_as_sanitised_markdown(verified_client, case, bob):
    comment = CommentFactory(case=case, author=bob, body=HOSTILE)
    page = verified_client(bob).get(reverse("casenotes:comment-flag", args=[comment.pk]))
    html = page.content.decode()
    assert "<strong>Bold</strong> point." in html
    for hostile in [
        "<script>alert",
        "onerror",
        "javascript:",
        "onclick",
        "<iframe",
        "<img",
        '<div class="govuk-panel"',
    ]:
        assert hostile not in html, hostile
    assert '<a href="https://example.org" rel="noopener">link</a>' in html


def test_it_sanitises_markdown_posted_through_the_form(verified_client, case, bob):
    verified_client(bob).post(comment_url(case), {"body": HOSTILE})
    comment = Comment.objects.get()
    html = verified_client(bob).get(reverse("casenotes:comment-flag", args=[comment.pk]))
    assert "<script>alert" not in html.content.decode()
    assert "onerror" not in html.content.decode()


# --- The panel on the case page ---------------------------------------------------------------

MAX_CASE_PAGE_QUERIES = 11


def cells(*values) -> str:
    return "".join(
        f'<td class="govuk-table__cell govuk-table__cell--numeric">{value}</td>' for value in values
    )


def grid_row(label: str, *counts) -> str:
    """A row of the safeguarding × Prevent table as the page draws it: a cell per Prevent level,
    then the row's total."""
    return (
        f'<th scope="row" class="govuk-table__header">{label}</th> '
        f"{cells(*counts[:-1])} {cells(counts[-1])}"
    )


def case_page(client, case) -> str:
    return text(client.get(reverse("casenotes:case-detail", args=[case.pk])))


def test_it_shows_the_distribution_only_after_voting(verified_client, shared_case, bob, charlie):
    VoteFactory(case=shared_case, voter=charlie, safeguarding="universal", prevent="referral")
    client = verified_client(bob)
    before = case_page(client, shared_case)
    assert "1 colleague has answered so far" in before
    assert "What colleagues would do" not in before and "Prevent priority areas" not in before
    data = {**FAMILY_HELP, "actions": ["consult_dsl"], "rationale": "Proportionate."}
    after = text(client.post(vote_url(shared_case), data, follow=True))
    assert "What colleagues would do" in after
    assert "2 answers: 1 from staff in Prevent priority areas and 1 from other areas" in after
    assert (
        "What was done: <strong>Family help (early help or section 17) + No Prevent action; "
        "actions: Consult the DSL, Inform the family</strong>."
    ) in after
    # Each route split by priority area, what was done and the viewer's answer marked.
    assert (
        'Family help (early help or section 17) <strong class="govuk-tag govuk-tag--blue">'
        'What was done</strong> <strong class="govuk-tag govuk-tag--green">Your answer</strong>'
        '</th> <td class="govuk-table__cell govuk-table__cell--numeric">1</td> '
        '<td class="govuk-table__cell govuk-table__cell--numeric">0</td>'
    ) in after
    assert (
        'Prevent referral</th> <td class="govuk-table__cell govuk-table__cell--numeric">'
        '0</td> <td class="govuk-table__cell govuk-table__cell--numeric">1</td>'
    ) in after
    assert (
        "You would choose <strong>Family help (early help or section 17) + No Prevent action; "
        "actions: Consult the DSL</strong>: Proportionate."
    ) in after


def test_it_counts_two_peers_answering_on_different_routes_in_one_table(
    verified_client, shared_case, alice, bob, charlie
):
    verified_client(bob).post(
        vote_url(shared_case),
        {
            "safeguarding": "child_protection",
            "prevent": "referral",
            "actions": ["share_information", "consult_dsl"],
            "rationale": "Strategy discussion and a referral, in parallel.",
        },
    )
    verified_client(charlie).post(
        vote_url(shared_case),
        {
            "safeguarding": "family_help",
            "prevent": "advice",
            "actions": ["consult_dsl"],
            "rationale": "Early help, and ask the Prevent lead.",
        },
    )
    page = case_page(verified_client(alice), shared_case)
    assert (
        '<caption class="govuk-table__caption govuk-table__caption--s">Answers by safeguarding '
        "route (rows) and Prevent route (columns)</caption>"
    ) in page
    # Columns: no Prevent action, advice, referral, 999 emergency; then all.
    assert grid_row("Child protection (section 47)", 0, 0, 1, 0, 1) in page
    done = '0 <strong class="govuk-tag govuk-tag--blue">What was done</strong>'
    assert grid_row("Family help (early help or section 17)", done, 1, 0, 0, 1) in page
    assert grid_row("Total", 0, 1, 1, 0, 2) in page
    assert (
        '<th scope="row" class="govuk-table__header">Consult the DSL <strong class="govuk-tag '
        'govuk-tag--blue">What was done</strong></th> ' + cells("2 of 2")
    ) in page
    assert '<th scope="row" class="govuk-table__header">Share information</th> ' in page
    assert "Share information</th> " + cells("1 of 2") in page


def test_it_draws_the_distribution_without_inline_styles(verified_client, shared_case, bob):
    client = verified_client(bob)
    data = {**FAMILY_HELP, "rationale": "Proportionate."}
    page = client.post(vote_url(shared_case), data, follow=True).content.decode()
    chart = page[page.index("<svg") : page.index("</svg>")]
    assert "style=" not in chart and "<script" not in chart
    assert 'class="threshold-chart__bar threshold-chart__bar--priority-area"' in chart
    assert ">1 (100%)</text>" in chart


def test_it_names_commenters_by_role_and_region_on_the_page_outside_the_authority(
    verified_client, shared_case, alice, bob, charlie
):
    CommentFactory(case=shared_case, author=bob, body="Speak to the DSL.")
    page = case_page(verified_client(charlie), shared_case)
    assert "<strong>Supervisor, North West</strong>" in page
    assert "Bob Hughes" not in page
    assert "<strong>Bob Hughes</strong>" in case_page(verified_client(alice), shared_case)


def test_it_renders_comments_on_the_case_page_as_sanitised_markdown(verified_client, case, bob):
    CommentFactory(case=case, author=bob, body=HOSTILE)
    page = verified_client(bob).get(reverse("casenotes:case-detail", args=[case.pk]))
    html = page.content.decode()
    assert "<strong>Bold</strong> point." in html
    for hostile in ["<script>alert", "onerror", "javascript:", "onclick", "<iframe", "<img"]:
        assert hostile not in html, hostile


def test_it_escapes_names_and_reasons_around_comments(verified_client, case, alice, bob):
    """What people typed around a comment (their name, a moderator's reason) comes out as
    text."""
    writer = UserFactory(authority=alice.authority, full_name='Eve <img src=x onerror="a()">')
    CommentFactory(case=case, author=writer, body="Fine.")
    CommentFactory(
        case=case, author=alice, body="Gone.", is_hidden=True, hidden_reason="<b>rude</b> & more"
    )
    page = verified_client(bob).get(reverse("casenotes:case-detail", args=[case.pk]))
    html = page.content.decode()

    assert "<strong>Eve &lt;img src=x onerror=&quot;a()&quot;&gt;</strong>" in html
    assert "by Eve &lt;img" in html  # the hidden words of the report and hide links
    assert "Hidden from everyone but moderators: &lt;b&gt;rude&lt;/b&gt; &amp; more" in html
    assert "<img" not in html and "<b>rude" not in html


def test_it_reads_each_page_of_a_case_with_100_comments_and_50_votes_in_11_queries(
    verified_client, shared_case, authority, other_authority, bob, django_assert_max_num_queries
):
    people = [UserFactory(authority=authority if n % 2 else other_authority) for n in range(49)]
    for number in range(100):
        CommentFactory(case=shared_case, author=people[number % 49], body=f"Comment {number}")
    for person in people:
        VoteFactory(
            case=shared_case,
            voter=person,
            voter_in_priority_area=person.authority_id == authority.pk,
        )
    VoteFactory(case=shared_case, voter=bob, voter_in_priority_area=True)
    client = verified_client(bob)
    url = reverse("casenotes:case-detail", args=[shared_case.pk])
    client.get(url)
    with django_assert_max_num_queries(MAX_CASE_PAGE_QUERIES):
        response = client.get(url)
    page = text(response)
    assert "Comment 0" in page and "Comment 49" in page and "Comment 50" not in page
    assert "50 answers" in page
    with django_assert_max_num_queries(MAX_CASE_PAGE_QUERIES):
        second = text(client.get(url, {"page": 2}))
    assert "Comment 50" in second and "Comment 99" in second and "Comment 49" not in second


def test_it_pages_the_comments_and_keeps_the_reader_at_them(verified_client, case, bob):
    for number in range(120):
        CommentFactory(case=case, author=bob, body=f"Comment {number}")
    client = verified_client(bob)
    url = reverse("casenotes:case-detail", args=[case.pk])
    first = text(client.get(url))
    assert "Comments 1 to 50 of 120, oldest first." in first
    assert '<nav class="govuk-pagination" aria-label="Comment pages">' in first
    assert 'href="?page=2#comments" rel="next"' in first
    last = text(client.get(url, {"page": 3}))
    assert "Comments 101 to 120 of 120, oldest first." in last
    assert "Comment 119" in last and "Comment 99" not in last


def test_it_shows_no_pages_or_count_for_a_short_discussion(verified_client, case, bob):
    CommentFactory(case=case, author=bob, body="Only one.")
    page = text(verified_client(bob).get(reverse("casenotes:case-detail", args=[case.pk])))
    assert "Only one." in page
    assert "oldest first" not in page and "Comment pages" not in page


def test_it_takes_a_new_comment_to_the_page_that_shows_it(verified_client, case, alice, bob):
    for number in range(50):
        CommentFactory(case=case, author=bob, body=f"Comment {number}")
    client = verified_client(alice)
    response = client.post(comment_url(case), {"body": "Fifty-first."})
    comment = Comment.objects.latest("pk")
    assert response.url == (
        f"{reverse('casenotes:case-detail', args=[case.pk])}?page=2#comment-{comment.pk}"
    )
    page = text(client.get(response.url))
    assert f'id="comment-{comment.pk}"' in page and "Fifty-first." in page


def test_a_comment_link_finds_its_page_when_followed(verified_client, case, alice, bob):
    """Emails and back links carry the comment's own address, so they land right however the
    discussion has grown since."""
    comments = [CommentFactory(case=case, author=bob, body=f"Comment {n}") for n in range(55)]
    client = verified_client(alice)
    case_url = reverse("casenotes:case-detail", args=[case.pk])
    late = client.get(reverse("casenotes:comment-detail", args=[comments[52].pk]))
    assert late.status_code == 302
    assert late.url == f"{case_url}?page=2#comment-{comments[52].pk}"
    early = client.get(reverse("casenotes:comment-detail", args=[comments[3].pk]))
    assert early.url == f"{case_url}#comment-{comments[3].pk}"


def test_a_comment_link_answers_404_outside_the_case_visibility(verified_client, case, charlie):
    comment = CommentFactory(case=case, author=case.author, body="Inside Northbridge.")
    response = verified_client(charlie).get(reverse("casenotes:comment-detail", args=[comment.pk]))
    assert response.status_code == 404
    assert "Inside Northbridge" not in response.content.decode()
