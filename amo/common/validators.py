"""Form validators and API schema types wrapping the pure checks of identifiers, texts and
uploaded files, with translated messages."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from pydantic import AfterValidator, GetCoreSchemaHandler, GetJsonSchemaHandler, WithJsonSchema
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError, core_schema

from amo.common import identifiers
from amo.common.errors import DomainError, ErrorCode, label_for
from amo.common.textrules import EMAIL_MAX_LENGTH, TextRule, email_problem, text_problem


def _wrap(normalise: Callable[[str], str]) -> Callable[[str], None]:
    def validate(value: str) -> None:
        try:
            normalise(value)
        except identifiers.InvalidIdentifier as exc:
            raise ValidationError(str(label_for(exc.code)), code=exc.code) from exc

    validate.__name__ = f"validate_{normalise.__name__.removeprefix('normalise_')}"
    return validate


validate_rib = _wrap(identifiers.normalise_rib)
validate_cin = _wrap(identifiers.normalise_cin)
validate_massar = _wrap(identifiers.normalise_massar)
validate_ice = _wrap(identifiers.normalise_ice)
validate_phone = _wrap(identifiers.normalise_phone)


def text_message(code: str, rule: TextRule | None = None) -> str:
    """The translated message of a text problem; a text too long says how long it may be."""
    if code == "text_too_long" and rule is not None:
        return ngettext(
            "This text is too long: at most %(limit)d character.",
            "This text is too long: at most %(limit)d characters.",
            rule.max_length,
        ) % {"limit": rule.max_length}
    return str(label_for(code))


def text_validator(rule: TextRule) -> Callable[[str], None]:
    """A form field's validator applying the text rule that the API and the list import apply."""

    def validate(value: str) -> None:
        if code := text_problem(value.strip(), rule):
            raise ValidationError(text_message(code, rule), code=code)

    return validate


def validate_email_address(value: str) -> None:
    if email_problem(value.strip()):
        raise ValidationError(str(label_for(ErrorCode.EMAIL_FORMAT)), code=ErrorCode.EMAIL_FORMAT)


def _api_check(check: Callable[[str], str | None], rule: TextRule | None = None) -> Callable[[str], str]:
    def validate(value: str) -> str:
        value = value.strip()
        if code := check(value):
            raise PydanticCustomError(code, text_message(code, rule))
        return value

    return validate


@dataclass(frozen=True)
class ApiText:
    """A schema's string under the text rule, written `Annotated[str, ApiText(rule)]`: surrounding
    spaces dropped, the problem's translated message in the 422 answer, the length in the OpenAPI
    schema (the same as AfterValidator and WithJsonSchema, in a form a type checker reads)."""

    rule: TextRule

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        rule = self.rule
        check = _api_check(lambda value: text_problem(value, rule), rule)
        return core_schema.no_info_after_validator_function(check, handler(source))

    def __get_pydantic_json_schema__(self, schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        return {"type": "string", "maxLength": self.rule.max_length}


ApiEmail = Annotated[
    str,
    AfterValidator(_api_check(email_problem)),
    WithJsonSchema({"type": "string", "format": "email", "maxLength": EMAIL_MAX_LENGTH}),
]


def upload_check(name: str, kinds: tuple[str, ...]) -> None:
    """Refuse, before reading it, a file whose name ends in none of the `kinds` this upload reads
    (".csv", ".xlsx"…): the same check for the page and the API."""
    if not str(name or "").lower().endswith(kinds):
        message = _("This kind of file cannot be read here: send a file ending in %(kinds)s.") % {
            "kinds": ", ".join(kinds)
        }
        raise DomainError(ErrorCode.FILE_TYPE, message=message, fields={"file": [message]})


def upload_validator(kinds: tuple[str, ...]) -> Callable[[Any], None]:
    """`upload_check` as a form's FileField validator."""

    def validate(upload: Any) -> None:
        try:
            upload_check(getattr(upload, "name", ""), kinds)
        except DomainError as exc:
            raise ValidationError(exc.message, code=exc.code) from exc

    return validate


class RuleTextField(forms.CharField):
    """A form's text field under a TextRule: the rule's message is the only one shown (neither
    Django's length nor its NUL message repeats it); the browser still stops at the length."""

    def __init__(self, *, rule: TextRule, **kwargs: Any) -> None:
        self.rule = rule
        super().__init__(**kwargs)
        self.validators = [v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)]
        self.validators.append(text_validator(rule))

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        if not widget.is_hidden:
            attrs["maxlength"] = str(self.rule.max_length)
        return attrs
