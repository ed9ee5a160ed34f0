"""Pure rules of contributions: the due of a registration, payment references with their check
digits, reconciliation outcomes and reminders. Dates and amounts come in; decisions go out."""

import datetime as dt
import math
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol, TypeVar

from amo.common import transitions
from amo.common.identifiers import InvalidIdentifier, normalise_rib

STATE_FUNDED = "state_funded"

DECLARED, RECEIVED, UNDERPAID, OVERPAID = "declared", "received", "underpaid", "overpaid"

# A transfer's status, written by contributions' services only: reconciliation matches a
# declared transfer; an agent may match an under-paid one again (the shortfall accepted or a
# second credit), which leaves it under-paid or makes it received.
TRANSFER_TRANSITIONS: dict[str, frozenset[str]] = {
    DECLARED: frozenset({RECEIVED, UNDERPAID, OVERPAID}),
    UNDERPAID: frozenset({RECEIVED, UNDERPAID}),
    RECEIVED: frozenset(),
    OVERPAID: frozenset(),
}
# What the reconciliation of a statement may match: the transfers that may reach every outcome.
RECONCILABLE = (
    transitions.sources(TRANSFER_TRANSITIONS, RECEIVED)
    & transitions.sources(TRANSFER_TRANSITIONS, UNDERPAID)
    & transitions.sources(TRANSFER_TRANSITIONS, OVERPAID)
)

EXEMPT, PAID, DECLARED_NOT_RECEIVED, AWAITED, OVERDUE, NOT_COMPUTED = (
    "exempt",
    "paid",
    "declared",
    "awaited",
    "overdue",
    "not_computed",
)
# A contribution's status is never stored: contribution_status computes it from the due, its
# transfer and the date. This table says how it may evolve from one reading to the next (the due
# computed, a transfer declared then matched, the deadline passed), and a test holds
# contribution_status to it.
CONTRIBUTION_TRANSITIONS: dict[str, frozenset[str]] = {
    NOT_COMPUTED: frozenset({EXEMPT, AWAITED, OVERDUE, DECLARED_NOT_RECEIVED, PAID}),
    AWAITED: frozenset({OVERDUE, DECLARED_NOT_RECEIVED, PAID}),
    OVERDUE: frozenset({DECLARED_NOT_RECEIVED, PAID}),
    DECLARED_NOT_RECEIVED: frozenset({PAID}),
    PAID: frozenset(),
    EXEMPT: frozenset(),
}


def transfer_can_move(current: str, target: str) -> bool:
    return transitions.allowed(TRANSFER_TRANSITIONS, current, target)


@dataclass(frozen=True)
class DueFacts:
    contribution_regime: str
    fee_paying: bool
    amount_per_period: Decimal
    period_months: int
    coverage_months: int
    registered_on: dt.date
    deadline_days: int


@dataclass(frozen=True)
class DueDecision:
    kind: str  # "due" | "exempt"
    amount: Decimal
    periods: int
    exemption: str
    due_on: dt.date | None


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole or started months from start to end inclusive (1 Sep - 31 Aug is 12)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return months + (1 if end.day >= start.day - 1 else 0)


def due_for(facts: DueFacts) -> DueDecision:
    """400 MAD per period of 12 months or less (law 116-12); the State pays for public-sector
    students except fee-paying tracks. Every figure is a dated parameter."""
    if facts.contribution_regime == STATE_FUNDED and not facts.fee_paying:
        return DueDecision("exempt", Decimal("0.00"), 0, "state_funded", None)
    periods = max(1, math.ceil(facts.coverage_months / facts.period_months))
    amount = (facts.amount_per_period * periods).quantize(Decimal("0.01"))
    return DueDecision("due", amount, periods, "", facts.registered_on + dt.timedelta(days=facts.deadline_days))


# A payment reference: AMO + academic year (2 + 2 digits) + legal entity (6 digits) + 2 check digits.
_REFERENCE = re.compile(r"AMO[\s\-]?(\d{4})[\s\-]?(\d{6})[\s\-]?(\d{2})", re.IGNORECASE)


def check_digits(body: str) -> str:
    return f"{97 - (int(body) * 100) % 97:02d}"


def payment_reference(year_code: str, entity_id: int) -> str:
    """e.g. 2026-2027 and entity 123 -> AMO2627000123xx (xx: 97 - body x 100 mod 97)."""
    body = f"{year_code[2:4]}{year_code[7:9]}{entity_id:06d}"
    return f"AMO{body}{check_digits(body)}"


def find_reference(label: str) -> tuple[str | None, bool]:
    """The payment reference written in a transfer label, and whether its check digits hold.
    (None, False) when no reference-like text is there."""
    match = _REFERENCE.search(label or "")
    if not match:
        return None, False
    body = match.group(1) + match.group(2)
    return f"AMO{body}{match.group(3)}", check_digits(body) == match.group(3)


class OpenTransfer(Protocol):
    bank_reference: str
    amount: Decimal


T = TypeVar("T", bound=OpenTransfer)


def pick_transfer(candidates: list[T], amount: Decimal, label: str) -> T:
    """Among the open transfers of one payment reference: the one whose bank reference is in the
    credit's label, else the one of the same amount, else the oldest (the first)."""
    upper = label.upper()
    for transfer in candidates:
        if transfer.bank_reference and transfer.bank_reference in upper:
            return transfer
    for transfer in candidates:
        if transfer.amount == amount:
            return transfer
    return candidates[0]


def outcome(received: Decimal, expected: Decimal) -> str:
    if received == expected:
        return "exact"
    return "underpaid" if received < expected else "overpaid"


def reminder(
    due_on: dt.date | None, today: dt.date, days_before: int, sent_before: bool, sent_after: bool
) -> str | None:
    """Which reminder an unpaid due calls for today: "before" within days_before of the
    deadline, "after" once it has passed; each is sent once."""
    if due_on is None:
        return None
    if today > due_on and not sent_after:
        return "after"
    if due_on - dt.timedelta(days=days_before) <= today <= due_on and not sent_before:
        return "before"
    return None


def contribution_status(kind: str, transfer_status: str | None, due_on: dt.date | None, today: dt.date) -> str:
    """What the student and the eligibility step read: exempt, paid, declared, awaited or overdue."""
    if kind == "exempt":
        return "exempt"
    if transfer_status in ("received", "overpaid"):
        return "paid"
    if transfer_status in ("declared", "underpaid"):
        return "declared"
    if due_on is not None and today > due_on:
        return "overdue"
    return "awaited"


def statement_account_problem(account: str, contribution_rib: str) -> str | None:
    """A statement is imported only when it is of the contributions account (the `cnops_rib`
    parameter, brochure: the account the contributions are paid into), given as its RIB or its
    IBAN. A statement that does not say its account (a CSV export without the column) is taken."""
    if not account:
        return None
    try:
        rib = normalise_rib(account)
    except InvalidIdentifier:
        return "statement_other_account"
    return None if rib == contribution_rib else "statement_other_account"
