"""Forms of the discussion of a case: comments, votes, flags and moderation.

They validate input only. Every text field here holds text before redaction: the services
redact it before anything is saved, and the views mask these fields in error reports.
"""

from __future__ import annotations

from django import forms

from casenotes import case_text
from casenotes.forms import actions_field, route_field
from training import responses

# Field names that carry raw text, for sensitive_post_parameters.
COMMENT_RAW_FIELDS = ("body", "participants")
VOTE_RAW_FIELDS = ("rationale", "participants")
FLAG_RAW_FIELDS = ("reason",)
MODERATION_RAW_FIELDS = ("reason",)

HIDE, RESTORE = "hide", "restore"


def _textarea(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _participants_field() -> forms.CharField:
    return forms.CharField(
        label="Names of anyone else you mention (optional)",
        help_text=(
            "One person a line, with their role in brackets if you like, for example "
            "Tom Reid (uncle). The people named in the case are replaced already, under the "
            "same labels. This list is never saved."
        ),
        required=False,
        max_length=2000,
        widget=_textarea(2),
        error_messages={"max_length": "The names must be 2,000 characters or fewer"},
    )


class ParticipantsMixin:
    def participants(self) -> list[str]:
        """The people the writer listed, one a line."""
        return case_text.participants_parse(self.cleaned_data.get("participants", ""))  # type: ignore[attr-defined]


class CommentForm(ParticipantsMixin, forms.Form):
    body = forms.CharField(
        label="Add a comment",
        help_text=(
            "Names, dates, addresses, phone numbers, schools and online handles are replaced "
            "before your comment is saved. You can use Markdown for paragraphs and lists."
        ),
        max_length=5000,
        widget=_textarea(5),
        error_messages={
            "required": "Enter your comment",
            "max_length": "The comment must be 5,000 characters or fewer",
        },
    )
    participants = _participants_field()


class VoteForm(ParticipantsMixin, forms.Form):
    safeguarding = route_field(
        responses.SAFEGUARDING,
        label="What would you do on the safeguarding route?",
        required_message="Select what you would do on the safeguarding route",
    )
    prevent = route_field(
        responses.PREVENT,
        label="What would you do on the Prevent route?",
        required_message="Select what you would do on the Prevent route",
    )
    actions = actions_field(label="Which actions would you take? (optional)")
    rationale = forms.CharField(
        label="Why?",
        help_text="In a sentence or two. Personal details are replaced before it is saved.",
        max_length=400,
        widget=_textarea(3),
        error_messages={
            "required": "Enter why you would choose this response",
            "max_length": "The reason must be 400 characters or fewer",
        },
    )
    participants = _participants_field()


class FlagForm(forms.Form):
    reason = forms.CharField(
        label="What is wrong?",
        help_text=(
            "For example, it could identify a child or family, or it is disrespectful. "
            "A supervisor or authority admin of the authority that owns the case will look at it."
        ),
        max_length=400,
        widget=_textarea(4),
        error_messages={
            "required": "Enter what is wrong",
            "max_length": "The reason must be 400 characters or fewer",
        },
    )


class ModerationForm(forms.Form):
    action = forms.ChoiceField(
        label="What do you want to do?",
        choices=[
            (HIDE, "Hide it from everyone but moderators"),
            (RESTORE, "Show it (or keep showing it) and close the reports"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether to hide or show it"},
    )
    reason = forms.CharField(
        label="Reason",
        help_text="Recorded in your authority's audit log, and shown to moderators.",
        max_length=250,
        widget=_textarea(3),
        error_messages={
            "required": "Enter the reason",
            "max_length": "The reason must be 250 characters or fewer",
        },
    )

    @property
    def hide(self) -> bool:
        return self.cleaned_data["action"] == HIDE
