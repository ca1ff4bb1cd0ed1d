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
    """Send at once, bypassing the outbox: for password resets only. A person asks for one as
    often as they need, and the request must not reveal whether the address has an account,
    so a task holding only the address typed looks the person up and sends at once.
    Everything the service sends of its own accord goes through the outbox.
    """
    subject, text, html = render(name, context)
    send(to=to, subject=subject, text=text, html=html)
