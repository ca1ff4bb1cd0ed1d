"""Forms of the authoring studio. They check input only; saving goes through services.studio."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from portal.ids import IdField, ModelMultipleIdChoiceField
from portal.responses import Action, PracticeError, PreventRoute, SafeguardingRoute
from training import engine, interchange, responses
from training.forms import GovukDateField
from training.models import Indicator, Module, Step
from training.services.studio import MODULE_LIMITS, StepBands
from training.sources import citations_of, library_sources

SAFEGUARDING_CHOICES = [("", "Choose a safeguarding response"), *SafeguardingRoute.choices]
PREVENT_CHOICES = [("", "Choose a Prevent response"), *PreventRoute.choices]
ERROR_CHOICES = [("", "No practice error"), *PracticeError.choices]
BAND_FIELDS = ("safeguarding_band_low", "safeguarding_band_high", "prevent_band_low",
               "prevent_band_high", "safety_critical")  # fmt: skip


class ModuleForm(forms.ModelForm):
    reviewed_on = GovukDateField(
        label="Content last checked against its guidance (optional)",
        help_text="For example, 27 3 2026",
        required=False,
    )

    class Meta:
        model = Module
        fields = [
            "title",
            "summary",
            "audience",
            "minutes",
            "pass_mark",
            "refresher_months",
            "confidence_topic",
            "learning_outcomes",
            "reviewed_on",
        ]
        labels = {
            "summary": "Summary for the catalogue",
            "audience": "Who it is for (optional)",
            "refresher_months": "Certificate lasts (months)",
            "confidence_topic": "Confidence question topic",
        }
        help_texts = {
            "pass_mark": "The percentage of points needed for a certificate.",
        }
        error_messages = {
            "title": {
                "required": "Enter a title",
                "max_length": "The title must be 200 characters or fewer",
            },
            "summary": {"required": "Enter a summary"},
            "audience": {"max_length": "Who it is for must be 200 characters or fewer"},
            "minutes": {"required": "Enter the time needed in minutes"},
            "pass_mark": {"required": "Enter a pass mark"},
            "refresher_months": {"required": "Enter how many months a certificate lasts"},
            "confidence_topic": {
                "required": "Enter the confidence question topic",
                "max_length": "The confidence question topic must be 200 characters or fewer",
            },
            "learning_outcomes": {"required": "Enter at least one learning outcome"},
        }

    def _within_limits(self, name: str) -> int:
        value = self.cleaned_data[name]
        low, high, message = MODULE_LIMITS[name]
        if not low <= value <= high:
            raise ValidationError(message)
        return value

    def clean_reviewed_on(self) -> date | None:
        reviewed_on = self.cleaned_data["reviewed_on"]
        if reviewed_on and reviewed_on > timezone.localdate():
            raise ValidationError("The date the content was last checked must be today or earlier")
        return reviewed_on

    def clean_pass_mark(self) -> int:
        return self._within_limits("pass_mark")

    def clean_minutes(self) -> int:
        return self._within_limits("minutes")

    def clean_refresher_months(self) -> int:
        return self._within_limits("refresher_months")


class ScenarioForm(forms.Form):
    title = forms.CharField(
        label="Scenario title",
        max_length=200,
        error_messages={
            "required": "Enter a title for the scenario",
            "max_length": "The scenario title must be 200 characters or fewer",
        },
    )


class StepChoiceField(forms.TypedChoiceField):
    """Pick a step of the scenario. Plain choices, built once per page: a ModelChoiceField
    would query the steps again for every choice row."""

    def __init__(self, *, empty_label: str, **kwargs: Any) -> None:
        super().__init__(coerce=int, empty_value=None, required=False, **kwargs)
        self.empty_label = empty_label

    def offer(self, steps: list[Step]) -> None:
        self.steps = {step.pk: step for step in steps}
        self.choices = [("", self.empty_label)] + [
            (step.pk, f"{step.title} ({step.key})") for step in steps
        ]

    def clean(self, value: Any) -> Step | None:
        pk = super().clean(value)
        return self.steps.get(pk) if pk is not None else None


class StepForm(forms.Form):
    """A step's own fields. Which of them matter depends on the kind; the map and the
    problem list say what is missing rather than refusing to save a half-built step."""

    kind = forms.ChoiceField(
        label="Kind of step",
        choices=Step.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of step"},
    )
    title = forms.CharField(
        label="Title",
        max_length=200,
        error_messages={
            "required": "Enter a title",
            "max_length": "The title must be 200 characters or fewer",
        },
    )
    key = forms.SlugField(
        label="Key (optional)",
        required=False,
        max_length=80,
        help_text="A short id used in exports. Made from the title if you leave it empty.",
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
        error_messages={
            "invalid": "Use only lowercase letters, numbers and hyphens in the key",
            "max_length": "The key must be 80 characters or fewer",
        },
    )
    body = forms.CharField(
        label="What the learner reads (Markdown)",
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
    )
    next_step = StepChoiceField(
        label="Next step (narrative steps)", empty_label="Choose the next step"
    )
    safeguarding_band_low = forms.ChoiceField(
        label="Safeguarding: lowest accepted response (decision steps)",
        choices=SAFEGUARDING_CHOICES,
        required=False,
    )
    safeguarding_band_high = forms.ChoiceField(
        label="Safeguarding: highest accepted response (decision steps)",
        help_text="The same as the lowest when only one response is right.",
        choices=SAFEGUARDING_CHOICES,
        required=False,
    )
    prevent_band_low = forms.ChoiceField(
        label="Prevent: lowest accepted response (decision steps)",
        choices=PREVENT_CHOICES,
        required=False,
    )
    prevent_band_high = forms.ChoiceField(
        label="Prevent: highest accepted response (decision steps)",
        help_text="The same as the lowest when only one response is right.",
        choices=PREVENT_CHOICES,
        required=False,
    )
    safety_critical = forms.BooleanField(
        label="Safety-critical decision",
        help_text=(
            "A dated threat, imminent travel, a weapon: an under-reaction on either route or "
            "a practice error here fails the module whatever the score."
        ),
        required=False,
    )
    explanation = forms.CharField(
        label="Why those responses are right (decision steps)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    sources = forms.MultipleChoiceField(
        label="Guidance this decision follows (decision steps)",
        help_text=(
            "Learners see it under the feedback. A section already cited is kept; the Sources "
            "page of the studio lists every document."
        ),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": "Choose guidance from the list"},
    )
    indicators = ModelMultipleIdChoiceField(
        label="Indicators shown in this step",
        queryset=Indicator.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(
        self, data: Any = None, *, scenario_steps: list[Step], step: Step | None = None
    ) -> None:
        initial = None
        if step is not None:
            initial = {
                "kind": step.kind,
                "title": step.title,
                "key": step.key,
                "body": step.body,
                "next_step": step.next_step_id,
                **{name: getattr(step, name) for name in BAND_FIELDS},
                "explanation": step.explanation,
                "sources": [citation.key for citation in citations_of(step.sources)],
                "indicators": [i.pk for i in step.indicators.all()],
            }
        super().__init__(data, initial=initial)
        self.fields["next_step"].offer([s for s in scenario_steps if step is None or s != step])
        cited = initial["sources"] if initial else []
        self.fields["sources"].choices = guidance_choices(cited=cited)

    def clean(self) -> dict[str, Any]:
        """The band fields arrive as one `bands` (services.studio.StepBands); a band given
        whole must run from its lowest response to its highest."""
        data = super().clean()
        for route in responses.ROUTES:
            low, high = data.get(f"{route}_band_low"), data.get(f"{route}_band_high")
            keys = responses.LEVEL_KEYS[route]
            if low and high and keys.index(low) > keys.index(high):
                self.add_error(
                    f"{route}_band_high",
                    "Choose a highest response at or above the lowest one",
                )
        if not self.errors:
            data["bands"] = StepBands(
                *(data.pop(name) or "" for name in BAND_FIELDS[:4]),
                safety_critical=data.pop("safety_critical"),
            )
        return data


def guidance_choices(*, cited: list[str]) -> list[tuple[str, str]]:
    """Current guidance to choose from, and any superseded document the step still cites, so
    the author sees it and can untick it (a superseded one cannot be newly chosen)."""
    sources = library_sources()
    choices = []
    for key, source in sources.items():
        if source.is_superseded and key not in cited:
            continue
        label = f"{source.title} ({source.publisher}{', ' + source.date if source.date else ''})"
        if source.is_superseded:
            successor = sources[source.superseded_by].title
            label += f": superseded by {successor}, choose that instead"
        choices.append((key, label))
    return choices


class ChoiceForm(forms.Form):
    id = IdField(widget=forms.HiddenInput, required=False)
    text = forms.CharField(
        label="Choice text",
        max_length=300,
        required=False,
        error_messages={"max_length": "The choice text must be 300 characters or fewer"},
    )
    safeguarding = forms.ChoiceField(
        label="Safeguarding route", choices=SAFEGUARDING_CHOICES, required=False
    )
    prevent = forms.ChoiceField(label="Prevent route", choices=PREVENT_CHOICES, required=False)
    actions = forms.MultipleChoiceField(
        label="Actions (optional)",
        choices=Action.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    error = forms.ChoiceField(label="Practice error", choices=ERROR_CHOICES, required=False)
    feedback = forms.CharField(
        label="Feedback (Markdown)", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    next_step = StepChoiceField(label="Leads to", empty_label="Choose a step")

    def __init__(self, *args: Any, scenario_steps: list[Step] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["next_step"].offer(list(scenario_steps))

    @property
    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not any(
            data.get(name) for name in ("text", "feedback", "safeguarding", "prevent", "actions",
                                        "error")
        )  # fmt: skip


class BaseChoiceFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        kept = [f for f in self.forms if not self._should_delete_form(f) and not f.is_blank]
        if len(kept) > engine.MAX_CHOICES:
            raise ValidationError(f"A decision offers at most {engine.MAX_CHOICES} choices")
        for form in kept:
            if not form.cleaned_data.get("text"):
                form.add_error("text", "Enter the choice text, or tick Remove")

    def choices_to_keep(self) -> list[dict[str, Any]]:
        return [
            form.cleaned_data
            for form in self.forms
            if not self._should_delete_form(form) and not form.is_blank
        ]


ChoiceFormSet = forms.formset_factory(
    ChoiceForm,
    formset=BaseChoiceFormSet,
    extra=0,
    can_delete=True,
    max_num=engine.MAX_CHOICES + 4,
    absolute_max=engine.MAX_CHOICES + 4,
    validate_max=True,
)


class PublishForm(forms.Form):
    change_note = forms.CharField(
        label="What changed in this version?",
        help_text="Learners do not see this. Other authors see it in the version history.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what changed in this version"},
    )
    is_major = forms.BooleanField(
        label="This is a major revision: the guidance changed",
        help_text=(
            "Certificates earned on earlier versions will show as needing refresh, "
            "and their holders get a refresher due on the date below."
        ),
        required=False,
    )
    refresh_due_on = GovukDateField(
        label="Holders must refresh by (major revisions only)",
        help_text="For example, 27 2 2027",
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("is_major") and not data.get("refresh_due_on") and not self.errors:
            self.add_error("refresh_due_on", "Enter the date holders must refresh by")
        return data


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Module file (.json)",
        help_text=f"Exported from Threshold. At most {interchange.MAX_BYTES // (1024 * 1024)} MB.",
        error_messages={"required": "Choose a module file to import", "empty": "The file is empty"},
    )

    def read(self) -> bytes:
        """At most one byte over the limit: enough for the reader to refuse it by size."""
        return self.cleaned_data["file"].read(interchange.MAX_BYTES + 1)
