"""Pure rules of care files: the transition tables and the liquidation of one line (DOMAIN.md §7).

No Django here: the facts of a line (its referential values in force on the act's date, the
student's rights that day, the file's deposit) come in as a frozen dataclass; a decision with a
stable reason code comes out. The batch path (`claims/batch.py`) computes the same in SQL and is
tested against this rule on random lines."""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")

PRE_DECLARED, DEPOSITED, ON_SLIP, RECEIVED = "pre_declared", "deposited", "on_slip", "received"
LIQUIDATED, CONFIRMED, PAID = "liquidated", "confirmed", "paid"

# Every value of CareFileStatus is a key (decision 0013); a re-run of a liquidation is allowed
# until payment: liquidated -> liquidated and confirmed -> liquidated.
FILE_TRANSITIONS: dict[str, frozenset[str]] = {
    PRE_DECLARED: frozenset({DEPOSITED}),
    DEPOSITED: frozenset({ON_SLIP, RECEIVED}),
    ON_SLIP: frozenset({RECEIVED}),
    RECEIVED: frozenset({LIQUIDATED}),
    LIQUIDATED: frozenset({LIQUIDATED, CONFIRMED}),
    CONFIRMED: frozenset({LIQUIDATED, PAID}),
    PAID: frozenset(),
}

SLIP_TRANSITIONS: dict[str, frozenset[str]] = {
    "prepared": frozenset({"sent"}),
    "sent": frozenset({"received"}),
    "received": frozenset(),
}

# The stable reasons of a line, in the order they are checked: the first that applies is the
# line's reason. An empty reason means reimbursed on its base and rate.
TIME_BARRED = "time_barred"
NO_RIGHTS = "no_rights_on_act_date"
DUPLICATE = "duplicate_line"
UNKNOWN_KEY = "unknown_key"
UNKNOWN_DRUG = "unknown_drug"
DRUG_NOT_REIMBURSABLE = "drug_not_reimbursable"
COEFFICIENT_OUT_OF_RANGE = "coefficient_out_of_range"
MISSING_DOCUMENT = "missing_document"
MISSING_PRESCRIPTION = "missing_prescription"
AGREEMENT_REQUIRED = "agreement_required"
ALD_EXEMPTION_REQUIRED = "ald_exemption_required"
NO_RATE = "no_rate"

REASONS = (
    TIME_BARRED,
    NO_RIGHTS,
    DUPLICATE,
    UNKNOWN_KEY,
    UNKNOWN_DRUG,
    DRUG_NOT_REIMBURSABLE,
    COEFFICIENT_OUT_OF_RANGE,
    MISSING_DOCUMENT,
    MISSING_PRESCRIPTION,
    AGREEMENT_REQUIRED,
    ALD_EXEMPTION_REQUIRED,
    NO_RATE,
)

ALD_CATEGORY = "ald"

# Kinds of file decided by medical control (the approvals app): their lines need its decision.
AGREEMENT_KINDS = frozenset({"prior_approval", "costly_drugs"})
EXEMPTION_KINDS = frozenset({"ald_exemption"})


@dataclass(frozen=True)
class LineFacts:
    """One line and everything its liquidation reads, as in force on the act's date."""

    kind: str  # "act" or "drug"
    act_on: dt.date
    paid: Decimal
    first_act_on: dt.date
    deposited_on: dt.date
    deadline_days: int
    covered: bool  # the student's rights on the act date (maintained counts, suspended does not)
    duplicate: bool  # an earlier line of the same student, day, practitioner and act or drug
    care_form_present: bool
    prescription_present: bool
    category: str
    rate: Decimal | None  # the rate of the category and sector then (None: no row)
    # an act
    key_value: Decimal | None = None  # None: no such key then, or a key whose value is unpublished
    coefficient: Decimal | None = None
    coefficient_min: Decimal | None = None
    coefficient_max: Decimal | None = None
    # a drug
    drug_known: bool = False
    drug_reimbursable: bool = False
    pbr: Decimal | None = None
    quantity: int | None = None
    # The hook the approvals app will feed: what is needed, and what medical control decided.
    # Until approvals exists, nothing is known ("none") and such a line is refused with its reason.
    agreement_needed: bool = False
    agreement_known: str | None = None
    exemption_known: str | None = None


@dataclass(frozen=True)
class LineDecision:
    base: Decimal
    rate: Decimal
    reimbursed: Decimal
    reason: str  # "" when reimbursed


def cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def time_barred(first_act_on: dt.date, deposited_on: dt.date, deadline_days: int) -> bool:
    """Deposited more than `deadline_days` after the first act (day 60 is in time, day 61 not)."""
    return (deposited_on - first_act_on).days > deadline_days


