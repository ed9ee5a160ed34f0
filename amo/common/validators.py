"""Django form/model validators wrapping the pure identifier checks, with translated messages."""

from django.core.exceptions import ValidationError

from amo.common import identifiers
from amo.common.errors import label_for


def _wrap(normalise):
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


def clean_identifier(kind: str, value: str) -> str:
    """Normalise for a form's clean_<field>: returns the canonical value or a ValidationError."""
    normalise = getattr(identifiers, f"normalise_{kind}")
    try:
        return str(normalise(value))
    except identifiers.InvalidIdentifier as exc:
        raise ValidationError(str(label_for(exc.code)), code=exc.code) from exc
