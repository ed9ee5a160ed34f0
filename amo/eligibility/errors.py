from django.db import models
from django.utils.translation import gettext_lazy as _

from amo.common.errors import ErrorKind, declare_kinds, register_codes


@register_codes
class EligibilityError(models.TextChoices):
    FILE_TWICE = "file_already_applied", _("This file was already applied: nothing changed.")
    LAYOUT = "exchange_layout", _("The file's columns are not those of the documented format.")
    UNREADABLE = "exchange_unreadable", _("The file could not be read: send a CSV file in UTF-8.")
    NO_ROWS = "exchange_no_rows", _("The file has its header but no lines: nothing was applied.")
    FILE_ERRORS = "exchange_file_errors", _("The file has errors: nothing was applied. See the report per line.")
    TRUNCATED = "line_truncated", _("Line truncated: columns missing")
    ID_NUMBER = "line_id_number", _("Document number missing or malformed")
    DATE = "line_date", _("Date missing or not understood")
    DATES_ORDER = "line_dates_order", _("The end date is before the start date")
    SCHEME = "line_scheme", _("Unknown scheme")
    ROLE = "line_role", _("Unknown coverage role (insured or dependant)")
    ACTION = "line_action", _("Unknown action (upsert or end)")
    DUPLICATE = "line_duplicate", _("The same person, scheme and role appear twice in the file")
    FULL_WITH_END = "line_end_in_full_load", _("A full load only lists coverages: no 'end' action")
    UNKNOWN_ENTRY = "verdict_unknown_entry", _("Verdict for a student who was never sent in this batch")
    VERDICT_TWICE = "verdict_duplicate", _("Two verdicts for the same student")
    VERDICT_OUTCOME = "verdict_outcome", _("Unknown outcome (accepted or refused)")
    VERDICT_REASON = "verdict_reason", _("Unknown or missing reason code")
    VERDICT_SCHEME = "verdict_scheme", _("The scheme is given only, and always, for a student covered elsewhere")
    VERDICT_MISSING = "verdict_incomplete", _("Some students of the batch have no verdict: nothing was applied.")
    BATCH_ANSWERED = "batch_already_answered", _("This batch is already answered.")
    NOTHING_TO_SEND = (
        "nothing_to_send",
        _("No student to send: the certified lists have no student whose contribution is received or exempt."),
    )
    LOAD_KIND = "registry_load_kind", _("Say whether the file is a full load or an incremental update.")
    NOT_RECHECKABLE = "not_recheckable", _("Only a student refused after the ANAM check can be sent again.")


# The codes that are not INVALID (400): what sort of refusal each one is.
declare_kinds(
    {
        EligibilityError.FILE_TWICE: ErrorKind.CONFLICT,
        EligibilityError.BATCH_ANSWERED: ErrorKind.CONFLICT,
        EligibilityError.NOTHING_TO_SEND: ErrorKind.CONFLICT,
        EligibilityError.NOT_RECHECKABLE: ErrorKind.CONFLICT,
    }
)
