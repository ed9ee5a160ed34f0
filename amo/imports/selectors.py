"""Reads of imports: the jobs an actor may see."""

from django.db.models import QuerySet

from amo.accounts.actors import Actor
from amo.imports import access
from amo.imports.models import ImportJob


def jobs_for_actor(actor: Actor) -> QuerySet[ImportJob]:
    """The import jobs within the actor's perimeter, latest first (the model's order)."""
    return ImportJob.objects.filter(access.job_scope(actor)).select_related("academic_year")
