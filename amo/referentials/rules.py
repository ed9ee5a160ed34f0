"""Pure rules of the referentials: the type of each parameter, parsing, picking the dated value."""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from amo.common.identifiers import InvalidIdentifier, normalise_rib
from amo.common.money import mad

AGE_REFERENCES = ("academic_year_start", "registration_date", "academic_year_end")
MANAGING_BODIES = ("CNOPS", "CNSS")


def _positive_int(raw: str) -> int:
    value = int(raw)
    if value <= 0:
        raise ValueError("parameter_not_positive")
    return value


def _amount(raw: str) -> Decimal:
    value = mad(raw)
    if value < 0:
        raise ValueError("parameter_not_positive")
    return value


def _date(raw: str) -> dt.date:
    return dt.date.fromisoformat(raw)


def _choice(options: tuple[str, ...]) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        if raw not in options:
            raise ValueError("parameter_not_a_choice")
        return raw

    return parse


def _rib(raw: str) -> str:
    try:
        return normalise_rib(raw)
    except InvalidIdentifier as exc:
        raise ValueError(exc.code) from exc


PARSERS: dict[str, Callable[[str], object]] = {
    "contribution_amount": _amount,
    "contribution_period_months": _positive_int,
    "payment_deadline_days": _positive_int,
    "age_limit_years": _positive_int,
    "age_reference": _choice(AGE_REFERENCES),
    "maintenance_months": _positive_int,
    "closure_notice_days": _positive_int,
    "student_claim_deadline_days": _positive_int,
    "provider_claim_deadline_days": _positive_int,
    "coverage_max_months": _positive_int,
    "regime_end_date": _date,
    "managing_body": _choice(MANAGING_BODIES),
    "cnops_rib": _rib,
    "reminder_days_before": _positive_int,
    "approval_service_hours": _positive_int,
    "approval_urgent_service_hours": _positive_int,
    "approval_confirmation_amount": _amount,
}


def parse_parameter(key: str, raw: str) -> object:
    """The typed value of a parameter; ValueError with a stable code when it does not parse."""
    try:
        return PARSERS[key](raw.strip())
    except KeyError as exc:
        raise ValueError("parameter_unknown") from exc
    except ValueError as exc:
        code = str(exc)
        raise ValueError(code if code.startswith(("parameter_", "rib_", "amount_")) else "parameter_invalid") from exc


@dataclass(frozen=True)
class DatedValue:
    value: str
    valid_from: dt.date
    valid_to: dt.date | None


def value_on(rows: Iterable[DatedValue], on: dt.date) -> str | None:
    """The value in force on a date: the latest row started on or before it and not ended."""
    best: DatedValue | None = None
    for row in rows:
        in_force = row.valid_from <= on and (row.valid_to is None or on <= row.valid_to)
        if in_force and (best is None or row.valid_from > best.valid_from):
            best = row
    return best.value if best else None


def age_on(birth_date: dt.date, on: dt.date) -> int:
    years = on.year - birth_date.year
    if (on.month, on.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years
