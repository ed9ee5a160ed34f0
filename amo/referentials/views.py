from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from amo.accounts.actors import actor_for, signed_in
from amo.common.clock import today
from amo.common.errors import DomainError, Forbidden
from amo.referentials import selectors
from amo.referentials.forms import ParameterSetForm
from amo.referentials.models import ParameterKey
from amo.referentials.services import parameter_set


@login_required
def parameter_list(request: HttpRequest) -> HttpResponse:
    """Every actor may read the rules in force; only a CNOPS administrator changes them."""
    actor = actor_for(request.user)
    form = ParameterSetForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not actor.is_cnops_admin:
            raise Forbidden()
        if form.is_valid():
            try:
                parameter_set(actor=signed_in(request), **form.cleaned_data)
            except DomainError as exc:
                form.add_error("valid_from" if exc.code.endswith("before_latest") else "value", exc.message)
            else:
                messages.success(request, _("The new value is recorded."))
                return redirect("referentials:parameter_list")
    return render(
        request,
        "referentials/parameter_list.html",
        {
            "rows": selectors.parameters_in_force(today()),
            "form": form,
            "can_edit": actor.is_cnops_admin,
            "years": selectors.academic_year_list(),
        },
    )


@login_required
def parameter_history(request: HttpRequest, key: str) -> HttpResponse:
    if key not in ParameterKey.values:
        return redirect("referentials:parameter_list")
    return render(
        request,
        "referentials/parameter_history.html",
        {"label": ParameterKey(key).label, "rows": selectors.parameter_history(key)},
    )
