"""Codes of a payment file refused before or while it is written, or a return file not read."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from amo.common.errors import register_codes


@register_codes
class PaymentFileError(models.TextChoices):
    AMOUNT_NOT_POSITIVE = "payment_amount_not_positive", _("A transfer's amount must be above zero.")
    AMOUNT_CENTS = "payment_amount_cents", _("A transfer's amount has at most two decimals.")
    AMOUNT_TOO_LARGE = "payment_amount_too_large", _("A transfer's amount is larger than a payment file takes.")
    END_TO_END_ID = (
        "payment_end_to_end_id",
        _("A transfer's reference has 1 to 35 letters, digits or the signs / - ? : ( ) . , ' +."),
    )
    END_TO_END_REPEATED = (
        "payment_end_to_end_repeated",
        _("Two transfers of the same file have the same reference."),
    )
    CREDITOR_NAME = "payment_creditor_name", _("A transfer needs the payee's name.")
    CREDITOR_NAME_CHARSET = (
        "payment_creditor_name_charset",
        _("The payee's name has no Latin form the bank can read: enter it in Latin letters."),
    )
    EMPTY = "payment_file_empty", _("A payment file needs at least one transfer.")
    RETURN_UNREADABLE = (
        "payment_return_unreadable",
        _("This file is not a payment status report (ISO 20022 pain.002) that can be read."),
    )
