"""Who reaches which request (decision 0010): a care provider its own requests; a medical
controller the requests routed to its office; CNOPS's back office the decisions of its perimeter
(the nation from the central office, its own office's from a delegation); the call centre any
decision; a student their own. Only the provider and medical control see the medicine
(diagnosis, planned acts, attachments): `Reach.medical`. Anything else is 404."""

from dataclasses import dataclass

from amo.accounts.actors import Actor
from amo.accounts.models import Role
from amo.accounts.rules import Job
from amo.approvals.models import ApprovalRequest
from amo.common.errors import Forbidden, NotFound


@dataclass(frozen=True)
class Reach:
    request: ApprovalRequest
    as_provider: bool
    as_controller: bool

    @property
    def medical(self) -> bool:
        """The diagnosis, the acts and the attachments: the provider's and medical control's only."""
        return self.as_provider or self.as_controller


def provider_ids(actor: Actor) -> set[int]:
    """The care providers whose requests the actor sends (403 without one)."""
    if not actor.does(Job.PEC_REQUESTS):
        raise Forbidden()
    return actor.ids(Role.PROVIDER_AGENT, "provider")


def controller_office_ids(actor: Actor) -> set[int]:
    """The offices whose queue the actor works (403 for anyone not in medical control)."""
    if not actor.does(Job.MEDICAL_CONTROL):
        raise Forbidden()
    return actor.ids(Role.MEDICAL_CONTROLLER, "cnops_office")


def back_office_office_ids(actor: Actor) -> set[int] | None:
    """The offices whose decisions the back office reads: None for the central one (the nation)."""
    if not actor.does(Job.BACK_OFFICE):
        raise Forbidden()
    if actor.does_centrally(Job.BACK_OFFICE):
        return None
    return {
        m.cnops_office_id
        for m in actor.memberships
        if m.role in (Role.CNOPS_AGENT, Role.CNOPS_ADMIN) and m.cnops_office_id
    }


def figures_office_ids(actor: Actor) -> set[int] | None:
    """Medical control's figures: CNOPS's back office (its perimeter) and the controllers (their offices)."""
    if actor.does(Job.BACK_OFFICE):
        return back_office_office_ids(actor)
    return controller_office_ids(actor)


def access_request(actor: Actor, pk: int | str) -> Reach:
    """The request if the actor's perimeter holds it, with what the actor may see of it."""
    request = (
        ApprovalRequest.objects.select_related(
            "kind", "office", "provider", "insured__student", "diagnosis", "held_by", "refusal_reason", "document"
        )
        .filter(pk=pk)
        .first()
        if str(pk).isdigit()
        else None
    )
    if request is None:
        raise NotFound()
    as_provider = actor.does(Job.PEC_REQUESTS) and request.provider_id in provider_ids(actor)
    as_controller = actor.does(Job.MEDICAL_CONTROL) and request.office_id in controller_office_ids(actor)
    reads = as_provider or as_controller
    if not reads and actor.does(Job.BACK_OFFICE):
        offices = back_office_office_ids(actor)
        reads = offices is None or request.office_id in offices
    if not reads and actor.does(Job.STUDENT_FILE):
        reads = True  # the call centre answers any student about a decision (not its medicine)
    if not reads and actor.has_role(Role.STUDENT) and actor.user is not None:
        reads = request.insured.student.user_id == actor.user.pk
    if not reads:
        raise NotFound()
    return Reach(request, as_provider, as_controller)


def access_as_provider(actor: Actor, pk: int | str) -> ApprovalRequest:
    reach = access_request(actor, pk)
    if not reach.as_provider:
        raise Forbidden()
    return reach.request


def access_as_controller(actor: Actor, pk: int | str) -> ApprovalRequest:
    reach = access_request(actor, pk)
    if not reach.as_controller:
        raise Forbidden()
    return reach.request


def access_medical(actor: Actor, pk: int | str) -> ApprovalRequest:
    """The request's medicine (an attachment): the provider and medical control only (403 for
    the others who read its decision)."""
    reach = access_request(actor, pk)
    if not reach.medical:
        raise Forbidden()
    return reach.request
