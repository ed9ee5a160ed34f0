"""Rights pages: lookup by document number (providers, call centre), the student's whole file
(call centre), publication lists (legal entities, institutions, CNOPS), certificates, reports
that change rights, the outbox and the hand-over export (CNOPS administrators)."""

import itertools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amo.accounts.actors import actor_for, signed_in
from amo.common.clock import today
from amo.common.downloads import CSV, download
from amo.common.errors import DomainError, NotFound
from amo.common.errorstatus import http_status
from amo.coverage import access, selectors, services
from amo.coverage.forms import CommentForm, LookupForm
from amo.coverage.models import HandoverExport, LookupChannel
from amo.enrollment import selectors as enrollment_selectors
from amo.notifications.models import OutboxStatus
from amo.notifications.selectors import outbox_counts, outbox_list
from amo.organisations import selectors as organisations_selectors
from amo.referentials.selectors import parameter_int


@login_required
def lookup(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    access.access_lookup(actor)
    form = LookupForm(request.GET or None)
    result = student = refused = None
    if form.is_valid():
        try:
            result = services.rights_lookup_logged(
                actor=signed_in(request),
                id_number=form.cleaned_data["id_number"],
                on=form.cleaned_data["on"],
                channel=LookupChannel.PAGE,
            )
        except DomainError as exc:  # too many lookups: said on the page, the number kept in the form
            refused = exc
        else:
            if access.reads_student_files(actor):
                student = selectors.student_by_document(form.cleaned_data["id_number"])
    return render(
        request,
        "coverage/lookup.html",
        {"form": form, "result": result, "student": student, "refused": refused},
        status=http_status(refused) if refused else 200,
    )


@login_required
def lookup_log(request: HttpRequest) -> HttpResponse:
    """Who looked up which document number, when, and the answer (CNOPS administrators)."""
    access.access_cnops_admin(actor_for(request.user))
    number = str(request.GET.get("id_number", ""))[:40]
    page = Paginator(selectors.lookup_log(number), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "coverage/lookup_log.html",
        {"page": page, "id_number": number, "retention_days": services.LOOKUP_LOG_RETENTION_DAYS},
    )


@login_required
def student_file(request: HttpRequest, pk: int) -> HttpResponse:
    access.access_student_file(actor_for(request.user))
    student = enrollment_selectors.student_get(pk)
    if student is None:
        raise NotFound()
    return render(request, "coverage/student_file.html", selectors.student_file(student))


@login_required
def publication_list(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    entities = access.publications_for(actor)
    if entities == [] and not actor.has_role("institution_agent"):
        raise NotFound()
    if entities == []:
        mine = organisations_selectors.legal_entity_ids_of_institutions(actor.ids("institution_agent", "institution"))
        qs = selectors.publications(None).filter(legal_entity_id__in=mine)
    else:
        qs = selectors.publications(entities)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "coverage/publication_list.html", {"page": page})


@login_required
def publication_detail(request: HttpRequest, pk: int) -> HttpResponse:
    publication, only = access.access_publication(actor_for(request.user), pk)
    institutions = organisations_selectors.institution_list_of_entity(
        publication.legal_entity, among=publication.batch.entries.values("request__institution_id")
    )
    if only is not None:
        institutions = institutions.filter(pk=only)
    rows = list(itertools.islice(selectors.publication_rows(publication, only), 500))
    return render(
        request,
        "coverage/publication_detail.html",
        {"publication": publication, "institutions": institutions, "rows": rows, "only": only},
    )


def _institution_param(request: HttpRequest, only: int | None) -> int | None:
    if only is not None:
        return only
    value = request.GET.get("institution", "")
    return int(value) if value.isdigit() else None


def _suffix(institution_id: int | None) -> str:
    institution = organisations_selectors.institution_get(institution_id)
    return f"-{institution.code}" if institution is not None and institution.code else ""


@login_required
def publication_csv(request: HttpRequest, pk: int) -> HttpResponseBase:
    publication, only = access.access_publication(actor_for(request.user), pk)
    institution = _institution_param(request, only)
    rows = selectors.publication_csv(publication, institution)
    return download(rows, f"{publication.number}{_suffix(institution)}.csv", CSV)


@login_required
def publication_pdf(request: HttpRequest, pk: int) -> HttpResponseBase:
    publication, only = access.access_publication(actor_for(request.user), pk)
    institution = _institution_param(request, only)
    return download(
        selectors.publication_pdf(publication, institution), f"{publication.number}{_suffix(institution)}.pdf"
    )


@login_required
def certificate_pdf(request: HttpRequest, pk: int) -> HttpResponseBase:
    period = access.access_period(actor_for(request.user), pk)
    document = services.certificate_document(period=period)  # 202 until the worker has issued it; a GET never writes
    return download(document.file.open("rb"), f"certificat-{period.insured.number}.pdf")


def _period_action(request: HttpRequest, pk: int, action: str, done: str) -> HttpResponse:
    actor = actor_for(request.user)
    period = access.access_period(actor, pk, action=action)
    form = CommentForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        if action == "report_coverage":
            services.rights_student_reports_coverage(actor=signed_in(request), period=period)
        elif action == "studies_stopped":
            services.rights_studies_stopped(actor=signed_in(request), period=period, comment=comment)
        else:
            services.rights_proof_received(actor=signed_in(request), period=period, comment=comment)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    nxt = str(request.POST.get("next", ""))
    return redirect(nxt if nxt.startswith("/") and not nxt.startswith("//") else "web:dashboard")


@login_required
@require_POST
def report_coverage(request: HttpRequest, pk: int) -> HttpResponse:
    months = parameter_int("maintenance_months", today())
    return _period_action(
        request,
        pk,
        "report_coverage",
        _("Recorded: your rights are closed, and maintained for %(months)s months.") % {"months": months},
    )


@login_required
@require_POST
def studies_stopped(request: HttpRequest, pk: int) -> HttpResponse:
    return _period_action(
        request, pk, "studies_stopped", _("Recorded: CNOPS sends the student a notice before closing the rights.")
    )


@login_required
@require_POST
def proof_received(request: HttpRequest, pk: int) -> HttpResponse:
    return _period_action(request, pk, "proof", _("Proof recorded: the notice is lifted."))


@login_required
def outbox(request: HttpRequest) -> HttpResponse:
    access.access_cnops_admin(actor_for(request.user))
    status = request.GET.get("status", "")
    qs = outbox_list(status=status if status in OutboxStatus.values else "")
    counts = outbox_counts()
    page = Paginator(
        qs.only("to", "subject", "status", "attempts", "last_error", "created_at", "sent_at", "next_attempt_at"), 50
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "coverage/outbox.html",
        {"page": page, "status": status, "counts": counts, "statuses": OutboxStatus.choices},
    )


@login_required
def handover(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    access.access_cnops_admin(actor)
    if request.method == "POST":
        from amo.coverage.tasks import handover_task

        handover_task.enqueue(request.user.pk)
        messages.success(request, _("The export is being prepared; it appears below when ready."))
        return redirect("coverage:handover")
    return render(request, "coverage/handover.html", {"exports": selectors.handover_exports()})


@login_required
def handover_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    access.access_cnops_admin(actor_for(request.user))
    export = HandoverExport.objects.filter(pk=pk).first()
    if export is None:
        raise NotFound()
    return download(export.file.open("rb"), export.file.name.rsplit("/", 1)[-1], None)


@login_required
def letters(request: HttpRequest) -> HttpResponse:
    """CNOPS's letters to students without e-mail, per institution: prepare the PDF, download it,
    mark the printed letters sent (issue 13, rule 4)."""
    actor = actor_for(request.user)
    access.access_letters(actor)
    if request.method == "POST":
        institution = access.letters_institution(actor, str(request.POST.get("institution", "")) or 0)
        if request.POST.get("action") == "sent":
            n = services.letters_mark_sent(actor=signed_in(request), institution=institution)
            if n:
                messages.success(request, _("%(count)s letters marked as printed and sent.") % {"count": n})
            else:
                messages.info(request, _("Nothing to mark: these letters were already marked as sent."))
        else:
            n = services.letters_prepare(institution=institution)
            if n:
                messages.success(request, _("The PDF is being prepared: download it in a few seconds."))
            else:
                messages.info(request, _("The PDF already holds every waiting letter."))
        return redirect("coverage:letters")
    rows = selectors.letters_by_institution()
    return render(request, "coverage/letters.html", {"rows": rows, "total": sum(r.waiting for r in rows)})


@login_required
def letters_pdf(request: HttpRequest, pk: int) -> HttpResponseBase:
    institution = access.letters_institution(actor_for(request.user), pk)
    document = services.letters_document(institution=institution)  # 202 until the worker has made it
    return download(document.file.open("rb"), f"lettres-{institution.code}.pdf")
