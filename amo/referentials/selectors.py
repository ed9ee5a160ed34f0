import datetime as dt
from decimal import Decimal
from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet

from amo.common.errors import DomainError, NotFound
from amo.common.payments.pain001 import Debtor
from amo.referentials.errors import ReferentialError
from amo.referentials.models import (
    MANAGING_BODY_NAMES,
    AcademicYear,
    AldDisease,
    CoverageScheme,
    Drug,
    DrugList,
    DrugListIssue,
    NgapKey,
    ParameterKey,
    RegimeParameter,
    ReimbursementRate,
)
from amo.referentials.rules import DatedValue, parse_parameter, regime_ended_problem, value_on


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


T = TypeVar("T")
M = TypeVar("M", bound=Model)


def _typed(key: str, on: dt.date, kind: type[T]) -> T:
    value = parameter_value(key, on)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        held = type(value).__name__
        raise TypeError(f"The parameter {key!r} holds a {held}, not a {kind.__name__}: read it with its own accessor.")
    return value


def parameter_int(key: str, on: dt.date) -> int:
    """A whole-number parameter (a count of months, years or days) in force on a date."""
    return _typed(key, on, int)


def parameter_decimal(key: str, on: dt.date) -> Decimal:
    """An amount parameter (dirhams) in force on a date."""
    return _typed(key, on, Decimal)


def parameter_date(key: str, on: dt.date) -> dt.date:
    """A date parameter in force on a date."""
    return _typed(key, on, dt.date)


def parameter_text(key: str, on: dt.date) -> str:
    """A text parameter (a choice, a RIB) in force on a date."""
    return _typed(key, on, str)


def regime_end(on: dt.date) -> dt.date:
    """The regime's last day (law 54.23) as the parameter in force on a date says it."""
    return parameter_date("regime_end_date", on)


def regime_refuse_after_end(today: dt.date, *, field: str | None = None) -> None:
    """Refuse with ReferentialError.REGIME_ENDED (409) once the regime has ended: the message
    says why and where students now go. `field`: the form field the refusal is shown on."""
    if code := regime_ended_problem(today, regime_end(today)):
        raise DomainError(code, fields={field: [code]} if field else None)


def managing_body(on: dt.date) -> str:
    """The body that manages the scheme on a date (CNOPS, then CNSS under law 54.23): the name
    letterheads, e-mails and pages give."""
    return parameter_text("managing_body", on)


def regime_in_force(on: dt.date) -> dict[str, Any]:
    """Every parameter in force on a date, typed, and the managing body's full name: what pages,
    letterheads and e-mails quote (a template never writes a figure or a body the parameters hold)."""
    values: dict[str, Any] = {
        key: parse_parameter(key, row.value) for key, _label, row in parameters_in_force(on) if row
    }
    body = values.get("managing_body", "")
    values["managing_body_name"] = MANAGING_BODY_NAMES.get(body, body)
    return values


def payment_debtor(on: dt.date) -> Debtor:
    """The account a payment file on this date is paid from: the managing body's (`managing_body`)
    account, the `cnops_rib` parameter (DOMAIN.md §9), both dated."""
    return Debtor(name=parameter_text("managing_body", on), account=parameter_text("cnops_rib", on))


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


def academic_year_get(*, code: str | None = None, pk: int | None = None) -> AcademicYear:
    """The year of this code (or key); NotFound (404) when there is none."""
    lookup: dict[str, object] = {"code": code} if code is not None else {"pk": pk}
    year = AcademicYear.objects.filter(**lookup).first()
    if year is None:
        raise NotFound()
    return year


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


def coverage_scheme_codes(on: dt.date) -> frozenset[str]:
    """The codes of the basic coverage schemes in force on a date."""
    return frozenset(
        CoverageScheme.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on), valid_from__lte=on).values_list(
            "code", flat=True
        )
    )


# --- Care referentials: the row in force on a date ----------------------------------------------


def _in_force(qs: QuerySet[M], on: dt.date) -> QuerySet[M]:
    return qs.filter(valid_from__lte=on).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on)).order_by("-valid_from")


def ngap_key_on(letter: str, sector: str, on: dt.date) -> NgapKey | None:
    """The letter key in force in a sector on a date (None: no such key then)."""
    return _in_force(NgapKey.objects.filter(letter=letter.strip().upper(), sector=sector), on).first()


def rate_on(category: str, sector: str, on: dt.date) -> ReimbursementRate | None:
    return _in_force(ReimbursementRate.objects.filter(category=category, sector=sector), on).first()


def drug_list_on(on: dt.date) -> DrugList | None:
    """The version of the drug list in force on a date."""
    return _in_force(DrugList.objects.all(), on).first()


def drug_on(code: str, on: dt.date) -> Drug | None:
    """A drug of the list in force on a date (None: unknown then)."""
    version = drug_list_on(on)
    return version.drugs.filter(code=code.strip()).first() if version else None


def ngap_keys_in_force(on: dt.date) -> QuerySet[NgapKey]:
    return NgapKey.objects.filter(valid_from__lte=on).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))


def rates_in_force(on: dt.date) -> QuerySet[ReimbursementRate]:
    return ReimbursementRate.objects.filter(valid_from__lte=on).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))


def drug_lists() -> QuerySet[DrugList]:
    return DrugList.objects.all()


def drug_list_get(pk: int) -> DrugList:
    version = DrugList.objects.filter(pk=pk).first()
    if version is None:
        raise NotFound()
    return version


def drug_list_issues(version: DrugList) -> QuerySet[DrugListIssue]:
    return version.issues.all()


def ald_diseases() -> QuerySet[AldDisease]:
    return AldDisease.objects.all()
