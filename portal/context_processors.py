from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from portal import access


def navigation(request: HttpRequest) -> dict[str, object]:
    """Service navigation links for the signed-in person's role."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_verified():
        return {"nav_items": []}
    items = [("Home", reverse("portal:home")), ("My training", reverse("training:catalogue"))]
    if access.can_manage_authority(user):
        items += [
            ("Users", reverse("portal:manage-user-list")),
            ("Teams", reverse("portal:manage-team-list")),
            ("Audit log", reverse("portal:manage-audit-log")),
        ]
    if access.is_platform_admin(user):
        items.append(("Django admin", reverse("admin:index")))
    items.append(("Your account", reverse("portal:account")))
    current = request.path
    return {
        "nav_items": [
            {
                "label": label,
                "url": url,
                "active": url == current or (url != "/" and current.startswith(url)),
            }
            for label, url in items
        ]
    }
