"""Forms of the case pages. They validate input only: redaction and saving happen in services.

Fields named in RAW_FIELDS hold text before redaction. They travel only inside the form
(the preview sends them back as hidden fields) and are never stored.
"""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.choices import Choice
from django import forms
from django.db.models import QuerySet

from casenotes import case_text
from casenotes.case_names import case_text_preview
from casenotes.models import AgeBand, Case, Ideology, Setting, Visibility
from casenotes.responses import UNKNOWN_ACTION, UNKNOWN_ROUTE, Response
from portal.ids import ModelMultipleIdChoiceField
from portal.models import Team
from portal.responses import PreventRoute, SafeguardingRoute
from training import responses
from training.models import Indicator

# Words the author marked in the preview travel as raw text too (never stored).
MARK_FIELDS = ("marked", "words_to_remove")
RAW_FIELDS = ("title", "question", "account", "participants", "extra_terms", *MARK_FIELDS)
OUTCOME_RAW_FIELDS = ("outcome", "participants", "extra_terms", *MARK_FIELDS)
SHARING_RAW_FIELDS = ("reason",)

# The buttons of a form with a preview: show (or refresh) the preview, save, or go back.
PREVIEW, PUBLISH, EDIT = "preview", "publish", "edit"

VISIBILITY_CHOICES = [
    Choice(Visibility.TEAM, "My team", hint="Only people in your team."),
    Choice(Visibility.AUTHORITY, "My authority", hint="Everyone in your authority."),
    Choice(
        Visibility.REGION,
        "My region",
        hint="Authorities in your region, once a supervisor or authority admin approves it.",
    ),
    Choice(
        Visibility.ALL,
        "All authorities",
        hint="Every authority, once a supervisor or authority admin approves it.",
    ),
]

PARTICIPANTS_HELP = (
    "One person a line, with their role in brackets if you like, for example "
    "Amira Khan (child) or Sadia Khan (mother). They are replaced wherever they appear, "
    "and this list is never saved."
)
EXTRA_TERMS_HELP = (
    "One a line: anything else that could identify the family, such as a club, a place of "
    "worship, a small village or a nickname."
)


