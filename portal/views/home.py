from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from portal import access, selectors
from portal.models import Role, User
from portal.pagination import page_of
from training import selectors as training_selectors


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each role lands on its own page, showing only what exists for it."""
    user = request.user
    platform_page = access.is_platform_admin(user) and user.authority_id is None
    _load_authority_and_team(user)
    context: dict[str, object] = {"authority": user.authority}
    if user.role == Role.PRACTITIONER and not platform_page:
        template = "portal/home_practitioner.html"
        context["assignments"] = training_selectors.assignments_for_learner(user=user)
    elif platform_page:
        template = "portal/home_platform_admin.html"
    elif user.role == Role.AUTHORITY_ADMIN:
        template = "portal/home_authority_admin.html"
        context["user_count"] = (
            selectors.user_list_for_user(user=user).filter(is_active=True).count()
        )
        context["team_count"] = selectors.team_list_for_user(user=user).count()
        context["todos"] = selectors.home_todos_for_user(user=user)
    elif user.role == Role.SUPERVISOR:
        template = "portal/home_supervisor.html"
        members = selectors.team_members_for_supervisor(supervisor=user)
        context["members"], context["member_page_numbers"] = page_of(request, members)
        context["assignments"] = training_selectors.assignments_for_learner(user=user)
        context["todos"] = selectors.home_todos_for_user(user=user)
    else:
        template = "portal/home_author.html"
    return render(request, template, context)


def _load_authority_and_team(user: User) -> None:
    """Fetch the person's authority and team together, once, for the page to read.

    The learner's home must stay within a fixed number of queries: this is one where
    reading user.authority and user.team would be two.
    """
    if user.authority_id is None:
        return
    places = (
        User.objects.select_related("authority", "team").only("authority", "team").get(pk=user.pk)
    )
    user.authority, user.team = places.authority, places.team


def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database (and Redis, when configured) answer; 503 otherwise."""
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception:  # noqa: BLE001 - any failure means unhealthy
        checks["database"] = "unavailable"
    if settings.REDIS_URL:
        try:
            cache.set("healthz", "ok", timeout=5)
            checks["redis"] = "ok" if cache.get("healthz") == "ok" else "unavailable"
        except Exception:  # noqa: BLE001
            checks["redis"] = "unavailable"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", **checks}, status=200 if healthy else 503
    )
