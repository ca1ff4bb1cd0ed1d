"""Preview: the author plays the current draft as a learner would, and nothing is recorded.

The pages are the player's own templates (step, feedback, the confidence questions), given
links back to the preview (PlayLinks with `preview_pk`), so what the author sees is what a
learner will; only the result page is the preview's own (it has no attempt or certificate).

The draft is rebuilt on every page, so edits made in another tab show at once; if an edit
removes the step the preview was on, the preview says so and starts again.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from portal import selectors as portal_selectors
from training import presenters, preview, selectors
from training.forms import ConfidenceForm, DecisionForm
from training.version_reader import VersionDocument, version_read
from training.views.learning import PlayLinks
from training.views.studio import studio_required

OUT_OF_STEP = "The draft or the preview moved on, so the preview carries on from here."


def _session_key(module_pk: int) -> str:
    return f"studio-preview-{module_pk}"


def _draft(request: HttpRequest, pk: int) -> tuple[Any, Any, VersionDocument]:
    module = selectors.studio_module_get_for_user(user=request.user, pk=pk)
    workspace = selectors.workspace_for_module(module=module)
    return module, workspace, version_read(workspace.snapshot)


def _links(pk: int, *, confidence: str = "training:studio-preview") -> PlayLinks:
    """The player's templates, pointed at the preview: every move goes back to its pages."""
    play = reverse("training:studio-preview-play", args=[pk])
    return PlayLinks(
        confidence=reverse(confidence, args=[pk]),
        answer=play,
        proceed=play,
        next=play,
        preview_pk=pk,
    )


def _restart(request: HttpRequest, pk: int) -> HttpResponse:
    request.session.pop(_session_key(pk), None)
    messages.info(request, OUT_OF_STEP)
    return redirect("training:studio-preview", pk=pk)


@studio_required
@require_http_methods(["GET", "POST"])
def preview_start(request: HttpRequest, pk: int) -> HttpResponse:
    """The confidence question; a draft with problems cannot be played yet."""
    module, workspace, document = _draft(request, pk)
    if workspace.problems:
        context = {"module": module, "problems": selectors.problem_rows(workspace=workspace)}
        return render(request, "training/studio/preview_blocked.html", context)
    form = ConfidenceForm(request.POST or None, topic=document.confidence_topic)
    if request.method == "POST" and form.is_valid():
        state = preview.preview_begin(document, confidence=form.cleaned_data["confidence"])
        request.session[_session_key(pk)] = state
        return redirect("training:studio-preview-play", pk=pk)
    request.session.pop(_session_key(pk), None)
    context = {"module": document, "form": form, "play": _links(pk)}
    status = 400 if form.errors else 200
    return render(request, "training/confidence_before.html", context, status=status)


@studio_required
@require_http_methods(["GET", "POST"])
def preview_play(request: HttpRequest, pk: int) -> HttpResponse:
    _, workspace, document = _draft(request, pk)
    state = request.session.get(_session_key(pk))
    if state is None or workspace.problems:
        return redirect("training:studio-preview", pk=pk)
    try:
        step = preview.preview_current_step(document, state)
        if step is None:
            return redirect("training:studio-preview-finish", pk=pk)
        step = _in_words(request, step)
        form = None
        if step.is_decision:
            form = DecisionForm(
                request.POST or None,
                initial={"step_key": step.key, "position": len(state["answers"])},
                choices=step.choices,
            )
        if request.method == "POST":
            return _preview_move(request, pk, document, state, step, form)
    except preview.PreviewOutOfStep:
        return _restart(request, pk)
    return _render_step(request, pk, document, step, form)


