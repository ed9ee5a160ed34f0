"""Who works on the check: CNOPS's central office sends the students and applies the answers;
ANAM (its agents, or its system with an agent's API token) reads the batches, answers and keeps
the registry. Both see the exchange."""

from typing import Any

from amo.accounts.actors import Actor
from amo.common.errors import Forbidden, NotFound
from amo.enrollment.models import RegistrationRequest


def access_send(actor: Actor) -> None:
    if not actor.is_cnops_central:
        raise Forbidden()


def access_exchange(actor: Actor) -> None:
    """Read the batches and the verdicts."""
    if not (actor.is_cnops_central or actor.is_anam):
        raise Forbidden()


def access_answer(actor: Actor) -> None:
    """Answer a batch or load the registry: ANAM, or a CNOPS administrator relaying ANAM's file
    (never a CNOPS agent or controller: an emptied registry would accept every student)."""
    if not (actor.is_anam or (actor.is_cnops_central and actor.is_cnops_admin)):
        raise Forbidden()


def access_recheck_request(actor: Actor, request_id: int) -> Any:
    """The registration request whose new check is asked: the student's own, or any for CNOPS's
    central office; any other is "not found" (its existence is not revealed)."""
    found = RegistrationRequest.objects.filter(pk=request_id).select_related("student").first()
    own = actor.user is not None and found is not None and found.student.user_id == actor.user.pk
    if found is None or not (actor.is_cnops_central or own):
        raise NotFound()
    return found
