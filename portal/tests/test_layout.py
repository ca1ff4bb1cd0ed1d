"""The shared layout renders cleanly: no template syntax leaks into the page."""

from __future__ import annotations

from django.urls import reverse


def test_it_leaves_no_template_comment_in_the_page(verified_client, alice):
    page = verified_client(alice).get(reverse("portal:home")).content.decode()

    assert "{#" not in page and "#}" not in page
    head = page[: page.index("</head>")]
    assert 'name="htmx-config"' in head  # still in <head>, where htmx reads it
