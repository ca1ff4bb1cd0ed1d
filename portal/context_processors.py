from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from portal import access
from training import access as training_access


def navigation(request: HttpRequest) -> dict[str, object]:
    """Service navigation links for the signed-in person's role."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_verified():
        return {"nav_items": []}
    items = [("Home", reverse("portal:home")), ("My training", reverse("training:catalogue"))]
    if user.authority_id:
        items += [
            ("Cases", reverse("casenotes:case-list")),
            ("Who to contact", reverse("portal:pathway")),
        ]
    if training_access.can_assign(user):
        items.append(("Assignments", reverse("training:assignment-list")))
    if training_access.can_view_team_progress(user):
        items.append(("Team progress", reverse("training:team-progress")))
    if training_access.can_view_authority_report(user):
        items.append(("Authority report", reverse("training:authority-report")))
    if training_access.can_use_studio(user):
        items.append(("Studio", reverse("training:studio")))
    if access.can_manage_authority(user):
        items += [
            ("Users", reverse("portal:manage-user-list")),
            ("Teams", reverse("portal:manage-team-list")),
            ("Audit log", reverse("portal:manage-audit-log")),
            ("Single sign-on", reverse("portal:manage-provider-list")),
        ]
    if access.is_platform_admin(user):
        items.append(("Django admin", reverse("admin:index")))
    items.append(("Your account", reverse("portal:account")))
    # The deepest link the page sits under is the active one (Assignments, not My training,
    # on /training/assignments/).
    current = request.path
    under = [url for _, url in items if url == current or (url != "/" and current.startswith(url))]
    active = max(under, key=len, default=None)
    return {
        "nav_items": [{"label": label, "url": url, "active": url == active} for label, url in items]
    }
