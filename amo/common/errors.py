"""Stable error codes shared by every app, and the exception that carries them.

Clients (pages, API) read the code; the message is its translated label. A code has a kind
(declared next to it, in its app's errors.py; INVALID unless declared): what sort of refusal it
is. Services raise codes only; `amo.common.errorstatus` turns a kind into an HTTP status, for
the API and the pages alike (decision 0002, addendum).
"""

import datetime as dt
from collections.abc import Mapping
from enum import StrEnum

from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _


class ErrorCode(models.TextChoices):
    NOT_FOUND = "not_found", _("This item does not exist or is outside your perimeter.")
    FORBIDDEN = "forbidden", _("You are not allowed to do this.")
    INVALID_INPUT = "invalid_input", _("Some fields are invalid. Please correct them.")
    INVALID_BODY = "invalid_body", _("The request body could not be read: send valid JSON.")
    INVALID_TRANSITION = (
        "invalid_transition",
        _("This action is not possible in the current state."),
    )
    RIB_FORMAT = "rib_format", _("A RIB has exactly 24 digits.")
    RIB_KEY = "rib_key", _("The RIB key is wrong: please check the 24 digits.")
    IBAN_CHECK = "iban_check", _("The IBAN's check digits are wrong: please check the IBAN, or type the 24-digit RIB.")
    CIN_FORMAT = (
        "cin_format",
        _("A CIN is one or two letters followed by one to six digits, e.g. AB123456."),
    )
    MASSAR_FORMAT = (
        "massar_format",
        _("A CNE / Massar code is one letter followed by nine digits, e.g. R130000000."),
    )
    ICE_FORMAT = "ice_format", _("An ICE has 15 digits with a valid check key.")
    PHONE_FORMAT = (
        "phone_format",
        _("Enter a Moroccan phone number: 05, 06 or 07 followed by 8 digits, or +212."),
    )
    EMAIL_FORMAT = "email_format", _("Enter a valid e-mail address.")
    ARABIC_SCRIPT = "arabic_script", _("Write this name in Arabic letters, or leave it empty.")
    AMOUNT_FORMAT = "amount_format", _("Enter an amount in dirhams with at most two decimals.")
    LATIN_SCRIPT = "latin_script", _("Write this name in Latin letters (the Arabic one has its own field).")
    # The words of a form's required field: the page and the API say the same.
    TEXT_REQUIRED = "text_required", _("This field is required.")
    TEXT_TOO_LONG = "text_too_long", _("This text is longer than this field takes.")
    TEXT_CONTROL = (
        "text_control",
        _("This text contains invisible or control characters: type it again without them."),
    )
    FILE_TYPE = "file_type", _("This kind of file cannot be read here.")


class ErrorKind(StrEnum):
    INVALID = "invalid"  # the request itself is wrong: a field, a file
    FORBIDDEN = "forbidden"  # the actor may not do this
    NOT_FOUND = "not_found"  # nothing there, or outside the actor's perimeter
    CONFLICT = "conflict"  # the state of things refuses it now: a transition, a duplicate
    TOO_MANY = "too_many"  # a limit of attempts was reached: try again later
    PENDING = "pending"  # not refused, not ready: the worker is making it (a document); ask again


_KINDS: dict[str, ErrorKind] = {}


def declare_kinds(kinds: Mapping[str, ErrorKind]) -> None:
    """The kind of each code of an app that is not INVALID (called in the app's errors.py)."""
    for code, kind in kinds.items():
        _KINDS[str(code)] = kind


def kind_of(code: str) -> ErrorKind:
    return _KINDS.get(str(code), ErrorKind.INVALID)


class DomainError(Exception):
    """A refused operation, with a stable code and, optionally, field-level details. Its kind
    (and so the HTTP status a page or the API answers) follows from the code."""

    def __init__(
        self,
        code: str,
        message: str | None = None,
        *,
        fields: dict[str, list[str]] | None = None,
        details: Mapping[str, Mapping[str, object]] | None = None,
    ) -> None:
        self.code = str(code)
        self._message = message
        self.fields = fields or {}
        # Per code, the values its detailed message names (register_detail): the age limit and
        # its reference date, say. A code without details is said by its label.
        self.details = {str(c): dict(values) for c, values in (details or {}).items()}
        super().__init__(self.code)

    @property
    def kind(self) -> ErrorKind:
        return kind_of(self.code)

    @property
    def message(self) -> str:
        if self._message is not None:
            return str(self._message)
        return self.message_of(self.code)

    def message_of(self, code: str) -> str:
        """The translated message of one of this error's codes, with its details when it has some."""
        return message_for(code, self.details.get(str(code)))


_LABELS: dict[str, object] = {}


def register_codes(choices: type[models.TextChoices]) -> type[models.TextChoices]:
    """Make an app's codes known to `label_for`, so any layer can translate any code."""
    for value, label in choices.choices:
        _LABELS[value] = label
    return choices


def label_for(code: str) -> object:
    return _LABELS.get(code, code)


_DETAILED: dict[str, object] = {}


def register_detail(code: str, template: object) -> None:
    """A code's message that names the values of the case (`%(name)s` placeholders, translated
    like any message): said when the error carries those values, the plain label otherwise."""
    _DETAILED[str(code)] = template


def shown(value: object) -> str:
    """A detail as the reader's language writes it: a date in words ("1 September 2026", with
    Morocco's month names in Arabic, common.months), anything else as text."""
    if isinstance(value, dt.date):
        return date_format(value, "j F Y")
    return str(value)


def message_for(code: str, details: Mapping[str, object] | None = None) -> str:
    """The translated message of a code, naming its details when it has a detailed message and
    every value that message names is given."""
    template = _DETAILED.get(str(code))
    if details and template is not None:
        try:
            return str(template) % {name: shown(value) for name, value in details.items()}
        except (KeyError, TypeError, ValueError):  # a value the message names is missing
            pass
    return str(label_for(code))


class NotFound(DomainError):
    def __init__(self) -> None:
        super().__init__(ErrorCode.NOT_FOUND)


class Forbidden(DomainError):
    def __init__(self) -> None:
        super().__init__(ErrorCode.FORBIDDEN)


register_codes(ErrorCode)
declare_kinds(
    {
        ErrorCode.NOT_FOUND: ErrorKind.NOT_FOUND,
        ErrorCode.FORBIDDEN: ErrorKind.FORBIDDEN,
        ErrorCode.INVALID_TRANSITION: ErrorKind.CONFLICT,
    }
)
