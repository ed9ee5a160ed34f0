"""The statement (décompte) of a confirmed care file: a bilingual PDF made by the worker after
the commit, e-mailed through the outbox in the student's language first."""

from functools import partial
from typing import Any

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from amo.claims.errors import LineReason
from amo.claims.models import CareFile
from amo.common.errors import DomainError
from amo.documents.errors import DocumentError
from amo.documents.services import both_languages, document_issue
from amo.notifications.services import email_queue

# The reasons the statement prints are registered codes (their labels in both languages).
REASONS = LineReason


def statement_schedule(care_file: CareFile) -> None:
    """After the commit, the worker issues the statement and e-mails it."""
    from amo.claims.tasks import statement_task

    pk = care_file.pk
    transaction.on_commit(lambda: statement_task.enqueue(pk))


def _title(number: str) -> str:
    return f"{_('Statement of care file')} {number}"


def statement_issue(*, care_file_id: int) -> Any:
    """Issue the statement of the file's current liquidation (a re-run issues a new one) and
    e-mail it to the student."""
    with transaction.atomic():
        care_file = (
            CareFile.objects.select_for_update(of=("self",))
            .select_related("student__user", "deposit_point")
            .get(pk=care_file_id)
        )
        student = care_file.student
        with translation.override("fr"):
            document = document_issue(
                kind="care_statement",
                template="claims/statement.html",
                context={
                    "file": care_file,
                    "student": student,
                    "lines": list(care_file.lines.order_by("act_on", "pk")),
                },
                title=both_languages(partial(_title, care_file.number)),
                holder=f"{student.last_name} {student.first_name}",
                obj=care_file,
            )
        care_file.statement = document
        care_file.save(update_fields=["statement"])
        if student.email:
            language = getattr(student.user, "preferred_language", None) or "fr"
            email_queue(
                to=student.email,
                template="claims/email/statement",
                context={"file": care_file, "student": student, "lines": list(care_file.lines.all())},
                language=language,
                attachment=document,
            )
    return document


def statement_document(*, care_file: CareFile) -> Any:
    """The statement to download: 202 "being prepared" until the worker has issued it."""
    if care_file.statement_id:
        return care_file.statement
    raise DomainError(DocumentError.PENDING)


# The words the bilingual PDFs print in both languages (claims/_bi.html translates them by name).
PDF_LABELS = (
    gettext_noop("Student"),
    gettext_noop("Document number"),
    gettext_noop("Kind of file"),
    gettext_noop("Deposited on"),
    gettext_noop("Act date"),
    gettext_noop("Act or drug"),
    gettext_noop("Paid"),
    gettext_noop("Base"),
    gettext_noop("Rate"),
    gettext_noop("Reimbursed"),
    gettext_noop("Reason"),
    gettext_noop("Total"),
    gettext_noop("Date of the first act"),
    gettext_noop("Amount declared"),
    gettext_noop("Deposit before"),
    gettext_noop("File number"),
    gettext_noop("Deposit point"),
    gettext_noop("Files"),
    gettext_noop("Total declared"),
)