def _textarea(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def route_field(route: str, *, label: str, required_message: str) -> forms.ChoiceField:
    """Radios for one route's levels, least to most intrusive, each explained."""
    return forms.ChoiceField(
        label=label,
        choices=[
            Choice(term.key, term.label, hint=term.explanation) for term in responses.LEVELS[route]
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": required_message,
            "invalid_choice": UNKNOWN_ROUTE[route],
        },
    )


def actions_field(*, label: str) -> forms.MultipleChoiceField:
    """Checkboxes for the actions, each explained; none is a valid answer."""
    return forms.MultipleChoiceField(
        label=label,
        help_text="Select all that apply.",
        choices=[Choice(term.key, term.label, hint=term.explanation) for term in responses.ACTIONS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": UNKNOWN_ACTION},
    )


class RedactionFieldsMixin:
    """The fields that steer redaction, and their parsed values: the people listed, other
    words to redact, and words the author marked in the preview with a kind ("marked", which
    the preview carries as a hidden field, plus what was just added under "Words to remove")."""

    def redaction_arguments(self) -> dict[str, list[Any]]:
        data = self.cleaned_data  # type: ignore[attr-defined]
        return {
            "participants": case_text.participants_parse(data.get("participants", "")),
            "extra_terms": [
                *case_text.terms_parse(data.get("extra_terms", "")),
                *case_text.marks_parse(self.marked_value),
            ],
        }

    @property
    def marked_value(self) -> str:
        """Every word marked so far, one "KIND: words" a line, for the next preview."""
        data = getattr(self, "cleaned_data", {})
        return case_text.marks_add(
            data.get("marked", ""), data.get("words_to_remove", ""), data.get("remove_kind", "")
        )

    @property
    def carried_fields(self) -> list[forms.BoundField]:
        """The fields the preview sends back hidden (those shown on it excepted)."""
        shown = {"extra_terms", *MARK_FIELDS, "remove_kind"}
        return [field for field in self if field.name not in shown]  # type: ignore[attr-defined]


def _marked_field() -> forms.CharField:
    return forms.CharField(required=False, max_length=4000, widget=forms.HiddenInput)


def _words_to_remove_field() -> forms.CharField:
    return forms.CharField(
        label="Words to remove",
        help_text=(
            "A word or phrase from the preview: it is replaced everywhere it appears. "
            "You can also select it in the preview."
        ),
        required=False,
        max_length=200,
        error_messages={"max_length": "The words to remove must be 200 characters or fewer"},
    )


def _remove_kind_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Replace them as",
        choices=case_text.MARK_KINDS,
        required=False,
        error_messages={"invalid_choice": "Select what the words are"},
    )


def _participants_field() -> forms.CharField:
    return forms.CharField(
        label="Names of the people involved (optional)",
        help_text=PARTICIPANTS_HELP,
        required=False,
        max_length=2000,
        widget=_textarea(4),
        error_messages={"max_length": "The names must be 2,000 characters or fewer"},
    )


def _extra_terms_field() -> forms.CharField:
    return forms.CharField(
        label="Other words to redact (optional)",
        help_text=EXTRA_TERMS_HELP,
        required=False,
        max_length=2000,
        widget=_textarea(3),
        error_messages={"max_length": "The other words must be 2,000 characters or fewer"},
    )


class CaseForm(RedactionFieldsMixin, forms.Form):
    title = forms.CharField(
        label="Title",
        help_text="A few words about the concern, for the list of cases.",
        max_length=Case._meta.get_field("title").max_length,
        error_messages={
            "required": "Enter a title",
            "max_length": "The title must be 150 characters or fewer",
        },
    )
    age_band = forms.ChoiceField(
        label="Age of the young person",
        choices=AgeBand.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the age of the young person"},
    )
    setting = forms.ChoiceField(
        label="Where the concern arose",
        choices=Setting.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select where the concern arose"},
    )
    indicators = ModelMultipleIdChoiceField(
        label="Indicators observed (optional)",
        help_text="Select all that apply.",
        queryset=Indicator.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select indicators from the list"},
    )
    ideology = forms.ChoiceField(
        label="Ideology, if any",
        choices=Ideology.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the ideology, or None identified"},
    )
    response_safeguarding = route_field(
        responses.SAFEGUARDING,
        label="What was done on the safeguarding route",
        required_message="Select what was done on the safeguarding route",
    )
    response_prevent = route_field(
        responses.PREVENT,
        label="What was done on the Prevent route",
        required_message="Select what was done on the Prevent route",
    )
    response_actions = actions_field(label="Actions taken so far (optional)")
    question = forms.CharField(
        label="What would you like your peers to advise on?",
        max_length=2000,
        widget=_textarea(3),
        error_messages={
            "required": "Enter what you would like advice on",
            "max_length": "The question must be 2,000 characters or fewer",
        },
    )
    account = forms.CharField(
        label="What happened",
        help_text=(
            "Write it as you would for a colleague. Names, dates, addresses, phone numbers, "
            "schools and online handles are replaced before anything is saved, and you see "
            "the result before you publish. You can use Markdown for paragraphs and lists."
        ),
        max_length=20000,
        widget=_textarea(12),
        error_messages={
            "required": "Enter what happened",
            "max_length": "The account must be 20,000 characters or fewer",
        },
    )
    participants = _participants_field()
    extra_terms = _extra_terms_field()
    marked = _marked_field()
    words_to_remove = _words_to_remove_field()
    remove_kind = _remove_kind_field()
    visibility = forms.ChoiceField(
        label="Who can see it",
        choices=VISIBILITY_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select who can see the case",
            "invalid_choice": "Select who can see the case",
        },
    )

    def __init__(
        self,
        *args: Any,
        indicators: QuerySet[Indicator],
        team: Team | None,
        authority_id: int | None = None,
        **kwargs: Any,
    ) -> None:
        """`authority_id`: the author's, whose pathway numbers the preview keeps."""
        super().__init__(*args, **kwargs)
        self.authority_id = authority_id
        self.fields["indicators"].queryset = indicators
        visibility = self.fields["visibility"]
        if team is None:  # someone in no team can only choose wider
            visibility.choices = [c for c in VISIBILITY_CHOICES if c.value != Visibility.TEAM]
        else:
            visibility.choices = [
                Choice(Visibility.TEAM, f"My team ({team})", hint="Only people in your team."),
                *VISIBILITY_CHOICES[1:],
            ]

    def redacted(self) -> list[case_text.RedactedText]:
        """Title, question and account as they would be saved, for the preview."""
        data = self.cleaned_data
        return case_text_preview(
            case=None,
            texts=[data["title"], data["question"], data["account"]],
            authority_id=self.authority_id,
            **self.redaction_arguments(),
        )

    def summary_rows(self) -> list[tuple[str, str]]:
        """The chosen answers, labelled, for the preview's summary list."""
        data = self.cleaned_data
        indicators = ", ".join(indicator.name for indicator in data["indicators"]) or "None"
        return [
            ("Age", AgeBand(data["age_band"]).label),
            ("Setting", Setting(data["setting"]).label),
            ("Indicators", indicators),
            ("Ideology", Ideology(data["ideology"]).label),
            ("What was done", str(self.decision())),
            ("Who can see it", Visibility(data["visibility"]).label),
        ]

    def decision(self) -> Response:
        data = self.cleaned_data
        return Response(
            data["response_safeguarding"],
            data["response_prevent"],
            tuple(data["response_actions"]),
        )

    def publish_arguments(self) -> dict[str, Any]:
        """Keyword arguments for services.case_publish."""
        data = self.cleaned_data
        return {
            "title_raw": data["title"],
            "age_band": data["age_band"],
            "setting": data["setting"],
            "ideology": data["ideology"],
            "indicators": data["indicators"],
            "response_safeguarding": data["response_safeguarding"],
            "response_prevent": data["response_prevent"],
            "response_actions": data["response_actions"],
            "question_raw": data["question"],
            "account_raw": data["account"],
            "visibility": data["visibility"],
            **self.redaction_arguments(),
        }


