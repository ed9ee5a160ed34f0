"""Moroccan identifiers: RIB, CIN, CNE/Massar, ICE, phone (DOMAIN.md §9).

Pure functions: each `normalise_*` returns the canonical form or raises `InvalidIdentifier`
with a stable error code. No Django import here, so they are usable in rules.
"""

import re

import phonenumbers
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.ma import ice as stdnum_ice


class InvalidIdentifier(ValueError):
    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(code)


_SPACES = re.compile(r"[\s\-.]")
_CIN = re.compile(r"^[A-Z]{1,2}[0-9]{1,6}$")
_MASSAR = re.compile(r"^[A-Z][0-9]{9}$")
_IBAN_MA = re.compile(r"^MA[0-9]{26}$")


def rib_key(first_22_digits: str) -> str:
    """Key of a Moroccan RIB: 97 - (first 22 digits x 100 mod 97), on two digits."""
    return f"{97 - (int(first_22_digits) * 100) % 97:02d}"


def normalise_rib(value: str) -> str:
    """24 digits (bank 3, city 3, account 16, key 2) whose key is the one computed from the 22 first.

    Comparing the key, not only the divisibility by 97, refuses the keys 00, 98 and 99, which the
    formula never gives but which keep the number divisible (SOURCES.md §4). An IBAN typed into a
    RIB field (MA + 2 check digits + the RIB) is read as its RIB once its own check holds."""
    digits = _SPACES.sub("", value or "").upper()
    if _IBAN_MA.fullmatch(digits):
        if not iban_check_holds(digits):
            raise InvalidIdentifier("iban_check")
        digits = digits[4:]
    if not re.fullmatch(r"[0-9]{24}", digits):
        raise InvalidIdentifier("rib_format")
    if digits[22:] != rib_key(digits[:22]):
        raise InvalidIdentifier("rib_key")
    return digits


def iban_check_holds(iban: str) -> bool:
    """ISO 13616: the country and check digits moved to the end, letters as numbers, mod 97 is 1."""
    moved = iban[4:] + iban[:4]
    return int("".join(str(int(ch, 36)) for ch in moved)) % 97 == 1


def iban_from_rib(rib: str) -> str:
    """MA + two ISO 13616 check digits + the 24-digit RIB."""
    rib = normalise_rib(rib)
    # Letters become numbers (M=22, A=10), "MA00" moves to the end.
    check = 98 - int(rib + "2210" + "00") % 97
    return f"MA{check:02d}{rib}"


def mask_rib(rib: str) -> str:
    """A RIB as an audit row or a page shows it: the bank's code and the last four digits, so a
    person recognises their account without the number being readable ("190 … 0096")."""
    digits = _SPACES.sub("", rib or "")
    if len(digits) < 8:
        return "…" if digits else ""
    return f"{digits[:3]} … {digits[-4:]}"


def format_iban(iban: str) -> str:
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))


def normalise_cin(value: str) -> str:
    cin = _SPACES.sub("", value or "").upper()
    if not _CIN.fullmatch(cin):
        raise InvalidIdentifier("cin_format")
    return cin


def normalise_massar(value: str) -> str:
    code = _SPACES.sub("", value or "").upper()
    if not _MASSAR.fullmatch(code):
        raise InvalidIdentifier("massar_format")
    return code


def normalise_ice(value: str) -> str:
    try:
        return str(stdnum_ice.validate(value or ""))
    except StdnumError as exc:
        raise InvalidIdentifier("ice_format") from exc


def normalise_phone(value: str) -> str:
    """E.164 form (+212XXXXXXXXX) of a valid Moroccan fixed or mobile number."""
    try:
        number = phonenumbers.parse(value or "", "MA")
    except phonenumbers.NumberParseException as exc:
        raise InvalidIdentifier("phone_format") from exc
    if number.country_code != 212 or not phonenumbers.is_valid_number(number):
        raise InvalidIdentifier("phone_format")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