def line_base(facts: LineFacts) -> Decimal | None:
    """The base: key value × coefficient for an act, PBR × quantity for a drug (None: unknown)."""
    if facts.kind == "drug":
        if facts.pbr is None or facts.quantity is None:
            return None
        return cents(facts.pbr * facts.quantity)
    if facts.key_value is None or facts.coefficient is None:
        return None
    return cents(facts.key_value * facts.coefficient)


def _refusal(facts: LineFacts) -> str:
    if time_barred(facts.first_act_on, facts.deposited_on, facts.deadline_days):
        return TIME_BARRED
    if not facts.covered:
        return NO_RIGHTS
    if facts.duplicate:
        return DUPLICATE
    if facts.kind == "drug":
        if not facts.drug_known or facts.pbr is None:
            return UNKNOWN_DRUG
        if not facts.drug_reimbursable:
            return DRUG_NOT_REIMBURSABLE
    else:
        if facts.key_value is None:
            return UNKNOWN_KEY
        low, high, coefficient = facts.coefficient_min, facts.coefficient_max, facts.coefficient
        if coefficient is None or low is None or high is None or not low <= coefficient <= high:
            return COEFFICIENT_OUT_OF_RANGE
    if not facts.care_form_present:
        return MISSING_DOCUMENT
    if facts.kind == "drug" and not facts.prescription_present:
        return MISSING_PRESCRIPTION
    if facts.agreement_needed and facts.agreement_known is None:
        return AGREEMENT_REQUIRED
    if facts.category == ALD_CATEGORY and facts.exemption_known is None:
        return ALD_EXEMPTION_REQUIRED
    if facts.rate is None:
        return NO_RATE
    return ""


def liquidate_line(facts: LineFacts) -> LineDecision:
    """Base, rate and reimbursed amount of one line: reimbursed = min(paid, base × rate), to the
    cent (half up), never negative; a refused line is reimbursed nothing, with its reason."""
    reason = _refusal(facts)
    base = line_base(facts) or ZERO
    rate = facts.rate if facts.rate is not None else Decimal("0")
    if reason:
        return LineDecision(base=base, rate=rate, reimbursed=ZERO, reason=reason)
    reimbursed = max(ZERO, min(cents(facts.paid), cents(base * rate)))
    return LineDecision(base=base, rate=rate, reimbursed=reimbursed, reason="")


def needs_confirmation(total_reimbursed: Decimal, threshold: Decimal) -> bool:
    """A file reimbursing more than the threshold is confirmed by a second agent."""
    return total_reimbursed > threshold


def entry_problem(
    *,
    kind: str,
    act_on: dt.date,
    first_act_on: dt.date,
    today: dt.date,
    paid: Decimal,
    coefficient: Decimal | None,
    quantity: int | None,
    letter: str,
    drug_code: str,
) -> str:
    """Why a line cannot even be entered (a typing error, not a liquidation reason): "" if none."""
    if act_on > today:
        return "act_in_future"
    if act_on < first_act_on:
        return "act_before_first_act"
    if paid <= 0 or paid > MAX_LINE_AMOUNT:
        return "amount_out_of_bounds"
    if kind == "act":
        if not letter:
            return "letter_required"
        if coefficient is None or coefficient <= 0 or coefficient > MAX_COEFFICIENT:
            return "coefficient_invalid"
    else:
        if not drug_code:
            return "drug_code_required"
        if quantity is None or quantity <= 0 or quantity > MAX_QUANTITY:
            return "quantity_invalid"
    return ""


def declaration_problem(*, first_act_on: dt.date, today: dt.date, amount: Decimal) -> str:
    """Why a pre-declaration (or a file created at the deposit) is refused: "" if none."""
    if first_act_on > today:
        return "first_act_in_future"
    if amount <= 0 or amount > MAX_FILE_AMOUNT:
        return "amount_out_of_bounds"
    return ""


# Absurd values stop at entry: a line above 500,000 MAD, a file above 2,000,000 MAD, a
# coefficient above 1,000, more than 100 boxes of a drug (typing errors, not care).
MAX_LINE_AMOUNT = Decimal("500000")
MAX_FILE_AMOUNT = Decimal("2000000")
MAX_COEFFICIENT = Decimal("1000")
MAX_QUANTITY = 100


def sources_of(target: str) -> frozenset[str]:
    """The file statuses that may move to `target` (what a set operation filters on)."""
    return frozenset(current for current, targets in FILE_TRANSITIONS.items() if target in targets)
