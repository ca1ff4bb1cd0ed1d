"""Pages kept in the cache for their viewer until anything on them changes.

The case list, a search, a case with its discussion and a team's progress matrix each cost
two to eight times a bare page to draw (scoped queries, counts, rows), and people go back and
forth between them all day. What such a page shows below the layout depends only on who is
looking (what they may see, how people are named to them, what they may do), what they asked
for (the path and query string) and the data behind it. The last is summed up by a version
that database triggers move in the same transaction as every change the page shows
(casenotes.models.CasesVersion, training.models.ProgressVersion). So a page is kept under the
viewer, the request and that version: a change starts the kept pages afresh, and a stale
page is never shown. A page is only kept once it was drawn for that viewer, so what they may
not see still answers 404 from the selectors.

What the layout adds (navigation, messages, the sign-out form) is drawn on every request. A
kept page's forms carry a placeholder where the CSRF token goes, replaced with the viewer's
token each time it is served.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from functools import cache as once
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.middleware.csrf import get_token
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


def kept_for_viewer(request: HttpRequest, version: str | None, draw: Callable[[], Kept]) -> Kept:
    """What `draw` returns for this viewer and request (strings: the drawn page and its
    title), kept while `version` stands; with no version (no row to read) it is drawn each
    time. `draw` may raise Http404; nothing is kept then."""
    if version is None:
        return draw()
    key = _key(request, version)
    kept = cache.get(key)
    if kept is None:
        kept = draw()
        cache.set(key, kept, KEPT_SECONDS)
    return kept


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
