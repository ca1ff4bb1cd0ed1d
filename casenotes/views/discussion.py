"""Discussion of a case: comments, votes on the proportionate response, flags and moderation.

The case page (views.cases.case_detail) shows the discussion panel; these views take its forms
and answer with a redirect back to it, or with a page of their own when a form has errors.
A case or comment the viewer may not see answers 404; moderation is for supervisors and
authority admins of the case's own authority. Raw text is masked in error reports and redacted
by the services before it is saved.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods, require_POST

from casenotes import access, selectors, services
from casenotes.forms_discussion import (
    COMMENT_RAW_FIELDS,
    FLAG_RAW_FIELDS,
    MODERATION_RAW_FIELDS,
    VOTE_RAW_FIELDS,
    CommentForm,
    FlagForm,
    ModerationForm,
    VoteForm,
)
from casenotes.models import Case, Comment
from portal import access as portal_access
from portal.models import User
from portal.pagination import page_of

poster_required = portal_access.role_required(access.can_post)
moderator_required = portal_access.role_required(access.can_moderate)


def _refusal_to_form(form: Any, error: services.CaseRefused) -> None:
    form.add_error(error.field if error.field in form.fields else None, str(error).rstrip("."))


def _case_url(case: Case, anchor: str = "discussion") -> str:
    return f"{reverse('casenotes:case-detail', args=[case.pk])}#{anchor}"


def _comment_url(comment: Comment, *, user: User) -> str:
    """The comment on the page of its case's discussion that shows it to `user`."""
    page = selectors.comment_page_number(comment=comment, user=user)
    query = f"?page={page}" if page > 1 else ""
    return f"{reverse('casenotes:case-detail', args=[comment.case_id])}{query}#comment-{comment.pk}"


@sensitive_post_parameters(*COMMENT_RAW_FIELDS)
@sensitive_variables()
@poster_required
@require_POST
def comment_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, pk=pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            comment = services.comment_post(
                author=request.user,
                case=case,
                body_raw=form.cleaned_data["body"],
                participants=form.participants(),
            )
        except services.CaseRefused as error:
            _refusal_to_form(form, error)
        else:
            messages.success(request, "Your comment is added.")
            return redirect(_comment_url(comment, user=request.user))
    return render(request, "casenotes/discussion/comment_form.html", {"case": case, "form": form})


@login_required
def comment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A comment's own address (emails and back links use it): the case page that shows it,
    found when followed, so it still lands right after the discussion has grown."""
    comment = selectors.comment_get_for_user(user=request.user, pk=pk)
    return redirect(_comment_url(comment, user=request.user))


@sensitive_post_parameters(*VOTE_RAW_FIELDS)
@sensitive_variables()
@poster_required
@require_POST
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, pk=pk)
    form = VoteForm(request.POST)
    if form.is_valid():
        try:
            services.vote_record(
                voter=request.user,
                case=case,
                safeguarding=form.cleaned_data["safeguarding"],
                prevent=form.cleaned_data["prevent"],
                actions=form.cleaned_data["actions"],
                rationale_raw=form.cleaned_data["rationale"],
                participants=form.participants(),
            )
        except services.CaseRefused as error:
            _refusal_to_form(form, error)
        else:
            messages.success(request, "Your answer is saved. You can now see your colleagues'.")
            return redirect(_case_url(case, "consensus"))
    return render(request, "casenotes/discussion/vote_form.html", {"case": case, "form": form})


def _flag(request: HttpRequest, case: Case, comment: Comment | None) -> HttpResponse:
    form = FlagForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.flag_raise(
                raised_by=request.user,
                case=case,
                comment=comment,
                reason_raw=form.cleaned_data["reason"],
            )
        except services.CaseRefused as error:
            _refusal_to_form(form, error)
        else:
            messages.success(
                request, "Thank you. A supervisor or authority admin will look at your report."
            )
            return redirect(_case_url(case))
    context = {"case": case, "comment": comment, "form": form}
    return render(request, "casenotes/discussion/flag_form.html", context)


@sensitive_post_parameters(*FLAG_RAW_FIELDS)
@sensitive_variables()
@poster_required
@require_http_methods(["GET", "POST"])
def case_flag(request: HttpRequest, pk: int) -> HttpResponse:
    return _flag(request, selectors.case_get_for_user(user=request.user, pk=pk), None)


@sensitive_post_parameters(*FLAG_RAW_FIELDS)
@sensitive_variables()
@poster_required
@require_http_methods(["GET", "POST"])
def comment_flag(request: HttpRequest, pk: int) -> HttpResponse:
    comment = selectors.comment_get_for_user(user=request.user, pk=pk)
    return _flag(request, comment.case, comment)


@moderator_required
def moderation_queue(request: HttpRequest) -> HttpResponse:
    page, page_numbers = page_of(
        request,
        selectors.moderation_queue_for_user(user=request.user),
        rows=lambda flags: selectors.with_raised_by_shown_as(flags, user=request.user),
    )
    context = {"page": page, "page_numbers": page_numbers}
    return render(request, "casenotes/discussion/moderation_queue.html", context)


def _moderate(request: HttpRequest, case: Case, comment: Comment | None) -> HttpResponse:
    target = comment or case
    form = ModerationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        moderate = services.comment_moderate if comment else services.case_moderate
        arguments = {"comment": comment} if comment else {"case": case}
        try:
            moderate(
                actor=request.user,
                hide=form.hide,
                reason_raw=form.cleaned_data["reason"],
                request=request,
                **arguments,
            )
        except services.CaseRefused as error:
            _refusal_to_form(form, error)
        else:
            what = "comment" if comment else "case"
            state = "hidden" if form.hide else "shown"
            messages.success(request, f"The {what} is {state}, and its reports are closed.")
            return redirect("casenotes:moderation-queue")
    context = {
        "case": case,
        "comment": comment,
        "form": form,
        "flags": selectors.open_flags(user=request.user, target=target),
    }
    return render(request, "casenotes/discussion/moderate_form.html", context)


@sensitive_post_parameters(*MODERATION_RAW_FIELDS)
@sensitive_variables()
@moderator_required
@require_http_methods(["GET", "POST"])
def case_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    return _moderate(request, selectors.case_get_for_moderator(user=request.user, pk=pk), None)


@sensitive_post_parameters(*MODERATION_RAW_FIELDS)
@sensitive_variables()
@moderator_required
@require_http_methods(["GET", "POST"])
def comment_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    comment = selectors.comment_get_for_moderator(user=request.user, pk=pk)
    return _moderate(request, comment.case, comment)
