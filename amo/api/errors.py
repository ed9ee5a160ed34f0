"""The API's own error codes, and pydantic's validation errors as translated messages.

A 422 keeps pydantic's location of each error (the `fields` keys) and replaces its English
message by a message of ours in the caller's language, chosen by the error's type."""

from typing import Any, get_args

from django.db import models
from django.utils.translation import gettext_lazy as _
from pydantic_core.core_schema import ErrorType

from amo.common.errors import ErrorCode, label_for, register_codes


@register_codes
class ApiError(models.TextChoices):
    UNAUTHENTICATED = "unauthenticated", _("Log in or give a valid API token.")
    INVALID_MULTIPART = (
        "invalid_multipart",
        _("The upload could not be read: send the file as multipart/form-data, with its boundary."),
    )
    JSON_BODY_REQUIRED = (
        "json_body_required",
        _("This operation takes a JSON body: send it with Content-Type: application/json."),
    )
    METHOD_NOT_ALLOWED = "method_not_allowed", _("This method is not allowed on this address.")
    TOO_MANY_REQUESTS = "too_many_requests", _("Too many requests: wait a moment and try again.")


_REQUIRED = ErrorCode.TEXT_REQUIRED.label  # the page says the same
_TEXT = _("Enter text.")
_WHOLE = _("Enter a whole number.")
_NUMBER = _("Enter a number.")
_DATE = _("Enter a date as YYYY-MM-DD.")
_DATETIME = _("Enter a date and time as YYYY-MM-DDTHH:MM:SS.")
_BOOL = _("Answer true or false.")
_LIST = _("Enter a list.")
_OBJECT = _("Enter an object with named fields.")

FIELD_MESSAGES: dict[str, Any] = {
    "missing": _REQUIRED,
    "string_type": _TEXT,
    "string_unicode": _TEXT,
    "string_too_short": _("Enter at least %(min_length)s characters."),
    "string_too_long": _("Enter at most %(max_length)s characters."),
    "string_pattern_mismatch": _("This value does not have the expected format."),
    "int_type": _WHOLE,
    "int_parsing": _WHOLE,
    "int_parsing_size": _WHOLE,
    "int_from_float": _WHOLE,
    "float_type": _NUMBER,
    "float_parsing": _NUMBER,
    "finite_number": _NUMBER,
    "decimal_type": _NUMBER,
    "decimal_parsing": _NUMBER,
    "decimal_max_digits": _("Enter a number of at most %(max_digits)s digits."),
    "decimal_max_places": _("Enter a number with at most %(decimal_places)s decimals."),
    "decimal_whole_digits": _("Enter a number of at most %(whole_digits)s digits before the decimal point."),
    "greater_than": _("Enter a value greater than %(gt)s."),
    "greater_than_equal": _("Enter a value greater than or equal to %(ge)s."),
    "less_than": _("Enter a value less than %(lt)s."),
    "less_than_equal": _("Enter a value less than or equal to %(le)s."),
    "bool_type": _BOOL,
    "bool_parsing": _BOOL,
    "date_type": _DATE,
    "date_parsing": _DATE,
    "date_from_datetime_parsing": _DATE,
    "date_from_datetime_inexact": _DATE,
    "datetime_type": _DATETIME,
    "datetime_parsing": _DATETIME,
    "datetime_from_date_parsing": _DATETIME,
    "enum": _("Choose one of: %(expected)s."),
    "literal_error": _("Choose one of: %(expected)s."),
    "list_type": _LIST,
    "too_short": _("Give at least %(min_length)s items."),
    "too_long": _("Give at most %(max_length)s items."),
    "dict_type": _OBJECT,
    "model_type": _OBJECT,
    "model_attributes_type": _OBJECT,
    "json_invalid": ErrorCode.INVALID_BODY.label,
    "json_type": ErrorCode.INVALID_BODY.label,
}
INVALID_VALUE = _("This value is invalid.")
PYDANTIC_TYPES = frozenset(get_args(ErrorType))  # pydantic's own error types, whose messages are English


def field_message(error: dict[str, Any]) -> str:
    """One pydantic error as a message in the active language."""
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind in ("value_error", "assertion_error") and "error" in ctx:
        # a validator of ours: its message is a code of ours, or already a translated text
        return str(label_for(str(ctx["error"])))
    message = FIELD_MESSAGES.get(kind)
    if message is None and kind not in PYDANTIC_TYPES:
        return str(error.get("msg", INVALID_VALUE))  # a rule of ours with its own translated message
    if message is None:
        return str(INVALID_VALUE)
    try:
        values = {key: str(value) for key, value in ctx.items()}
        if "expected" in values:  # pydantic lists the choices in English: "'a', 'b' or 'c'"
            values["expected"] = values["expected"].replace(" or ", ", ")
        return str(message) % values
    except (KeyError, ValueError, TypeError):
        return str(INVALID_VALUE)
