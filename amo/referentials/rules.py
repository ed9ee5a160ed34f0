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


def _clock_time(raw: str) -> dt.time:
    return dt.time.fromisoformat(raw)


def _text(raw: str) -> str:
    if not raw:
        raise ValueError("parameter_invalid")
    return raw


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
    "minimum_age_years": _positive_int,
    "cnops_postal_address": _text,
    "cnops_postal_address_ar": _text,
    "call_centre_opens": _clock_time,
    "call_centre_closes": _clock_time,
    "dependant_age_limit_years": _positive_int,
    "claim_confirmation_threshold": _amount,
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


REGIME_ENDED = "regime_ended"


def regime_ended_problem(today: dt.date, regime_end: dt.date) -> str | None:
    """Law 54.23: the regime's end date is its last day; from the next day nothing new enters it
    (no registration, list, due or ANAM batch). One rule for every entry."""
    return REGIME_ENDED if today > regime_end else None


def age_on(birth_date: dt.date, on: dt.date) -> int:
    """Whole years of age on a date (someone born on 29 February turns a year older on 1 March
    in a common year)."""
    years = on.year - birth_date.year
    if (on.month, on.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def age_reference_date(
    reference: str, *, year_starts_on: dt.date, year_ends_on: dt.date, registered_on: dt.date | None
) -> dt.date:
    """The date the age limit is measured on (the `age_reference` parameter, decision 0004:
    by default the first day of the academic year). One rule for the form, the list import and
    the other-coverage check, so a student accepted at registration is never refused for age later."""
    if reference == "registration_date" and registered_on is not None:
        return registered_on
    if reference == "academic_year_end":
        return year_ends_on
    return year_starts_on


def over_age_limit(birth_date: dt.date, *, on: dt.date, limit: int, exempt: bool) -> bool:
    """Older than `limit` whole years on the reference date `on` ("aged 30 or less", DOMAIN.md §6);
    never for a category exempt from the limit."""
    return not exempt and age_on(birth_date, on) > limit


# --- The drug guide: one row of an imported file, checked (DOMAIN.md §7, SOURCES.md §3) ----------

# The spellings of each column that the guide's files use (ANAM's guide, the community JSON),
# compared after `amo.common.readers.normalise_header`.
DRUG_COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("code", "codemedicament", "id", "codebarre", "barcode"),
    "name": ("name", "nom", "nomcommercial", "specialite", "designation"),
    "dci": ("dci", "inn", "substance"),
    "dosage": ("dosage",),
    "form": ("form", "forme"),
    "presentation": ("presentation", "conditionnement"),
    "ppv": ("ppv", "publicprice", "prixpublic", "prixpublicdevente"),
    "ph": ("ph", "prixhospitalier", "hospitalprice"),
    "pbr": ("pbr", "prixbr", "prixbase", "prixbasederemboursement", "reimbursementbase"),
    "kind": ("kind", "type", "princepsougenerique"),
    "reimbursable": ("reimbursable", "remboursable", "rembourse"),
}

PRINCEPS_WORDS = frozenset({"princeps", "p", "brand"})
GENERIC_WORDS = frozenset({"generique", "générique", "generic", "g"})
NO_WORDS = frozenset({"non", "no", "false", "0", "n", "لا"})


@dataclass(frozen=True)
class DrugFacts:
    code: str
    name: str
    dci: str
    dosage: str
    form: str
    presentation: str
    ppv: Decimal
    ph: Decimal | None
    pbr: Decimal
    kind: str
    reimbursable: bool


def _price(raw: object) -> Decimal | None:
    text = str(raw).strip()
    if not text:
        return None
    value = mad(text)
    if value < 0:
        raise ValueError("drug_price_invalid")
    return value


def drug_row_check(values: dict[str, object]) -> tuple[DrugFacts | None, str]:
    """The facts of one row of the guide, or None and the stable reason it is refused: no code,
    no name, no price (PPV), a price that is not an amount, a base (PBR) above the price."""
    text = {key: str(values.get(key, "") or "").strip() for key in DRUG_COLUMNS}
    if not text["code"]:
        return None, "drug_code_missing"
    if not text["name"]:
        return None, "drug_name_missing"
    try:
        ppv, ph, pbr = _price(text["ppv"]), _price(text["ph"]), _price(text["pbr"])
    except ValueError:
        return None, "drug_price_invalid"
    if ppv is None or ppv == 0:
        return None, "drug_no_price"
    if pbr is None:
        pbr = ppv  # a drug without a base of its own is reimbursed on its price (a generic: its own PPV)
    if pbr > ppv:
        return None, "drug_base_above_price"
    kind_word = text["kind"].lower()
    if kind_word in GENERIC_WORDS:
        kind = "generic"
    elif kind_word in PRINCEPS_WORDS or not kind_word:
        kind = "princeps"
    else:
        return None, "drug_kind_invalid"
    facts = DrugFacts(
        code=text["code"][:32],
        name=text["name"][:200],
        dci=text["dci"][:200],
        dosage=text["dosage"][:100],
        form=text["form"][:100],
        presentation=text["presentation"][:200],
        ppv=ppv,
        ph=ph,
        pbr=pbr,
        kind=kind,
        reimbursable=text["reimbursable"].lower() not in NO_WORDS,
    )
    return facts, ""
