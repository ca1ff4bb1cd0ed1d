"""Who to contact: every member of staff reads their authority's page; its admins edit it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from portal import access, selectors, services
from portal.forms import PathwayForm


@login_required
def pathway_page(request: HttpRequest) -> HttpResponse:
    pathway = selectors.pathway_for_user(user=request.user)
    context = {
        "pathway": pathway,
        "entries": selectors.pathway_entries(pathway),
        "can_edit": access.can_manage_authority(request.user),
    }
    return render(request, "portal/pathway.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def pathway_edit(request: HttpRequest, pk: int) -> HttpResponse:
    pathway = selectors.pathway_for_editing(user=request.user, authority_pk=pk)
    form = PathwayForm(request.POST if request.method == "POST" else None, instance=pathway)
    if request.method == "POST" and form.is_valid():
        services.pathway_update(
            actor=request.user, authority_id=pk, values=form.cleaned_data, request=request
        )
        messages.success(request, "Who to contact saved.")
        return redirect("portal:pathway")
    status = 400 if form.is_bound else 200
    return render(request, "manage/pathway_form.html", {"form": form}, status=status)
