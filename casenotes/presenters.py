"""HTML for what case pages draw many times over, built in one pass (no queries).

A discussion's comments went through the template at about a fifth of a millisecond each (two
URL reversals, a date, a dozen lookups and tags), and discussions run to a hundred and more;
the case list's rows cost the same, twenty a page. Markdown comes sanitised from
portal.markdown; every other value is escaped here.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from casenotes.models import Case
from portal import markdown
from portal.url_maker import url_maker

if TYPE_CHECKING:
    from casenotes.selectors.discussion import Discussion

_TAG = '<strong class="govuk-tag govuk-tag--{}">{}</strong>'
_SHARING_TAGS = {
    Case.Sharing.PENDING: _TAG.format("yellow", "Waiting for approval to share wider"),
    Case.Sharing.DECLINED: _TAG.format("grey", "Not approved for wider sharing"),
}


def comments_html(discussion: Discussion) -> SafeString:
    """The comment list of templates/casenotes/discussion/_panel.html: each comment with who
    wrote it (as the viewer may know them), when, its text, and the viewer's actions on it.

    Plain string building with html.escape on every value that is not already HTML: Django's
    format_html and escape check each argument for lazy strings, which cost more than the
    markup itself here."""
    flag_url = url_maker("casenotes:comment-flag") if discussion.can_take_part else None
    moderate_url = url_maker("casenotes:comment-moderate") if discussion.can_moderate else None
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


def sharing_tags_html(case: Case) -> SafeString:
    """Tags for a case that is hidden, waiting for (or refused) wider sharing, or has its
    outcome; empty for an ordinary open case."""
    tags = []
    if case.is_hidden:
        tags.append(_TAG.format("red", "Hidden by a moderator"))
    if case.sharing in _SHARING_TAGS:
        tags.append(_SHARING_TAGS[case.sharing])
    if case.status == Case.Status.OUTCOME_RECORDED:
        tags.append(_TAG.format("green", "Outcome recorded"))
    return mark_safe(" ".join(tags))  # noqa: S308 - constants only


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def case_list_html(cases: Iterable[Case]) -> SafeString:
    """The rows of templates/casenotes/_case_list_content.html: each case's title (linked), the
    young person's age band, setting and ideology, who posted it and when, with whom it is
    shared, its comments and votes, and its tags. Cases come from selectors.case_page_for_user."""
    detail_url = url_maker("casenotes:case-detail")
    zone = timezone.get_current_timezone()
    parts = []
    for case in cases:
        created = case.created_at.astimezone(zone)
        facts = " · ".join(
            escape(str(label))
            for label in (
                case.get_age_band_display(),
                case.get_setting_display(),
                case.get_ideology_display(),
            )
        )
        shared_with = escape(str(case.get_visibility_display()).lower())
        posted = (
            f"Posted by {escape(case.posted_by)} on {created.day} {created:%B %Y} · shared with "
            f"{shared_with} · {_plural(case.comment_count, 'comment')} · "
            f"{_plural(case.vote_count, 'vote')}"
        )
        parts.append(
            '<li class="govuk-!-margin-bottom-6">'
            '<h3 class="govuk-heading-s govuk-!-margin-bottom-1">'
            f'<a class="govuk-link" href="{detail_url(case.pk)}">{escape(case.title)}</a></h3>'
            f'<p class="govuk-body-s govuk-!-margin-bottom-1">{facts}</p>'
            f'<p class="govuk-body-s govuk-!-margin-bottom-1">{posted}</p>'
            f"{sharing_tags_html(case)}</li>"
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value is escaped above