class CaseFilterForm(forms.Form):
    """The list's search and filters (GET). A value that is not a choice is ignored."""

    q = forms.CharField(
        label="Search cases",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"input_type": "search"}),  # crispy-forms-gds sets the type
    )
    indicator = forms.ChoiceField(label="Indicator", required=False)
    ideology = forms.ChoiceField(
        label="Ideology", required=False, choices=[("", "Any"), *Ideology.choices]
    )
    setting = forms.ChoiceField(
        label="Setting", required=False, choices=[("", "Any"), *Setting.choices]
    )
    # What was done, on either route (or both).
    safeguarding = forms.ChoiceField(
        label="What was done: safeguarding",
        required=False,
        choices=[("", "Any"), *SafeguardingRoute.choices],
    )
    prevent = forms.ChoiceField(
        label="What was done: Prevent", required=False, choices=[("", "Any"), *PreventRoute.choices]
    )
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any"), *Case.Status.choices]
    )
    scope = forms.ChoiceField(
        label="Shared with", required=False, choices=[("", "Anyone"), *Visibility.choices]
    )

    def __init__(self, *args: Any, indicators: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [("", "Any"), *indicators]

    def filters(self) -> dict[str, str]:
        """The valid filters given (the form is always bound)."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}

    @property
    def choice_fields(self) -> list[forms.BoundField]:
        """The drop-downs: every field but the search words."""
        return [self[name] for name in self.fields if name != "q"]


class SharingDecisionForm(forms.Form):
    APPROVE, DECLINE = "approve", "decline"
    CHECKS = [
        ("no_dates", "There are no exact dates, only periods such as 'last spring'"),
        (
            "no_unusual_events",
            "No unusual event is described that would single the child or family out",
        ),
        ("no_small_places", "No small place (a village, estate, club or school) is named"),
    ]

    checks = forms.MultipleChoiceField(
        label="Before you approve, check the case",
        help_text="Redacted text can still identify a child. Select all three to approve.",
        choices=CHECKS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    decision = forms.ChoiceField(
        label="Can this case be shared beyond your authority?",
        choices=[
            (APPROVE, "Yes, approve it for wider sharing"),
            (DECLINE, "No, keep it inside the authority"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the case can be shared"},
    )
    reason = forms.CharField(
        label="Reason",
        help_text="Needed if you decline. The author can ask you about it; it is audited.",
        required=False,
        max_length=1000,
        widget=_textarea(3),
        error_messages={"max_length": "The reason must be 1,000 characters or fewer"},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("decision") == self.APPROVE:
            if set(data.get("checks") or []) != {value for value, _ in self.CHECKS}:
                self.add_error(
                    "checks", "Select all three checks before approving the case for sharing"
                )
        if data.get("decision") == self.DECLINE and not data.get("reason", "").strip():
            self.add_error("reason", "Enter the reason for declining")
        return data


class OutcomeForm(RedactionFieldsMixin, forms.Form):
    outcome = forms.CharField(
        label="What happened in the end",
        help_text="Personal details are replaced as in the account, and you see the result first.",
        max_length=5000,
        widget=_textarea(6),
        error_messages={
            "required": "Enter what happened in the end",
            "max_length": "The outcome must be 5,000 characters or fewer",
        },
    )
    outcome_safeguarding = route_field(
        responses.SAFEGUARDING,
        label="The response in the end on the safeguarding route",
        required_message="Select the response in the end on the safeguarding route",
    )
    outcome_prevent = route_field(
        responses.PREVENT,
        label="The response in the end on the Prevent route",
        required_message="Select the response in the end on the Prevent route",
    )
    outcome_actions = actions_field(label="Actions taken in the end (optional)")
    participants = _participants_field()
    extra_terms = _extra_terms_field()
    marked = _marked_field()
    words_to_remove = _words_to_remove_field()
    remove_kind = _remove_kind_field()

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        """Starts from the outcome recorded, or else from what was done."""
        response = case.outcome_response or case.decision
        kwargs.setdefault(
            "initial",
            {
                "outcome_safeguarding": response.safeguarding,
                "outcome_prevent": response.prevent,
                "outcome_actions": list(response.actions),
            },
        )
        super().__init__(*args, **kwargs)
        self.case = case

    def redacted(self) -> list[case_text.RedactedText]:
        """The outcome as it would be saved: with the people the case named, under its labels."""
        return case_text_preview(
            case=self.case, texts=[self.cleaned_data["outcome"]], **self.redaction_arguments()
        )

    def outcome_arguments(self) -> dict[str, Any]:
        """Keyword arguments for services.case_outcome_record."""
        return {
            "outcome_raw": self.cleaned_data["outcome"],
            "outcome_safeguarding": self.cleaned_data["outcome_safeguarding"],
            "outcome_prevent": self.cleaned_data["outcome_prevent"],
            "outcome_actions": self.cleaned_data["outcome_actions"],
            **self.redaction_arguments(),
        }
