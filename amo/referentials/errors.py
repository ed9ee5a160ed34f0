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
