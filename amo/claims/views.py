"""The pages of care files: the student's files (pre-declaration, cover sheet, timeline,
statement), the deposit point's desk (find, deposit, slip), CNOPS's desk (receive, enter,
liquidate, confirm, national run) and the call centre's lookup. Parse, access, one service or
selector, render."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amo.accounts.actors import actor_for, signed_in
from amo.accounts.models import Role
from amo.claims import access, batch, selectors, services, statements
from amo.claims.errors import ClaimError
from amo.claims.forms import DepositNewForm, FindForm, LineForm, PreDeclareForm, ReceiveForm
from amo.claims.models import CareFile
from amo.common.downloads import download
from amo.common.errors import DomainError, Forbidden
from amo.documents.services import qr_data_uri, render_pdf
from amo.enrollment.selectors import student_for_user


def _error(form: Any, exc: DomainError) -> None:
    field = next(iter(exc.fields or {}), None)
    form.add_error(field if field in form.fields else None, exc.message)


@login_required
def my_files(request: HttpRequest) -> HttpResponse:
    """The student's files, each with its timeline and amounts; a form to pre-declare one."""
    actor = actor_for(request.user)
    if not actor.has_role(Role.STUDENT):
        raise Forbidden()
    student = student_for_user(signed_in(request))
    form = PreDeclareForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if student is None:
            form.add_error(None, str(ClaimError.NOT_STUDENT.label))
        else:
            try:
                care_file = services.care_file_predeclare(
                    actor=signed_in(request), student=student, **form.cleaned_data
                )
            except DomainError as exc:
                _error(form, exc)
            else:
                messages.success(
                    request,
                    _("File %(number)s pre-declared: print its cover sheet and staple it on your paper file.")
                    % {"number": care_file.number},
                )
                return redirect("claims:my_files")
    files = list(selectors.files_of_user(request.user))
    return render(
        request,
        "claims/my_files.html",
        {"form": form, "files": [(f, selectors.timeline(f)) for f in files], "student": student},
    )


def _pdf(template: str, context: dict[str, Any], name: str) -> HttpResponseBase:
    return download(render_pdf(template, context), name)


@login_required
def cover_sheet(request: HttpRequest, pk: int) -> HttpResponseBase:
    care_file = access.access_file(actor_for(request.user), pk, action="own")
    context = {
        "file": care_file,
        "student": care_file.student,
        "qr": qr_data_uri(care_file.number),
        "deadline": selectors.deposit_deadline(care_file),
    }
    return _pdf("claims/cover_sheet.html", context, f"{care_file.number}.pdf")


@login_required
def deposit_receipt(request: HttpRequest, pk: int) -> HttpResponseBase:
    care_file = access.access_file(actor_for(request.user), pk, action="deposit")
    if care_file.deposited_on is None:
        raise DomainError(ClaimError.FILE_NOT_FOUND)
    context = {"file": care_file, "student": care_file.student, "qr": qr_data_uri(care_file.number)}
    return _pdf("claims/deposit_receipt.html", context, f"recu-{care_file.number}.pdf")


@login_required
def statement(request: HttpRequest, pk: int) -> HttpResponseBase:
    care_file = access.access_file(actor_for(request.user), pk, action="statement")
    document = statements.statement_document(care_file=care_file)  # 202 until the worker has issued it
    return download(document.file.open("rb"), f"decompte-{care_file.number}.pdf")


@login_required
def file_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request.user)
    care_file = access.access_file(actor, pk)
    return render(
        request,
        "claims/file_detail.html",
        {
            "file": care_file,
            "steps": selectors.timeline(care_file),
            "lines": selectors.lines_of(care_file),
            "line_form": LineForm(initial={"act_on": care_file.first_act_on}),
            "back_office": access.is_back_office(actor),
        },
    )


@login_required
@require_POST
def line_add(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request.user)
    care_file = access.access_file(actor, pk, action="back_office")
    form = LineForm(request.POST)
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if v is not None}
        try:
            services.care_line_add(actor=signed_in(request), care_file=care_file, **data)
        except DomainError as exc:
            _error(form, exc)
        else:
            messages.success(request, _("Line recorded."))
            return redirect("claims:file_detail", pk=care_file.pk)
    return render(
        request,
        "claims/file_detail.html",
        {
            "file": care_file,
            "steps": selectors.timeline(care_file),
            "lines": selectors.lines_of(care_file),
            "line_form": form,
            "back_office": True,
        },
        status=400,
    )


def _file_action(request: HttpRequest, pk: int, act: Any, done: str) -> HttpResponse:
    care_file = access.access_file(actor_for(request.user), pk, action="back_office")
    try:
        act(actor=signed_in(request), care_file=care_file)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("claims:file_detail", pk=care_file.pk)


@login_required
@require_POST
def file_liquidate(request: HttpRequest, pk: int) -> HttpResponse:
    return _file_action(request, pk, services.care_file_liquidate, _("File liquidated."))


@login_required
@require_POST
def file_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    return _file_action(request, pk, services.care_file_confirm, _("Liquidation confirmed."))


# --- the deposit point ------------------------------------------------------------------------


def _deposit_context(request: HttpRequest, point: Any, **extra: Any) -> dict[str, Any]:
    q = str(request.GET.get("q", "")).strip()
    found: QuerySet[CareFile] | list[CareFile] = []
    student = None
    if q:
        # A pre-declared file is not deposited anywhere yet: the agent finds it by number or CIN.
        found = selectors.file_find(q, scope=Q(deposit_point__isnull=True) | Q(deposit_point=point))
        student = None if q.upper().startswith("DOS-") else selectors.student_for_deposit(q)
    return {
        "point": point,
        "q": q,
        "found": found,
        "searched": bool(q),
        "student": student,
        "queue": selectors.deposit_queue(point.pk),
        "slips": selectors.slips_of_point(point.pk)[:20],
        "find_form": FindForm(initial={"q": q}),
        "new_form": extra.pop("new_form", None) or DepositNewForm(initial={"id_number": q}),
        **extra,
    }


