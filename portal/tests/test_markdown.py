"""Authored Markdown: sanitised, and rendered once per distinct text."""

from __future__ import annotations

from portal import markdown


def test_it_keeps_formatting_and_drops_what_could_run():
    html = markdown.render("**Bold** <script>alert(1)</script> [link](javascript:alert(1))")

    assert "<strong>Bold</strong>" in html
    assert "<script" not in html and "javascript:" not in html


def test_it_renders_a_text_it_has_seen_from_memory():
    text = "A comment read by everyone who opens the case."
    markdown.render(text)
    hits = markdown.render.cache_info().hits

    again = markdown.render(text)

    assert markdown.render.cache_info().hits == hits + 1
    assert again == "<p>A comment read by everyone who opens the case.</p>"
