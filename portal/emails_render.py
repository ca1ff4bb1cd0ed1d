"""Turn planned outbox rows about accounts into emails, or None once they no longer apply."""

from __future__ import annotations

from portal import emails, outbox
from portal.models import AccountEmailKind, OutboxEmail
from portal.services.accounts import password_link_build


def render_welcome(email: OutboxEmail) -> outbox.Rendered | None:
    """A new person's link to choose a password, made now so it never rests in the database
    (the token dies when the password is set, or after PASSWORD_RESET_TIMEOUT). None once
    they have chosen one: the link would be dead anyway."""
    user = email.user
    if user.has_usable_password():
        return None
    link = password_link_build(user=user, url_name="portal:set-password")
    subject, text, html = emails.render("welcome", {"user": user, "link": link})
    return outbox.Rendered(to=user.email, subject=subject, text=text, html=html)


def render_password_reset(email: OutboxEmail) -> outbox.Rendered:
    """The link the person asked for, made as it is sent: a retried send carries a fresh link,
    and none ever rests in the database."""
    user = email.user
    link = password_link_build(user=user, url_name="portal:password-reset-confirm")
    subject, text, html = emails.render("password_reset", {"user": user, "link": link})
    return outbox.Rendered(to=user.email, subject=subject, text=text, html=html)


def register() -> None:
    outbox.register(AccountEmailKind.WELCOME, render_welcome)
    outbox.register(AccountEmailKind.PASSWORD_RESET, render_password_reset)
