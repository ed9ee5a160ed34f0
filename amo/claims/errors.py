from django.db import models
from django.utils.translation import gettext_lazy as _

from amo.common.errors import ErrorKind, declare_kinds, register_codes


@register_codes
class LineReason(models.TextChoices):
    """Why a line is reimbursed nothing (its stable reason code, shown on the statement)."""

    TIME_BARRED = "time_barred", _("Time-barred: deposited more than the deadline after the first act.")
    NO_RIGHTS = "no_rights_on_act_date", _("No rights on the date of the act.")
    DUPLICATE = "duplicate_line", _("Same act or drug, same day, same practitioner: already claimed.")
    UNKNOWN_KEY = "unknown_key", _("This letter key has no value in force on the act's date.")
    UNKNOWN_DRUG = "unknown_drug", _("This drug is not on the list in force on the act's date.")
    DRUG_NOT_REIMBURSABLE = "drug_not_reimbursable", _("This drug is not reimbursable.")
    COEFFICIENT = "coefficient_out_of_range", _("The coefficient is outside the bounds of the letter key.")
    MISSING_DOCUMENT = "missing_document", _("The care form is missing.")
    MISSING_PRESCRIPTION = "missing_prescription", _("The prescription is missing.")
    AGREEMENT_REQUIRED = "agreement_required", _("A prior agreement of medical control is required.")
    ALD_EXEMPTION_REQUIRED = (
        "ald_exemption_required",
        _("An exemption for the long-term disease is required."),
    )
    NO_RATE = "no_rate", _("No reimbursement rate is in force for this care on the act's date.")


@register_codes
class ClaimError(models.TextChoices):
    FIRST_ACT_IN_FUTURE = "first_act_in_future", _("The first act cannot be in the future.")
    ACT_IN_FUTURE = "act_in_future", _("The act date cannot be in the future.")
    ACT_BEFORE_FIRST = "act_before_first_act", _("The act date is before the file's first act.")
    AMOUNT = "amount_out_of_bounds", _("Enter an amount above zero and within what care can cost.")
    LETTER_REQUIRED = "letter_required", _("Enter the act's letter key (C, CS, K…).")
    COEFFICIENT_INVALID = "coefficient_invalid", _("Enter a coefficient above zero and at most 1,000.")
    DRUG_CODE_REQUIRED = "drug_code_required", _("Enter the drug's code.")
    QUANTITY_INVALID = "quantity_invalid", _("Enter a quantity between 1 and 100.")
    INPE_FORMAT = "inpe_format", _("An INPE is 5 to 20 digits.")
    UNKNOWN_DRUG_CODE = "drug_code_unknown", _("No drug has this code on the list in force on the act's date.")
    UNKNOWN_LETTER = "letter_unknown", _("No letter key has this name on the act's date.")
    LINE_REPEATED = "line_repeated", _("This line is already on the file.")
    FILE_NOT_FOUND = "care_file_not_found", _("No care file has this number, or it is not deposited here.")
    STUDENT_NOT_FOUND = "care_student_not_found", _("No insured student has this document number.")
    NOT_INSURED = "not_insured_on_first_act", _("The student had no rights on the date of the first act.")
    WRONG_DEPOSIT_POINT = (
        "wrong_deposit_point",
        _("This student's files are deposited elsewhere (their channel's deposit point)."),
    )
    ALREADY_ON_SLIP = "file_already_on_slip", _("This file is already on a transmittal slip.")
    NOT_DEPOSITED = "file_not_deposited", _("Only deposited files can be put on a slip.")
    EMPTY_SLIP = "slip_empty", _("Choose at least one deposited file for the slip.")
    SLIP_NOT_SENT = "slip_not_sent", _("This slip has not been sent yet.")
    NOT_RECEIVED = "file_not_received", _("CNOPS has not received this file yet.")
    NO_LINES = "file_no_lines", _("Enter the file's lines before liquidating it.")
    ALREADY_PAID = "file_already_paid", _("This file is paid: it cannot be liquidated again.")
    NOT_LIQUIDATED = "file_not_liquidated", _("This file is not liquidated.")
    SAME_AGENT = "confirm_same_agent", _("A second agent confirms: not the one who liquidated the file.")
    NOT_STUDENT = "care_not_student", _("Only a registered student pre-declares a care file.")


declare_kinds(
    {
        ClaimError.FILE_NOT_FOUND: ErrorKind.NOT_FOUND,
        ClaimError.STUDENT_NOT_FOUND: ErrorKind.NOT_FOUND,
        ClaimError.NOT_INSURED: ErrorKind.CONFLICT,
        ClaimError.WRONG_DEPOSIT_POINT: ErrorKind.CONFLICT,
        ClaimError.ALREADY_ON_SLIP: ErrorKind.CONFLICT,
        ClaimError.NOT_DEPOSITED: ErrorKind.CONFLICT,
        ClaimError.SLIP_NOT_SENT: ErrorKind.CONFLICT,
        ClaimError.NOT_RECEIVED: ErrorKind.CONFLICT,
        ClaimError.NO_LINES: ErrorKind.CONFLICT,
        ClaimError.ALREADY_PAID: ErrorKind.CONFLICT,
        ClaimError.NOT_LIQUIDATED: ErrorKind.CONFLICT,
        ClaimError.SAME_AGENT: ErrorKind.CONFLICT,
        ClaimError.LINE_REPEATED: ErrorKind.CONFLICT,
        ClaimError.NOT_STUDENT: ErrorKind.FORBIDDEN,
    }
)
