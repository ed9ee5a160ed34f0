from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from amo.common.textrules import TextRule
from amo.common.validators import RuleTextField
from amo.notifications.services import email_queue

# Django's message for a short password, in the words of its current version: its Arabic catalogue
# still has the older wording, so an Arabic reader got the French fallback. Marked here, it is
# translated in the project's catalogues, which Django reads first.
PASSWORD_TOO_SHORT = ngettext_lazy(
    "This password is too short. It must contain at least %d character.",
    "This password is too short. It must contain at least %d characters.",
    "min_length",
)


class EmailLoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )


class OutboxPasswordResetForm(PasswordResetForm):
    """Password-reset e-mails go through the outbox like every other e-mail."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        user = context["user"]
        email_queue(
            to=to_email,
            template="accounts/email/password_reset",
            context=context,
            language=getattr(user, "preferred_language", "fr"),
        )


class ApiTokenForm(forms.Form):
    name = RuleTextField(label=_("Name of the token"), rule=TextRule(80, required=True))


class SignupForm(forms.Form):
    full_name = RuleTextField(label=_("Full name"), rule=TextRule(200, required=True))
    email = forms.EmailField(label=_("E-mail"), widget=forms.EmailInput(attrs={"dir": "ltr"}))
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=_("Password again"), widget=forms.PasswordInput, strip=False)
    language = forms.ChoiceField(label=_("Language of e-mails"), choices=[("fr", "Français"), ("ar", "العربية")])

    def clean_email(self) -> str:
        # No check that the address is free: the sign-up answers the same either way (services).
        return str(self.cleaned_data["email"]).lower()

    def clean(self) -> dict[str, Any]:
        from django.contrib.auth.password_validation import validate_password

        data = super().clean() or {}
        if data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        elif data.get("password1"):
            try:
                validate_password(data["password1"])
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data
