"""Medical control's pages: the provider's requests (send, list, answer, withdraw), the
controller's queue and decisions, a request's page (what its reader may see of it), the
attachments behind an access check, the decision's PDF, a student's decisions, the figures."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amo.accounts.actors import actor_for, signed_in
from amo.accounts.models import Role
from amo.approvals import access, selectors, services
from amo.approvals.forms import AgreeForm, AnswerForm, QuestionForm, RefuseForm, RequestForm
from amo.approvals.models import ApprovalStatus
from amo.common import clock
from amo.common.downloads import CSV, download
from amo.common.errors import DomainError, Forbidden, NotFound
from amo.common.errorstatus import http_status
from amo.enrollment.selectors import student_for_user


def _form_error(form: Any, exc: DomainError) -> None:
    """The service's refusal on the form: each field's message beside it, or on top."""
    placed = False
    for field, problems in exc.fields.items():
        if field in form.fields:
            for problem in problems:
                form.add_error(field, problem)
            placed = True
    if not placed:
        form.add_error(None, exc.message)


@login_required
def provider_list(request: HttpRequest) -> HttpResponse:
    providers = access.provider_ids(actor_for(request.user))
    status = str(request.GET.get("status", ""))[:24]
    q = str(request.GET.get("q", ""))[:40]
    page = Paginator(selectors.requests_for_providers(providers, status=status, q=q), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "approvals/provider_list.html",
        {"page": page, "status": status, "q": q, "statuses": ApprovalStatus.choices},
    )


@login_required
def new(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    if not access.provider_ids(actor):
        raise Forbidden()
    form = RequestForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        membership = next(m for m in actor.memberships if m.role == Role.PROVIDER_AGENT and m.provider_id)
        assert membership.provider is not None
        data = form.cleaned_data
        try:
            created = services.approval_request_submit(
                actor=signed_in(request),
                provider=membership.provider,
                id_number=data["id_number"],
                kind_code=data["kind"],
                planned_from=data["planned_from"],
                planned_to=data["planned_to"],
                diagnosis=data["diagnosis"],
                planned_acts=data["planned_acts"],
                quote=data["quote"],
                urgent=data["urgent"],
                files=data["attachments"],
            )
        except DomainError as exc:
            _form_error(form, exc)
            status = http_status(exc)
        else:
            messages.success(
                request,
                _("Request %(number)s sent to %(office)s.") % {"number": created.number, "office": created.office},
            )
            return redirect("approvals:detail", pk=created.pk)
    elif request.method == "POST":
        status = 400
    return render(request, "approvals/new.html", {"form": form}, status=status)


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    offices = access.controller_office_ids(actor_for(request.user))
    status = str(request.GET.get("status", ""))[:24]
    kind = str(request.GET.get("kind", ""))[:32]
    urgent = {"1": True, "0": False}.get(str(request.GET.get("urgent", "")))
    q = str(request.GET.get("q", ""))[:40]
    rows = selectors.queue_for_offices(offices, status=status, kind=kind, urgent=urgent, q=q)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "approvals/queue.html",
        {
            "page": page,
            "status": status,
            "kind": kind,
            "urgent": request.GET.get("urgent", ""),
            "q": q,
            "statuses": ApprovalStatus.choices,
            "kinds": selectors.kinds_in_force(clock.today()),
            "now": clock.now(),
        },
    )


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    if not actor_for(request.user).has_role(Role.STUDENT):
        raise Forbidden()
    student = student_for_user(signed_in(request))
    rows = selectors.requests_of_student(student.pk) if student is not None else []
    return render(request, "approvals/mine.html", {"rows": rows})


def _detail(
    request: HttpRequest, reach: access.Reach, forms: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    r = reach.request
    context: dict[str, Any] = {
        "r": r,
        "reach": reach,
        "attachments": selectors.attachments_of(r) if reach.medical else [],
        "history": selectors.history_of(r) if reach.medical else [],
        "now": clock.now(),
        "holds": r.held_by_id is not None and r.held_by_id == getattr(request.user, "pk", None),
        "agree_form": AgreeForm(
            initial={"ceiling": r.quote, "valid_from": r.planned_from, "valid_to": r.planned_to or r.planned_from}
        ),
        "refuse_form": RefuseForm(),
        "question_form": QuestionForm(),
        "answer_form": AnswerForm(),
        **(forms or {}),
    }
    return render(request, "approvals/detail.html", context, status=status)


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, access.access_request(actor_for(request.user), pk))


def _controller_action(request: HttpRequest, pk: int, form_class: Any, name: str, act: Any) -> HttpResponse:
    actor = actor_for(request.user)
    target = access.access_as_controller(actor, pk)
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        return _detail(request, access.access_request(actor, pk), {name: form}, status=400)
    try:
        act(signed_in(request), target, form.cleaned_data if form is not None else {})
    except DomainError as exc:
        if form is not None:
            _form_error(form, exc)
            return _detail(request, access.access_request(actor, pk), {name: form}, status=http_status(exc))
        messages.error(request, exc.message)
    return redirect("approvals:detail", pk=pk)


@login_required
@require_POST
def take(request: HttpRequest, pk: int) -> HttpResponse:
    return _controller_action(request, pk, None, "", lambda u, r, d: services.approval_take(actor=u, request=r))


@login_required
@require_POST
def release(request: HttpRequest, pk: int) -> HttpResponse:
    return _controller_action(request, pk, None, "", lambda u, r, d: services.approval_release(actor=u, request=r))


@login_required
@require_POST
def agree(request: HttpRequest, pk: int) -> HttpResponse:
    return _controller_action(
        request,
        pk,
        AgreeForm,
        "agree_form",
        lambda u, r, d: services.approval_agree(
            actor=u,
            request=r,
            ceiling=d["ceiling"],
            sessions=d["sessions"],
            valid_from=d["valid_from"],
            valid_to=d["valid_to"],
            comment=d["comment"],
        ),
    )


@login_required
@require_POST
def refuse(request: HttpRequest, pk: int) -> HttpResponse:
    return _controller_action(
        request,
        pk,
        RefuseForm,
        "refuse_form",
        lambda u, r, d: services.approval_refuse(actor=u, request=r, reason_code=d["reason"], comment=d["comment"]),
    )


@login_required
@require_POST
def ask(request: HttpRequest, pk: int) -> HttpResponse:
    return _controller_action(
        request,
        pk,
        QuestionForm,
        "question_form",
        lambda u, r, d: services.approval_information_request(actor=u, request=r, question=d["question"]),
    )


@login_required
@require_POST
def ask_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _controller_action(
        request, pk, None, "", lambda u, r, d: services.approval_information_withdraw(actor=u, request=r)
    )


@login_required
@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    yes = request.POST.get("confirm", "1") == "1"
    return _controller_action(
        request, pk, None, "", lambda u, r, d: services.approval_confirm(actor=u, request=r, confirm=yes)
    )


@login_required
@require_POST
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request.user)
    target = access.access_as_provider(actor, pk)
    form = AnswerForm(request.POST, request.FILES)
    status = 400
    if form.is_valid():
        try:
            services.approval_answer(
                actor=signed_in(request),
                request=target,
                answer=form.cleaned_data["answer"],
                files=form.cleaned_data["attachments"],
            )
        except DomainError as exc:
            _form_error(form, exc)
            status = http_status(exc)
        else:
            messages.success(request, _("Your answer was sent to medical control."))
            return redirect("approvals:detail", pk=pk)
    return _detail(request, access.access_request(actor, pk), {"answer_form": form}, status=status)


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    target = access.access_as_provider(actor_for(request.user), pk)
    try:
        services.approval_withdraw(actor=signed_in(request), request=target)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("approvals:detail", pk=pk)


@login_required
def decision_pdf(request: HttpRequest, pk: int) -> HttpResponseBase:
    reach = access.access_request(actor_for(request.user), pk)
    document = services.decision_document(request=reach.request)  # 202 until the worker has issued it
    return download(document.file.open("rb"), f"decision-{reach.request.number}.pdf")


@login_required
def attachment(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponseBase:
    target = access.access_medical(actor_for(request.user), pk)
    found = selectors.attachments_of(target).filter(pk=attachment_pk).first()
    if found is None:
        raise NotFound()
    return download(found.file.open("rb"), found.name, found.content_type)


def _figures(request: HttpRequest) -> list[selectors.OfficeMonth]:
    offices = access.figures_office_ids(actor_for(request.user))
    today = clock.today()
    return selectors.figures(offices, since=today.replace(month=1, day=1), until=today)


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    rows = _figures(request)
    widest = max([f.total for f in rows] + [1])
    return render(request, "approvals/figures.html", {"rows": rows, "widest": widest})


@login_required
def figures_csv(request: HttpRequest) -> HttpResponseBase:
    rows = _figures(request)

    def lines() -> Any:
        yield "office;month;requests;decided;median_hours;p90_hours;within_service_level;agreed_amount\n"
        for f in rows:
            share = "" if f.within_share is None else f"{f.within_share:.3f}"
            median = "" if f.median_hours is None else f"{f.median_hours:.1f}"
            p90 = "" if f.p90_hours is None else f"{f.p90_hours:.1f}"
            yield f"{f.office};{f.month};{f.total};{f.decided};{median};{p90};{share};{f.agreed_amount}\n"

    return download(lines(), "controle-medical.csv", CSV)
