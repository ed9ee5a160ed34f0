from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amo.accounts.actors import signed_in
from amo.accounts.forms import ApiTokenForm, EmailLoginForm, OutboxPasswordResetForm, SignupForm
from amo.accounts.models import ApiToken
from amo.accounts.services import (
    api_token_create,
    api_token_revoke,
    email_verification_send,
    email_verify,
    student_signup,
)


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailLoginForm
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = OutboxPasswordResetForm
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    new_key = None
    form = ApiTokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        _token, new_key = api_token_create(user=signed_in(request), name=form.cleaned_data["name"])
        form = ApiTokenForm()
    tokens = ApiToken.objects.filter(user=signed_in(request)).order_by("-created_at")
    return render(request, "accounts/api_tokens.html", {"form": form, "tokens": tokens, "new_key": new_key})


@login_required
@require_POST
def api_token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=signed_in(request), revoked_at__isnull=True)
    api_token_revoke(user=signed_in(request), token=token)
    messages.success(request, _("The token is revoked."))
    return redirect("accounts:api_tokens")


def _safe_next(request: HttpRequest, value: str | None) -> str:
    """`next` when it is a page of this site, else "": never a redirect to another site."""
    value = value or ""
    host, https = {request.get_host()}, request.is_secure()
    return value if value and url_has_allowed_host_and_scheme(value, allowed_hosts=host, require_https=https) else ""


def signup(request: HttpRequest) -> HttpResponse:
    """A student creates their account; a link is e-mailed to verify the address.

    The answer is the same whether or not the address already has an account (its owner is
    e-mailed instead), and no one is logged in: the page tells a stranger nothing."""
    next_path = _safe_next(request, request.GET.get("next"))
    # E-mails in the language the student is reading the site in, unless they choose otherwise.
    form = SignupForm(
        request.POST if request.method == "POST" else None,
        initial={"language": "ar" if (translation.get_language() or "").startswith("ar") else "fr"},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        student_signup(
            email=data["email"],
            password=data["password1"],
            full_name=data["full_name"],
            language=data["language"],
            next_path=next_path,
        )
        sent = reverse("accounts:signup_sent")
        return redirect(f"{sent}?{urlencode({'next': next_path})}" if next_path else sent)
    return render(request, "accounts/signup.html", {"form": form, "next": next_path})


def signup_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/signup_sent.html", {"next": _safe_next(request, request.GET.get("next"))})


def verify_email(request: HttpRequest, token: str) -> HttpResponse:
    user = email_verify(token=token)
    target = _safe_next(request, request.GET.get("next")) or reverse("enrollment:entries")
    if user is None:
        messages.error(request, _("This verification link is invalid or expired. Ask for a new one."))
        return redirect("enrollment:entries")
    messages.success(request, _("Your e-mail address is verified."))
    if request.user.is_authenticated and request.user.pk == user.pk:
        return redirect(target)
    # The link proves the address, not the password: the student logs in, then goes on.
    return redirect(f"{reverse('accounts:login')}?{urlencode({'next': target})}")


@login_required
@require_POST
def verify_email_resend(request: HttpRequest) -> HttpResponse:
    next_path = _safe_next(request, request.POST.get("next"))
    email_verification_send(user=signed_in(request), next_path=next_path)
    messages.success(request, _("A new verification link has been sent."))
    return redirect(next_path or "enrollment:entries")
