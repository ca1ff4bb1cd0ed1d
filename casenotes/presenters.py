"""HTML for what a case page draws many times over, built in one pass (no queries).

A discussion's comments went through the template at about a fifth of a millisecond each (two
URL reversals, a date, a dozen lookups and tags), and discussions run to a hundred and more.
Markdown comes sanitised from portal.markdown; every other value is escaped here.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from portal import markdown

if TYPE_CHECKING:
    from casenotes.selectors.discussion import Discussion


def _url_for(name: str) -> Callable[[int], str]:
    """A URL maker for one route that reverses once, not once a comment."""
    marker = 2_147_483_647
    prefix, suffix = reverse(name, args=[marker]).split(str(marker))
    return lambda pk: f"{prefix}{pk}{suffix}"


def comments_html(discussion: Discussion) -> SafeString:
    """The comment list of templates/casenotes/discussion/_panel.html: each comment with who
    wrote it (as the viewer may know them), when, its text, and the viewer's actions on it.

    Plain string building with html.escape on every value that is not already HTML: Django's
    format_html and escape check each argument for lazy strings, which cost more than the
    markup itself here."""
    flag_url = _url_for("casenotes:comment-flag") if discussion.can_take_part else None
    moderate_url = _url_for("casenotes:comment-moderate") if discussion.can_moderate else None
    zone = timezone.get_current_timezone()
    parts = []
    for comment in discussion.comments:
        by = escape(comment.shown_as)
        created = comment.created_at.astimezone(zone)
        parts.append(
            f'<article class="threshold-comment" id="comment-{comment.pk}">'
            f'<p class="govuk-body-s govuk-!-margin-bottom-2"><strong>{by}</strong> '
            f'<span class="threshold-secondary-text">{created.day} {created:%B %Y, %H:%M}</span>'
        )
        if comment.is_hidden:
            reason = f": {escape(comment.hidden_reason)}" if comment.hidden_reason else ""
            parts.append(
                ' <strong class="govuk-tag govuk-tag--red">Hidden</strong></p>'
                f'<p class="govuk-body-s">Hidden from everyone but moderators{reason}</p>'
            )
        else:
            parts.append("</p>")
        parts.append(f'<div class="threshold-prose">{markdown.render(comment.body)}</div>')
        if flag_url or moderate_url:
            parts.append('<ul class="govuk-list govuk-body-s threshold-comment__actions">')
            hidden_by = f'<span class="govuk-visually-hidden"> by {by}</span>'
            if flag_url:
                parts.append(
                    f'<li><a class="govuk-link" href="{flag_url(comment.pk)}">'
                    f"Report this comment{hidden_by}</a></li>"
                )
            if moderate_url:
                verb = "Show" if comment.is_hidden else "Hide"
                parts.append(
                    f'<li><a class="govuk-link" href="{moderate_url(comment.pk)}">'
                    f"{verb} this comment{hidden_by}</a></li>"
                )
            parts.append("</ul>")
        parts.append("</article>")
    return mark_safe("".join(parts))  # noqa: S308 - every value is escaped or sanitised above
