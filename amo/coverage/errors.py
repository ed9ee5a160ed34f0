from django.db import models
from django.utils.translation import gettext_lazy as _

from amo.common.errors import ErrorKind, declare_kinds, register_codes


@register_codes
class CoverageError(models.TextChoices):
    NOT_OPEN = "rights_not_open", _("These rights are not open: nothing to suspend or close.")
    NO_NOTICE = "rights_no_notice", _("No closure notice is pending for these rights.")
    NO_LETTER = "letters_none_waiting", _("No letter waits for this institution: they were all printed and sent.")
    LOOKUP_ID = (
        "lookup_id_number",
        _(
            "Enter a whole document number: a CIN such as AB123456, or the number of a residence "
            "card or a passport (5 to 20 letters and digits)."
        ),
    )
    LOOKUP_RATE = (
        "lookup_rate_limited",
        _("Too many lookups in a short time: wait a minute, then look up again."),
    )


# The codes that are not INVALID (400): what sort of refusal each one is.
declare_kinds(
    {
        CoverageError.NOT_OPEN: ErrorKind.CONFLICT,
        CoverageError.NO_NOTICE: ErrorKind.CONFLICT,
        CoverageError.LOOKUP_RATE: ErrorKind.TOO_MANY,
        CoverageError.NO_LETTER: ErrorKind.CONFLICT,
    }
)
