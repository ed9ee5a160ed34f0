"""CNOPS's eligibility page: send the students ready for the check, follow the batches, exchange
files with ANAM, load the other-coverage registry (ANAM's side in the platform)."""

import csv
import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from amo.accounts.actors import actor_for, signed_in
from amo.common.downloads import CSV, download
from amo.common.errors import DomainError, Forbidden, NotFound, label_for
from amo.common.text import colon
from amo.eligibility import access, contract, registry, services
from amo.eligibility.forms import RegistryForm, VerdictForm
from amo.eligibility.models import CheckBatch, RegistryLoad
from amo.enrollment.models import RegistrationRequest
from amo.referentials.models import AcademicYear
from amo.referentials.selectors import academic_year_chosen


def _can(check: Any, request: HttpRequest) -> bool:
    try:
        check(actor_for(request.user))
    except Forbidden:
        return False
    return True


def _year(request: HttpRequest) -> AcademicYear:
    year = academic_year_chosen(request.GET.get("year") or request.POST.get("year") or "")
    if year is None:
        raise NotFound()
    return year


def _batch(pk: int) -> CheckBatch:
    batch = CheckBatch.objects.filter(pk=pk).first()
    if batch is None:
        raise NotFound()
    return batch


@login_required
def cnops_space(request: HttpRequest) -> HttpResponse:
    access.access_exchange(actor_for(request.user))
    year = _year(request)
    from django.conf import settings

    return render(
        request,
        "eligibility/cnops.html",
        {
            "year": year,
            "years": AcademicYear.objects.all(),
            "ready": services.ready_for_check(year).count(),
            "pending": RegistrationRequest.objects.filter(academic_year=year, status="pending_anam").count(),
            "waiting_payment": RegistrationRequest.objects.filter(academic_year=year, status="sent_to_cnops").count(),
            "batches": CheckBatch.objects.filter(academic_year=year)[:50],
            "loads": RegistryLoad.objects.select_related("loaded_by")[:20],
            "registry_form": RegistryForm(),
            "verdict_form": VerdictForm(),
            "external": settings.ANAM_CHECKER != "platform",
            "can_send": actor_for(request.user).is_cnops_central,
            "can_answer": _can(access.access_answer, request),
        },
    )


@login_required
@require_POST
def batch_send(request: HttpRequest) -> HttpResponse:
    access.access_send(actor_for(request.user))
    year = _year(request)
    try:
        batch = services.batch_send(actor=signed_in(request), academic_year=year)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            ngettext(
                "Batch %(number)s sent to ANAM: %(count)s student, now pending ANAM's answer.",
                "Batch %(number)s sent to ANAM: %(count)s students, now pending ANAM's answer.",
                batch.sent_count,
            )
            % {"number": batch.number, "count": batch.sent_count},
        )
    return redirect(f"/eligibility/?year={year.code}")


@login_required
def exchange_csv(request: HttpRequest, pk: int) -> HttpResponseBase:
    access.access_exchange(actor_for(request.user))
    batch = _batch(pk)
    return download(contract.exchange_csv(services.exchange_rows(batch)), f"{batch.number}-students.csv", CSV)


@login_required
def verdicts_csv(request: HttpRequest, pk: int) -> HttpResponseBase:
    access.access_exchange(actor_for(request.user))
    batch = _batch(pk)
    rows = contract.verdict_csv(batch.number, services.verdict_rows(batch))
    return download(rows, f"{batch.number}-verdicts.csv", CSV)


@login_required
@require_POST
def verdicts_upload(request: HttpRequest, pk: int) -> HttpResponse:
    access.access_answer(actor_for(request.user))
    batch = _batch(pk)
    form = VerdictForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors.get("file", [])) or _("Choose the verdict file."))
    else:
        try:
            services.verdicts_receive_file(
                actor=signed_in(request), batch=batch, content=form.cleaned_data["file"].read()
            )
        except DomainError as exc:
            lines = exc.fields.get("lines", [])
            detail = "; ".join(
                f"{_('line')} {item.split(': ')[0]}{colon()} {label_for(item.split(': ')[1])}" for item in lines[:20]
            )
            messages.error(request, f"{exc.message} {detail}".strip())
        else:
            messages.success(request, _("Verdicts received for batch %(number)s.") % {"number": batch.number})
    return redirect(f"/eligibility/?year={batch.academic_year.code}")


@login_required
@require_POST
def registry_upload(request: HttpRequest) -> HttpResponse:
    access.access_answer(actor_for(request.user))
    form = RegistryForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(
            request, " ".join(str(e) for e in form.errors.get("file", [])) or _("Choose the kind of file and the file.")
        )
        return redirect("eligibility:cnops")
    upload = form.cleaned_data["file"]
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".csv") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
        handle.flush()
        try:
            load = registry.registry_load(
                actor=signed_in(request), path=handle.name, filename=upload.name, kind=form.cleaned_data["kind"]
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("eligibility:cnops")
    if load.applied_ok:
        messages.success(
            request,
            _("Registry file applied: %(figures)s.")
            % {
                "figures": _("%(applied)s loaded · %(ended)s ended · %(notices)s notices")
                % {"applied": load.applied, "ended": load.ended, "notices": load.notices}
            },
        )
    else:
        messages.error(
            request,
            _(
                "%(count)s lines have errors: nothing was applied. "
                "Download the report, correct the file and send it again."
            )
            % {"count": load.rejected},
        )
    return redirect("eligibility:cnops")


@login_required
def registry_errors(request: HttpRequest, pk: int) -> HttpResponseBase:
    access.access_exchange(actor_for(request.user))
    load = RegistryLoad.objects.filter(pk=pk).first()
    if load is None:
        raise NotFound()
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";")
    writer.writerow([_("Line"), _("Code"), _("Reason")])
    for line, code in load.errors:
        writer.writerow([line, code, str(label_for(code))])
    return download(out.getvalue(), f"registry-{load.pk}-errors.csv", CSV)


@login_required
@require_POST
def recheck(request: HttpRequest, pk: int) -> HttpResponse:
    """A refused student (or CNOPS for them) asks for a new check after correcting."""
    req = access.access_recheck_request(actor_for(request.user), pk)
    try:
        services.recheck_request(actor=signed_in(request), request=req, comment=request.POST.get("comment", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your file goes into CNOPS's next check with ANAM."))
    nxt = request.POST.get("next", "")
    return redirect(nxt if nxt.startswith("/") and not nxt.startswith("//") else "web:dashboard")


def format_page(request: HttpRequest) -> HttpResponse:
    """The exchange formats, for ANAM's and CNOPS's technical teams (public, like the import format)."""
    return render(
        request,
        "eligibility/format.html",
        {
            "registry_columns": contract.REGISTRY_COLUMNS,
            "exchange_columns": contract.EXCHANGE_COLUMNS,
            "verdict_columns": contract.VERDICT_COLUMNS,
        },
    )
