"""Who sees which care file: the student their own; a deposit point the files deposited there
(and nothing else: another point's file answers 404); CNOPS's central back office the nation;
the call centre a file's state by one lookup (decision 0010)."""

from django.db.models import Q

from amo.accounts.actors import Actor
from amo.accounts.models import Role
from amo.accounts.rules import Job
from amo.claims.models import CareFile, TransmittalSlip
from amo.common.errors import Forbidden, NotFound
from amo.organisations.models import DepositPoint


def is_back_office(actor: Actor) -> bool:
    """Receiving slips, entering lines and liquidating: CNOPS's central back office."""
    return actor.is_cnops_central


def reads_files(actor: Actor) -> bool:
    """The call centre and the back office find any file's state."""
    return actor.does(Job.STUDENT_FILE) or actor.is_cnops_central


def deposit_point_of(actor: Actor) -> DepositPoint:
    """The deposit point the agent works at (403 for anyone else)."""
    ids = actor.ids(Role.DEPOSIT_POINT_AGENT, "deposit_point")
    point = DepositPoint.objects.filter(pk__in=ids).order_by("pk").first()
    if point is None:
        raise Forbidden()
    return point


def file_scope(actor: Actor) -> Q | None:
    """The files the actor may read (None: every file)."""
    if reads_files(actor):
        return None
    scope = Q(pk__in=[])
    if actor.has_role(Role.STUDENT) and actor.user is not None:
        scope |= Q(student__user=actor.user)
    points = actor.ids(Role.DEPOSIT_POINT_AGENT, "deposit_point")
    if points:
        scope |= Q(deposit_point_id__in=points)
    return scope


def access_file(actor: Actor, pk: int | str, *, action: str = "read") -> CareFile:
    """A file within the actor's perimeter (404 outside it); `action`: read, own (the student's
    own: the cover sheet), deposit (the agent's point), statement (not the deposit point),
    back_office (entry, liquidation)."""
    if action == "back_office" and not is_back_office(actor):
        raise Forbidden()
    if action == "own" and not actor.has_role(Role.STUDENT):
        raise Forbidden()
    if action == "deposit" and not actor.has_role(Role.DEPOSIT_POINT_AGENT):
        raise Forbidden()
    qs = CareFile.objects.select_related("student", "deposit_point", "statement")
    scope = file_scope(actor)
    if action == "own":
        scope = Q(student__user=actor.user)
    elif action == "statement":  # the amounts: the student, the back office, the call centre
        scope = None if reads_files(actor) else Q(student__user=actor.user)
    elif action == "deposit":
        scope = Q(deposit_point_id__in=actor.ids(Role.DEPOSIT_POINT_AGENT, "deposit_point"))
    if scope is not None:
        qs = qs.filter(scope)
    try:
        return qs.get(pk=pk)
    except (CareFile.DoesNotExist, ValueError) as exc:
        raise NotFound() from exc


def access_slip(actor: Actor, pk: int | str) -> TransmittalSlip:
    """Its deposit point, and CNOPS's central back office."""
    qs = TransmittalSlip.objects.select_related("deposit_point")
    if not is_back_office(actor):
        points = actor.ids(Role.DEPOSIT_POINT_AGENT, "deposit_point")
        if not points:
            raise Forbidden()
        qs = qs.filter(deposit_point_id__in=points)
    try:
        return qs.get(pk=pk)
    except (TransmittalSlip.DoesNotExist, ValueError) as exc:
        raise NotFound() from exc


def access_back_office(actor: Actor) -> None:
    if not is_back_office(actor):
        raise Forbidden()


def access_lookup(actor: Actor) -> None:
    if not reads_files(actor):
        raise Forbidden()
