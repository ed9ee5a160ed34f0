from django.db.models import Q

from amo.accounts.actors import Actor
from amo.accounts.models import Role
from amo.common.errors import Forbidden, NotFound
from amo.contributions.models import Credit, Receipt, Transfer
from amo.organisations.models import LegalEntity

NOTHING = Q(pk__in=[])


def entity_scope(actor: Actor, field: str = "legal_entity_id") -> Q:
    if actor.is_cnops_central:
        return Q()
    if ids := actor.ids(Role.LEGAL_ENTITY_AGENT, "legal_entity"):
        return Q(**{f"{field}__in": ids})
    return NOTHING


def access_entity_agent(actor: Actor) -> LegalEntity:
    for m in actor.memberships:
        if m.role == Role.LEGAL_ENTITY_AGENT and m.legal_entity is not None:
            return m.legal_entity
    raise Forbidden()


def access_cnops_central(actor: Actor) -> None:
    """Statements and reconciliation are CNOPS's central office's work."""
    if not actor.is_cnops_central:
        raise Forbidden()


def access_transfer(actor: Actor, pk: int | str) -> Transfer:
    try:
        return Transfer.objects.filter(entity_scope(actor)).select_related("payment_reference").get(pk=pk)
    except (Transfer.DoesNotExist, ValueError) as exc:
        raise NotFound() from exc


def access_receipt(actor: Actor, pk: int | str) -> Receipt:
    try:
        return Receipt.objects.filter(entity_scope(actor)).select_related("document").get(pk=pk)
    except (Receipt.DoesNotExist, ValueError) as exc:
        raise NotFound() from exc


def access_credit(actor: Actor, pk: int | str) -> Credit:
    access_cnops_central(actor)
    try:
        return Credit.objects.get(pk=pk)
    except (Credit.DoesNotExist, ValueError) as exc:
        raise NotFound() from exc
