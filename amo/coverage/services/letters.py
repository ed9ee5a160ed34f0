"""Letters for the students without an e-mail address (issue 13, rule 4): recorded when their rights
open or a closure notice is issued, printed by CNOPS per institution (one PDF made by the worker,
decision 0012), then marked sent."""

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import translation

from amo.accounts.actors import ActingUser
from amo.common import clock
from amo.common.errors import DomainError
from amo.common.services import audit_record
from amo.coverage.errors import CoverageError as E
from amo.coverage.models import Letter, LetterKind, RightsPeriod
from amo.documents.errors import DocumentError
from amo.documents.services import document_issue
from amo.organisations.models import Institution
from amo.referentials.selectors import parameter_text


def letter_record(*, period: RightsPeriod, kind: str) -> Letter | None:
    """A letter for this event when the student has no e-mail address (they would never be told
    otherwise); None when the e-mail tells them."""
    student = period.insured.student
    if student.email:
        return None
    return Letter.objects.create(
        kind=kind,
        period=period,
        student=student,
        institution_id=period.institution_id,
        notice_until=period.notice_until if kind == LetterKind.CLOSURE_NOTICE else None,
    )


def _waiting(institution_id: int) -> QuerySet[Letter]:
    return Letter.objects.filter(institution_id=institution_id, printed_at__isnull=True)


def letters_render(*, institution_id: int) -> Any:
    """The worker's part: one PDF of every letter waiting for the institution (one a page), kept as a
    document that each of them points to. Nothing to do when none waits without its PDF."""
    with transaction.atomic():
        letters = list(
            _waiting(institution_id)
            .select_for_update(of=("self",))
            .select_related("student", "period__insured", "period__academic_year", "institution")
            .order_by("student__last_name", "student__first_name", "id")
        )
        if not letters or all(letter.document_id for letter in letters):
            return None
        institution = letters[0].institution
        today = clock.today()
        with translation.override("fr"):
            document = document_issue(
                kind="student_letters",
                template="coverage/letters_pdf.html",
                context={
                    "letters": letters,
                    "institution": institution,
                    "managing_body": parameter_text("managing_body", today),
                    "address_fr": parameter_text("cnops_postal_address", today),
                    "address_ar": parameter_text("cnops_postal_address_ar", today),
                    "today": today,
                },
                title=f"Lettres / رسائل {institution.code} ({len(letters)})",
                holder=institution.name_fr,
                obj=institution,
            )
        Letter.objects.filter(pk__in=[letter.pk for letter in letters]).update(document=document)
        return document


def letters_prepare(*, institution: Institution) -> int:
    """Ask the worker for the PDF of the institution's waiting letters that are in no PDF yet (it
    takes every waiting letter, one a page); returns how many letters it will add."""
    from amo.coverage.tasks import letters_render_task

    missing = _waiting(institution.pk).filter(document__isnull=True).count()
    if missing:
        institution_id = institution.pk
        transaction.on_commit(lambda: letters_render_task.enqueue(institution_id))
    return missing


def letters_document(*, institution: Institution) -> Any:
    """The PDF of the letters waiting for an institution; 202 "being prepared" while some waiting
    letter is in no PDF yet (decision 0012: the worker renders it, a GET writes nothing)."""
    letters = _waiting(institution.pk)
    if not letters.exists():
        raise DomainError(E.NO_LETTER)
    if letters.filter(document__isnull=True).exists():
        raise DomainError(DocumentError.PENDING)
    latest = letters.select_related("document").order_by("-document_id").first()
    if latest is None or latest.document is None:  # printed meanwhile
        raise DomainError(E.NO_LETTER)
    return latest.document


@transaction.atomic
def letters_mark_sent(*, actor: ActingUser, institution: Institution) -> int:
    """CNOPS printed and posted the institution's PDF: its letters stop waiting (audited). Only the
    letters in a printed PDF are marked; a second click marks nothing (idempotent) and says so."""
    letters = list(
        _waiting(institution.pk).filter(document__isnull=False).select_for_update().values_list("pk", flat=True)
    )
    if not letters:
        return 0
    now = clock.now()
    Letter.objects.filter(pk__in=letters).update(printed_at=now)
    audit_record(
        actor=actor,
        action="letters_sent",
        obj=institution,
        before={"waiting": len(letters)},
        after={"printed_at": now.isoformat()},
        reason=f"{len(letters)} letters",
    )
    return len(letters)
