"""The authoring studio: modules, scenarios, steps and choices, in pages of their own.

Authors and authority admins edit their authority's modules only; anything else answers
404. Every page works without JavaScript; with htmx, saving a step swaps the editor in
place (hx-select picks it out of the full page), so inline problems refresh without a reload.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from portal import access as portal_access
from portal import selectors as portal_selectors
from training import access, presenters, scenario_map, selectors, services
from training.forms_studio import (
    ChoiceFormSet,
    ImportForm,
    ModuleForm,
    PublishForm,
    ScenarioForm,
    StepForm,
)
from training.models import Step
from training.sources import library_sources

studio_required = portal_access.role_required(access.can_use_studio)
IMPORT_PROBLEMS_SHOWN = 100  # a bad file can hold thousands; the first hundred say enough


def _refusal_to_form(form: Any, error: services.StudioRefused) -> None:
    form.add_error(error.field if error.field in form.fields else None, str(error).rstrip("."))


# --- Modules --------------------------------------------------------------------------------


@studio_required
def studio_home(request: HttpRequest) -> HttpResponse:
    modules = selectors.studio_modules_for_user(user=request.user)
    return render(request, "training/studio/home.html", {"modules": modules})


@studio_required
def sources_list(request: HttpRequest) -> HttpResponse:
    """The guidance modules may cite, and every decision of ours citing a superseded one."""
    context = {
        "sources": list(library_sources().values()),
        "superseded": selectors.superseded_citations_for_user(user=request.user),
    }
    return render(request, "training/studio/sources.html", context)


@studio_required
@require_http_methods(["GET", "POST"])
def module_create(request: HttpRequest) -> HttpResponse:
    form = ModuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        module = services.module_create(by=request.user, **form.cleaned_data)
        messages.success(request, f"{module.title} created. Add its first scenario.")
        return redirect("training:studio-module", pk=module.pk)
    context = {"form": form, "module": None}
    return render(request, "training/studio/module_form.html", context, status=_status(form))


@studio_required
def module_overview(request: HttpRequest, pk: int) -> HttpResponse:
    module = selectors.studio_module_get_for_user(user=request.user, pk=pk)
    workspace = selectors.workspace_for_module(module=module)
    context = {
        "module": module,
        "workspace": workspace,
        "scenarios": selectors.scenario_rows(workspace=workspace),
        "problems": selectors.problem_rows(workspace=workspace),
        "history": selectors.version_history(module=module),
    }
    return render(request, "training/studio/module.html", context)


@studio_required
@require_http_methods(["GET", "POST"])
def module_edit(request: HttpRequest, pk: int) -> HttpResponse:
    module = selectors.studio_module_get_for_user(user=request.user, pk=pk)
    form = ModuleForm(request.POST or None, instance=module)
    if request.method == "POST" and form.is_valid():
        services.module_update(by=request.user, module=module, **form.cleaned_data)
        messages.success(request, "Module details saved.")
        return redirect("training:studio-module", pk=module.pk)
    context = {"form": form, "module": module}
    return render(request, "training/studio/module_form.html", context, status=_status(form))


@studio_required
@require_http_methods(["GET", "POST"])
def module_publish(request: HttpRequest, pk: int) -> HttpResponse:
    module = selectors.studio_module_get_for_user(user=request.user, pk=pk)
    workspace = selectors.workspace_for_module(module=module)
    form = PublishForm(request.POST or None)
    if request.method == "POST" and not workspace.problems and form.is_valid():
        try:
            version = services.version_publish(
                module=module, by=request.user, request=request, **form.cleaned_data
            )
        except services.StudioRefused as error:
            _refusal_to_form(form, error)
        else:
            messages.success(request, f"Published version {version.number} of {module.title}.")
            return redirect("training:studio-module", pk=module.pk)
    context = {
        "module": module,
        "form": form,
        "problems": selectors.problem_rows(workspace=workspace),
        "changes": selectors.draft_changes(module=module, workspace=workspace),
        "holders": selectors.current_certificate_count(module=module),
    }
    refused = request.method == "POST" and (workspace.problems or form.errors)
    return render(request, "training/studio/publish.html", context, status=400 if refused else 200)


def _status(form: Any) -> int:
    return 400 if form.is_bound and form.errors else 200


@studio_required
def module_export(request: HttpRequest, pk: int) -> HttpResponse:
    module = selectors.studio_module_get_for_user(user=request.user, pk=pk)
    filename, content = services.module_export(module=module)
    response = HttpResponse(content, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@studio_required
@require_http_methods(["GET", "POST"])
def module_import(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            imported = services.module_import(
                raw=form.read(), authority=request.user.authority, by=request.user, request=request
            )
        except services.ImportRefused as refused:
            problems = refused.problems
            form.add_error("file", f"The file was not imported: it has {_count(problems)}")
        else:
            module = imported.module
            messages.success(request, f"Imported {module.title} as a draft.")
            if imported.to_review:
                request.session[_imported_key(module.pk)] = imported.to_review
                return redirect("training:studio-module-imported", pk=module.pk)
            return redirect("training:studio-module", pk=module.pk)
    context = {
        "form": form,
        "problems": problems[:IMPORT_PROBLEMS_SHOWN],
        "problems_not_shown": max(len(problems) - IMPORT_PROBLEMS_SHOWN, 0),
    }
    return render(request, "training/studio/import.html", context, status=_status(form))


def _imported_key(pk: int) -> str:
    return f"training:imported:{pk}"


@studio_required
def module_imported(request: HttpRequest, pk: int) -> HttpResponse:
    """After importing a file on the old single scale: the decisions to review, each linked."""
    module = selectors.studio_module_get_for_user(user=request.user, pk=pk)
    keys = request.session.get(_imported_key(module.pk))
    if not keys:
        return redirect("training:studio-module", pk=module.pk)
    steps = selectors.studio_steps_with_keys(module=module, keys=keys)
    return render(request, "training/studio/import_done.html", {"module": module, "steps": steps})


def _count(problems: list[str]) -> str:
    return "1 problem" if len(problems) == 1 else f"{len(problems)} problems"


@studio_required
@require_http_methods(["GET", "POST"])
def module_share(request: HttpRequest, pk: int) -> HttpResponse:
    module = selectors.studio_module_get_for_user(user=request.user, pk=pk)
    error = None
    if request.method == "POST":
        try:
            if request.POST.get("action") == "withdraw":
                services.module_unshare(module=module, by=request.user, request=request)
                messages.success(request, f"{module.title} is no longer in the national library.")
            else:
                services.module_share(module=module, by=request.user, request=request)
                messages.success(request, f"{module.title} is now in the national library.")
        except services.StudioRefused as refused:
            error = str(refused)
        else:
            return redirect("training:studio-module", pk=module.pk)
    context = {"module": module, "error": error}
    return render(request, "training/studio/share.html", context, status=400 if error else 200)


@studio_required
def library_list(request: HttpRequest) -> HttpResponse:
    modules = selectors.adoptable_modules_for_user(user=request.user)
    return render(request, "training/studio/library.html", {"modules": modules})


@studio_required
@require_http_methods(["GET", "POST"])
def module_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    source = selectors.adoptable_module_get_for_user(user=request.user, pk=pk)
    error = None
    if request.method == "POST":
        try:
            module = services.module_adopt(source=source, by=request.user, request=request)
        except services.StudioRefused as refused:
            error = str(refused)
        else:
            messages.success(request, f"Adopted {module.title}: it is a draft for you to adapt.")
            return redirect("training:studio-module", pk=module.pk)
    context = {"source": source, "error": error}
    return render(request, "training/studio/adopt.html", context, status=400 if error else 200)


@studio_required
def module_insight(request: HttpRequest, pk: int) -> HttpResponse:
    module = selectors.studio_module_get_for_user(user=request.user, pk=pk)
    words = portal_selectors.pathway_words_for_user(user=request.user)
    insight = selectors.module_insight(module=module, words=words)
    return render(request, "training/studio/insight.html", {"module": module, "insight": insight})


# --- Scenarios ------------------------------------------------------------------------------


@studio_required
@require_http_methods(["GET", "POST"])
def scenario_create(request: HttpRequest, pk: int) -> HttpResponse:
    module = selectors.studio_module_get_for_user(user=request.user, pk=pk)
    form = ScenarioForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        scenario = services.scenario_create(
            by=request.user, module=module, title=form.cleaned_data["title"]
        )
        messages.success(request, f"Scenario “{scenario.title}” added. Add its first step.")
        return redirect("training:studio-scenario", pk=scenario.pk)
    context = {"module": module, "form": form, "scenario": None}
    return render(request, "training/studio/scenario_form.html", context, status=_status(form))


@studio_required
@require_http_methods(["GET", "POST"])
def scenario_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The map, the text outline, and the scenario's title."""
    scenario = selectors.studio_scenario_get_for_user(user=request.user, pk=pk)
    form = ScenarioForm(request.POST or None, initial={"title": scenario.title})
    if request.method == "POST" and form.is_valid():
        services.scenario_update(
            by=request.user, scenario=scenario, title=form.cleaned_data["title"]
        )
        messages.success(request, "Scenario title saved.")
        return redirect("training:studio-scenario", pk=scenario.pk)
    workspace = selectors.workspace_for_module(module=scenario.module)
    index = workspace.scenario_ids.index(scenario.pk)
    words = portal_selectors.pathway_words_for_user(user=request.user)
    steps = presenters.scenario_contacts_filled(workspace.snapshot["scenarios"][index], words)

    def href_for(key: str) -> str:
        return reverse("training:studio-step", args=[workspace.step_ids[key]])

    the_map = scenario_map.scenario_map_build(
        steps,
        problems_by_step={k: [p.detail for p in v] for k, v in workspace.problems_by_step.items()},
        href_for=href_for,
        title=scenario.title,
    )
    context = {"scenario": scenario, "module": scenario.module, "form": form, "map": the_map}
    return render(request, "training/studio/scenario.html", context, status=_status(form))


