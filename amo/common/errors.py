"""Stable error codes shared by every app, and the exception that carries them.

Clients (pages, API) read the code; the message is its translated label.
"""

from django.db import models
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


class DomainError(Exception):
    """A refused operation, with a stable code and, optionally, field-level details."""

    def __init__(
        self,
        code: str,
        message: str | None = None,
        *,
        status: int = 400,
        fields: dict[str, list[str]] | None = None,
    ) -> None:
        self.code = str(code)
        self._message = message
        self.status = status
        self.fields = fields or {}
        super().__init__(self.code)

    @property
    def message(self) -> str:
        if self._message is not None:
            return str(self._message)
        return str(label_for(self.code))


_LABELS: dict[str, object] = {}


def register_codes(choices: type[models.TextChoices]) -> type[models.TextChoices]:
    """Make an app's codes known to `label_for`, so any layer can translate any code."""
    for value, label in choices.choices:
        _LABELS[value] = label
    return choices


def label_for(code: str) -> object:
    return _LABELS.get(code, code)


class NotFound(DomainError):
    def __init__(self) -> None:
        super().__init__(ErrorCode.NOT_FOUND, status=404)


class Forbidden(DomainError):
    def __init__(self) -> None:
        super().__init__(ErrorCode.FORBIDDEN, status=403)


register_codes(ErrorCode)
