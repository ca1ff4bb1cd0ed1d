"""The learner's player: catalogue, module overview, steps, feedback, summary, certificates."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from portal import selectors as portal_selectors
from training import presenters, selectors, services
from training.forms import CertificateCheckForm, ConfidenceForm, DecisionForm

STALE_MESSAGE = "That step was already answered, so nothing changed. Carry on from here."


@dataclass(frozen=True)
class PlayLinks:
    """Where the player's pages (step, feedback, confidence) send the learner. The studio
    preview draws the same templates with links of its own and `preview_pk` set, which adds
    its banner and "Start the preview again" in place of "Stop for now"."""

    confidence: str  # the confidence question's form
    answer: str  # a decision's form
    proceed: str  # "Continue" from a narrative or end step
    next: str  # "Continue" from feedback
    stop: str = ""
    preview_pk: int | None = None


def _links(attempt) -> PlayLinks:
    play = reverse("training:attempt-play", args=[attempt.pk])
    return PlayLinks(
        confidence=reverse("training:attempt-confidence", args=[attempt.pk]),
        answer=reverse("training:attempt-answer", args=[attempt.pk]),
        proceed=reverse("training:attempt-continue", args=[attempt.pk]),
        next=play,
        stop=reverse("training:attempt-stop", args=[attempt.pk]),
    )


@login_required
def catalogue(request: HttpRequest) -> HttpResponse:
    entries = selectors.catalogue_for_user(user=request.user)
    query = request.GET.get("q", "").strip()[:100]
    context = {
        "entries": selectors.catalogue_matching(entries, query) if query else entries,
        "query": query,
        "searchable": len(entries) > selectors.CATALOGUE_SEARCH_AFTER,
    }
    return render(request, "training/catalogue.html", context)


@login_required
def module_detail(request: HttpRequest, key: str) -> HttpResponse:
    entry = selectors.catalogue_entry_for_user(user=request.user, key=key)
    return render(request, "training/module_detail.html", {"entry": entry})


@login_required
@require_POST
def attempt_start(request: HttpRequest, key: str) -> HttpResponse:
    entry = selectors.catalogue_entry_for_user(user=request.user, key=key)
    if entry.in_progress is not None:  # a second click resumes rather than starting twice
        return redirect("training:attempt-play", pk=entry.in_progress.pk)
    attempt = services.attempt_start(user=request.user, version=entry.version)
    return redirect("training:attempt-play", pk=attempt.pk)


@login_required
def attempt_play(request: HttpRequest, pk: int) -> HttpResponse:
    """Show whatever the attempt is waiting for; resuming anywhere lands here."""
    attempt = selectors.attempt_get_for_user(user=request.user, pk=pk)
    document = attempt.version.document
    if attempt.is_complete:
        return redirect("training:attempt-summary", pk=attempt.pk)
    if attempt.confidence_before is None or not attempt.current_step_key:
        form = ConfidenceForm(topic=document.confidence_topic)
        return _render_confidence(request, attempt, form)
    step = _in_words(request, document.steps[attempt.current_step_key])
    form = None
    if step.is_decision:
        form = DecisionForm(
            initial={"step_key": step.key, "position": attempt.answer_count},
            choices=step.choices,
        )
    return _render_step(request, attempt, step, form)


def _in_words(request: HttpRequest, step):
    """The step with the learner's own authority's contacts in place of its placeholders."""
    if not presenters.uses_placeholders(step):  # most steps: no query for the contacts
        return step
    return presenters.step_in_words(
        step, portal_selectors.pathway_words_for_user(user=request.user)
    )


def _render_confidence(request, attempt, form, status=200) -> HttpResponse:
    template = (
        "training/confidence_before.html"
        if attempt.confidence_before is None
        else "training/confidence_after.html"
    )
    context = {
        "attempt": attempt,
        "module": attempt.version.document,
        "form": form,
        "play": _links(attempt),
    }
    return render(request, template, context, status=status)


def _render_step(request, attempt, step, form, status=200) -> HttpResponse:
    choices_made = selectors.attempt_choices_made(attempt=attempt)
    context = {
        "position": presenters.step_position(attempt.version.document, step.key, choices_made),
        "attempt": attempt,
        "module": attempt.version.document,
        "step": step,
        "form": form,
        "indicators": attempt.version.document.indicator_names(step.indicators),
        "play": _links(attempt),
    }
    return render(request, "training/step.html", context, status=status)


@login_required
@require_POST
def attempt_confidence(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = selectors.attempt_get_for_user(user=request.user, pk=pk)
    form = ConfidenceForm(request.POST, topic=attempt.version.document.confidence_topic)
    if not form.is_valid():
        return _render_confidence(request, attempt, form, status=400)
    try:
        if attempt.confidence_before is None:
            services.attempt_rate_confidence(
                user=request.user, attempt=attempt, confidence=form.cleaned_data["confidence"]
            )
        else:
            services.attempt_finish(
                user=request.user, attempt=attempt, confidence=form.cleaned_data["confidence"]
            )
            return redirect("training:attempt-summary", pk=attempt.pk)
    except services.StaleStep:
        messages.info(request, STALE_MESSAGE)
    return redirect("training:attempt-play", pk=attempt.pk)


@login_required
@require_POST
def attempt_continue(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = selectors.attempt_get_for_user(user=request.user, pk=pk)
    try:
        services.attempt_continue(
            user=request.user, attempt=attempt, from_step_key=request.POST.get("step_key", "")
        )
    except services.StaleStep:
        messages.info(request, STALE_MESSAGE)
    return redirect("training:attempt-play", pk=attempt.pk)


@login_required
@require_POST
def attempt_answer(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = selectors.attempt_get_for_user(user=request.user, pk=pk)
    step = attempt.version.document.decision(request.POST.get("step_key", ""))
    if step is None:
        messages.info(request, STALE_MESSAGE)
        return redirect("training:attempt-play", pk=attempt.pk)
    form = DecisionForm(request.POST, choices=step.choices)
    if not form.is_valid():
        if attempt.current_step_key != step.key:
            messages.info(request, STALE_MESSAGE)
            return redirect("training:attempt-play", pk=attempt.pk)
        step = _in_words(request, step)
        form = DecisionForm(request.POST, choices=step.choices)
        form.is_valid()  # the same errors, over the choices as the learner reads them
        return _render_step(request, attempt, step, form, status=400)
    try:
        answer = services.answer_record(
            user=request.user,
            attempt=attempt,
            step_key=step.key,
            position=form.cleaned_data["position"],
            choice_index=form.cleaned_data["choice"],
        )
    except services.StaleStep:
        messages.info(request, STALE_MESSAGE)
        return redirect("training:attempt-play", pk=attempt.pk)
    return redirect("training:attempt-feedback", pk=attempt.pk, position=answer.position)


@login_required
def attempt_stop(request: HttpRequest, pk: int) -> HttpResponse:
    """Stop for now: every answer is already saved, so this only says so, on the module's
    page with its Resume button (a redirect, so a refresh does not repeat the banner)."""
    attempt = selectors.attempt_get_for_user(user=request.user, pk=pk)
    if not attempt.is_complete:
        messages.success(request, "Your progress is saved")
    return redirect("training:module-detail", key=attempt.version.module.key)


@login_required
def attempt_feedback(request: HttpRequest, pk: int, position: int) -> HttpResponse:
    attempt = selectors.attempt_get_for_user(user=request.user, pk=pk)
    answer = selectors.answer_get(attempt=attempt, position=position)
    document = attempt.version.document
    step = _in_words(request, document.steps[answer.step_key])
    context = {
        "attempt": attempt,
        "module": document,
        "step": step,
        "sources": presenters.sources_shown(step),
        "choice": step.choices[answer.choice_index],
        "words": presenters.decision_words(
            document.decision_for(answer.step_key, answer.choice_index)
        ),
        "indicators": document.indicator_names(step.indicators),
        "play": _links(attempt),
    }
    return render(request, "training/feedback.html", context)


@login_required
def attempt_summary(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = selectors.attempt_get_for_user(user=request.user, pk=pk)
    if not attempt.is_complete:
        return redirect("training:attempt-play", pk=attempt.pk)
    summary = selectors.attempt_summary(attempt=attempt)
    context = {"attempt": attempt, "module": attempt.version.document, "summary": summary}
    return render(request, "training/summary.html", context)


@login_required
def certificate_detail(request: HttpRequest, code: str) -> HttpResponse:
    certificate = selectors.certificate_get_for_user(user=request.user, code=code)
    verify_path = reverse("certificates:certificate-verify", args=[certificate.code])
    context = {"certificate": certificate, "verify_url": f"{settings.SITE_URL}{verify_path}"}
    return render(request, "training/certificate.html", context)


def certificate_check(request: HttpRequest) -> HttpResponse:
    """Public: anyone types a code from a certificate. A GET form: checking changes nothing,
    and the answer's address can be shared."""
    form = CertificateCheckForm(request.GET if "code" in request.GET else None)
    if not form.is_valid():
        status = 400 if form.is_bound else 200
        return render(request, "training/certificate_check.html", {"form": form}, status=status)
    certificate = selectors.certificate_verify(code=form.cleaned_data["code"])
    if certificate is None:
        return _certificate_not_found(request, form.cleaned_data["code"])
    return redirect("certificates:certificate-verify", code=certificate.code)


def certificate_verify(request: HttpRequest, code: str) -> HttpResponse:
    """Public: anyone holding a code may check it. Shows name, module and dates only."""
    return _certificate_answer(request, code)


def _certificate_answer(request: HttpRequest, code: str) -> HttpResponse:
    certificate = selectors.certificate_verify(code=code)
    if certificate is None:
        return _certificate_not_found(request, code)
    return render(request, "training/certificate_verify.html", {"certificate": certificate})


def _certificate_not_found(request: HttpRequest, code: str) -> HttpResponse:
    context = {"form": CertificateCheckForm(initial={"code": code}), "code": code}
    return render(request, "training/certificate_not_found.html", context, status=404)