def _preview_move(request, pk, document, state, step, form) -> HttpResponse:
    if request.POST.get("step_key") != step.key:
        messages.info(request, OUT_OF_STEP)
        return redirect("training:studio-preview-play", pk=pk)
    if form is None:
        state = preview.preview_continue(document, state, step_key=step.key)
        request.session[_session_key(pk)] = state
        return redirect("training:studio-preview-play", pk=pk)
    if not form.is_valid():
        return _render_step(request, pk, document, step, form, status=400)
    try:
        state = preview.preview_answer(
            document,
            state,
            step_key=step.key,
            position=form.cleaned_data["position"],
            choice_index=form.cleaned_data["choice"],
        )
    except preview.PreviewOutOfStep:  # a resubmit of an earlier visit to this step
        messages.info(request, OUT_OF_STEP)
        return redirect("training:studio-preview-play", pk=pk)
    request.session[_session_key(pk)] = state
    return redirect("training:studio-preview-feedback", pk=pk)


def _in_words(request: HttpRequest, step):
    """The author previews with their own authority's contacts, as its learners will see."""
    if not presenters.uses_placeholders(step):  # most steps: no query for the contacts
        return step
    return presenters.step_in_words(
        step, portal_selectors.pathway_words_for_user(user=request.user)
    )


def _render_step(request, pk, document, step, form, status=200) -> HttpResponse:
    context = {
        "module": document,
        "step": step,
        "form": form,
        "indicators": document.indicator_names(step.indicators),
        "play": _links(pk),
    }
    return render(request, "training/step.html", context, status=status)


@studio_required
def preview_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    """Feedback on the last decision, on the player's own feedback page."""
    _, workspace, document = _draft(request, pk)
    state = request.session.get(_session_key(pk))
    if not state or workspace.problems:
        return redirect("training:studio-preview", pk=pk)
    if not state["answers"]:
        return redirect("training:studio-preview-play", pk=pk)
    try:
        decision = preview.preview_decisions(document, state)[-1]
    except preview.PreviewOutOfStep:
        return _restart(request, pk)
    step_key, choice_index = state["answers"][-1]
    step = _in_words(request, document.steps[step_key])
    context = {
        "module": document,
        "step": step,
        "sources": presenters.sources_shown(step),
        "choice": step.choices[choice_index],
        "words": presenters.decision_words(decision),
        "indicators": document.indicator_names(step.indicators),
        "play": _links(pk),
    }
    return render(request, "training/feedback.html", context)


@studio_required
@require_http_methods(["GET", "POST"])
def preview_finish(request: HttpRequest, pk: int) -> HttpResponse:
    """The second confidence question, then the result a learner would see."""
    module, workspace, document = _draft(request, pk)
    state = request.session.get(_session_key(pk))
    if not state or workspace.problems:
        return redirect("training:studio-preview", pk=pk)
    if state.get("step"):  # not at the end yet: the start page would throw the preview away
        if request.method == "POST":
            messages.info(request, OUT_OF_STEP)
        return redirect("training:studio-preview-play", pk=pk)
    form = ConfidenceForm(request.POST or None, topic=document.confidence_topic)
    if request.method == "POST" and form.is_valid():
        state = preview.preview_finish(state, confidence=form.cleaned_data["confidence"])
        request.session[_session_key(pk)] = state
    if state.get("confidence_after") is None:
        play = _links(pk, confidence="training:studio-preview-finish")
        context = {"module": document, "form": form, "play": play}
        status = 400 if form.errors else 200
        return render(request, "training/confidence_after.html", context, status=status)
    try:
        result = preview.preview_result(document, state)
    except preview.PreviewOutOfStep:
        return _restart(request, pk)
    context = {
        "module": module,
        "document": document,
        "state": state,
        "result": result,
        "passed": result.passed(document.pass_mark),
        "spotted": document.indicator_names(result.indicators_spotted),
        "missed": document.indicator_names(result.indicators_missed),
    }
    return render(request, "training/studio/preview_summary.html", context)


@studio_required
@require_POST
def preview_restart(request: HttpRequest, pk: int) -> HttpResponse:
    selectors.studio_module_get_for_user(user=request.user, pk=pk)
    request.session.pop(_session_key(pk), None)
    return redirect("training:studio-preview", pk=pk)
