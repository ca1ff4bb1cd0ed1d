"""What people typed comes out as text on the case pages, whose rows are drawn by templates
(templates/casenotes/_case_row.html, discussion/_comment.html) with Django's autoescaping."""

from __future__ import annotations

import pytest
from django.urls import reverse

from casenotes.tests.case_factories import CaseFactory, CommentFactory
from portal.tests.factories import UserFactory

ODD_NAME = 'Ann O\'Neil & <Sons> "Jr"'
ODD_NAME_ESCAPED = "Ann O&#x27;Neil &amp; &lt;Sons&gt; &quot;Jr&quot;"
HOSTILE_TITLE = "<script>alert(1)</script> memes"
HOSTILE_TITLE_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt; memes"


@pytest.fixture
def odd_author(alice):
    return UserFactory(authority=alice.authority, team=alice.team, full_name=ODD_NAME)


def test_it_escapes_a_case_title_and_its_authors_name_on_the_case_list(
    verified_client, alice, odd_author
):
    CaseFactory(author=odd_author, title=HOSTILE_TITLE)

    page = verified_client(alice).get(reverse("casenotes:case-list")).content.decode()

    assert f">{HOSTILE_TITLE_ESCAPED}</a>" in page
    assert f"Posted by {ODD_NAME_ESCAPED} on" in page
    assert "<script>alert" not in page and "<Sons>" not in page


def test_it_escapes_a_case_title_and_a_commenters_name_on_the_case_page(
    verified_client, alice, bob, odd_author
):
    case = CaseFactory(author=alice, title=HOSTILE_TITLE)
    CommentFactory(case=case, author=odd_author, body="<script>alert(2)</script> Agreed.")

    page = verified_client(bob).get(reverse("casenotes:case-detail", args=[case.pk]))
    html = page.content.decode()

    assert f'<h1 class="govuk-heading-l">{HOSTILE_TITLE_ESCAPED}</h1>' in html
    assert f"<strong>{ODD_NAME_ESCAPED}</strong>" in html
    assert f"by {ODD_NAME_ESCAPED}</span>" in html  # the report link's hidden words
    assert "<script>alert" not in html and "<Sons>" not in html
