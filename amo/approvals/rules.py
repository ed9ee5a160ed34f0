"""Pure rules of medical control (DOMAIN.md §7-8): the request's statuses and their table, the
routing of a request to an office, the clock against the service level, the checks of a request
(dates, planned acts, attachments) and of a decision. No Django: facts in, decisions out."""

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from amo.common import transitions

SUBMITTED = "submitted"  # in its office's queue, the clock running
INFORMATION = "information_requested"  # waiting for the provider's answer, the clock stopped
CONFIRMATION = "awaiting_confirmation"  # agreed above the threshold, waiting for a second controller
AGREED = "agreed"
REFUSED = "refused"
WITHDRAWN = "withdrawn"  # by the provider, before a decision

DECIDED = (AGREED, REFUSED)
OPEN = (SUBMITTED, INFORMATION, CONFIRMATION)

# Every status of a request and where it may go; approvals' services alone apply it.
TRANSITIONS: dict[str, frozenset[str]] = {
    SUBMITTED: frozenset({INFORMATION, CONFIRMATION, AGREED, REFUSED, WITHDRAWN}),
    INFORMATION: frozenset({SUBMITTED, REFUSED, WITHDRAWN}),  # SUBMITTED: answered, or the question withdrawn
    CONFIRMATION: frozenset({AGREED, SUBMITTED}),  # SUBMITTED: the second controller did not confirm
    AGREED: frozenset(),
    REFUSED: frozenset(),
    WITHDRAWN: frozenset(),
}


def can_transition(current: str, target: str) -> bool:
    return transitions.allowed(TRANSITIONS, current, target)


# ----------------------------------------------------------------------------------------------
# Routing: rules kept as data (RoutingRule rows), read here in priority order.


@dataclass(frozen=True)
class Route:
    """One routing rule: the filters it has (None: any) and where it sends a request (office_id
    None: the regional delegation serving the provider's region)."""

    priority: int
    region_id: int | None
    kind: str | None
    min_amount: Decimal | None
    office_id: int | None


def route(
    routes: Iterable[Route],
    *,
    region_id: int,
    kind: str,
    amount: Decimal,
    delegation_of_region: int | None,
    central_id: int,
) -> int | None:
    """The office that decides a request: the first rule (lowest priority number) whose filters
    all match; a rule naming no office sends to the delegation serving the region, or to the
    central office where no delegation serves it. None when no rule matches."""
    for r in sorted(routes, key=lambda r: r.priority):
        if r.region_id is not None and r.region_id != region_id:
            continue
        if r.kind is not None and r.kind != kind:
            continue
        if r.min_amount is not None and amount < r.min_amount:
            continue
        if r.office_id is not None:
            return r.office_id
        return delegation_of_region if delegation_of_region is not None else central_id
    return None


# ----------------------------------------------------------------------------------------------
# The clock against the service level.


def due_at(submitted_at: dt.datetime, hours: int) -> dt.datetime:
    """When a request must be decided: calendar hours after it reached the queue."""
    return submitted_at + dt.timedelta(hours=hours)


def due_after_wait(due: dt.datetime, waiting_since: dt.datetime, now: dt.datetime) -> dt.datetime:
    """The clock stops while the provider is asked for information: the deadline moves by the wait."""
    return due + max(now - waiting_since, dt.timedelta(0))


def is_overdue(status: str, due: dt.datetime | None, now: dt.datetime) -> bool:
    """Overdue: still to decide (the clock running) past its deadline."""
    return status in (SUBMITTED, CONFIRMATION) and due is not None and now > due


def within_service_level(due: dt.datetime | None, decided_at: dt.datetime | None) -> bool:
    return due is not None and decided_at is not None and decided_at <= due


# ----------------------------------------------------------------------------------------------
# The request's checks.


def planned_dates_problem(starts: dt.date, ends: dt.date | None, today: dt.date) -> str | None:
    if starts < today:
        return "approval_dates_past"
    if ends is not None and ends < starts:
        return "approval_dates_reversed"
    return None


ICD10 = re.compile(r"^([A-Z])(\d{2})\.?(\d{0,2})$")


