from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from amo.notifications.services import email_queue


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
    name = forms.CharField(label=_("Name of the token"), max_length=80)
