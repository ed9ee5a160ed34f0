from django.db import models
from django.utils.translation import gettext_lazy as _

from amo.common.errors import ErrorKind, declare_kinds, register_codes


@register_codes
class ApprovalError(models.TextChoices):
    NOT_INSURED = (
        "approval_not_insured",
        _("No student insured by CNOPS has this document number: check the CIN with the student."),
    )
    NOT_COVERED = (
        "approval_not_covered",
        _("This student's rights are not open on the planned date: the request cannot be sent."),
    )
    DATES_PAST = "approval_dates_past", _("The planned dates cannot be in the past.")
    DATES_REVERSED = "approval_dates_reversed", _("The end of the planned care comes before its start.")
    UNKNOWN_ICD10 = "approval_unknown_icd10", _("This ICD-10 code does not exist: write it as N18.5 or N18.")
    UNKNOWN_KIND = "approval_unknown_kind", _("This kind of request does not exist.")
    ACTS_FORMAT = (
        "approval_acts_format",
        _("Write one planned act a line: a code, a space, the quantity (for example K 50 or CS 2)."),
    )
    AMOUNT = "approval_amount", _("Enter an amount in dirhams greater than zero.")
    FILE_EMPTY = "approval_file_empty", _("This file is empty.")
    FILE_TOO_BIG = "approval_file_too_big", _("This file is too large: at most 10 MB.")
    FILE_MISMATCH = (
        "approval_file_mismatch",
        _("This file's content is not what its name says: send a PDF, a PNG or a JPEG image."),
    )
    FILE_TOO_MANY = "approval_file_too_many", _("At most 10 attachments per request.")
    HELD_BY_OTHER = "approval_held_by_other", _("Another medical controller holds this request.")
    NOT_HELD = "approval_not_held", _("You do not hold this request.")
    ALREADY_DECIDED = "approval_already_decided", _("This request has already been decided.")
    SAME_CONTROLLER = (
        "approval_same_controller",
        _("A second medical controller must confirm this agreement, not the one who decided it."),
    )
    INFORMATION_WITHDRAWN = (
        "approval_information_withdrawn",
        _("This request for information was withdrawn: there is nothing to answer."),
    )
    NO_ROUTE = "approval_no_route", _("No CNOPS office decides this request: ask CNOPS to complete its routing rules.")
    CEILING = "approval_ceiling", _("An agreement needs a ceiling amount greater than zero.")
    VALIDITY = "approval_validity", _("The validity period's end comes before its start.")
    REASON_REQUIRED = "approval_reason_required", _("Choose the reason of the refusal.")
    QUESTION_REQUIRED = "approval_question_required", _("Write the information you need.")
    ANSWER_REQUIRED = "approval_answer_required", _("Write your answer or attach a document.")


declare_kinds(
    {
        ApprovalError.HELD_BY_OTHER: ErrorKind.CONFLICT,
        ApprovalError.NOT_HELD: ErrorKind.CONFLICT,
        ApprovalError.ALREADY_DECIDED: ErrorKind.CONFLICT,
        ApprovalError.SAME_CONTROLLER: ErrorKind.CONFLICT,
        ApprovalError.INFORMATION_WITHDRAWN: ErrorKind.CONFLICT,
        ApprovalError.NO_ROUTE: ErrorKind.CONFLICT,
    }
)
