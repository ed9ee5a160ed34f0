import datetime as dt

from django.db.models import QuerySet

from amo.common.errors import DomainError
from amo.referentials.errors import ReferentialError
from amo.referentials.models import AcademicYear, ParameterKey, RegimeParameter
from amo.referentials.rules import DatedValue, parse_parameter, value_on


def parameter_value(key: str, on: dt.date) -> object:
    """The typed value of a parameter in force on a date."""
    rows = [
        DatedValue(r.value, r.valid_from, r.valid_to)
        for r in RegimeParameter.objects.filter(key=key, valid_from__lte=on)
    ]
    raw = value_on(rows, on)
    if raw is None:
        raise DomainError(ReferentialError.MISSING)
    return parse_parameter(key, raw)


def parameters_in_force(on: dt.date) -> list[tuple[str, str, RegimeParameter | None]]:
    """Every parameter key with its label and the row in force on a date (None if none)."""
    rows = list(RegimeParameter.objects.filter(valid_from__lte=on))
    out = []
    for key, label in ParameterKey.choices:
        candidates = [r for r in rows if r.key == key and (r.valid_to is None or on <= r.valid_to)]
        current = max(candidates, key=lambda r: r.valid_from) if candidates else None
        out.append((key, str(label), current))
    return out


def parameter_history(key: str) -> QuerySet[RegimeParameter]:
    return RegimeParameter.objects.filter(key=key).order_by("-valid_from")


def academic_year_list() -> QuerySet[AcademicYear]:
    return AcademicYear.objects.all()


def academic_years_open() -> QuerySet[AcademicYear]:
    """The academic years open for registration, the latest first."""
    return AcademicYear.objects.filter(registration_open=True).order_by("-starts_on")


def academic_year_open() -> AcademicYear | None:
    """The academic year open for registration (the latest, should several be open)."""
    return academic_years_open().first()


def academic_year_chosen(code: str = "") -> AcademicYear | None:
    """The year a page asked for by its code, else the one open for registration, else the latest."""
    qs = AcademicYear.objects.all()
    return (qs.filter(code=code).first() if code else None) or academic_year_open() or qs.first()
