from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from crispy_forms_gds.fields import DateInputField
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from portal.models import Role, Team, User
from training import selectors, version_reader
from training.models import AssignmentRule, Module

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


class CertificateCheckForm(forms.Form):
    code = forms.CharField(
        label="Certificate code",
        help_text="It is on the certificate, for example ABCD-EFGH-JK23",
        max_length=40,
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
        error_messages={
            "required": "Enter the certificate code",
            "max_length": "A certificate code has 12 letters and numbers, like ABCD-EFGH-JK23",
        },
    )

    def clean_code(self) -> str:
        code = selectors.certificate_code_normalise(self.cleaned_data["code"])
        if len(code) != len("ABCD-EFGH-JK23"):
            raise ValidationError(
                "A certificate code has 12 letters and numbers, like ABCD-EFGH-JK23"
            )
        return code


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

    def __init__(self, *args: Any, choices: Sequence[version_reader.Choice], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["choice"].choices = [(i, choice.text) for i, choice in enumerate(choices)]


# --- Assigning modules ----------------------------------------------------------------------


class GovukDateField(DateInputField):
    """The GOV.UK date input (day, month and year boxes) with this service's messages."""

    def __init__(self, *, required_message: str = "Enter a date", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.error_messages["required"] = required_message

    def clean(self, value: Any) -> date | None:
        day, month, year = [str(part or "").strip() for part in [*(value or []), "", "", ""][:3]]
        if not (day or month or year):
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return None
        # Each part is checked as text first: `date()` given a 30-digit number raises
        # OverflowError, not ValueError.
        parts_fit = all(
            part.isascii() and part.isdigit() and len(part) <= width
            for part, width in [(day, 2), (month, 2), (year, 4)]
        )
        if not parts_fit or len(year) != 4:
            raise ValidationError("Enter a real date", code="invalid")
        try:
            return date(int(year), int(month), int(day))
        except ValueError:  # day 0, month 13, 30 February, year 0000
            raise ValidationError("Enter a real date", code="invalid") from None


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} ({obj.team})" if obj.team_id else obj.full_name


class AssignmentRuleForm(forms.Form):
    """What to assign, to whom and by when. Supervisors choose a person or their own team.

    "Who" and "when" are GOV.UK conditional reveals: each option's follow-up field sits under
    it (static/js/reveals.js hides the others; without JavaScript all show). Only the chosen
    option's follow-up is read or checked: a hidden field's value and errors are dropped.
    """

    BY_DATE, BY_DAYS = "date", "days"
    DUE_KINDS = [(BY_DATE, "By a date"), (BY_DAYS, "A number of days after each person gets it")]

    # Each radio's options and the fields revealed under them (a supervisor's form has no team
    # or role field: their team is their own).
    REVEALS = {
        "target": {
            AssignmentRule.Target.PERSON: ["target_user"],
            AssignmentRule.Target.TEAM: ["target_team"],
            AssignmentRule.Target.ROLE: ["target_role"],
        },
        "due_kind": {BY_DATE: ["due_on"], BY_DAYS: ["due_in_days"]},
    }

    module = forms.ModelChoiceField(
        label="Module",
        queryset=Module.objects.none(),
        empty_label="Choose a module",
        error_messages={"required": "Choose a module", "invalid_choice": "Choose a module"},
    )
    target = forms.ChoiceField(
        label="Who is it for?",
        widget=forms.RadioSelect,
        help_text="People who join later get it too.",
        error_messages={
            "required": "Choose who the module is for",
            "invalid_choice": "Choose who the module is for",
        },
    )
    target_user = PersonChoiceField(
        label="Person",
        queryset=User.objects.none(),
        required=False,
        empty_label="Choose a person",
        error_messages={"invalid_choice": "Choose a person you can assign to"},
    )
    target_team = forms.ModelChoiceField(
        label="Team",
        queryset=Team.objects.none(),
        required=False,
        empty_label="Choose a team",
        error_messages={"invalid_choice": "Choose a team you can assign to"},
    )
    target_role = forms.ChoiceField(
        label="Role",
        choices=[("", "Choose a role"), *Role.choices],
        required=False,
        error_messages={"invalid_choice": "Choose a role"},
    )
    due_kind = forms.ChoiceField(
        label="When is it due?",
        choices=DUE_KINDS,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose when it is due",
            "invalid_choice": "Choose when it is due",
        },
    )
    due_on = GovukDateField(
        label="Due date",
        help_text="For example, 27 3 2027",
        required=False,
    )
    due_in_days = forms.IntegerField(
        label="Number of days",
        min_value=1,
        max_value=365,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
        error_messages={
            "invalid": "Enter the number of days as a whole number, like 30",
            "min_value": "The number of days must be 1 or more",
            "max_value": "The number of days must be 365 or fewer",
        },
    )
    refresher_months = forms.IntegerField(
        label="Refresher period in months (optional)",
        help_text=(
            "A refresher is assigned 30 days before this period ends, or before the "
            "certificate expires if that is sooner. Leave blank to use the module’s own period."
        ),
        min_value=1,
        max_value=60,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-2"}),
        error_messages={
            "invalid": "Enter the refresher period as a whole number of months, like 12",
            "min_value": "The refresher period must be 1 month or more",
            "max_value": "The refresher period must be 60 months or fewer",
        },
    )

    def __init__(
        self,
        *args: Any,
        actor: User,
        modules: QuerySet[Module],
        people: QuerySet[User],
        teams: QuerySet[Team],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = modules
        self.fields["target_user"].queryset = people
        targets = AssignmentRule.Target
        if actor.is_authority_admin:
            self.own_team = None
            self.fields["target_team"].queryset = teams
            self.fields["target"].choices = targets.choices
        else:  # a supervisor's team is their own: nothing to choose
            self.own_team = teams.first()
            del self.fields["target_team"], self.fields["target_role"]
            self.fields["target"].choices = [
                (targets.PERSON, targets.PERSON.label),
                (targets.TEAM, f"My team ({self.own_team})"),
            ]

    @property
    def reveals(self) -> dict[str, list[tuple[Any, list[forms.BoundField]]]]:
        """Each radio's options (bound widgets), with the fields revealed when it is chosen."""
        return {
            radio: [
                (
                    option,
                    [
                        self[name]
                        for name in revealed.get(option.data["value"], [])
                        if name in self.fields
                    ],
                )
                for option in self[radio]
            ]
            for radio, revealed in self.REVEALS.items()
        }

    def _drop_unchosen(self, data: dict[str, Any]) -> None:
        """Forget what was typed or chosen under the options not picked, errors included."""
        for radio, revealed in self.REVEALS.items():
            for option, names in revealed.items():
                if data.get(radio) == option:
                    continue
                for name in names:
                    if name in self.fields:
                        self.errors.pop(name, None)
                        data[name] = None

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        self._drop_unchosen(data)
        needed = {
            AssignmentRule.Target.PERSON: ("target_user", "Choose a person"),
            AssignmentRule.Target.TEAM: ("target_team", "Choose a team"),
            AssignmentRule.Target.ROLE: ("target_role", "Choose a role"),
        }.get(data.get("target"))
        if needed and needed[0] in self.fields and not data.get(needed[0]):
            if needed[0] not in self.errors:
                self.add_error(*needed)
        # A date in the past is refused by services.rule_create, and shown on this field.
        if data.get("due_kind") == self.BY_DATE and "due_on" not in self.errors:
            if data.get("due_on") is None:
                self.add_error("due_on", "Enter the due date")
        if data.get("due_kind") == self.BY_DAYS and "due_in_days" not in self.errors:
            if data.get("due_in_days") is None:
                self.add_error("due_in_days", "Enter the number of days")
        return data

    def rule_arguments(self) -> dict[str, Any]:
        """Keyword arguments for services.rule_create, keeping only what was chosen."""
        data = self.cleaned_data
        target = data["target"]
        by_date = data["due_kind"] == self.BY_DATE
        team = self.own_team or data.get("target_team")
        return {
            "module": data["module"],
            "target": target,
            "target_user": data["target_user"] if target == AssignmentRule.Target.PERSON else None,
            "target_team": team if target == AssignmentRule.Target.TEAM else None,
            "target_role": data["target_role"] if target == AssignmentRule.Target.ROLE else "",
            "due_on": data["due_on"] if by_date else None,
            "due_in_days": None if by_date else data["due_in_days"],
            "refresher_months": data["refresher_months"],
        }


class AssignmentExtendForm(forms.Form):
    due_on = GovukDateField(
        label="New due date",
        help_text="For example, 27 3 2027",
        required_message="Enter the new due date",
    )
    reason = forms.CharField(
        label="Reason",
        help_text="Recorded in the audit log, and shown to their supervisors and admins.",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter the reason for the extension",
            "max_length": "The reason must be 1,000 characters or fewer",
        },
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError("Enter the reason for the extension", code="required")
        return reason


class DebriefForm(forms.Form):
    held_on = GovukDateField(
        label="Date of the debrief",
        help_text="For example, 27 3 2027",
        required_message="Enter the date of the debrief",
    )
    note = forms.CharField(
        label="What you talked about",
        help_text=(
            "About the training decision only: no names or details of a real case. "
            "Shown on their training record."
        ),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Say what you talked about",
            "max_length": "The note must be 500 characters or fewer",
        },
    )
