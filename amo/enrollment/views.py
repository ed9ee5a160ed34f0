"""Registration pages for students, institutions, aggregators, legal entities and CNOPS."""

from types import SimpleNamespace
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from amo.accounts.actors import Actor, actor_for, signed_in
from amo.accounts.models import User
from amo.common.downloads import CSV, XLSX, download
from amo.common.errors import DomainError, Forbidden, NotFound, label_for
from amo.common.identifiers import mask_rib
from amo.common.text import ltr_run
from amo.enrollment import access, claims, exports, extensions, ribs, rules, selectors, services
from amo.enrollment.errors import EnrollmentMoreError
from amo.enrollment.forms import (
    BulkDecisionForm,
    CertificationForm,
    ClaimForm,
    ClaimLinkForm,
    CloseListForm,
    DecisionForm,
    RegistrationForm,
    RibForm,
)
from amo.enrollment.models import ConsentText, RegistrationRequest, RegistrationStatus
from amo.organisations.selectors import channel_entry_list
from amo.referentials.selectors import academic_year_chosen, academic_year_get, academic_year_list, academic_year_open

PAGE_SIZE = 50


def entries(request: HttpRequest) -> HttpResponse:
    """The three entries: each tells who it is for; the institution decides the channel."""
    return render(
        request,
        "enrollment/entries.html",
        {"channels": channel_entry_list()},
    )


def register(request: HttpRequest, channel: str) -> HttpResponse:
    entry = get_object_or_404(channel_entry_list(), code=channel)
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        return render(request, "enrollment/register_login.html", {"entry": entry})
    actor = actor_for(user)
    if not actor.has_role("student"):
        raise Forbidden()
    if user.email_verified_at is None:
        return render(request, "enrollment/register_verify.html", {"entry": entry})
    previous = selectors.request_list_for_student(user).first()
    initial: dict[str, Any] = services.input_from_request(previous) if previous else {"email": user.email}
    year = academic_year_open()
    if year:
        initial["academic_year_id"] = year.pk
    form = RegistrationForm(
        request.POST if request.method == "POST" else None, initial=initial, channel_code=entry.code
    )
    claim_url = ""
    if request.method == "POST" and not form.is_valid():
        _identifier_errors(form)
    elif request.method == "POST":
        data = services.registration_input(**form.cleaned_data)
        try:
            created = services.registration_submit(actor=user, entry_channel=entry.code, data=data)
        except DomainError as exc:
            _form_errors(form, exc)
            if exc.code == EnrollmentMoreError.CLAIM_REQUIRED:  # the way to prove it; the input is kept
                query = QueryDict(mutable=True)
                query.update({"id_type": data.id_type, "id_number": data.id_number})
                claim_url = f"{reverse('enrollment:claim')}?{query.urlencode()}"
        else:
            messages.success(
                request,
                _(
                    "Your request %(reference)s is submitted. Your signed form is being prepared: "
                    "its link appears on this page in a few seconds, and it is e-mailed to you."
                )
                % {"reference": services.request_reference(created)},
            )
            return redirect("enrollment:my_requests")
    consent = ConsentText.objects.order_by("-valid_from").first()
    return render(
        request,
        "enrollment/register.html",
        {"entry": entry, "form": form, "consent": consent, "previous": previous, "claim_url": claim_url},
    )


def _identifier_errors(form: RegistrationForm) -> None:
    """A form refused for other fields still says, in the same answer, which identifiers do not
    parse (the service checks them only once the form is complete)."""
    names = ("id_type", "id_number", "massar", "phone", "rib", *rules.STUDENT_TEXTS, "email")
    raw = SimpleNamespace(**{name: form.data.get(name, "").strip() for name in names})
    for name, codes in services.clean_identity_fields(raw).items():  # type: ignore[arg-type]  # raw strings, same names
        if name in form.fields and name not in form.errors:
            form.add_error(name, str(label_for(codes[0])))


def _form_errors(form: Any, exc: DomainError) -> None:
    placed = False
    for field, codes in exc.fields.items():
        for code in codes or [exc.code]:
            message = exc.message if code == exc.code else exc.message_of(code)
            if field in form.fields:
                form.add_error(field, message)
            else:
                form.add_error(None, message)
            placed = True
    if not placed:
        form.add_error(None, exc.message)


