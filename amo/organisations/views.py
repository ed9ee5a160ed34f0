"""Pages of organisations: parse, check access, call one service or selector, render."""

from typing import TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amo.accounts.actors import actor_for, signed_in
from amo.common.downloads import download
from amo.common.errors import DomainError, Forbidden, NotFound
from amo.organisations import access, selectors, services
from amo.organisations.forms import (
    AffiliationRejectForm,
    AffiliationRequestForm,
    LegalEntityContactForm,
)
from amo.organisations.models import AffiliationStatus

M = TypeVar("M", bound=Model)
PAGE_SIZE = 50


def _page(request: HttpRequest, queryset: QuerySet[M]) -> Page[M]:
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def catalogue(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()[:100]
    page = _page(request, selectors.institution_public_list(search=search))
    return render(request, "organisations/catalogue.html", {"page": page, "q": search})


@login_required
def institution_list(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    search = request.GET.get("q", "").strip()[:100]
    channel = request.GET.get("channel", "")
    page = _page(request, selectors.institution_list_for_actor(actor, search=search, channel=channel))
    return render(
        request,
        "organisations/institution_list.html",
        {"page": page, "q": search, "channel": channel, "channels": selectors.channel_list()},
    )


@login_required
def institution_detail(request: HttpRequest, pk: int) -> HttpResponse:
    institution = access.access_institution(actor_for(request.user), pk)
    return render(request, "organisations/institution_detail.html", {"institution": institution})


@login_required
def legal_entity_list(request: HttpRequest) -> HttpResponse:
    page = _page(request, selectors.legal_entity_list_for_actor(actor_for(request.user)))
    return render(request, "organisations/legal_entity_list.html", {"page": page})


@login_required
def legal_entity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request.user)
    entity = access.access_legal_entity(actor, pk)
    can_edit = entity.pk in actor.ids("legal_entity_agent", "legal_entity")
    form = LegalEntityContactForm(
        request.POST if request.method == "POST" else None,
        initial={
            "email": entity.email,
            "phone": entity.phone,
            "address": entity.address,
            "ice": entity.ice,
        },
    )
    if request.method == "POST":
        if not can_edit:
            raise Forbidden()
        if form.is_valid():
            try:
                services.legal_entity_update_contact(actor=signed_in(request), entity=entity, **form.cleaned_data)
            except DomainError as exc:
                for field, codes in exc.fields.items():
                    form.add_error(field, str(DomainError(codes[0]).message) if codes else exc.message)
            else:
                messages.success(request, _("The details are saved."))
                return redirect("organisations:legal_entity_detail", pk=entity.pk)
    institutions = selectors.institution_list_for_actor(actor).filter(legal_entity=entity)
    return render(
        request,
        "organisations/legal_entity_detail.html",
        {"entity": entity, "institutions": institutions, "form": form, "can_edit": can_edit},
    )


@login_required
def affiliation_list(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    status = request.GET.get("status", "")
    page = _page(request, selectors.affiliation_list_for_actor(actor, status=status))
    entities = [m.legal_entity for m in actor.memberships if m.role == "legal_entity_agent"]
    return render(
        request,
        "organisations/affiliation_list.html",
        {
            "page": page,
            "status": status,
            "statuses": AffiliationStatus.choices,
            "entities": entities,
        },
    )


@login_required
def affiliation_new(request: HttpRequest, entity_pk: int) -> HttpResponse:
    actor = actor_for(request.user)
    entity = access.access_affiliation_submit(actor, entity_pk)
    form = AffiliationRequestForm(
        request.POST if request.method == "POST" else None,
        queryset=selectors.affiliable_institutions(entity),
    )
    if request.method == "POST" and form.is_valid():
        try:
            affiliation = services.affiliation_submit(
                actor=signed_in(request),
                legal_entity=entity,
                institution_ids=[i.pk for i in form.cleaned_data["institutions"]],
            )
        except DomainError as exc:
            form.add_error("institutions", exc.message)
        else:
            messages.success(
                request,
                _("Your request %(number)s is sent to CNOPS.") % {"number": affiliation.number},
            )
            return redirect("organisations:affiliation_detail", pk=affiliation.pk)
    return render(request, "organisations/affiliation_new.html", {"entity": entity, "form": form})


@login_required
def affiliation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request.user)
    affiliation = access.access_affiliation_request(actor, pk)
    try:
        access.access_affiliation_decide(actor, pk)
        can_decide = affiliation.status == AffiliationStatus.SUBMITTED
    except (Forbidden, NotFound):
        can_decide = False
    return render(
        request,
        "organisations/affiliation_detail.html",
        {
            "affiliation": affiliation,
            "institutions": affiliation.institutions.select_related("category").order_by("name_fr"),
            "can_decide": can_decide,
            "reject_form": AffiliationRejectForm(),
        },
    )


@login_required
@require_POST
def affiliation_approve(request: HttpRequest, pk: int) -> HttpResponse:
    affiliation = access.access_affiliation_decide(actor_for(request.user), pk)
    try:
        services.affiliation_approve(actor=signed_in(request), request=affiliation)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Approved: the affiliation certificate is issued."))
    return redirect("organisations:affiliation_detail", pk=pk)


@login_required
@require_POST
def affiliation_reject(request: HttpRequest, pk: int) -> HttpResponse:
    affiliation = access.access_affiliation_decide(actor_for(request.user), pk)
    form = AffiliationRejectForm(request.POST)
    if form.is_valid():
        try:
            services.affiliation_reject(actor=signed_in(request), request=affiliation, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The request is rejected; the legal entity is told why."))
            return redirect("organisations:affiliation_detail", pk=pk)
    else:
        messages.error(request, _("A rejection needs a reason."))
    return redirect("organisations:affiliation_detail", pk=pk)


@login_required
def affiliation_certificate(request: HttpRequest, pk: int) -> HttpResponseBase:
    affiliation = access.access_affiliation_request(actor_for(request.user), pk)
    if affiliation.certificate is None:
        raise NotFound()
    return download(affiliation.certificate.file.open("rb"), f"{affiliation.number}.pdf")


@login_required
def provider_list(request: HttpRequest) -> HttpResponse:
    page = _page(request, selectors.provider_list_for_actor(actor_for(request.user)))
    return render(request, "organisations/provider_list.html", {"page": page})


@login_required
def deposit_point_list(request: HttpRequest) -> HttpResponse:
    page = _page(request, selectors.deposit_point_list_for_actor(actor_for(request.user)))
    return render(request, "organisations/deposit_point_list.html", {"page": page})
