"""Case pages: the list and search, posting with a preview, reading a case, approving it for
wider sharing, recording the outcome, and (for the owning authority's admins) who posted it.

A case the viewer may not see answers 404 (the selectors scope every read). Raw text lives only
in the request: the views that take it mask it in Django's error reports (both the POST data
and every local variable of the frames below them), tell browsers not to keep the pages that
carry it, and hand it straight to a service.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods

from casenotes import access, case_text, selectors, services
from casenotes.forms import (
    EDIT,
    OUTCOME_RAW_FIELDS,
    PUBLISH,
    RAW_FIELDS,
    SHARING_RAW_FIELDS,
    CaseFilterForm,
    CaseForm,
    OutcomeForm,
    SharingDecisionForm,
)
from casenotes.models import Case
from portal import access as portal_access
from portal.pagination import page_numbers, page_of

poster_required = portal_access.role_required(access.can_post)
moderator_required = portal_access.role_required(access.can_moderate)
CASES_PER_PAGE = 20
# The preview's history entry becomes the form's address with this marker (threshold.js), so
# Back from a case just published lands on the case; only the case's id is kept in the session.
AFTER_PREVIEW = "previewed"
JUST_PUBLISHED = "casenotes_just_published"


def _refusal_to_form(form: Any, error: services.CaseRefused) -> None:
    form.add_error(error.field if error.field in form.fields else None, str(error).rstrip("."))


def _preview_context(form: Any) -> dict[str, Any]:
    redacted = form.redacted()
    return {"form": form, "redacted": redacted, "kinds": case_text.kind_counts(redacted)}


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    form = CaseFilterForm(request.GET, indicators=selectors.indicator_choices())
    filters = form.filters()
    page = selectors.case_page_for_user(
        user=request.user,
        filters=selectors.CaseFilters(**filters),
        number=request.GET.get("page", 1),
        per_page=CASES_PER_PAGE,
    )
    context = {
        "form": form,
        "page": page,
        "page_numbers": _page_numbers(page),
        "total_heading": _total_heading(page, filtered=bool(filters)),
        "filtered": bool(filters),
        "can_post": access.can_post(request.user),
        "can_moderate": access.can_moderate(request.user),
    }
    return render(request, "casenotes/case_list.html", context)


def _page_numbers(page: selectors.CasePage) -> list[int | str]:
    """Numbered links; when the total is not known, none to a last page that only marks where
    counting stopped (an ellipsis and Next go on instead)."""
    ellipsis = page.paginator.ELLIPSIS
    numbers = page_numbers(page)
    if page.total_is_lower_bound:
        numbers = [n for n in numbers if n == ellipsis or n <= page.number + 2]
        if numbers[-1] != ellipsis:
            numbers.append(ellipsis)
    return numbers


def _total_heading(page: selectors.CasePage, *, filtered: bool) -> str:
    total = page.total_shown
    noun = ("matching case" if filtered else "case") + pluralize(total)
    if page.total_is_lower_bound or page.ranked_newest:
        return f"More than {total:,} {noun}"
    return f"{total:,} {noun}"


@sensitive_post_parameters(*RAW_FIELDS)
@sensitive_variables()
@poster_required
@require_http_methods(["GET", "POST"])
def case_create(request: HttpRequest) -> HttpResponse:
    """Form → preview (redacted, replacements highlighted) → publish. Until publishing, the
    raw text only goes back and forth inside the form."""
    just_published = request.session.get(JUST_PUBLISHED)
    if request.method == "GET" and AFTER_PREVIEW in request.GET and just_published:
        return HttpResponseRedirect(
            reverse("casenotes:case-detail", args=[just_published]), status=303
        )
    form = CaseForm(
        request.POST or None,
        indicators=selectors.indicator_list(),
        team=request.user.team,
        authority_id=request.user.authority_id,
    )
    action = request.POST.get("action")
    if request.method == "POST" and action != EDIT and form.is_valid():
        if action == PUBLISH:
            try:
                case = services.case_publish(author=request.user, **form.publish_arguments())
            except services.CaseRefused as error:
                _refusal_to_form(form, error)
                return render(request, "casenotes/case_form.html", {"form": form})
            if case.sharing == Case.Sharing.PENDING:
                messages.success(
                    request,
                    "Case posted. Your authority can see it now; a supervisor or authority "
                    "admin will check it before it is shared wider.",
                )
            else:
                messages.success(request, "Case posted.")
            request.session[JUST_PUBLISHED] = case.pk
            return redirect("casenotes:case-detail", pk=case.pk)
        request.session.pop(JUST_PUBLISHED, None)  # a new case is under way: Back shows its form
        return render(request, "casenotes/case_preview.html", _preview_context(form))
    return render(request, "casenotes/case_form.html", {"form": form})


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    case = selectors.case_get_for_user(user=user, pk=pk)
    discussion = selectors.discussion_for_case(
        case=case, user=user, page_number=request.GET.get("page")
    )
    context = {
        "case": case,
        "discussion": discussion,
        # Until someone who may answer has said what they would do, what was done (and the
        # outcome) stays hidden, so it does not sway their answer.
        "hide_decision": discussion.vote_form is not None and not discussion.shows_decision,
        "is_author": case.author_id == user.pk,
        "can_decide": case.sharing == Case.Sharing.PENDING
        and case.author_id != user.pk
        and access.is_moderator_of(user, case.authority_id),
        "can_identify": case.visibility in access.WIDER_THAN_AUTHORITY
        and access.can_identify_author(user, case.authority_id),
    }
    return render(request, "casenotes/case_detail.html", context)


@sensitive_post_parameters(*SHARING_RAW_FIELDS)
@sensitive_variables()
@moderator_required
@require_http_methods(["GET", "POST"])
def case_sharing(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get_for_moderator(user=request.user, pk=pk)
    form = SharingDecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["decision"] == SharingDecisionForm.APPROVE
        try:
            services.case_sharing_decide(
                actor=request.user,
                case=case,
                approve=approve,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except services.CaseRefused as error:
            _refusal_to_form(form, error)
        else:
            messages.success(
                request,
                f"“{case.title}” is approved for wider sharing."
                if approve
                else f"“{case.title}” stays inside your authority.",
            )
            return redirect("casenotes:approval-queue")
    return render(request, "casenotes/case_sharing.html", {"case": case, "form": form})


@moderator_required
def approval_queue(request: HttpRequest) -> HttpResponse:
    page, page_numbers = page_of(request, selectors.approval_queue_for_user(user=request.user))
    context = {"page": page, "page_numbers": page_numbers}
    return render(request, "casenotes/approval_queue.html", context)


@sensitive_post_parameters(*OUTCOME_RAW_FIELDS)
@sensitive_variables()
@login_required
@require_http_methods(["GET", "POST"])
def case_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    """The author records the outcome: form → preview → save, like posting."""
    case = selectors.case_get_for_author(user=request.user, pk=pk)
    form = OutcomeForm(request.POST or None, case=case)
    action = request.POST.get("action")
    if request.method == "POST" and action != EDIT and form.is_valid():
        if action == PUBLISH:
            try:
                services.case_outcome_record(
                    author=request.user, case=case, **form.outcome_arguments()
                )
            except services.CaseRefused as error:
                _refusal_to_form(form, error)
            else:
                messages.success(request, "Outcome recorded.")
                return redirect("casenotes:case-detail", pk=case.pk)
        else:
            context = {"case": case, **_preview_context(form)}
            return render(request, "casenotes/case_outcome_preview.html", context)
    return render(request, "casenotes/case_outcome.html", {"case": case, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def case_author(request: HttpRequest, pk: int) -> HttpResponse:
    """Who posted a case, for its authority's admins; shown only after they confirm, since
    every look is recorded in the audit log."""
    case = selectors.case_get_for_author_lookup(user=request.user, pk=pk)
    author = None
    if request.method == "POST":
        author = services.case_author_view_record(actor=request.user, case=case, request=request)
    return render(request, "casenotes/case_author.html", {"case": case, "author": author})