def normalise_icd10(text: str) -> str | None:
    """ "n185", "N18.5", " N18 " → "N18.5", "N18"; None when it cannot be an ICD-10 code."""
    found = ICD10.match("".join(text.split()).upper())
    if not found:
        return None
    letter, digits, sub = found.groups()
    return f"{letter}{digits}.{sub}" if sub else f"{letter}{digits}"


ACT = re.compile(r"^([A-Z][A-Z0-9]{0,11})\s+(\d{1,4}(?:[.,]\d{1,2})?)$")


@dataclass(frozen=True)
class PlannedAct:
    """A planned act as the provider codes it: an NGAP key (K, CS, Z…) or a drug code, and its
    coefficient or quantity. Checked against the NGAP and drug referentials once they exist."""

    code: str
    quantity: Decimal


def parse_acts(text: str) -> tuple[PlannedAct, ...]:
    """One act a line: "K 50", "CS 2", "DRUG123 6". ValueError("approval_acts_format") otherwise."""
    acts = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        found = ACT.match(line.upper())
        if not found:
            raise ValueError("approval_acts_format")
        quantity = Decimal(found.group(2).replace(",", "."))
        if quantity <= 0:
            raise ValueError("approval_acts_format")
        acts.append(PlannedAct(found.group(1), quantity))
    if not acts:
        raise ValueError("approval_acts_format")
    return tuple(acts)


MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 10
# What a file's first bytes say it is, and the names such a file may have.
SIGNATURES: tuple[tuple[bytes, str, tuple[str, ...]], ...] = (
    (b"%PDF-", "application/pdf", (".pdf",)),
    (b"\x89PNG\r\n\x1a\n", "image/png", (".png",)),
    (b"\xff\xd8\xff", "image/jpeg", (".jpg", ".jpeg")),
)


def attachment_type(name: str, head: bytes, size: int) -> str:
    """The content type of an attachment, sniffed from its first bytes and agreeing with its
    name; ValueError with the code of the problem otherwise (empty, too big, not what it says)."""
    if size <= 0:
        raise ValueError("approval_file_empty")
    if size > MAX_ATTACHMENT_BYTES:
        raise ValueError("approval_file_too_big")
    lower = name.lower()
    for magic, content_type, suffixes in SIGNATURES:
        if head.startswith(magic) and lower.endswith(suffixes):
            return content_type
    raise ValueError("approval_file_mismatch")


# ----------------------------------------------------------------------------------------------
# Decisions.


def agreement_problem(ceiling: Decimal | None, valid_from: dt.date, valid_to: dt.date) -> str | None:
    if ceiling is None or ceiling <= 0:
        return "approval_ceiling"
    if valid_to < valid_from:
        return "approval_validity"
    return None


def needs_confirmation(ceiling: Decimal, threshold: Decimal) -> bool:
    """An agreement above the threshold waits for a second controller's confirmation."""
    return ceiling > threshold


def is_partial(ceiling: Decimal, quote: Decimal) -> bool:
    return ceiling < quote


@dataclass(frozen=True)
class Agreement:
    """What a care file or a bill may rely on: an agreement (or ALD exemption) in force."""

    number: str
    kind: str
    diagnosis: str
    ceiling: Decimal
    valid_from: dt.date
    valid_to: dt.date
    sessions: int | None
    sessions_used: int
    acts: tuple[PlannedAct, ...]

    @property
    def sessions_left(self) -> int | None:
        return None if self.sessions is None else max(self.sessions - self.sessions_used, 0)

    def in_force_on(self, day: dt.date) -> bool:
        return self.valid_from <= day <= self.valid_to

    def covers_act(self, code: str) -> bool:
        return any(a.code == code.upper() for a in self.acts)


def diagnosis_matches(agreed: str, asked: str) -> bool:
    """An exemption for a category (E10) covers its subcategories (E10.9), and the reverse: an
    exemption for E10.9 answers a question about E10.9 only."""
    return asked == agreed or asked.startswith(agreed + ".")


# ----------------------------------------------------------------------------------------------
# Figures.


def percentile(values: Sequence[float], share: float) -> float | None:
    """The nearest-rank percentile (share 0.5: the median) of decision times; None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-int(share * 1000) * len(ordered) // 1000))  # ceil(share × n), in integers
    return ordered[min(rank, len(ordered)) - 1]
