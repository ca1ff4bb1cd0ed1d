"""Authority admin pages: the users and teams of one authority, staff imports, the audit log.

Everyone else gets 403 here; an admin asking for another authority's person or team gets 404
(the selectors only see the admin's own authority).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from portal import access, selectors, services, staff_import
from portal.forms import (
    AuditFilterForm,
    IdentityProviderForm,
    StaffImportForm,
    TeamForm,
    UserCreateForm,
    UserDetailsForm,
)
from portal.models import IdentityProvider, User
from portal.pagination import page_of

authority_admin_required = access.role_required(access.can_manage_authority)


def _form_data(request: HttpRequest) -> QueryDict | None:
    """A POST's data, even an empty one (so the form says what's missing); else unbound."""
    return request.POST if request.method == "POST" else None


# --- Users --------------------------------------------------------------------------------


@authority_admin_required
def user_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    users = selectors.user_search_for_user(user=request.user, query=query)
    page, page_numbers = page_of(request, users)
    context = {"page": page, "page_numbers": page_numbers, "query": query}
    return render(request, "manage/user_list.html", context)


@authority_admin_required
@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest) -> HttpResponse:
    teams = selectors.team_list_for_user(user=request.user)
    form = UserCreateForm(_form_data(request), teams=teams)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(actor=request.user, request=request, **form.cleaned_data)
        except services.ChangeRefused as error:
            form.add_error(error.field, str(error))
        else:
            messages.success(
                request,
                f"Account created for {user.full_name}. We’ve emailed {user.email} a link "
                "to choose a password.",
            )
            return redirect("portal:manage-user-list")
    return render(request, "manage/user_create.html", {"form": form})


@authority_admin_required
@require_http_methods(["GET", "POST"])
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.user_get_for_user(user=request.user, pk=pk)
    teams = selectors.team_list_for_user(user=request.user)
    initial = {"full_name": person.full_name, "role": person.role, "team": person.team}
    form = UserDetailsForm(_form_data(request), initial=initial, teams=teams)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(
                actor=request.user, user=person, request=request, **form.cleaned_data
            )
        except services.ChangeRefused as error:
            form.add_error(error.field, str(error))
        else:
            messages.success(request, f"{person.full_name}’s details have been saved.")
            return redirect("portal:manage-user-list")
    return render(request, "manage/user_edit.html", {"form": form, "person": person})


def _person_action(
    request: HttpRequest,
    pk: int,
    *,
    service: Callable[..., object],
    done: str,
    template: str,
    back: Callable[[User], str] | None = None,
) -> HttpResponse:
    """A confirm page for one person; on POST, the service, then back to their page."""
    person = selectors.user_get_for_user(user=request.user, pk=pk)
    back_url = back(person) if back else reverse("portal:manage-user-edit", args=[person.pk])
    error = None
    if request.method == "POST":
        try:
            service(actor=request.user, user=person, request=request)
        except services.ChangeRefused as refused:
            error = str(refused)
        else:
            messages.success(request, done.format(name=person.full_name))
            return redirect(back_url)
    return render(request, template, {"person": person, "error": error, "back": back_url})


@authority_admin_required
@require_http_methods(["GET", "POST"])
def user_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _person_action(
        request,
        pk,
        service=services.user_deactivate,
        done="{name} can no longer sign in.",
        template="manage/user_deactivate.html",
    )


@authority_admin_required
@require_http_methods(["GET", "POST"])
def user_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _person_action(
        request,
        pk,
        service=services.user_reactivate,
        done="{name} can sign in again.",
        template="manage/user_reactivate.html",
    )


def _user_page_for(request: HttpRequest) -> Callable[[User], str]:
    """Where a person's page is for the viewer: the authority pages, or for a platform admin
    (who has none) the person's page in the Django admin."""
    if access.can_manage_authority(request.user):
        return lambda person: reverse("portal:manage-user-edit", args=[person.pk])
    return lambda person: reverse("admin:portal_user_change", args=[person.pk])


@access.role_required(
    lambda user: access.can_manage_authority(user) or access.is_platform_admin(user)
)
@require_http_methods(["GET", "POST"])
def user_second_factor_reset(request: HttpRequest, pk: int) -> HttpResponse:
    """Authority admins for their people; platform admins for anyone (the Django admin links
    here from a person's page and has no second-factor pages of its own)."""
    return _person_action(
        request,
        pk,
        service=services.user_second_factor_reset,
        done="{name} will set up a new authenticator app when they next sign in.",
        template="manage/user_second_factor_reset.html",
        back=_user_page_for(request),
    )


@authority_admin_required
@require_http_methods(["GET", "POST"])
def user_import(request: HttpRequest) -> HttpResponse:
    form = StaffImportForm(_form_data(request), request.FILES or None)
    problems: list[staff_import.Problem] = []
    if request.method == "POST" and form.is_valid():
        try:
            users = services.staff_import(
                actor=request.user,
                authority=request.user.authority,
                file_bytes=form.cleaned_data["file"],
                request=request,
            )
        except services.StaffImportRejected as rejected:
            form.add_error("file", str(rejected))
            problems = rejected.line_problems
        except services.ChangeRefused as error:
            form.add_error(error.field, str(error))
        else:
            count = len(users)
            messages.success(
                request,
                f"{count} {'person' if count == 1 else 'people'} imported. Each has been "
                "emailed a link to choose a password.",
            )
            return redirect("portal:manage-user-list")
    return render(request, "manage/user_import.html", {"form": form, "problems": problems})


# --- Teams --------------------------------------------------------------------------------


@authority_admin_required
def team_list(request: HttpRequest) -> HttpResponse:
    teams = selectors.team_list_with_counts_for_user(user=request.user)
    return render(request, "manage/team_list.html", {"teams": teams})


