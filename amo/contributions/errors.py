from django.db import models
from django.utils.translation import gettext_lazy as _

from amo.common.errors import ErrorKind, declare_kinds, register_codes


@register_codes
class ContributionError(models.TextChoices):
    TRANSFER_TWICE = "transfer_declared_twice", _("This bank transfer reference is already declared.")
    NO_DUE = "transfer_no_due", _("Choose the students this transfer pays for.")
    DUE_ELSEWHERE = "due_in_another_transfer", _("A student chosen is already in another transfer.")
    DUE_OUTSIDE = (
        "due_outside_entity",
        _("A student chosen is not one of your students with a contribution due this year."),
    )
    AMOUNT_NOT_POSITIVE = "amount_not_positive", _("The amount must be greater than zero.")
    AMOUNT_MISMATCH = "amount_mismatch", _("The amount differs from the sum of the chosen students' contributions.")
    UNKNOWN_STUDENTS = (
        "unknown_students",
        _("Some document numbers of the list are not students of yours with a contribution due."),
    )
    STATEMENT_TWICE = "statement_already_imported", _("This statement was already imported: nothing changed.")
    LAYOUT = (
        "statement_layout",
        _("The statement's layout is not recognised: send the bank's CSV export or a camt.053 file."),
    )
    DATE = "statement_date", _("Booking date missing or not understood")
    AMOUNT = "statement_amount", _("Amount missing or not understood")
    NOT_CREDIT = "statement_not_a_credit", _("Not a credit (zero, negative or a debit): ignored")
    CURRENCY = "statement_currency", _("Currency other than MAD")
    DUPLICATE = "statement_duplicate_credit", _("This credit was already imported")
    ALREADY_DECIDED = "credit_already_decided", _("This credit is already reconciled.")
    TRANSFER_NOT_OPEN = "transfer_not_open", _("This transfer is already received.")


# The codes that are not INVALID (400): what sort of refusal each one is.
declare_kinds(
    {
        ContributionError.STATEMENT_TWICE: ErrorKind.CONFLICT,
        ContributionError.ALREADY_DECIDED: ErrorKind.CONFLICT,
        ContributionError.TRANSFER_NOT_OPEN: ErrorKind.CONFLICT,
    }
)
