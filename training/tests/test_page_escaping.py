"""What people typed comes out as text on the training pages, whose rows are drawn by
templates (templates/training/reports/_matrix_row.html, _figures_row.html,
templates/training/_catalogue_item.html) with Django's autoescaping."""

from __future__ import annotations

from django.urls import reverse

from portal.tests.factories import UserFactory
from training import services
from training.tests.factories import small_module

ODD_NAME = 'Ann O\'Neil & <Sons> "Jr"'
ODD_NAME_ESCAPED = "Ann O&#x27;Neil &amp; &lt;Sons&gt; &quot;Jr&quot;"


def test_it_escapes_a_persons_name_in_both_team_progress_tables(verified_client, bob):
    UserFactory(authority=bob.authority, team=bob.team, full_name=ODD_NAME)

    page = verified_client(bob).get(reverse("training:team-progress")).content.decode()

    # The modules-by-person table and the figures table each name them once.
    assert page.count(f">{ODD_NAME_ESCAPED}</a></th>") == 2
    assert "<Sons>" not in page


def test_it_escapes_a_modules_title_and_summary_on_my_training(verified_client, alice, indicators):
    services.module_load_from_json(
        data=small_module(
            key="odd-title",
            title="<script>alert(1)</script> & title",
            summary='Summary with <img src=x onerror="a()">',
        )
    )

    page = verified_client(alice).get(reverse("training:catalogue")).content.decode()

    assert ">&lt;script&gt;alert(1)&lt;/script&gt; &amp; title</a>" in page
    assert "Summary with &lt;img src=x onerror=&quot;a()&quot;&gt;" in page
    assert "<script>alert" not in page and "<img src=x" not in page