@login_required
def claim(request: HttpRequest) -> HttpResponse:
    """The student proves that a record their institution uploaded is theirs: a link at the
    address the institution declared, or the institution's confirmation (explained here)."""
    actor = actor_for(request.user)
    if not actor.has_role("student"):
        raise Forbidden()
    if signed_in(request).email_verified_at is None:
        return render(request, "enrollment/register_verify.html", {})
    form = ClaimForm(request.POST if request.method == "POST" else None, initial=request.GET.dict())
    sent = False
    if request.method == "POST" and form.is_valid():
        try:
            claims.student_claim_request(
                actor=signed_in(request), id_type=form.cleaned_data["id_type"], id_number=form.cleaned_data["id_number"]
            )
        except DomainError as exc:
            _form_errors(form, exc)
        else:
            sent = True
    return render(request, "enrollment/claim.html", {"form": form, "sent": sent}, status=400 if form.errors else 200)


@login_required
def claim_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link e-mailed to the declared address: a button to confirm (nothing is written on GET)."""
    actor = actor_for(request.user)
    if not actor.has_role("student"):
        raise Forbidden()
    error = ""
    if request.method == "POST":
        try:
            claims.student_claim_confirm(actor=signed_in(request), token=token)
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("Your student record is now linked to your account: you can register."))
            return redirect("enrollment:entries")
    return render(request, "enrollment/claim_confirm.html", {"error": error}, status=400 if error else 200)


def _student_with_verified_email(request: HttpRequest) -> HttpResponse | None:
    if not actor_for(request.user).has_role("student"):
        raise Forbidden()
    if signed_in(request).email_verified_at is None:
        return render(request, "enrollment/register_verify.html", {})
    return None


@login_required
def my_rib(request: HttpRequest) -> HttpResponse:
    """The student's RIB for reimbursements (masked), the change waiting for its link, and the
    form to ask for a change: applied when the e-mailed link is opened."""
    if (refused := _student_with_verified_email(request)) is not None:
        return refused
    student = selectors.student_for_user(signed_in(request))
    form = RibForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            ribs.student_rib_change_request(actor=signed_in(request), rib=form.cleaned_data["rib"])
        except DomainError as exc:
            _form_errors(form, exc)
        else:
            messages.success(
                request,
                _("Your RIB will be changed when you open the link we sent to %(email)s (valid three days).")
                % {"email": signed_in(request).email},
            )
            return redirect("enrollment:my_rib")
    pending = selectors.rib_change_pending(student) if student else None
    return render(
        request,
        "enrollment/my_rib.html",
        {
            "form": form,
            "student": student,
            "rib": mask_rib(student.rib) if student else "",
            "pending": pending,
            "pending_rib": mask_rib(pending.rib) if pending else "",
        },
        status=400 if form.errors else 200,
    )


@login_required
def rib_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link e-mailed for a RIB change: a button to confirm (nothing is written on GET)."""
    if (refused := _student_with_verified_email(request)) is not None:
        return refused
    error = ""
    if request.method == "POST":
        try:
            ribs.student_rib_change_confirm(actor=signed_in(request), token=token)
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("Your RIB is changed: the next reimbursements will be paid to it."))
            return redirect("enrollment:my_rib")
    return render(request, "enrollment/rib_confirm.html", {"error": error}, status=400 if error else 200)


@login_required
def institution_claim(request: HttpRequest) -> HttpResponse:
    """The institution links a student's record to their account, having seen their identity document."""
    institution = access.access_institution_agent(actor_for(request.user))
    form = ClaimLinkForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            linked = claims.student_claim_link(
                actor=signed_in(request),
                institution=institution,
                id_type=form.cleaned_data["id_type"],
                id_number=form.cleaned_data["id_number"],
                account_email=form.cleaned_data["email"],
            )
        except DomainError as exc:
            _form_errors(form, exc)
        else:
            messages.success(
                request,
                _("The record of %(student)s is linked to the account %(email)s; the student is told by e-mail.")
                % {"student": linked, "email": form.cleaned_data["email"]},
            )
            return redirect("enrollment:institution_claim")
    return render(
        request,
        "enrollment/institution_claim.html",
        {"form": form, "institution": institution},
        status=400 if form.errors else 200,
    )


