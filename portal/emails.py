"""Render and send emails from templates/emails/<name>_subject.txt, <name>.txt, <name>.html."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context
from django.template.loader import get_template, render_to_string


def render(name: str, context: dict[str, Any]) -> tuple[str, str, str]:
    context = {"site_url": settings.SITE_URL, **context}
    subject = _render_plain(f"emails/{name}_subject.txt", context).strip()
    text = _render_plain(f"emails/{name}.txt", context)
    html = render_to_string(f"emails/{name}.html", context)
    return " ".join(subject.split()), text, html


def _render_plain(template_name: str, context: dict[str, Any]) -> str:
    """Subjects and plain-text parts are not HTML: "Jo's door" must not become "Jo&#x27;s"."""
    return get_template(template_name).template.render(Context(context, autoescape=False))


def send(*, to: str, subject: str, text: str, html: str = "") -> None:
    message = EmailMultiAlternatives(subject=subject, body=text, to=[to])
    if html:
        message.attach_alternative(html, "text/html")
    message.send()


def send_now(*, to: str, name: str, context: dict[str, Any]) -> None:
    """Send at once, bypassing the outbox.

    Used for emails that carry a one-time credential (set-password and reset links): those must
    not rest in the database where anyone reading the outbox could use them.
    """
    subject, text, html = render(name, context)
    send(to=to, subject=subject, text=text, html=html)
