from __future__ import annotations

import ipaddress
import re
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import QuerySet

from portal import selectors, staff_import
from portal.models import (
    AuditAction,
    AuthorityPathway,
    EmailKind,
    IdentityProvider,
    Role,
    Team,
    User,
)
from training import pathway_words

EMAIL_ERRORS = {
    "required": "Enter your email address",
    "invalid": "Enter an email address in the correct format, like name@example.org",
}


class EmailStepForm(forms.Form):
    """The sign-in page's first question: the email says whether a provider signs it in."""

    username = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "username", "autofocus": True}),
        error_messages=EMAIL_ERRORS,
    )

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip().lower()


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
        """Refused here, before any password is tried (so nothing counts towards a lockout),
        when the email's authority requires single sign-on."""
        email = self.cleaned_data["username"].strip().lower()
        provider = selectors.identity_provider_requiring_sso(email=email)
        if provider is not None:
            raise forms.ValidationError(
                f"{provider.authority} signs you in with your work account, not a password. "
                f"Choose Continue with your email address only to sign in with {provider}.",
                code="sso_required",
            )
        return email


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
        help_text="The four columns described above, saved as CSV UTF-8. Up to 1 MB.",
        error_messages={
            "required": "Choose a CSV file",
            "empty": "The file is empty",
            "invalid": "Choose a CSV file",
        },
    )

    def clean_file(self) -> bytes:
        """The file's bytes, refusing a big file by its declared size before reading any."""
        upload = self.cleaned_data["file"]
        too_large = "The file is larger than 1 MB. Split it into smaller files"
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


# --- Single sign-on providers -------------------------------------------------------------

DOMAIN_PATTERN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


class IdentityProviderFields(forms.Form):
    """What an authority sets for its OpenID Connect provider (the secret is write-only)."""

    name = forms.CharField(
        label="Name shown to staff",
        max_length=120,
        help_text="For example, Northbridge staff account (Microsoft).",
        error_messages={
            "required": "Enter a name for the provider",
            "max_length": "The name must be 120 characters or fewer",
        },
    )
    issuer = forms.URLField(
        label="Issuer URL",
        max_length=300,
        assume_scheme="https",
        help_text=(
            "Exactly as the provider states it, for example "
            "https://login.microsoftonline.com/<tenant id>/v2.0."
        ),
        error_messages={
            "required": "Enter the issuer URL",
            "invalid": "Enter the issuer as a URL, like https://login.example.org",
        },
    )
    client_id = forms.CharField(
        label="Client ID",
        max_length=255,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": "Enter the client ID"},
    )
    client_secret = forms.CharField(
        label="Client secret",
        max_length=1000,
        required=False,
        strip=True,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}, render_value=False),
        help_text="Stored encrypted and never shown again. Leave blank to keep the saved one.",
    )
    domains = forms.CharField(
        label="Email domains it signs in",
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text="One per line, for example northbridge.gov.uk.",
        error_messages={"required": "Enter at least one email domain"},
    )
    accepted_acr_values = forms.CharField(
        label="Assurance levels that count as multi-factor (optional)",
        required=False,
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
        help_text=(
            "acr values, separated by spaces. A sign-in whose amr includes mfa always counts; "
            "other sign-ins go on to Threshold's own authenticator step."
        ),
    )
    allow_account_creation = forms.BooleanField(
        label="Create a practitioner account, with no team, for someone it signs in who has none",
        required=False,
    )
    require_sso = forms.BooleanField(
        label="Require it: refuse passwords for these email domains",
        required=False,
    )

    def clean_issuer(self) -> str:
        issuer = self.cleaned_data["issuer"].strip()
        host = (urlsplit(issuer).hostname or "").lower()
        local = host in {"localhost", "127.0.0.1", "::1"} or host.endswith(".localhost")
        if local and settings.SSO_ALLOW_LOCAL_ISSUERS:
            return issuer
        if not issuer.startswith("https://"):
            raise forms.ValidationError("The issuer URL must start with https://")
        if local or _is_ip_address(host) or "." not in host:
            raise forms.ValidationError("The issuer URL must name a public host")
        return issuer

    def clean_domains(self) -> list[str]:
        domains = []
        for raw in re.split(r"[\s,;]+", self.cleaned_data["domains"].lower()):
            domain = raw.strip().lstrip("@")
            if not domain:
                continue
            if not DOMAIN_PATTERN.match(domain):
                raise forms.ValidationError(
                    f"{domain} is not an email domain. Enter domains like northbridge.gov.uk"
                )
            if domain not in domains:
                domains.append(domain)
        if not domains:
            raise forms.ValidationError("Enter at least one email domain")
        return domains

    def clean_accepted_acr_values(self) -> list[str]:
        values = re.split(r"[\s,]+", self.cleaned_data["accepted_acr_values"].strip())
        return list(dict.fromkeys(value for value in values if value))

    @staticmethod
    def initial_for(provider: IdentityProvider) -> dict[str, Any]:
        return {
            "name": provider.name,
            "issuer": provider.issuer,
            "client_id": provider.client_id,
            "domains": "\n".join(d.domain for d in provider.domains.all()),
            "accepted_acr_values": " ".join(provider.accepted_acr_values),
            "allow_account_creation": provider.allow_account_creation,
            "require_sso": provider.require_sso,
        }