@studio_required
@require_http_methods(["GET", "POST"])
def scenario_delete(request: HttpRequest, pk: int) -> HttpResponse:
    scenario = selectors.studio_scenario_get_for_user(user=request.user, pk=pk)
    if request.method == "POST":
        services.scenario_delete(by=request.user, scenario=scenario)
        messages.success(request, f"Scenario “{scenario.title}” deleted.")
        return redirect("training:studio-module", pk=scenario.module_id)
    return render(request, "training/studio/scenario_delete.html", {"scenario": scenario})


# --- Steps and choices ----------------------------------------------------------------------


@studio_required
@require_http_methods(["GET", "POST"])
def step_create(request: HttpRequest, pk: int) -> HttpResponse:
    scenario = selectors.studio_scenario_get_for_user(user=request.user, pk=pk)
    form = StepForm(request.POST or None, scenario_steps=list(scenario.steps.all()))
    if request.method == "POST" and form.is_valid():
        try:
            step = services.step_create(by=request.user, scenario=scenario, **form.cleaned_data)
        except services.StudioRefused as error:
            _refusal_to_form(form, error)
        else:
            messages.success(request, f"Step “{step.title}” added.")
            return redirect("training:studio-step", pk=step.pk)
    context = {"scenario": scenario, "module": scenario.module, "form": form}
    return render(request, "training/studio/step_create.html", context, status=_status(form))


