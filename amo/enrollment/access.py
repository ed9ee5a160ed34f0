"""Perimeters of registration: who reads which requests and lists, who acts on them."""

from django.db.models import Q

from amo.accounts.actors import Actor
from amo.accounts.models import Role
from amo.common.errors import Forbidden, NotFound
from amo.enrollment.models import AggregationList, ProbableDuplicate, RegistrationRequest
from amo.organisations.models import Aggregator, Institution, LegalEntity

NOTHING = Q(pk__in=[])


def request_scope(actor: Actor) -> Q:
    if actor.is_cnops_central:
        return Q()
    q = NOTHING
    if actor.has_role(Role.STUDENT) and actor.user is not None:
        q |= Q(student__user_id=actor.user.pk)
    if ids := actor.ids(Role.INSTITUTION_AGENT, "institution"):
        q |= Q(institution_id__in=ids)
    if ids := actor.ids(Role.LEGAL_ENTITY_AGENT, "legal_entity"):
        q |= Q(institution__legal_entity_id__in=ids)
    if ids := actor.ids(Role.AGGREGATOR_AGENT, "aggregator"):
        q |= Q(aggregator_id__in=ids)
    if regions := actor.delegation_region_ids(Role.CNOPS_AGENT, Role.CNOPS_ADMIN):
        q |= Q(institution__region_id__in=regions)
    return q


def list_scope(actor: Actor) -> Q:
    if actor.is_cnops_central:
        return Q()
    q = NOTHING
    if ids := actor.ids(Role.AGGREGATOR_AGENT, "aggregator"):
        q |= Q(aggregator_id__in=ids)
    return q


def access_request(actor: Actor, pk: int | str) -> RegistrationRequest:
    try:
        return (
            RegistrationRequest.objects.filter(request_scope(actor))
            .select_related(
                "student__user",
                "institution__category__channel",
                "academic_year",
                "aggregation_list",
                "signed_form",
            )
            .get(pk=pk)
        )
    except (RegistrationRequest.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def access_request_decide(actor: Actor, pk: int | str) -> RegistrationRequest:
    """Only an agent of the request's institution validates, rejects or sends it back."""
    request = access_request(actor, pk)
    if request.institution_id not in actor.ids(Role.INSTITUTION_AGENT, "institution"):
        raise Forbidden()
    return request


def access_probable_duplicate(actor: Actor, request_pk: int | str, pk: int | str) -> ProbableDuplicate:
    """A probable duplicate flagged on a request of the agent's institution (its institution decides)."""
    request = access_request_decide(actor, request_pk)
    try:
        return ProbableDuplicate.objects.select_related("request").get(pk=pk, request=request)
    except (ProbableDuplicate.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def access_own_request(actor: Actor, pk: int | str) -> RegistrationRequest:
    request = access_request(actor, pk)
    if actor.user is None or request.student.user_id != actor.user.pk:
        raise Forbidden()
    return request


def access_institution_agent(actor: Actor) -> Institution:
    """The institution an institution agent works for (the first one, if several)."""
    for m in actor.memberships:
        if m.role == Role.INSTITUTION_AGENT and m.institution is not None:
            return m.institution
    raise Forbidden()


def access_aggregator(actor: Actor) -> Aggregator:
    for m in actor.memberships:
        if m.role == Role.AGGREGATOR_AGENT and m.aggregator is not None:
            return m.aggregator
    raise Forbidden()


def access_legal_entity_agent(actor: Actor) -> LegalEntity:
    for m in actor.memberships:
        if m.role == Role.LEGAL_ENTITY_AGENT and m.legal_entity is not None:
            return m.legal_entity
    raise Forbidden()


def access_list(actor: Actor, pk: int | str) -> AggregationList:
    try:
        return (
            AggregationList.objects.filter(list_scope(actor)).select_related("aggregator", "academic_year").get(pk=pk)
        )
    except (AggregationList.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def access_list_send(actor: Actor, pk: int | str) -> AggregationList:
    aggregation_list = access_list(actor, pk)
    if aggregation_list.aggregator_id not in actor.ids(Role.AGGREGATOR_AGENT, "aggregator"):
        raise Forbidden()
    return aggregation_list


def access_cnops(actor: Actor) -> None:
    if not actor.is_cnops:
        raise Forbidden()