def _is_ip_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


class IdentityProviderForm(IdentityProviderFields):
    """The authority admin's form; a new provider needs its secret."""

    def __init__(self, *args: Any, adding: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if adding:
            self.fields["client_secret"].required = True
            self.fields["client_secret"].help_text = "Stored encrypted and never shown again."
            self.fields["client_secret"].error_messages["required"] = "Enter the client secret"


class PathwayForm(forms.ModelForm):
    """The "Who to contact" page. Sentence-sized fields fill the training modules'
    placeholders, so each one's hint shows how it will read and what an empty one says."""

    referral_url = forms.URLField(
        label="Referral form or route (link)", required=False, assume_scheme="https"
    )
    threshold_document_url = forms.URLField(
        label="Local threshold document (link)", required=False, assume_scheme="https"
    )

    class Meta:
        model = AuthorityPathway
        fields = [
            "prevent_lead",
            "referral_route",
            "referral_url",
            "ct_policing",
            "front_door",
            "lado",
            "out_of_hours",
            "threshold_document",
            "threshold_document_url",
            "other_contacts",
        ]
        widgets = {"other_contacts": forms.Textarea(attrs={"rows": 5})}

    EXAMPLES = {
        "prevent_lead": "the Northbridge Prevent team (0161 496 0000)",
        "referral_route": "the National Prevent Referral Form, sent to prevent@northbridge.example",
        "ct_policing": "Counter Terrorism Policing North West (0161 496 0999)",
        "front_door": "the Northbridge Children's Front Door (0161 496 0001)",
        "lado": "the Northbridge LADO (0161 496 0002)",
        "out_of_hours": "the Emergency Duty Team (0161 496 0003)",
        "threshold_document": "the Northbridge Continuum of Need",
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for key, example in self.EXAMPLES.items():
            self.fields[key].help_text = (
                f"Reads inside a sentence in the training, for example “{example}”. "
                f"Left empty, it reads “{pathway_words.NATIONAL[key]}”."
            )
        self.fields["referral_url"].help_text = "A link to the form or the local route, if any."
        self.fields["threshold_document_url"].help_text = "A link to the document, if online."
        for name in ("referral_url", "threshold_document_url"):
            self.fields[name].error_messages["invalid"] = (
                "Enter a full web address, starting https://"
            )
        for field in self.fields.values():
            if getattr(field, "max_length", None):
                field.error_messages["max_length"] = (
                    f"{field.label} must be {field.max_length} characters or fewer"
                )
