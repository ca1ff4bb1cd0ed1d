from __future__ import annotations

from typing import Any

from django import forms

CONFIDENCE_CHOICES = [
    (1, "1 – Not at all confident"),
    (2, "2 – Slightly confident"),
    (3, "3 – Moderately confident"),
    (4, "4 – Confident"),
    (5, "5 – Very confident"),
]


class ConfidenceForm(forms.Form):
    confidence = forms.TypedChoiceField(
        choices=CONFIDENCE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how confident you feel, from 1 to 5"},
    )

    def __init__(self, *args: Any, topic: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[
            "confidence"
        ].label = f"How confident are you to recognise and respond proportionately to {topic}?"


class StepContinueForm(forms.Form):
    step_key = forms.CharField(widget=forms.HiddenInput)


class DecisionForm(forms.Form):
    """One decision. step_key and position say which question this answer belongs to."""

    step_key = forms.CharField(widget=forms.HiddenInput)
    position = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    choice = forms.TypedChoiceField(
        label="What would you do?",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what you would do"},
    )

    def __init__(self, *args: Any, choices: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["choice"].choices = [(i, c["text"]) for i, c in enumerate(choices)]
