"""The coverage certificate and the announcement of each student's verdict (rights opened with
the certificate, or refused with the reason)."""

from functools import partial
from typing import Any

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from amo.common.errors import DomainError
from amo.coverage import selectors
from amo.coverage.models import LetterKind, RightsPeriod
from amo.coverage.services.letters import letter_record
from amo.documents.errors import DocumentError
from amo.documents.services import both_languages, document_issue
from amo.eligibility.models import Verdict
from amo.enrollment.services import notify_student
from amo.notifications.services import email_queue


def _certificate_title(number: str) -> str:
    return f"{_('Coverage certificate')} {number}"


def certificate_document(*, period: RightsPeriod) -> Any:
    """The certificate to download (pages, API): issued by the worker after the batch, never on a
    request (a GET writes nothing); until then the answer is 202 "being prepared"."""
    if period.certificate_id:
        return period.certificate
    raise DomainError(DocumentError.PENDING)


def certificate_issue(*, period: RightsPeriod) -> Any:
    """The coverage certificate (bilingual PDF with its verification code), issued once."""
    if period.certificate_id:
        return period.certificate
    with transaction.atomic():
        period = (
            RightsPeriod.objects.select_for_update(of=("self",))
            .select_related("insured__student", "institution", "academic_year", "legal_entity", "certificate")
            .get(pk=period.pk)
        )
        if period.certificate_id:  # issued meanwhile by another request or the worker
            return period.certificate
        return _certificate_render(period)


def _certificate_render(period: RightsPeriod) -> Any:
    student = period.insured.student
    with translation.override("fr"):
        period.certificate = document_issue(
            kind="coverage_certificate",
            template="coverage/certificate.html",
            context={"period": period, "student": student, "insured": period.insured},
            title=both_languages(partial(_certificate_title, period.insured.number)),
            holder=f"{student.last_name} {student.first_name}",
            obj=period,
        )
    period.save(update_fields=["certificate"])
    return period.certificate


class _Detail:
    """A reason rendered lazily, in the language the e-mail is written in."""

    def __init__(self, reason: str, scheme: str) -> None:
        self.reason, self.scheme = reason, scheme

    def __str__(self) -> str:
        return selectors.reason_label(self.reason, self.scheme)


def students_notify(*, batch_id: int, chunk: int = 200) -> int:
    """E-mail each student of an applied batch: rights opened (French and Arabic, with the
    certificate) or refused with the reason. Each verdict is claimed before its e-mail is
    written, in the same transaction, so two workers never announce it twice; a student whose
    certificate fails is logged and left for the next run, the others go on."""
    import logging

    done, last = 0, 0
    while True:
        verdicts = list(
            Verdict.objects.filter(batch_id=batch_id, notified=False, entry_id__gt=last)
            .select_related("entry__request__student__user", "entry__request__academic_year")
            .order_by("entry_id")[:chunk]
        )
        if not verdicts:
            return done
        for verdict in verdicts:
            last = verdict.entry_id
            try:
                with transaction.atomic():
                    if not Verdict.objects.filter(pk=verdict.pk, notified=False).update(notified=True):
                        continue  # another worker announced it
                    _announce(verdict)
            except Exception:  # one student's failure must not stop the batch's other e-mails
                logging.getLogger(__name__).exception("verdict %s not announced", verdict.pk)
                continue
            done += 1


def _announce(verdict: Verdict) -> None:
    request = verdict.entry.request
    if verdict.outcome != "accepted":
        notify_student(request, detail=_Detail(verdict.reason, verdict.scheme))
        return
    period = RightsPeriod.objects.filter(request=request).first()
    if period is None:
        return
    document = certificate_issue(period=period)
    # Without an e-mail address the student is told by a letter CNOPS prints (issue 13, rule 4).
    letter_record(period=period, kind=LetterKind.RIGHTS_OPENED)
    if request.student.email:
        email_queue(
            to=request.student.email,
            template="coverage/email/rights_opened",
            context={"period": period, "student": request.student, "insured": period.insured},
            # Both languages, the student's own first (the language they chose on their account).
            language=getattr(request.student.user, "preferred_language", None) or "fr",
            attachment=document,
        )
