import datetime as dt
from decimal import Decimal

import pytest

from amo.common.errors import DomainError
from amo.common.models import AuditEvent
from amo.referentials.models import RegimeParameter
from amo.referentials.selectors import (
    parameter_date,
    parameter_decimal,
    parameter_int,
    parameter_text,
    parameter_value,
)
from amo.referentials.services import parameter_set

pytestmark = pytest.mark.django_db
D = dt.date


def test_the_migrations_load_the_known_parameters() -> None:
    assert parameter_value("contribution_amount", D(2026, 11, 25)) == Decimal("400.00")
    assert parameter_value("payment_deadline_days", D(2026, 11, 25)) == 15
    assert parameter_value("age_limit_years", D(2026, 11, 25)) == 30


def test_each_parameter_is_read_with_the_accessor_of_its_type() -> None:
    on = D(2026, 11, 25)
    assert parameter_decimal("contribution_amount", on) == Decimal("400.00")
    assert parameter_int("payment_deadline_days", on) == 15
    assert parameter_date("regime_end_date", on) == D(2027, 2, 1)
    assert parameter_text("age_reference", on) == "academic_year_start"
    with pytest.raises(TypeError, match="'contribution_amount' holds a Decimal, not a int"):
        parameter_int("contribution_amount", on)
    with pytest.raises(TypeError, match="not a date"):
        parameter_date("payment_deadline_days", on)
    with pytest.raises(TypeError, match="not a str"):
        parameter_text("regime_end_date", on)


def test_a_new_value_ends_the_previous_one_the_day_before_and_keeps_history(world) -> None:
    admin = world.users["admin"]
    parameter_set(
        actor=admin,
        key="payment_deadline_days",
        value="30",
        valid_from=D(2027, 9, 1),
        source="décret X",
    )
    assert parameter_value("payment_deadline_days", D(2027, 8, 31)) == 15
    assert parameter_value("payment_deadline_days", D(2027, 9, 1)) == 30
    previous = RegimeParameter.objects.get(key="payment_deadline_days", valid_from=D(2015, 9, 1))
    assert previous.valid_to == D(2027, 8, 31)
    assert previous.history.filter(valid_to=D(2027, 8, 31), history_type="~").exists()
    event = AuditEvent.objects.get(action="parameter_set")
    assert event.actor == admin and event.after["value"] == "30"


def test_an_invalid_value_changes_nothing(world) -> None:
    before = list(RegimeParameter.objects.values_list("key", "value", "valid_to"))
    with pytest.raises(DomainError) as err:
        parameter_set(
            actor=world.users["admin"],
            key="payment_deadline_days",
            value="-1",
            valid_from=D(2027, 9, 1),
        )
    assert err.value.code == "parameter_not_positive"
    assert list(RegimeParameter.objects.values_list("key", "value", "valid_to")) == before


def test_a_value_cannot_start_before_the_latest_one(world) -> None:
    with pytest.raises(DomainError) as err:
        parameter_set(actor=world.users["admin"], key="age_limit_years", value="28", valid_from=D(2010, 1, 1))
    assert err.value.code == "parameter_before_latest"
