from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import QuerySet

from portal import staff_import
from portal.models import AuditAction, EmailKind, Role, Team, User


class SignInForm(AuthenticationForm):
    username = forms.EmailField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
    )
    error_messages = {
        "invalid_login": (
            "Enter a correct email address and password. After 5 failed attempts the account "
            "is locked for 15 minutes from your network."
        ),
        "inactive": "This account has been deactivated. Ask your authority admin.",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages.update(
            required="Enter your email address",
            invalid="Enter an email address in the correct format, like name@example.com",
        )

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip().lower()


_NEW_PASSWORD_MESSAGES = {
    "password_mismatch": "The passwords do not match: enter the same new password twice",
}


def _new_password_required(form: forms.Form) -> None:
    form.fields["new_password1"].error_messages["required"] = "Enter a new password"
    form.fields["new_password2"].error_messages["required"] = "Enter the new password again"


class SetPasswordForm(auth_forms.SetPasswordForm):
    """Django's, with its messages in GOV.UK's words (choosing a password from a link)."""

    error_messages = {**auth_forms.SetPasswordForm.error_messages, **_NEW_PASSWORD_MESSAGES}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _new_password_required(self)


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's, with its messages in GOV.UK's words."""

    error_messages = {
        **auth_forms.PasswordChangeForm.error_messages,
        **_NEW_PASSWORD_MESSAGES,
        "password_incorrect": "Your current password is not right: enter it again",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].error_messages["required"] = "Enter your current password"
        _new_password_required(self)


class PasswordResetRequestForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"required": "Enter your email address"},
    )


class SecondFactorCodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=20,
        help_text="The 6-digit code from your authenticator app, or one of your recovery codes.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "spellcheck": "false"}
        ),
        error_messages={"required": "Enter the code from your authenticator app"},
    )

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split()).lower()


# --- Administration -----------------------------------------------------------------------


class UserDetailsForm(forms.Form):
    """Name, role and team of a person; teams are limited to those the view passes in."""

    full_name = forms.CharField(
        label="Full name",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": "Enter the person’s full name"},
    )
    role = forms.ChoiceField(
        label="Role",
        choices=Role.choices,
        help_text=(
            "Supervisors see their team’s progress; authors write training; authority admins "
            "manage users, teams and the audit log."
        ),
        error_messages={"required": "Choose a role", "invalid_choice": "Choose a role"},
    )
    team = forms.ModelChoiceField(
        label="Team (optional)",
        queryset=Team.objects.none(),
        required=False,
        empty_label="No team",
        error_messages={"invalid_choice": "Choose one of your authority’s teams"},
    )

    def __init__(self, *args: Any, teams: QuerySet[Team], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams


class UserCreateForm(UserDetailsForm):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="We’ll email a link to this address so they can choose a password.",
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": "Enter their email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )
    field_order = ["email", "full_name", "role", "team"]

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class TeamForm(forms.Form):
    name = forms.CharField(
        label="Team name",
        max_length=120,
        error_messages={
            "required": "Enter the team’s name",
            "max_length": "Team name must be 120 characters or fewer",
        },
    )


class StaffImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="Columns email, full_name, role and team, saved as CSV UTF-8. Up to 1 MB.",
        error_messages={
            "required": "Choose a CSV file",
            "empty": "The file is empty",
            "invalid": "Choose a CSV file",
        },
    )

    def clean_file(self) -> bytes:
        """The file's bytes, refusing a big file by its declared size before reading any."""
        upload = self.cleaned_data["file"]
        too_large = "The file is larger than 1 MB. Split it into smaller files."
        if upload.size is not None and upload.size > staff_import.MAX_FILE_BYTES:
            raise forms.ValidationError(too_large)
        data = upload.read(staff_import.MAX_FILE_BYTES + 1)
        if len(data) > staff_import.MAX_FILE_BYTES:
            raise forms.ValidationError(too_large)
        return data


class AuditFilterForm(forms.Form):
    """Filters of the audit log, read from the query string; blank means all."""

    person = forms.ModelChoiceField(
        label="Person",
        queryset=User.objects.none(),
        required=False,
        empty_label="Everyone",
        help_text="Events done by or to this person.",
        error_messages={"invalid_choice": "Choose a person from the list"},
    )
    action = forms.ChoiceField(
        label="Event",
        choices=[("", "All events"), *AuditAction.choices],
        required=False,
        error_messages={"invalid_choice": "Choose an event from the list"},
    )

    def __init__(self, *args: Any, people: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["person"].label_from_instance = lambda user: f"{user.full_name} ({user.email})"


class EmailPreferencesForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label="Which emails do you want?",
        choices=EmailKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Untick the ones you don't want.",
    )

    def __init__(self, *args, mandatory: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.mandatory = mandatory
        # Mandatory kinds are no checkboxes at all: the page lists them as always sent.
        self.fields["kinds"].choices = [
            (kind, label) for kind, label in EmailKind.choices if kind not in mandatory
        ]

    def clean_kinds(self) -> list[str]:
        # Mandatory kinds stay on whatever was posted: the page says they can't be turned off.
        return sorted(set(self.cleaned_data["kinds"]) | set(self.mandatory))
