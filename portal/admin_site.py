from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from portal import access


class ThresholdAdminSite(admin.AdminSite):
    """The Django admin: a tool of platform admins (superusers) only.

    Authors and authority admins work in the studio and the authority pages, where every
    object is scoped to their authority; the admin's forms are not, so no one else gets in.
    """

    site_header = "Threshold administration"
    site_title = "Threshold admin"

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        # The second factor is checked here too, not only by the middleware that asks for it.
        return (
            user.is_active
            and access.is_platform_admin(user)
            and getattr(user, "is_verified", lambda: False)()
        )

    def admin_view(self, view: Callable[..., HttpResponse], cacheable: bool = False):
        """Anonymous people are sent to sign in; anyone else signed in is refused (403),
        before any admin view, form or action runs."""
        guarded = super().admin_view(view, cacheable)

        @wraps(guarded)
        def inner(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.user.is_authenticated and not self.has_permission(request):
                raise PermissionDenied
            return guarded(request, *args, **kwargs)

        return inner

    def password_change(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        """The admin's own password page would change a platform admin's password without the
        audit event, or the end of their lockouts, that the portal's page records."""
        return redirect("portal:password-change")