@login_required
def my_requests(request: HttpRequest) -> HttpResponse:
    requests = [
        (
            r,
            *extensions.step_read(extensions.CONTRIBUTION, r),
            extensions.step_read(extensions.RIGHTS, r),
            selectors.last_event(r, RegistrationStatus.REFUSED_ANAM),
        )
        for r in selectors.request_list_for_student(signed_in(request))
    ]
    # A signed form being prepared by the worker: the page asks again by itself until its link is there.
    pending = any(services.signed_form_state(r) == "being_prepared" for r, *_rest in requests)
    return render(
        request, "enrollment/my_requests.html", {"requests": requests, "refresh_seconds": 3 if pending else 0}
    )


@login_required
def my_request_correct(request: HttpRequest, pk: int) -> HttpResponse:
    target = access.access_own_request(actor_for(request.user), pk)
    channel = target.institution.category.channel.code
    form = RegistrationForm(
        request.POST if request.method == "POST" else None,
        initial={
            **services.input_from_request(target),
            "academic_year_id": target.academic_year_id,
            "registered_on": target.registered_on,
            # The same request, corrected: its declaration stands until the student changes it.
            "no_other_coverage": "1" if target.no_other_coverage else "",
        },
        channel_code=channel,
    )
    form.fields["institution_id"].disabled = True
    cast(forms.ChoiceField, form.fields["academic_year_id"]).choices = [
        (target.academic_year_id, target.academic_year.code)
    ]
    if request.method == "POST" and not form.is_valid():
        _identifier_errors(form)
    elif request.method == "POST":
        data = services.registration_input(
            **{
                **form.cleaned_data,
                "institution_id": target.institution_id,
                "academic_year_id": target.academic_year_id,
            }
        )
        try:
            services.registration_correct(actor=signed_in(request), request=target, data=data)
        except DomainError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Your corrected request is sent back to your institution."))
            return redirect("enrollment:my_requests")
    consent = ConsentText.objects.order_by("-valid_from").first()
    return render(request, "enrollment/correct.html", {"target": target, "form": form, "consent": consent})


@login_required
def request_form_pdf(request: HttpRequest, pk: int) -> HttpResponseBase:
    target = access.access_request(actor_for(request.user), pk)
    document = services.signed_form_document(target)  # 202 "being prepared" until the worker has made it
    return download(document.file.open("rb"), f"{services.request_reference(target)}.pdf")


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request.user)
    return _detail_page(request, actor, access.access_request(actor, pk), DecisionForm())


def _detail_page(
    request: HttpRequest, actor: Actor, target: RegistrationRequest, form: DecisionForm, status: int = 200
) -> HttpResponse:
    can_decide = target.institution_id in actor.ids("institution_agent", "institution") and target.status in (
        "submitted",
        "to_correct",
    )
    deciding = target.institution_id in actor.ids("institution_agent", "institution")
    return render(
        request,
        "enrollment/request_detail.html",
        {
            "target": target,
            "can_decide": can_decide,
            "duplicates": selectors.probable_duplicates_of(target) if deciding else [],
            "can_report_stop": target.institution_id in actor.ids("institution_agent", "institution"),
            "rights": extensions.step_read(extensions.RIGHTS, target),
            "form": form,
            "reference": services.request_reference(target),
        },
        status=status,
    )


