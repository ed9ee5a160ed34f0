import datetime as dt
from decimal import Decimal

import pytest

from amo.referentials.rules import DatedValue, age_on, parse_parameter, value_on

D = dt.date


def test_the_value_in_force_is_the_latest_started_on_or_before_the_date() -> None:
    rows = [
        DatedValue("400.00", D(2015, 9, 1), D(2027, 8, 31)),
        DatedValue("500.00", D(2027, 9, 1), None),
    ]
    assert value_on(rows, D(2026, 11, 25)) == "400.00"
    assert value_on(rows, D(2027, 9, 1)) == "500.00"
    assert value_on(rows, D(2015, 8, 31)) is None


@pytest.mark.parametrize(
    ("key", "raw", "value"),
    [
        ("contribution_amount", "400", Decimal("400.00")),
        ("payment_deadline_days", "15", 15),
        ("regime_end_date", "2027-02-01", D(2027, 2, 1)),
        ("managing_body", "CNSS", "CNSS"),
        ("cnops_rib", "310810100013070176970116", "310810100013070176970116"),
    ],
)
def test_parameters_parse_to_their_type(key: str, raw: str, value: object) -> None:
    assert parse_parameter(key, raw) == value


@pytest.mark.parametrize(
    ("key", "raw", "code"),
    [
        ("payment_deadline_days", "-3", "parameter_not_positive"),
        ("payment_deadline_days", "quinze", "parameter_invalid"),
        ("managing_body", "AXA", "parameter_not_a_choice"),
        ("cnops_rib", "310810100013070176970117", "rib_key"),
        ("regime_end_date", "01/02/2027", "parameter_invalid"),
        ("no_such_key", "1", "parameter_unknown"),
    ],
)
def test_a_value_of_the_wrong_type_is_refused_with_a_code(key: str, raw: str, code: str) -> None:
    with pytest.raises(ValueError, match=code):
        parse_parameter(key, raw)


def test_age_counts_birthdays_reached() -> None:
    assert age_on(D(1996, 9, 2), D(2026, 9, 1)) == 29
    assert age_on(D(1996, 9, 1), D(2026, 9, 1)) == 30
    assert age_on(D(2000, 2, 29), D(2026, 2, 28)) == 25
