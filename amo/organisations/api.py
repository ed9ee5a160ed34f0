"""Organisations API: parse, check access, call one service or selector, serialize."""

from django.db.models import QuerySet
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from ninja import Router, Status
from ninja.pagination import paginate

from amo.accounts.actors import actor_for, signed_in
from amo.api.schemas import ErrorOut
from amo.common.apitypes import LimitOffsetPagination, QueryText
from amo.common.downloads import download
from amo.common.errors import NotFound
from amo.organisations import access, selectors, services
from amo.organisations.models import (
    AffiliationRequest,
    CareProvider,
    Channel,
    DepositPoint,
    Institution,
    InstitutionCategory,
    LegalEntity,
)
from amo.organisations.schemas import (
    AffiliationIn,
    AffiliationOut,
    AffiliationRejectIn,
    CategoryOut,
    ChannelOut,
    DepositPointOut,
    InstitutionOut,
    LegalEntityContactIn,
    LegalEntityOut,
    ProviderOut,
)

router = Router(tags=["organisations"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


@router.get("/channels", response=list[ChannelOut], auth=None, summary="The three registration channels")
def channels(request: HttpRequest) -> QuerySet[Channel]:
    return selectors.channel_list()


@router.get(
    "/categories",
    response=list[CategoryOut],
    auth=None,
    summary="Institution categories and their mapping",
)
def categories(request: HttpRequest) -> QuerySet[InstitutionCategory]:
    return selectors.category_list()


@router.get("/institutions", response=list[InstitutionOut], summary="Institutions in my perimeter")
@paginate(LimitOffsetPagination)
def institutions(request: HttpRequest, q: QueryText = "", channel: QueryText = "") -> QuerySet[Institution]:
    return selectors.institution_list_for_actor(actor_for(request.user), search=q, channel=channel)


@router.get("/institutions/{pk}", response={200: InstitutionOut, **ERRORS})
def institution(request: HttpRequest, pk: int) -> Institution:
    return access.access_institution(actor_for(request.user), pk)


@router.get("/legal-entities", response=list[LegalEntityOut])
@paginate(LimitOffsetPagination)
def legal_entities(request: HttpRequest) -> QuerySet[LegalEntity]:
    return selectors.legal_entity_list_for_actor(actor_for(request.user))


@router.get("/legal-entities/{pk}", response={200: LegalEntityOut, **ERRORS})
def legal_entity(request: HttpRequest, pk: int) -> LegalEntity:
    return access.access_legal_entity(actor_for(request.user), pk)


@router.put(
    "/legal-entities/{pk}/contact",
    response={200: LegalEntityOut, **ERRORS},
    summary="Update my legal entity's contact details",
)
def legal_entity_contact(request: HttpRequest, pk: int, payload: LegalEntityContactIn) -> LegalEntity:
    entity = access.access_affiliation_submit(actor_for(request.user), pk)
    return services.legal_entity_update_contact(actor=signed_in(request), entity=entity, **payload.dict())


@router.get("/affiliations", response=list[AffiliationOut])
@paginate(LimitOffsetPagination)
def affiliations(request: HttpRequest, status: QueryText = "") -> QuerySet[AffiliationRequest]:
    return selectors.affiliation_list_for_actor(actor_for(request.user), status=status).prefetch_related("institutions")


@router.post(
    "/affiliations",
    response={201: AffiliationOut, **ERRORS},
    summary="Ask CNOPS to affiliate institutions",
)
def affiliation_create(request: HttpRequest, payload: AffiliationIn) -> Status[AffiliationRequest]:
    entity = access.access_affiliation_submit(actor_for(request.user), payload.legal_entity_id)
    return Status(
        201,
        services.affiliation_submit(
            actor=signed_in(request), legal_entity=entity, institution_ids=payload.institution_ids
        ),
    )


@router.get("/affiliations/{pk}", response={200: AffiliationOut, **ERRORS})
def affiliation(request: HttpRequest, pk: int) -> AffiliationRequest:
    return access.access_affiliation_request(actor_for(request.user), pk)


@router.post(
    "/affiliations/{pk}/approve",
    response={200: AffiliationOut, **ERRORS},
    summary="Approve (CNOPS central)",
)
def affiliation_approve(request: HttpRequest, pk: int) -> AffiliationRequest:
    target = access.access_affiliation_decide(actor_for(request.user), pk)
    return services.affiliation_approve(actor=signed_in(request), request=target)


@router.post(
    "/affiliations/{pk}/reject",
    response={200: AffiliationOut, **ERRORS},
    summary="Reject with a reason (CNOPS central)",
)
def affiliation_reject(request: HttpRequest, pk: int, payload: AffiliationRejectIn) -> AffiliationRequest:
    target = access.access_affiliation_decide(actor_for(request.user), pk)
    return services.affiliation_reject(
        actor=signed_in(request), request=target, reason=payload.reason.value, comment=payload.comment
    )


@router.get(
    "/affiliations/{pk}/certificate",
    response={404: ErrorOut},
    summary="The affiliation certificate (PDF)",
)
def affiliation_certificate(request: HttpRequest, pk: int) -> HttpResponseBase:
    target = access.access_affiliation_request(actor_for(request.user), pk)
    if target.certificate is None:
        raise NotFound()
    return download(target.certificate.file.open("rb"), f"{target.number}.pdf")


@router.get("/providers", response=list[ProviderOut])
@paginate(LimitOffsetPagination)
def providers(request: HttpRequest) -> QuerySet[CareProvider]:
    return selectors.provider_list_for_actor(actor_for(request.user))


@router.get("/deposit-points", response=list[DepositPointOut])
@paginate(LimitOffsetPagination)
def deposit_points(request: HttpRequest) -> QuerySet[DepositPoint]:
    return selectors.deposit_point_list_for_actor(actor_for(request.user))