@login_required
@require_POST
def request_decide(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request.user)
    target = access.access_request_decide(actor, pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.registration_decide(
                actor=signed_in(request),
                request=target,
                target=form.cleaned_data["action"],
                reason=form.cleaned_data["reason"],
                comment=form.cleaned_data["comment"],
            )
        except DomainError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Decision recorded; the student is told by e-mail."))
            return redirect("enrollment:institution_queue")
    # The agent's decision, reason and comment are shown again with what to complete.
    return _detail_page(request, actor, target, form, status=400)


@login_required
@require_POST
def duplicate_decide(request: HttpRequest, pk: int, duplicate: int) -> HttpResponse:
    """The institution decides a probable duplicate: not the same person, or the same (rejected)."""
    actor = actor_for(request.user)
    found = access.access_probable_duplicate(actor, pk, duplicate)
    try:
        services.duplicate_decide(actor=signed_in(request), duplicate=found, decision=request.POST.get("decision", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Decision recorded."))
    return redirect("enrollment:request_detail", pk=pk)


@login_required
def institution_queue(request: HttpRequest) -> HttpResponse:
    return _queue_page(request, request.GET, BulkDecisionForm())


def _queue_page(
    request: HttpRequest, query: Any, form: BulkDecisionForm, ticked: frozenset[int] = frozenset(), status: int = 200
) -> HttpResponse:
    actor = actor_for(request.user)
    institution = access.access_institution_agent(actor)
    search = query.get("q", "").strip()[:60]
    wanted = query.get("status", "submitted")
    qs = selectors.request_list_for_actor(actor, search=search, status=wanted).filter(institution=institution)
    page = Paginator(qs, PAGE_SIZE).get_page(query.get("page"))
    return render(
        request,
        "enrollment/institution_queue.html",
        {
            "institution": institution,
            "page": page,
            "status": wanted,
            "q": search,
            "statuses": RegistrationStatus.choices,
            "form": form,
            "ticked": ticked,
            # Shown again after a refused bulk decision, at the bulk form's address: the links
            # and the form's way back point to the queue, with its filters.
            "query": query,
            "page_url": reverse("enrollment:institution_queue"),
            "back": f"{reverse('enrollment:institution_queue')}?{query.urlencode()}",
        },
        status=status,
    )


@login_required
@require_POST
def institution_bulk(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    institution = access.access_institution_agent(actor)
    form = BulkDecisionForm(request.POST)
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
    back = request.POST.get("next") or ""
    if not ids or not form.is_valid():
        if not ids:
            form.add_error(None, _("Tick at least one request."))
        # The ticked requests and the decision are shown again, on the page the agent was on.
        query = QueryDict(back.partition("?")[2])
        return _queue_page(request, query, form, ticked=frozenset(ids), status=400)
    targets = selectors.bulk_decision_targets(institution, ids)
    done, refused = services.registration_decide_many(
        actor=signed_in(request),
        requests=targets,
        target=form.cleaned_data["action"],
        reason=form.cleaned_data["reason"],
        comment=form.cleaned_data["comment"],
    )
    if done:
        messages.success(request, _("%(count)s request(s) decided.") % {"count": done})
    for target, why in refused[:10]:
        messages.error(request, f"{services.request_reference(target)}: {why}")
    safe = url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    return redirect(back if back and safe else "enrollment:institution_queue")


@login_required
def aggregator_space(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    aggregator = access.access_aggregator(actor)
    year = academic_year_chosen()
    waiting = selectors.waiting_by_institution(aggregator, year) if year else []
    return render(
        request,
        "enrollment/aggregator.html",
        {
            "aggregator": aggregator,
            "year": year,
            "waiting": waiting,
            "waiting_total": sum(w["count"] for w in waiting),
            "lists": selectors.lists_for_actor(actor)[:50],
            "form": CloseListForm(initial={"academic_year_id": year.pk if year else None}),
        },
    )


@login_required
@require_POST
def aggregator_close(request: HttpRequest) -> HttpResponse:
    aggregator = access.access_aggregator(actor_for(request.user))
    form = CloseListForm(request.POST)
    if form.is_valid():
        year = academic_year_get(pk=form.cleaned_data["academic_year_id"])
        try:
            closed = services.aggregation_close(actor=signed_in(request), aggregator=aggregator, academic_year=year)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                ngettext(
                    "List %(number)s closed with %(count)s student.",
                    "List %(number)s closed with %(count)s students.",
                    closed.row_count,
                )
                % {"number": closed.number, "count": closed.row_count},
            )
            return redirect("enrollment:list_detail", pk=closed.pk)
    return redirect("enrollment:aggregator")


@login_required
def list_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request.user)
    aggregation_list = access.access_list(actor, pk)
    page = Paginator(selectors.list_rows(aggregation_list), PAGE_SIZE).get_page(request.GET.get("page"))
    can_send = aggregation_list.status == "closed" and aggregation_list.aggregator_id in actor.ids(
        "aggregator_agent", "aggregator"
    )
    return render(
        request,
        "enrollment/list_detail.html",
        {"list": aggregation_list, "page": page, "can_send": can_send},
    )


@login_required
@require_POST
def list_send(request: HttpRequest, pk: int) -> HttpResponse:
    aggregation_list = access.access_list_send(actor_for(request.user), pk)
    try:
        services.aggregation_send(actor=signed_in(request), aggregation_list=aggregation_list)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("List %(number)s sent to CNOPS.") % {"number": aggregation_list.number})
    return redirect("enrollment:list_detail", pk=pk)


@login_required
def list_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponseBase:
    aggregation_list = access.access_list(actor_for(request.user), pk)
    rows = selectors.list_rows(aggregation_list)
    filename = f"{aggregation_list.number}.{fmt}"
    if fmt == "csv":
        return download(exports.csv_stream(rows), filename, CSV)
    if fmt == "xlsx":
        return download(exports.xlsx_file(rows), filename, XLSX)
    if fmt == "pdf":
        return download(exports.pdf_bytes(aggregation_list, rows), filename)
    raise NotFound()


@login_required
def legal_entity_space(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    entity = access.access_legal_entity_agent(actor)
    year = academic_year_chosen()
    form = CertificationForm(
        request.POST if request.method == "POST" else None,
        initial={"academic_year_id": year.pk if year else None},
    )
    if request.method == "POST" and form.is_valid():
        chosen = academic_year_get(pk=form.cleaned_data["academic_year_id"])
        try:
            done = services.certification_sign(
                actor=signed_in(request),
                legal_entity=entity,
                academic_year=chosen,
                payment_references=form.cleaned_data["payment_references"],
            )
        except DomainError as exc:
            _form_errors(form, exc)
        else:
            messages.success(
                request,
                ngettext(
                    "List certified: %(count)s student, fingerprint %(hash)s.",
                    "List certified: %(count)s students, fingerprint %(hash)s.",
                    done.row_count,
                )
                % {"count": done.row_count, "hash": ltr_run(f"{done.content_hash[:16]}…")},
            )
            return redirect("enrollment:legal_entity")
    totals = selectors.totals(actor, year)
    pending = selectors.requests_to_certify(entity, year)
    page = Paginator(pending, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "enrollment/legal_entity.html",
        {
            "entity": entity,
            "year": year,
            "totals": totals,
            "to_certify": page.paginator.count,
            "page": page,
            "form": form,
            "certifications": selectors.certifications_for(entity)[:20],
        },
    )


@login_required
def legal_entity_export(request: HttpRequest) -> HttpResponseBase:
    """The list to certify, whole, as CSV: what the legal entity checks before signing."""
    entity = access.access_legal_entity_agent(actor_for(request.user))
    year = academic_year_chosen()
    rows = exports.csv_stream(selectors.requests_to_certify(entity, year))
    return download(rows, f"to-certify-{year.code if year else ''}.csv", CSV)


@login_required
def cnops_space(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    access.access_cnops(actor)
    year = academic_year_chosen(request.GET.get("year", ""))
    search = request.GET.get("q", "").strip()[:60]
    # A total drills down to its requests: ?status=, ?channel= or ?institution= (received only).
    drill = {key: request.GET.get(key, "")[:40] for key in ("status", "channel", "institution")}
    found: Any = None
    if search:  # a student is looked for in every year; a search finds a few, never counted
        found = selectors.request_list_for_actor(actor, search=search)[:PAGE_SIZE]
    elif any(drill.values()):
        rows = selectors.request_list_for_actor(
            actor,
            year=year.code if year else "",
            received=not drill["status"],
            **drill,
        )
        found = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "enrollment/cnops.html",
        {
            "year": year,
            "years": academic_year_list(),
            "totals": selectors.totals(actor, year, received=True),
            "lists": selectors.lists_for_actor(actor)[:50],
            "q": search,
            "found": found,
            "page": None if search else found,
        },
    )
