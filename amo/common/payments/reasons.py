"""Why a bank rejected a transfer: the ISO 20022 external status reason codes a status report
(pain.002) or a return carries, with their labels in the reader's language.

The codes are ISO's (ExternalStatusReason1Code, the external code list of iso20022.org); the
ones listed here are those banks return for a credit transfer. A code not listed is shown as
the bank gave it, never dropped.
"""

from django.db import models
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class BankReason(models.TextChoices):
    AC01 = "AC01", _("Incorrect account number: the RIB does not exist at this bank.")
    AC03 = "AC03", _("Invalid creditor account number.")
    AC04 = "AC04", _("Closed account: the bank account has been closed.")
    AC06 = "AC06", _("Blocked account: the bank account is blocked.")
    AG01 = "AG01", _("Transaction forbidden on this kind of account.")
    AG02 = "AG02", _("Invalid bank operation code.")
    AM01 = "AM01", _("Zero amount.")
    AM02 = "AM02", _("Amount not allowed.")
    AM04 = "AM04", _("Insufficient funds on the payer's account.")
    AM05 = "AM05", _("Duplicate transfer.")
    AM09 = "AM09", _("Wrong amount.")
    BE01 = "BE01", _("The account holder's name does not match the account.")
    BE04 = "BE04", _("Missing creditor address.")
    CNOR = "CNOR", _("The payee's bank is not registered for this payment system.")
    DT01 = "DT01", _("Invalid date.")
    DUPL = "DUPL", _("Duplicate payment.")
    FF01 = "FF01", _("Invalid file format.")
    MD07 = "MD07", _("The account holder is deceased.")
    MS02 = "MS02", _("Refused by the payee, reason not specified.")
    MS03 = "MS03", _("Refused by the bank, reason not specified.")
    NARR = "NARR", _("Reason given in the bank's text.")
    RC01 = "RC01", _("Incorrect bank identifier.")
    RR01 = "RR01", _("Missing debtor account or identification (regulatory).")
    RR02 = "RR02", _("Missing debtor name or address (regulatory).")
    RR03 = "RR03", _("Missing creditor name or address (regulatory).")
    RR04 = "RR04", _("Regulatory reason.")
    TM01 = "TM01", _("Received after the bank's cut-off time.")


# Rejections the student can remedy by giving another RIB (the others are CNOPS's or the bank's).
RIB_TO_CORRECT = frozenset(
    {BankReason.AC01, BankReason.AC03, BankReason.AC04, BankReason.AC06, BankReason.BE01, BankReason.RC01}
)


def reason_label(code: str, language: str | None = None) -> str:
    """The label of a bank's reason code in `language` (the active one when None); a code not in
    the list is named as the bank gave it."""
    with translation.override(language or translation.get_language()):
        if code in BankReason.values:
            return str(BankReason(code).label)
        if not code:
            return gettext("No reason given by the bank.")
        return gettext("Reason %(code)s given by the bank.") % {"code": code}


def rib_to_correct(code: str) -> bool:
    return code in RIB_TO_CORRECT
