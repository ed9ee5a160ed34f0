"""Identifiers and money, without the database (DOMAIN.md §9; SOURCES.md for the CNOPS RIB)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from amo.common.identifiers import (
    InvalidIdentifier,
    iban_from_rib,
    normalise_cin,
    normalise_ice,
    normalise_massar,
    normalise_phone,
    normalise_rib,
    rib_key,
)
from amo.common.money import format_mad, mad

CNOPS_RIB = "310810100013070176970116"


def test_the_cnops_rib_is_valid() -> None:
    assert normalise_rib(CNOPS_RIB) == CNOPS_RIB
    assert normalise_rib("310 810 1000130701769701 16") == CNOPS_RIB


def test_changing_the_last_digit_of_the_cnops_rib_makes_it_invalid() -> None:
    with pytest.raises(InvalidIdentifier) as err:
        normalise_rib(CNOPS_RIB[:-1] + "7")
    assert err.value.code == "rib_key"


@given(st.integers(min_value=0, max_value=23), st.integers(min_value=1, max_value=9))
def test_any_single_digit_change_of_a_rib_is_caught(position: int, delta: int) -> None:
    digits = list(CNOPS_RIB)
    digits[position] = str((int(digits[position]) + delta) % 10)
    with pytest.raises(InvalidIdentifier):
        normalise_rib("".join(digits))


@given(st.text(alphabet="0123456789", min_size=22, max_size=22))
def test_a_rib_completed_with_its_computed_key_is_valid(first_22: str) -> None:
    assert normalise_rib(first_22 + rib_key(first_22)) == first_22 + rib_key(first_22)


@pytest.mark.parametrize(
    "bad", ["", "31081010001307017697011", "3108101000130701769701166", "31081010001307017697011A"]
)
def test_a_rib_without_24_digits_is_a_format_error(bad: str) -> None:
    with pytest.raises(InvalidIdentifier) as err:
        normalise_rib(bad)
    assert err.value.code == "rib_format"


def test_the_cnops_iban_matches_the_published_one() -> None:
    assert iban_from_rib(CNOPS_RIB) == "MA64310810100013070176970116"


@pytest.mark.parametrize(("raw", "clean"), [("ab123456", "AB123456"), (" A 12345 ", "A12345"), ("bk-1", "BK1")])
def test_cin_is_normalised_to_upper_case_without_spaces(raw: str, clean: str) -> None:
    assert normalise_cin(raw) == clean


@pytest.mark.parametrize("bad", ["", "123456", "ABC12345", "AB1234567", "A-B"])
def test_malformed_cins_are_refused(bad: str) -> None:
    with pytest.raises(InvalidIdentifier) as err:
        normalise_cin(bad)
    assert err.value.code == "cin_format"


def test_massar_is_one_letter_and_nine_digits() -> None:
    assert normalise_massar("r130000000") == "R130000000"
    for bad in ["R13000000", "130000000R", "RR30000000", ""]:
        with pytest.raises(InvalidIdentifier):
            normalise_massar(bad)


def test_ice_checks_its_mod_97_10_key() -> None:
    from amo.web.demo import demo_ice

    good = demo_ice(1234)
    assert normalise_ice(good) == good
    bad = good[:-1] + str((int(good[-1]) + 1) % 10)
    with pytest.raises(InvalidIdentifier) as err:
        normalise_ice(bad)
    assert err.value.code == "ice_format"


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("0612345678", "+212612345678"),
        ("+212 5 37 00 00 00", "+212537000000"),
        ("07 00 11 22 33", "+212700112233"),
    ],
)
def test_moroccan_phones_are_stored_in_e164(raw: str, e164: str) -> None:
    assert normalise_phone(raw) == e164


@pytest.mark.parametrize("bad", ["", "12345", "+33612345678", "06123"])
def test_other_phones_are_refused(bad: str) -> None:
    with pytest.raises(InvalidIdentifier):
        normalise_phone(bad)


def test_money_rounds_half_up_to_the_cent_and_refuses_floats() -> None:
    assert mad("400") == Decimal("400.00")
    assert mad("0,125") == Decimal("0.13")
    with pytest.raises(TypeError):
        mad(0.1)
    with pytest.raises(ValueError, match="amount_format"):
        mad("quatre cents")
    assert format_mad(Decimal("1234567.5")) == "1 234 567,50 MAD"


def _with_key(first_22: str, key: str) -> str:
    return first_22 + key


@pytest.mark.parametrize("impossible", ["00", "98", "99"])
def test_a_rib_key_the_formula_never_gives_is_refused_even_when_the_number_divides_by_97(impossible: str) -> None:
    # SOURCES.md §4: key = 97 − ((first 22 digits × 100) mod 97), so a key is 01..97. Keys 00, 98 and 99
    # keep the 24-digit number divisible by 97 when the computed key is 97, 01 or 02: find such a RIB.
    wanted = {"00": "97", "98": "01", "99": "02"}[impossible]
    first_22 = next(
        f"{n:022d}"
        for n in range(3108101000130701769701, 3108101000130701769701 + 500)
        if rib_key(f"{n:022d}") == wanted
    )
    rib = _with_key(first_22, impossible)
    assert int(rib) % 97 == 0  # the old rule (divisibility alone) took it
    with pytest.raises(InvalidIdentifier) as err:
        normalise_rib(rib)
    assert err.value.code == "rib_key"
    assert normalise_rib(_with_key(first_22, wanted)) == first_22 + wanted


def test_an_iban_typed_into_a_rib_field_is_read_as_its_rib() -> None:
    # SOURCES.md §4: CNOPS's IBAN MA64 3108 1010 0013 0701 7697 0116 is MA + check digits + its RIB.
    assert normalise_rib("MA64 3108 1010 0013 0701 7697 0116") == CNOPS_RIB
    assert normalise_rib("ma64310810100013070176970116") == CNOPS_RIB


def test_an_iban_with_wrong_check_digits_is_refused_for_its_own_check() -> None:
    with pytest.raises(InvalidIdentifier) as err:
        normalise_rib("MA65 3108 1010 0013 0701 7697 0116")
    assert err.value.code == "iban_check"


def test_a_transition_table_is_read_both_ways() -> None:
    from amo.common import transitions

    table = {"a": frozenset({"b"}), "b": frozenset({"c", "a"}), "c": frozenset()}
    assert transitions.allowed(table, "a", "b") and not transitions.allowed(table, "a", "c")
    assert not transitions.allowed(table, "c", "a") and not transitions.allowed(table, "unknown", "a")
    assert transitions.sources(table, "a") == {"b"} and transitions.sources(table, "b") == {"a"}
    assert transitions.sources(table, "nowhere") == frozenset()
