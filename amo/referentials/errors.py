from django.db import models
from django.utils.translation import gettext_lazy as _

from amo.common.errors import ErrorKind, declare_kinds, register_codes


@register_codes
class ReferentialError(models.TextChoices):
    UNKNOWN = "parameter_unknown", _("This parameter does not exist.")
    INVALID = "parameter_invalid", _("This value does not have the parameter's type.")
    NOT_POSITIVE = "parameter_not_positive", _("The value must be a positive number.")
    NOT_A_CHOICE = "parameter_not_a_choice", _("The value is not one of the allowed choices.")
    BEFORE_LATEST = (
        "parameter_before_latest",
        _("A new value must start after the start of the latest value."),
    )
    MISSING = "parameter_missing", _("No value of this parameter is in force on that date.")
    # Law 54.23: after the regime's end date nothing new enters it (registration, list, due, batch).
    REGIME_ENDED = (
        "regime_ended",
        _(
            "The students' health insurance has ended (law 54.23): nothing new is accepted after its end "
            "date. A student is now covered as a dependant through a parent's AMO, up to the age limit, or "
            "through AMO-Tadamon where the State paid the contribution; the managing body says which."
        ),
    )


declare_kinds({ReferentialError.REGIME_ENDED: ErrorKind.CONFLICT})


@register_codes
class DrugListError(models.TextChoices):
    """Why a row of a drug file was not taken, or the whole file refused (nothing loaded)."""

    CODE_MISSING = "drug_code_missing", _("The row has no drug code.")
    NAME_MISSING = "drug_name_missing", _("The row has no drug name.")
    NO_PRICE = "drug_no_price", _("The row has no public price (PPV).")
    PRICE_INVALID = "drug_price_invalid", _("A price of the row is not an amount in dirhams.")
    BASE_ABOVE_PRICE = (
        "drug_base_above_price",
        _("The reimbursement base (PBR) is above the public price (PPV)."),
    )
    KIND_INVALID = "drug_kind_invalid", _("The type is neither princeps nor generic.")
    CODE_REPEATED = (
        "drug_code_repeated",
        _("This code is already on an earlier row of the file: the first one is kept."),
    )
    NO_COLUMNS = (
        "drug_columns_missing",
        _("The file needs at least the columns code, name and PPV."),
    )
    EMPTY = "drug_list_empty", _("No row of the file could be taken: nothing was loaded.")
    NOT_AFTER_LATEST = (
        "drug_list_before_latest",
        _("A new drug list must start after the start of the list in force."),
    )
    UNREADABLE = "drug_file_unreadable", _("The file could not be read: send a CSV, XLSX or JSON file.")


declare_kinds({DrugListError.NOT_AFTER_LATEST: ErrorKind.CONFLICT})
