"""Form validators give a translated message and a stable code for each bad identifier."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from amo.common.validators import (
    validate_cin,
    validate_ice,
    validate_phone,
    validate_rib,
)

CASES = [
    (validate_rib, "310810100013070176970117", "rib_key", "clé du RIB"),
    (validate_rib, "1234", "rib_format", "24 chiffres"),
    (validate_cin, "12AB", "cin_format", "CIN"),
    (validate_ice, "123456789012345", "ice_format", "ICE"),
    (validate_phone, "0012", "phone_format", "numéro marocain"),
]


@pytest.mark.parametrize(("validator", "value", "code", "french"), CASES)
def test_bad_identifiers_get_a_code_and_a_message_in_both_languages(validator, value, code, french) -> None:
    for language in ("fr", "ar"):
        with translation.override(language), pytest.raises(ValidationError) as err:
            validator(value)
        assert err.value.code == code
        message = err.value.messages[0]
        if language == "fr":
            assert french in message
        else:
            assert any("\u0600" <= ch <= "\u06ff" for ch in message)
