"""Pure rules of the other-coverage check: registry lines, verdict order, batch numbers."""

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from amo.referentials.rules import over_age_limit

ROLES = ("insured", "dependant")
OUTCOMES = ("accepted", "refused")
REASONS = ("covered_insured", "covered_dependant", "identity_not_found", "age", "duplicate")
ACTIONS = ("upsert", "end")

# A check batch's status: sent to ANAM, answered (verdicts recorded, by the registry or a file),
# applied (refusals and rights written). Applied by eligibility's services and registry only.
BATCH_SENT, BATCH_ANSWERED, BATCH_APPLIED = "sent", "answered", "applied"
BATCH_TRANSITIONS: dict[str, frozenset[str]] = {
    BATCH_SENT: frozenset({BATCH_ANSWERED}),
    BATCH_ANSWERED: frozenset({BATCH_APPLIED}),
    BATCH_APPLIED: frozenset(),
}


@dataclass(frozen=True)
class RegistryLine:
    id_number: str
    birth_date: dt.date | None
    scheme: str
    role: str
    starts_on: dt.date
    ends_on: dt.date | None
    action: str = "upsert"


@dataclass(frozen=True)
class Coverage:
    scheme: str
    role: str
    birth_date: dt.date | None
    starts_on: dt.date
    ends_on: dt.date | None


def active_on(coverage: Coverage, day: dt.date) -> bool:
    return coverage.starts_on <= day and (coverage.ends_on is None or coverage.ends_on >= day)


def verdict(
    *,
    birth_date: dt.date,
    age_limit: int,
    age_exempt: bool,
    reference_date: dt.date,
    age_reference_date: dt.date,
    coverages: list[Coverage],
    first_in_batch: bool,
) -> tuple[str, str, str]:
    """(outcome, reason, scheme) for one student. The order matters and is the SQL's too
    (registry.py): duplicate, identity, covered as insured, covered as dependant, age. Coverage
    is checked on the batch's `reference_date`; age on the academic year's `age_reference_date`
    (referentials' one age rule, the form's and the import's)."""
    if not first_in_batch:
        return "refused", "duplicate", ""
    active = [c for c in coverages if active_on(c, reference_date)]
    if any(c.birth_date is not None and c.birth_date != birth_date for c in active):
        return "refused", "identity_not_found", ""
    insured = sorted(c.scheme for c in active if c.role == "insured")
    if insured:
        return "refused", "covered_insured", insured[0]
    dependant = sorted(c.scheme for c in active if c.role == "dependant")
    if dependant:
        return "refused", "covered_dependant", dependant[0]
    if over_age_limit(birth_date, on=age_reference_date, limit=age_limit, exempt=age_exempt):
        return "refused", "age", ""
    return "accepted", "", ""


def reference_date(year_starts_on: dt.date, year_ends_on: dt.date, today: dt.date) -> dt.date:
    """The date a batch checks coverage at: today, kept within the academic year."""
    return max(year_starts_on, min(today, year_ends_on))


def batch_number(year_code: str, sequence: int) -> str:
    return f"ANAM-{year_code}-{sequence:05d}"


def verdict_problem(outcome: str, reason: str, scheme: str, schemes: Collection[str]) -> str | None:
    """A verdict line from ANAM is coherent: accepted without reason, refused with a known one,
    a scheme in force (`schemes`, dated referential data) named exactly when the student is covered."""
    if outcome not in OUTCOMES:
        return "verdict_outcome"
    if outcome == "accepted":
        return "verdict_reason" if reason or scheme else None
    if reason not in REASONS:
        return "verdict_reason"
    covered = reason in ("covered_insured", "covered_dependant")
    if (covered and scheme not in schemes) or (not covered and scheme):
        return "verdict_scheme"
    return None