@studio_required
@require_http_methods(["GET", "POST"])
def step_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The step with its choices, saved together; problems shown beside what they concern."""
    step = selectors.studio_step_get_for_user(user=request.user, pk=pk)
    siblings = list(Step.objects.filter(scenario_id=step.scenario_id))
    data = request.POST if request.method == "POST" else None
    form = StepForm(data, scenario_steps=siblings, step=step)
    choices = ChoiceFormSet(
        data,
        prefix="choices",
        initial=selectors.choice_initial(step=step),
        form_kwargs={"scenario_steps": siblings},
    )
    if data is not None and "add_choice" in data:
        choices = _with_blank_choice(data, siblings)
    elif data is not None and form.is_valid() and choices.is_valid():
        try:
            services.step_update(
                by=request.user,
                step=step,
                **form.cleaned_data,
                choices=choices.choices_to_keep(),
            )
        except services.StudioRefused as error:
            _refusal_to_form(form, error)
        else:
            messages.success(request, f"Step “{form.cleaned_data['title']}” saved.")
            return redirect("training:studio-step", pk=step.pk)
    return _render_step_editor(request, step, form, choices)


def _with_blank_choice(data: Any, siblings: list[Step]) -> Any:
    """The same unsaved rows plus an empty one: adding a choice never loses what was typed."""
    data = data.copy()
    try:
        count = int(data.get("choices-TOTAL_FORMS", 0))
    except ValueError:
        count = 0
    data["choices-TOTAL_FORMS"] = str(min(count + 1, ChoiceFormSet.max_num))
    return ChoiceFormSet(data, prefix="choices", form_kwargs={"scenario_steps": siblings})


def _render_step_editor(request, step, form, choices) -> HttpResponse:
    workspace = selectors.workspace_for_module(module=step.scenario.module)
    context = {
        "step": step,
        "scenario": step.scenario,
        "module": step.scenario.module,
        "form": form,
        "choices": choices,
        "editor": selectors.step_editor_rows(workspace=workspace, step=step, choices=choices),
    }
    status = 400 if (form.is_bound and form.errors) or choices.total_error_count() else 200
    return render(request, "training/studio/step.html", context, status=status)


@studio_required
@require_http_methods(["GET", "POST"])
def step_delete(request: HttpRequest, pk: int) -> HttpResponse:
    step = selectors.studio_step_get_for_user(user=request.user, pk=pk)
    if request.method == "POST":
        services.step_delete(by=request.user, step=step)
        messages.success(request, f"Step “{step.title}” deleted.")
        return redirect("training:studio-scenario", pk=step.scenario_id)
    return render(request, "training/studio/step_delete.html", {"step": step})


@studio_required
@require_POST
def step_move(request: HttpRequest, pk: int) -> HttpResponse:
    step = selectors.studio_step_get_for_user(user=request.user, pk=pk)
    direction = -1 if request.POST.get("direction") == "up" else 1
    services.step_move(by=request.user, step=step, direction=direction)
    return redirect("training:studio-scenario", pk=step.scenario_id)
