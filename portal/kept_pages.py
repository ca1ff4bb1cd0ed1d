"""Pages kept in the cache for their viewer until anything on them changes.

The case list, a search, a case with its discussion, a team's progress matrix, a
practitioner's home and My training cost two to eight times a bare page to draw (scoped
queries, counts, rows), and people go back and forth between them all day. What such a page
shows below the layout depends only on who is looking (what they may see, how people are
named to them, what they may do), what they asked for (the path and query string) and the
data behind it. The last is summed up by a version that database triggers move in the same
transaction as every change the page shows (casenotes.models.CasesVersion,
training.models.ProgressVersion). So a page is kept under the viewer, the request and that
version: a change starts the kept pages afresh, and a stale page is never shown. What changes
with the clock is in the version too (the day, for what is due or overdue) or bounds how long
the page is kept (`Drawn.until`, when a certificate runs out). A page is only kept once it was
drawn for that viewer, so what they may not see still answers 404 from the selectors.

What the layout adds (navigation, messages, the sign-out form) is drawn on every request. A
kept page's forms carry a placeholder where the CSRF token goes, replaced with the viewer's
token each time it is served.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cache as once
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

# A bound on memory, not on freshness: the version in the key decides that.
KEPT_SECONDS = 600

Kept = TypeVar("Kept")


def _key(request: HttpRequest, version: str) -> str:
    user = request.user
    # Everything about the viewer that decides what they see and may do (casenotes.access
    # and training.access read no more than these).
    viewer = f"{user.pk}.{user.role}.{user.authority_id}.{user.team_id}.{int(user.is_superuser)}"
    asked = f"{request.path}?" + "&".join(
        f"{name}={values}" for name, values in sorted(request.GET.lists())
    )
    digest = hashlib.blake2b(asked.encode(), digest_size=16).hexdigest()
    return f"kept-page:{version}:{viewer}:{digest}"


@dataclass(frozen=True)
class Drawn(Generic[Kept]):
    """A drawn page that stops being true at a moment no version marks (a certificate
    running out at 14:03): kept until then at the latest."""

    page: Kept
    until: datetime | None = None


def kept_for_viewer(
    request: HttpRequest, version: str | None, draw: Callable[[], Kept | Drawn[Kept]]
) -> Kept:
    """What `draw` returns for this viewer and request (strings: the drawn page and its
    title), kept while `version` stands and, for a `Drawn` with `until`, until then. With no
    version (no row to read) it is drawn each time. `draw` may raise Http404; nothing is
    kept then."""
    key = None if version is None else _key(request, version)
    kept = None if key is None else cache.get(key)
    if kept is not None:
        until, page = kept
        if until is None or timezone.now() < until:
            return page
    drawn = draw()
    page, until = (drawn.page, drawn.until) if isinstance(drawn, Drawn) else (drawn, None)
    if key is not None and (until is None or timezone.now() < until):
        cache.set(key, (until, page), KEPT_SECONDS)
    return page


def render_to_keep(template_name: str, context: dict[str, Any], request: HttpRequest) -> str:
    """Draw a page to keep: its forms get the CSRF placeholder, never this viewer's token
    (which changes when they sign in again)."""
    context = {**context, "csrf_token": csrf_placeholder()}
    return render_to_string(template_name, context, request)


@once
def csrf_placeholder() -> str:
    """Stands in a kept page for the CSRF token. Derived from the secret key, so every process
    agrees on it and nobody can type it into a case for it to be replaced."""
    secret = settings.SECRET_KEY.encode()
    return "csrf-" + hmac.new(secret, b"portal.kept_pages", hashlib.sha256).hexdigest()[:32]


def with_csrf_token(request: HttpRequest, html: str) -> SafeString:
    """The kept page (drawn by a template, so escaped) with the viewer's CSRF token in its
    forms."""
    placeholder = csrf_placeholder()
    if placeholder in html:
        html = html.replace(placeholder, get_token(request))
    return mark_safe(html)  # noqa: S308 - a template drew it; the token is letters and digits
