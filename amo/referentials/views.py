import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from amo.accounts.actors import actor_for, signed_in
from amo.common.clock import today
from amo.common.errors import DomainError, Forbidden
from amo.referentials import selectors
from amo.referentials.errors import DrugListError
from amo.referentials.forms import DrugListForm, ParameterSetForm
from amo.referentials.models import VALUE_LABELS, ParameterKey
from amo.referentials.services import drug_list_import, parameter_set


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
            "rows": [
                (key, label, row, str(VALUE_LABELS.get(row.value, row.value)) if row else "")
                for key, label, row in selectors.parameters_in_force(today())
            ],
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


@login_required
def care_tariffs(request: HttpRequest) -> HttpResponse:
    """The letter keys, rates and long-term diseases in force: every actor may read them."""
    on = today()
    return render(
        request,
        "referentials/care_tariffs.html",
        {
            "keys": selectors.ngap_keys_in_force(on),
            "rates": selectors.rates_in_force(on),
            "diseases": selectors.ald_diseases(),
            "drug_list": selectors.drug_list_on(on),
        },
    )


@login_required
def drug_list_page(request: HttpRequest) -> HttpResponse:
    """The versions of the drug list; a CNOPS administrator imports a new one here."""
    actor = actor_for(request.user)
    if not actor.is_cnops_admin:
        raise Forbidden()
    form = DrugListForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        suffix = Path(upload.name).suffix.lower()
        with tempfile.NamedTemporaryFile(suffix=suffix) as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
            handle.flush()
            try:
                version = drug_list_import(
                    actor=signed_in(request),
                    path=handle.name,
                    filename=upload.name,
                    valid_from=form.cleaned_data["valid_from"],
                    source=form.cleaned_data["source"],
                )
            except DomainError as exc:
                form.add_error("valid_from" if exc.code == DrugListError.NOT_AFTER_LATEST else "file", exc.message)
            else:
                messages.success(
                    request,
                    _("Drug list loaded: %(loaded)s drugs, %(refused)s rows refused.")
                    % {"loaded": version.rows_loaded, "refused": version.rows_refused},
                )
                return redirect("referentials:drug_list_detail", pk=version.pk)
    return render(request, "referentials/drug_lists.html", {"form": form, "versions": selectors.drug_lists()})


@login_required
def drug_list_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A version's figures and its per-row report."""
    if not actor_for(request.user).is_cnops_admin:
        raise Forbidden()
    version = selectors.drug_list_get(pk)
    return render(
        request,
        "referentials/drug_list_detail.html",
        {"version": version, "issues": selectors.drug_list_issues(version)},
    )
