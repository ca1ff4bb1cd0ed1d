from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm


class SignInForm(AuthenticationForm):
    username = forms.EmailField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": (
            "Enter a correct email address and password. After 5 failed attempts the account "
            "is locked for 15 minutes."
        ),
        "inactive": "This account has been deactivated. Ask your authority admin.",
    }

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip().lower()


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
