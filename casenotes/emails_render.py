"""Turn planned outbox rows about case discussion into emails, or None once they no longer apply.

A case comment email carries no case text at all (not the title, not the comment): email leaves
the service's control, so it holds only a link to the case, which asks the reader to sign in.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from casenotes.models import Case, Comment
from portal import emails, outbox
from portal.models import EmailKind, OutboxEmail
from portal.unsubscribe import unsubscribe_headers, unsubscribe_url


def render_case_comment(email: OutboxEmail) -> outbox.Rendered | None:
    """For the case's author: someone commented. None if the comment was hidden or deleted
    (with its case), or the author can no longer see the case."""
    user = email.user
    comment = Comment.objects.filter(pk=email.object_id, is_hidden=False).first()
    if comment is None:
        return None
    case = Case.objects.for_user(user).filter(pk=comment.case_id, author=user).first()
    if case is None:
        return None
    path = reverse("casenotes:comment-detail", args=[comment.pk])
    context = {
        "user": user,
        "case_url": f"{settings.SITE_URL}{path}",
        "unsubscribe_url": unsubscribe_url(user_id=user.pk, kind=email.kind),
        "preferences_url": f"{settings.SITE_URL}{reverse('portal:email-preferences')}",
    }
    subject, text, html = emails.render("case_comment", context)
    return outbox.Rendered(
        to=user.email,
        subject=subject,
        text=text,
        html=html,
        headers=unsubscribe_headers(user_id=user.pk, kind=email.kind),
    )


def register() -> None:
    outbox.register(EmailKind.CASE_COMMENT, render_case_comment)