@authority_admin_required
@require_http_methods(["GET", "POST"])
def team_create(request: HttpRequest) -> HttpResponse:
    form = TeamForm(_form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            team = services.team_create(
                actor=request.user, name=form.cleaned_data["name"], request=request
            )
        except services.ChangeRefused as error:
            form.add_error(error.field, str(error))
        else:
            messages.success(request, f"Team {team.name} created.")
            return redirect("portal:manage-team-list")
    return render(request, "manage/team_create.html", {"form": form})


@authority_admin_required
@require_http_methods(["GET", "POST"])
def team_edit(request: HttpRequest, pk: int) -> HttpResponse:
    team = selectors.team_get_for_user(user=request.user, pk=pk)
    old_name = team.name
    form = TeamForm(_form_data(request), initial={"name": team.name})
    if request.method == "POST" and form.is_valid():
        try:
            services.team_rename(
                actor=request.user, team=team, name=form.cleaned_data["name"], request=request
            )
        except services.ChangeRefused as error:
            form.add_error(error.field, str(error))
        else:
            messages.success(request, f"Team {old_name} is now called {team.name}.")
            return redirect("portal:manage-team-list")
    return render(request, "manage/team_edit.html", {"form": form, "team": team})


@authority_admin_required
@require_http_methods(["GET", "POST"])
def team_delete(request: HttpRequest, pk: int) -> HttpResponse:
    team = selectors.team_get_for_user(user=request.user, pk=pk)
    error = None
    if request.method == "POST":
        try:
            services.team_delete(actor=request.user, team=team, request=request)
        except services.ChangeRefused as refused:
            error = str(refused)
        else:
            messages.success(request, f"Team {team.name} deleted.")
            return redirect("portal:manage-team-list")
    return render(request, "manage/team_delete.html", {"team": team, "error": error})


# --- Audit log ----------------------------------------------------------------------------


@authority_admin_required
def audit_log(request: HttpRequest) -> HttpResponse:
    people = selectors.user_list_for_user(user=request.user)
    form = AuditFilterForm(request.GET or None, people=people)
    filters: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        person = form.cleaned_data["person"]
        filters = {
            "person_id": person.pk if person else None,
            "action": form.cleaned_data["action"],
        }
    events = selectors.audit_event_list_for_user(user=request.user, **filters)
    page, page_numbers = page_of(request, events)
    rows = [(event, _detail_text(event.detail)) for event in page]
    context = {"form": form, "page": page, "page_numbers": page_numbers, "rows": rows}
    return render(request, "manage/audit_log.html", context)


def _detail_text(detail: dict[str, Any]) -> str:
    """'role: practitioner → supervisor; team: none → Early Help', for the audit table."""
    parts = []
    for key, value in detail.items():
        if isinstance(value, list) and len(value) == 2:
            old, new = (item if item not in (None, "") else "none" for item in value)
            parts.append(f"{key.replace('_', ' ')}: {old} → {new}")
        else:
            parts.append(f"{key.replace('_', ' ')}: {value if value not in (None, '') else 'none'}")
    return "; ".join(parts)


# --- Single sign-on providers -------------------------------------------------------------


def _provider_fields(form: IdentityProviderForm) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in form.fields}


@authority_admin_required
def provider_list(request: HttpRequest) -> HttpResponse:
    providers = selectors.identity_provider_list_for_user(user=request.user)
    return render(request, "manage/provider_list.html", {"providers": providers})


@authority_admin_required
@require_http_methods(["GET", "POST"])
def provider_create(request: HttpRequest) -> HttpResponse:
    form = IdentityProviderForm(_form_data(request), adding=True)
    if request.method == "POST" and form.is_valid():
        provider = IdentityProvider(authority=request.user.authority)
        try:
            services.identity_provider_save(
                actor=request.user, provider=provider, request=request, **_provider_fields(form)
            )
        except services.ChangeRefused as error:
            form.add_error(error.field, str(error))
        else:
            messages.success(request, f"{provider.name} added.")
            return redirect("portal:manage-provider-list")
    return render(request, "manage/provider_form.html", _provider_context(request, form, None))


@authority_admin_required
@require_http_methods(["GET", "POST"])
def provider_edit(request: HttpRequest, pk: int) -> HttpResponse:
    provider = selectors.identity_provider_get_for_user(user=request.user, pk=pk)
    initial = IdentityProviderForm.initial_for(provider)
    form = IdentityProviderForm(_form_data(request), initial=initial, adding=False)
    if request.method == "POST" and form.is_valid():
        try:
            services.identity_provider_save(
                actor=request.user, provider=provider, request=request, **_provider_fields(form)
            )
        except services.ChangeRefused as error:
            form.add_error(error.field, str(error))
        else:
            messages.success(request, f"{provider.name} saved.")
            return redirect("portal:manage-provider-list")
    return render(request, "manage/provider_form.html", _provider_context(request, form, provider))


def _provider_context(
    request: HttpRequest, form: IdentityProviderForm, provider: IdentityProvider | None
) -> dict[str, Any]:
    callback = request.build_absolute_uri(reverse("portal:sso-callback"))
    return {"form": form, "provider": provider, "redirect_uri": callback}


@authority_admin_required
@require_http_methods(["GET", "POST"])
def provider_delete(request: HttpRequest, pk: int) -> HttpResponse:
    provider = selectors.identity_provider_get_for_user(user=request.user, pk=pk)
    if request.method == "POST":
        services.identity_provider_delete(actor=request.user, provider=provider, request=request)
        messages.success(request, f"{provider.name} removed.")
        return redirect("portal:manage-provider-list")
    return render(request, "manage/provider_delete.html", {"provider": provider})
