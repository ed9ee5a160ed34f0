"""Perimeters of organisations: which rows each actor may read, and who may act on them.

`*_scope(actor)` returns a Q to filter on; `access_*(actor, id)` fetches within that scope
or raises NotFound (the same answer whether the row exists elsewhere or not at all).
"""

from typing import TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, Q, QuerySet

from amo.accounts.actors import Actor
from amo.accounts.models import Role
from amo.accounts.rules import Job
from amo.common.errors import Forbidden, NotFound
from amo.organisations.models import (
    AffiliationRequest,
    Institution,
    LegalEntity,
)

NOTHING = Q(pk__in=[])


def institution_scope(actor: Actor) -> Q:
    if actor.is_cnops_central:
        return Q()
    q = NOTHING
    regions = actor.delegation_region_ids()
    if regions:
        q |= Q(region_id__in=regions)
    if ids := actor.ids(Role.LEGAL_ENTITY_AGENT, "legal_entity"):
        q |= Q(legal_entity_id__in=ids)
    if ids := actor.ids(Role.INSTITUTION_AGENT, "institution"):
        q |= Q(pk__in=ids)
    if ids := actor.ids(Role.AGGREGATOR_AGENT, "aggregator"):
        q |= Q(category__channel__aggregator_id__in=ids)
    return q


def legal_entity_scope(actor: Actor) -> Q:
    if actor.is_cnops_central:
        return Q()
    q = NOTHING
    regions = actor.delegation_region_ids()
    if regions:
        q |= Q(institutions__region_id__in=regions)
    if ids := actor.ids(Role.LEGAL_ENTITY_AGENT, "legal_entity"):
        q |= Q(pk__in=ids)
    if ids := actor.ids(Role.AGGREGATOR_AGENT, "aggregator"):
        q |= Q(institutions__category__channel__aggregator_id__in=ids)
    return q


def affiliation_scope(actor: Actor) -> Q:
    if actor.is_cnops_central:
        return Q()
    q = NOTHING
    if ids := actor.ids(Role.LEGAL_ENTITY_AGENT, "legal_entity"):
        q |= Q(legal_entity_id__in=ids)
    return q


def provider_scope(actor: Actor) -> Q:
    """The back office and medical control (which decides the providers' PEC requests) see the
    providers of their perimeter; a provider's agent sees their own."""
    if actor.is_cnops_central or actor.does_centrally(Job.MEDICAL_CONTROL):
        return Q()
    q = NOTHING
    regions = actor.delegation_region_ids() | actor.delegation_region_ids(Role.MEDICAL_CONTROLLER)
    if regions:
        q |= Q(region_id__in=regions)
    if ids := actor.ids(Role.PROVIDER_AGENT, "provider"):
        q |= Q(pk__in=ids)
    return q


def deposit_point_scope(actor: Actor) -> Q:
    if actor.is_cnops_central:
        return Q()
    q = NOTHING
    regions = actor.delegation_region_ids()
    if regions:
        q |= Q(region_id__in=regions)
    if ids := actor.ids(Role.DEPOSIT_POINT_AGENT, "deposit_point"):
        q |= Q(pk__in=ids)
    return q


M = TypeVar("M", bound=Model)


def _get(queryset: QuerySet[M], scope: Q, pk: object) -> M:
    try:
        return queryset.filter(scope).distinct().get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def access_institution(actor: Actor, pk: object) -> Institution:
    qs = Institution.objects.select_related("category__channel__aggregator", "legal_entity")
    return _get(qs, institution_scope(actor), pk)


def access_legal_entity(actor: Actor, pk: object) -> LegalEntity:
    return _get(LegalEntity.objects.all(), legal_entity_scope(actor), pk)


def access_affiliation_request(actor: Actor, pk: object) -> AffiliationRequest:
    qs = AffiliationRequest.objects.select_related("legal_entity", "certificate")
    return _get(qs, affiliation_scope(actor), pk)


def access_affiliation_submit(actor: Actor, legal_entity_pk: object) -> LegalEntity:
    """Only an agent of the legal entity itself may ask for its affiliation."""
    entity = access_legal_entity(actor, legal_entity_pk)
    if entity.pk not in actor.ids(Role.LEGAL_ENTITY_AGENT, "legal_entity"):
        raise Forbidden()
    return entity


def access_affiliation_decide(actor: Actor, pk: object) -> AffiliationRequest:
    """Only CNOPS's central back office (agents and administrators) decides affiliations."""
    request = access_affiliation_request(actor, pk)
    if not actor.is_cnops_central:
        raise Forbidden()
    return request
