"""Who sees which rights: the student their own; providers and the call centre by document
number only; the legal entity its publication lists; CNOPS's central office everything."""

from amo.accounts.actors import Actor
from amo.accounts.models import Role
from amo.accounts.rules import Job
from amo.common.errors import Forbidden, NotFound
from amo.coverage.models import Publication, RightsPeriod
from amo.organisations.models import Institution


def access_lookup(actor: Actor) -> None:
    """Providers, the call centre, medical control and the back office look rights up."""
    if not actor.does(Job.RIGHTS_LOOKUP):
        raise Forbidden()


def reads_student_files(actor: Actor) -> bool:
    """The whole file on one page: the call centre and CNOPS's central back office."""
    return actor.does(Job.STUDENT_FILE) or actor.is_cnops_central


def access_student_file(actor: Actor) -> None:
    if not reads_student_files(actor):
        raise Forbidden()


def access_period(actor: Actor, pk: int | str, *, action: str = "read") -> RightsPeriod:
    """The student reads and reports on their own rights; the institution reports a stop of
    studies for its students; CNOPS's central office does everything."""
    try:
        period = RightsPeriod.objects.select_related("insured__student", "request", "certificate").get(pk=pk)
    except (RightsPeriod.DoesNotExist, ValueError) as exc:
        raise NotFound() from exc
    own = actor.has_role(Role.STUDENT) and period.insured.student.user_id == getattr(actor.user, "pk", None)
    institution = period.institution_id in actor.ids(Role.INSTITUTION_AGENT, "institution")
    allowed = {
        "read": own or institution or reads_student_files(actor),
        "report_coverage": own,
        "studies_stopped": institution or actor.is_cnops_central,
        "proof": actor.is_cnops_central,
    }[action]
    if not allowed:
        raise NotFound() if action == "read" else Forbidden()
    return period


def publications_for(actor: Actor) -> "list[int] | None":
    """Legal entities whose publications the actor sees (None: all of them)."""
    if actor.is_cnops_central:
        return None
    return sorted(actor.ids(Role.LEGAL_ENTITY_AGENT, "legal_entity"))


def access_publication(actor: Actor, pk: int | str) -> tuple[Publication, int | None]:
    """A publication and, for an institution agent, the only institution they may read in it."""
    try:
        publication = Publication.objects.select_related("legal_entity", "batch").get(pk=pk)
    except (Publication.DoesNotExist, ValueError) as exc:
        raise NotFound() from exc
    entities = publications_for(actor)
    if entities is None or publication.legal_entity_id in entities:
        return publication, None
    institutions = actor.ids(Role.INSTITUTION_AGENT, "institution")

    mine = Institution.objects.filter(pk__in=institutions, legal_entity_id=publication.legal_entity_id).first()
    if mine is None:
        raise NotFound()
    return publication, mine.pk


def access_cnops_admin(actor: Actor) -> None:
    if not (actor.is_cnops_admin and actor.is_cnops_central):
        raise Forbidden()


def access_letters(actor: Actor) -> None:
    """The letters to students without e-mail: CNOPS's central office prints and posts them."""
    if not actor.is_cnops_central:
        raise Forbidden()


def letters_institution(actor: Actor, pk: int | str) -> Institution:
    access_letters(actor)
    institution = Institution.objects.filter(pk=pk).first()
    if institution is None:
        raise NotFound()
    return institution
