"""The outbox's plumbing: which renderer builds which kind of email.

Apps register a renderer per kind (training registers the reminder kinds in its AppConfig), so
the portal's sender needs to know nothing about assignments or certificates.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from portal.models import OutboxEmail


@dataclass(frozen=True)
class Rendered:
    """An email ready to send."""

    to: str
    subject: str
    text: str
    html: str
    headers: dict[str, str] = field(default_factory=dict)


# A renderer returns None when the email no longer applies (completed, cancelled, moved on).
Renderer = Callable[[OutboxEmail], Rendered | None]
_RENDERERS: dict[str, Renderer] = {}


def register(kind: str, renderer: Renderer) -> None:
    _RENDERERS[kind] = renderer


def renderer_for(kind: str) -> Renderer:
    try:
        return _RENDERERS[kind]
    except KeyError:
        raise LookupError(f"No renderer registered for email kind {kind!r}") from None
