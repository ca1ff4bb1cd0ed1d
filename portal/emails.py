"""Render emails from templates/emails/<name>_subject.txt, <name>.txt and <name>.html."""

from __future__ import annotations

from typing import Any

from django.conf import settings
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
