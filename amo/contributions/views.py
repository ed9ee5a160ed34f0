"""Contribution pages: the legal entity's dues, transfers and receipts; CNOPS's statements,
reconciliation queue and overdue dashboard."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amo.accounts.actors import actor_for, signed_in
from amo.common import clock
from amo.common.downloads import CSV, download
from amo.common.errors import DomainError, NotFound
from amo.common.identifiers import format_iban, iban_from_rib
from amo.contributions import access, selectors, services
from amo.contributions.forms import DismissForm, MatchForm, StatementForm, TransferForm
from amo.contributions.models import ContributionStatus
from amo.referentials.models import AcademicYear
from amo.referentials.selectors import academic_year_chosen, academic_year_list, parameter_text


def _year(request: HttpRequest) -> AcademicYear | None:
    return academic_year_chosen(request.GET.get("year") or request.POST.get("year") or "")


@login_required
def entity_space(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    entity = access.access_entity_agent(actor)
    year = _year(request)
    if year is None:
        raise NotFound()
    reference = selectors.payment_reference_of(legal_entity=entity, academic_year=year)
    rib = parameter_text("cnops_rib", clock.today())
    form = TransferForm(request.POST if request.method == "POST" else None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            due_ids = [int(i) for i in request.POST.getlist("dues") if i.isdigit()]
            if data["students_file"]:
                numbers = (
                    data["students_file"].read().decode("utf-8-sig", errors="replace").replace(";", "\n").splitlines()
                )
                due_ids += services.dues_by_document_numbers(legal_entity=entity, academic_year=year, numbers=numbers)
            transfer = services.transfer_declare(
                actor=signed_in(request),
                legal_entity=entity,
                academic_year=year,
                bank_reference=data["bank_reference"],
                amount=data["amount"],
                transferred_on=data["transferred_on"],
                due_ids=due_ids,
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("Transfer %(reference)s declared; it is marked received once CNOPS finds it on its statement.")
                % {"reference": transfer.bank_reference},
            )
            return redirect(f"{request.path}?year={year.code}")
    # After a refused declaration the students ticked stay ticked, beside the message.
    ticked = {int(i) for i in request.POST.getlist("dues") if i.isdigit()} if request.method == "POST" else set()
    today = clock.today()
    dues = list(selectors.dues_for_entity(entity, year)[:500])
    rows = [(d, status, ContributionStatus(status).label) for d in dues for status in [selectors.status_of(d, today)]]
    return render(
        request,
        "contributions/entity.html",
        {
            "entity": entity,
            "year": year,
            "years": academic_year_list(),
            "reference": reference,
            "rib": rib,
            "iban": format_iban(iban_from_rib(rib)),
            "rows": rows,
            "form": form,
            "ticked": ticked,
            "totals": services.totals_for(entity, year),
            "by_institution": selectors.totals_by_institution(access.entity_scope(actor), year),
            "transfers": selectors.transfers_for_entity(entity)[:50],
            "receipts": selectors.receipts_for_entity(entity)[:50],
            "unpaid_total": sum((d.amount for d, s, _label in rows if s in ("awaited", "overdue")), Decimal("0")),
        },
    )


@login_required
def receipt_pdf(request: HttpRequest, pk: int) -> HttpResponseBase:
    receipt = access.access_receipt(actor_for(request.user), pk)
    document = services.receipt_document(receipt=receipt)
    return download(document.file.open("rb"), f"{receipt.number}.pdf")


@login_required
def cnops_space(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    access.access_cnops_central(actor)
    form = StatementForm(request.POST if request.method == "POST" else None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            statement = services.statement_import(actor=signed_in(request), content=upload.read(), filename=upload.name)
        except DomainError as exc:
            form.add_error("file", exc.message)
        else:
            messages.success(
                request,
                _(
                    "Statement imported. Credits: %(credits)s; matched: %(matched)s; to review: %(review)s; "
                    "duplicates: %(dup)s."
                )
                % {
                    "credits": statement.credits,
                    "matched": statement.matched,
                    "review": statement.to_review,
                    "dup": statement.duplicates,
                },
            )
            return redirect("contributions:cnops")
    queue = Paginator(selectors.review_queue(), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "contributions/cnops.html",
        {
            "form": form,
            "statements": selectors.statements()[:20],
            "queue": queue,
            "open_transfers": selectors.open_transfers()[:200],
            "overdue": selectors.overdue_by_entity(clock.today()),
            "dismiss_form": DismissForm(),
        },
    )


@login_required
@require_POST
def credit_match(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request.user)
    credit = access.access_credit(actor, pk)
    form = MatchForm(request.POST)
    if form.is_valid():
        try:
            services.credit_match(
                actor=signed_in(request),
                credit=credit,
                transfer=access.access_transfer(actor, form.cleaned_data["transfer_id"]),
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Credit matched; the receipt is issued."))
    return redirect("contributions:cnops")


@login_required
@require_POST
def credit_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    credit = access.access_credit(actor_for(request.user), pk)
    form = DismissForm(request.POST)
    if form.is_valid():
        try:
            services.credit_dismiss(actor=signed_in(request), credit=credit, comment=form.cleaned_data["comment"])
        except DomainError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("Say why the credit is set aside."))
    return redirect("contributions:cnops")


@login_required
def demo_statement(request: HttpRequest) -> HttpResponseBase:
    """Demo only: a bank statement crediting every declared transfer, so a newcomer can try the
    reconciliation without a bank."""
    from django.conf import settings
    from django.http import Http404

    if not settings.DEMO_MAILBOX:
        raise Http404
    access.access_cnops_central(actor_for(request.user))
    lines = ["Date;Libellé;Montant;Devise;Référence"]
    for n, transfer in enumerate(selectors.open_transfers()[:1000], start=1):
        label = f"VIR {transfer.bank_reference} {transfer.payment_reference.reference}"
        lines.append(f"{clock.today():%d/%m/%Y};{label};{str(transfer.amount).replace('.', ',')};MAD;DEMO{n:06d}")
    return download("\ufeff" + "\n".join(lines) + "\n", f"releve-demo-{clock.now():%Y%m%d%H%M%S}.csv", CSV)
