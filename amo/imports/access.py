from django.db.models import Q

from amo.accounts.actors import Actor
from amo.accounts.models import Role
from amo.common.errors import Forbidden, NotFound
from amo.imports.models import ImportJob
from amo.organisations.models import Institution


def job_scope(actor: Actor) -> Q:
    if actor.is_cnops_central:
        return Q()
    q = Q(uploaded_by_id=actor.user.pk) if actor.user is not None else Q(pk__in=[])
    if ids := actor.ids(Role.INSTITUTION_AGENT, "institution"):
        q |= Q(institution_id__in=ids)
    return q


def access_job(actor: Actor, pk: int | str) -> ImportJob:
    try:
        return ImportJob.objects.filter(job_scope(actor)).select_related("academic_year", "institution").get(pk=pk)
    except (ImportJob.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def access_upload(actor: Actor) -> Institution | None:
    """An institution agent uploads for its institution; an aggregator agent or CNOPS's central
    office uploads a file naming institutions of its perimeter (None). Others may not."""
    for m in actor.memberships:
        if m.role == Role.INSTITUTION_AGENT and m.institution is not None:
            return m.institution
    if actor.has_role(Role.AGGREGATOR_AGENT) or actor.is_cnops_central:
        return None
    raise Forbidden()
