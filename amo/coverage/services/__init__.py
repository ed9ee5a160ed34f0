"""Writes of coverage, one module per concern (decision record 0013): lifecycle (rights opened,
suspended, under notice, closed, expired), certificates (and the students' announcements),
publications, lookup (its log), handover. Reads are in coverage.selectors. The writes are
named here too, so a caller says `services.rights_close` whatever module holds it."""

from amo.coverage.services.certificates import certificate_document, certificate_issue, students_notify
from amo.coverage.services.handover import handover_export
from amo.coverage.services.letters import (
    letter_record,
    letters_document,
    letters_mark_sent,
    letters_prepare,
    letters_render,
)
from amo.coverage.services.lifecycle import (
    rights_close,
    rights_daily,
    rights_follow_contributions,
    rights_notice,
    rights_open_for_batch,
    rights_proof_received,
    rights_report_other_coverage,
    rights_student_reports_coverage,
    rights_studies_stopped,
    rights_suspend_or_resume,
)
from amo.coverage.services.lookup import LOOKUP_LOG_RETENTION_DAYS, lookup_log_purge, rights_lookup_logged
from amo.coverage.services.publications import after_batch_now, publications_create

__all__ = [
    "LOOKUP_LOG_RETENTION_DAYS",
    "after_batch_now",
    "certificate_document",
    "certificate_issue",
    "handover_export",
    "letter_record",
    "letters_document",
    "letters_mark_sent",
    "letters_prepare",
    "letters_render",
    "lookup_log_purge",
    "publications_create",
    "rights_close",
    "rights_daily",
    "rights_follow_contributions",
    "rights_lookup_logged",
    "rights_notice",
    "rights_open_for_batch",
    "rights_proof_received",
    "rights_report_other_coverage",
    "rights_student_reports_coverage",
    "rights_studies_stopped",
    "rights_suspend_or_resume",
    "students_notify",
]