@login_required
def deposit_point_page(request: HttpRequest) -> HttpResponse:
    point = access.deposit_point_of(actor_for(request.user))
    return render(request, "claims/deposit.html", _deposit_context(request, point))


@login_required
@require_POST
def file_deposit(request: HttpRequest, pk: int) -> HttpResponse:
    """Take a pre-declared file at this deposit point (found by its number, QR code or CIN)."""
    actor = actor_for(request.user)
    point = access.deposit_point_of(actor)
    care_file = CareFile.objects.filter(pk=pk, deposit_point__isnull=True).first()
    if care_file is None:
        raise DomainError(ClaimError.FILE_NOT_FOUND)
    try:
        services.care_file_deposit(actor=signed_in(request), care_file=care_file, deposit_point=point)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(f"/claims/deposit/?q={care_file.number}")
    messages.success(request, _("File %(number)s deposited.") % {"number": care_file.number})
    return redirect("claims:deposit")


@login_required
@require_POST
def deposit_new(request: HttpRequest) -> HttpResponse:
    """A file the student did not pre-declare: created here for the student's CIN."""
    point = access.deposit_point_of(actor_for(request.user))
    form = DepositNewForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        student = selectors.student_for_deposit(data.pop("id_number"))
        if student is None:
            form.add_error("id_number", str(ClaimError.STUDENT_NOT_FOUND.label))
        else:
            try:
                care_file = services.care_file_create_at_deposit(
                    actor=signed_in(request), deposit_point=point, student=student, **data
                )
            except DomainError as exc:
                _error(form, exc)
            else:
                messages.success(request, _("File %(number)s deposited.") % {"number": care_file.number})
                return redirect("claims:deposit")
    return render(request, "claims/deposit.html", _deposit_context(request, point, new_form=form), status=400)


@login_required
@require_POST
def slip_create(request: HttpRequest) -> HttpResponse:
    point = access.deposit_point_of(actor_for(request.user))
    ids = [int(v) for v in request.POST.getlist("files") if str(v).isdigit()]
    try:
        slip = services.slip_prepare(
            actor=signed_in(request), deposit_point=point, files=CareFile.objects.filter(pk__in=ids)
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("claims:deposit")
    messages.success(request, _("Slip %(number)s prepared: check it, then send it.") % {"number": slip.number})
    return redirect("claims:slip_detail", pk=slip.pk)


@login_required
def slip_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request.user)
    slip = access.access_slip(actor, pk)
    return render(
        request,
        "claims/slip_detail.html",
        {
            "slip": slip,
            "entries": selectors.slip_entries(slip),
            "back_office": access.is_back_office(actor),
            "receive_form": ReceiveForm(),
        },
    )


@login_required
def slip_pdf(request: HttpRequest, pk: int) -> HttpResponseBase:
    slip = access.access_slip(actor_for(request.user), pk)
    return _pdf("claims/slip_pdf.html", {"slip": slip, "entries": selectors.slip_entries(slip)}, f"{slip.number}.pdf")


@login_required
@require_POST
def slip_send(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request.user)
    slip = access.access_slip(actor, pk)
    if not actor.has_role(Role.DEPOSIT_POINT_AGENT):
        raise Forbidden()
    try:
        services.slip_send(actor=signed_in(request), slip=slip)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Slip %(number)s sent to CNOPS.") % {"number": slip.number})
    return redirect("claims:slip_detail", pk=slip.pk)


@login_required
@require_POST
def slip_receive(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request.user)
    access.access_back_office(actor)
    slip = access.access_slip(actor, pk)
    form = ReceiveForm(request.POST)
    data = form.cleaned_data if form.is_valid() else {"missing": "", "extra": ""}
    try:
        services.slip_receive(
            actor=signed_in(request), slip=slip, missing=data["missing"].split(), extra=data["extra"].split()
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Slip %(number)s received.") % {"number": slip.number})
    return redirect("claims:slip_detail", pk=slip.pk)


# --- CNOPS ------------------------------------------------------------------------------------


@login_required
def cnops_page(request: HttpRequest) -> HttpResponse:
    access.access_back_office(actor_for(request.user))
    return render(
        request,
        "claims/cnops.html",
        {
            "slips": selectors.slips_to_receive(),
            "to_liquidate": selectors.files_to_liquidate()[:100],
            "to_confirm": selectors.files_to_confirm()[:100],
            "runs": selectors.runs()[:5],
        },
    )


@login_required
@require_POST
def run_start(request: HttpRequest) -> HttpResponse:
    access.access_back_office(actor_for(request.user))
    run = batch.liquidation_run_start(actor=signed_in(request))
    return redirect("claims:run_detail", pk=run.pk)


@login_required
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access.access_back_office(actor_for(request.user))
    run = selectors.run_get(pk)
    if run is None:
        raise DomainError("not_found")
    return render(request, "claims/run_detail.html", {"run": run})


@login_required
def lookup(request: HttpRequest) -> HttpResponse:
    """ "Where is my file?": one lookup by CIN or file number (call centre, back office)."""
    access.access_lookup(actor_for(request.user))
    q = str(request.GET.get("q", "")).strip()
    files = list(selectors.file_find(q)[:50]) if q else []
    return render(
        request,
        "claims/lookup.html",
        {"q": q, "files": [(f, selectors.timeline(f)) for f in files], "form": FindForm(initial={"q": q})},
    )
