from django.contrib import admin
from django.http import HttpRequest

from portal.models import Role


class ThresholdAdminSite(admin.AdminSite):
    """The Django admin, open to staff and, for writing modules, to authors."""

    site_header = "Threshold administration"
    site_title = "Threshold admin"

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return user.is_active and (user.is_staff or getattr(user, "role", None) == Role.AUTHOR)
