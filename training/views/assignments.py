"""Assigning modules: supervisors to their team, authority admins to anyone in it.

Everyone else gets 403 here; a rule or assignment outside the viewer's scope answers 404
(the selectors only see what access.scope_rules and scope_assignable_people allow).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import dateformat
from django.views.decorators.http import require_http_methods

from portal import access as portal_access
from portal.pagination import page_of
from training import access, selectors, services
from training.forms import AssignmentExtendForm, AssignmentRuleForm

assigner_required = portal_access.role_required(access.can_assign)


def _refusal_to_form(form: Any, error: services.AssignmentRefused) -> None:
    """Show a service's refusal on its field, worded like a GOV.UK error (no full stop)."""
    form.add_error(error.field if error.field in form.fields else None, str(error).rstrip("."))


@assigner_required
def rule_list(request: HttpRequest) -> HttpResponse:
    # Cancelled rules are kept for ever, so the list is paged (active ones first).
    page, page_numbers = page_of(request, selectors.rule_list_for_user(user=request.user))
    context = {"page": page, "page_numbers": page_numbers}
    return render(request, "training/assignments/rule_list.html", context)


@assigner_required
@require_http_methods(["GET", "POST"])
def rule_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = AssignmentRuleForm(
        request.POST if request.method == "POST" else None,
        actor=user,
        modules=selectors.assignable_modules_for_user(user=user),
        people=selectors.assignable_people_for_user(user=user),
        teams=selectors.assignable_teams_for_user(user=user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            rule = services.rule_create(actor=user, request=request, **form.rule_arguments())
        except services.AssignmentRefused as error:
            _refusal_to_form(form, error)
        else:
            count = rule.assignments.count()
            messages.success(
                request,
                f"{rule.module.title} assigned to {count} {'person' if count == 1 else 'people'}.",
            )
            return redirect("training:assignment-detail", pk=rule.pk)
    return render(request, "training/assignments/rule_create.html", {"form": form})


@assigner_required
def rule_detail(request: HttpRequest, pk: int) -> HttpResponse:
    rule = selectors.rule_get_for_user(user=request.user, pk=pk)
    # A rule for a whole authority holds one row a person: a page of them at a time.
    page, page_numbers = page_of(
        request,
        selectors.rule_assignments(rule=rule),
        rows=lambda assignments: selectors.assignment_rows_for_user(
            user=request.user, assignments=assignments
        ),
    )
    context = {
        "rule": rule,
        "page": page,
        "page_numbers": page_numbers,
        "can_cancel": rule.cancelled_at is None and access.can_manage_rule(request.user, rule),
    }
    return render(request, "training/assignments/rule_detail.html", context)


@assigner_required
@require_http_methods(["GET", "POST"])
def rule_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    rule = selectors.rule_get_for_user(user=request.user, pk=pk)
    error = None
    if request.method == "POST":
        try:
            services.rule_cancel(actor=request.user, rule=rule, request=request)
        except services.AssignmentRefused as refused:
            error = str(refused)
        else:
            messages.success(
                request,
                f"The assignment of {rule.module.title} is cancelled. Completed training "
                "and certificates are kept.",
            )
            return redirect("training:assignment-detail", pk=rule.pk)
    context = {"rule": rule, "error": error}
    return render(request, "training/assignments/rule_cancel.html", context)


@assigner_required
@require_http_methods(["GET", "POST"])
def assignment_extend(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = selectors.assignment_get_for_user(user=request.user, pk=pk)
    form = AssignmentExtendForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.assignment_extend(
                actor=request.user, assignment=assignment, request=request, **form.cleaned_data
            )
        except services.AssignmentRefused as error:
            _refusal_to_form(form, error)
        else:
            messages.success(
                request,
                f"{assignment.user.full_name} now has until "
                f"{dateformat.format(assignment.effective_due_on, 'j F Y')} to complete "
                f"{assignment.module.title}.",
            )
            return redirect("training:assignment-detail", pk=assignment.rule_id)
    context = {"assignment": assignment, "form": form}
    return render(request, "training/assignments/assignment_extend.html", context)
