"""Pure rules of rights: insured numbers, the coverage period, whether a student is covered on a
date, closure deadlines and the 6-month maintenance, masking for publication lists."""

import calendar
import datetime as dt
from dataclasses import dataclass

from amo.common import transitions
from amo.referentials.rules import age_on

OPEN, SUSPENDED, NOTICE, CLOSED, EXPIRED = "open", "suspended", "notice", "closed", "expired"
EXPIRABLE = (OPEN, SUSPENDED, NOTICE)  # what the end of the period expires

# Every status of a rights period and where it may go; coverage's services alone apply it.
TRANSITIONS: dict[str, frozenset[str]] = {
    OPEN: frozenset({SUSPENDED, NOTICE, CLOSED, EXPIRED}),
    SUSPENDED: frozenset({OPEN, NOTICE, CLOSED, EXPIRED}),
    NOTICE: frozenset({OPEN, SUSPENDED, CLOSED, EXPIRED}),  # OPEN or SUSPENDED: a proof came in
    CLOSED: frozenset(),  # rights maintained until maintained_until, then nothing
    EXPIRED: frozenset(),
}

# The registration request's status (what the student's timeline shows) for each rights status.
REQUEST_STATUS = {
    OPEN: "insured",
    SUSPENDED: "suspended",
    NOTICE: "closure_notice",
    CLOSED: "closed",
    EXPIRED: "expired",
}


def can_transition(current: str, target: str) -> bool:
    return transitions.allowed(TRANSITIONS, current, target)


def sources_of(target: str) -> frozenset[str]:
    """The statuses a period may reach `target` from."""
    return transitions.sources(TRANSITIONS, target)


def insured_number(student_id: int) -> str:
    """AE + nine digits + a two-digit key (ISO 7064 mod 97-10), stable across the years."""
    body = f"{student_id:09d}"
    return f"AE{body}{98 - (int(body) * 100) % 97:02d}"


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def period_bounds(
    year_starts_on: dt.date,
    year_ends_on: dt.date,
    opened_on: dt.date,
    max_months: int,
    regime_ends_on: dt.date | None = None,
) -> tuple[dt.date, dt.date]:
    """Rights start the day they open (no waiting period), not before the academic year, and end
    with it: at most max_months after its start, and never after the regime's last day (law 54.23)."""
    ends = min(year_ends_on, add_months(year_starts_on, max_months) - dt.timedelta(days=1))
    if regime_ends_on is not None:
        ends = min(ends, regime_ends_on)
    starts = min(max(opened_on, year_starts_on), ends)
    return starts, ends


def parse_suspensions(text: str) -> list[tuple[dt.date, dt.date | None]]:
    spans: list[tuple[dt.date, dt.date | None]] = []
    for part in filter(None, (text or "").split(";")):
        start, _, end = part.partition(":")
        spans.append((dt.date.fromisoformat(start), dt.date.fromisoformat(end) if end else None))
    return spans


def suspend(text: str, on: dt.date) -> str:
    spans = parse_suspensions(text)
    if spans and spans[-1][1] is None:
        return text
    return _format([*spans, (on, None)])


def resume(text: str, on: dt.date) -> str:
    """Covered again from `on`: the open suspension ends the day before."""
    spans = parse_suspensions(text)
    if not spans or spans[-1][1] is not None:
        return text
    start = spans[-1][0]
    if on <= start:
        return _format(spans[:-1])
    return _format([*spans[:-1], (start, on - dt.timedelta(days=1))])


def _format(spans: list[tuple[dt.date, dt.date | None]]) -> str:
    return ";".join(f"{a.isoformat()}:{b.isoformat() if b else ''}" for a, b in spans)


@dataclass(frozen=True)
class PeriodFacts:
    starts_on: dt.date
    ends_on: dt.date
    status: str
    suspensions: str
    closed_on: dt.date | None
    maintained_until: dt.date | None


def covered_until(p: PeriodFacts) -> dt.date:
    """The last covered day: the period's end, or, once closed, the end of the maintenance (which
    may reach past the academic year: law 65-00 art. 34 keeps rights six months)."""
    if p.status == CLOSED and p.maintained_until is not None:
        return p.maintained_until
    return p.ends_on


def covered_on(p: PeriodFacts, day: dt.date) -> bool:
    if not p.starts_on <= day <= covered_until(p):
        return False
    return not any(start <= day and (end is None or day <= end) for start, end in parse_suspensions(p.suspensions))


def covered_since(periods: list[PeriodFacts], on: dt.date) -> dt.date | None:
    """Since when a student is covered without a break on `on`: back through suspensions that
    ended and through earlier periods covered up to the day before. None when not covered."""
    current = next((p for p in periods if covered_on(p, on)), None)
    if current is None:
        return None
    day = on
    while True:
        since = current.starts_on
        for _start, end in parse_suspensions(current.suspensions):
            if end is not None and end < day:
                since = max(since, end + dt.timedelta(days=1))
        before = since - dt.timedelta(days=1)
        previous = next((p for p in periods if p is not current and covered_on(p, before)), None)
        if previous is None:
            return since
        current, day = previous, before


def notice_deadline(notice_on: dt.date, notice_days: int) -> dt.date:
    """The day rights close when no proof came: `notice_days` after the notice. It is stored on
    the period when the notice is sent, so a later change of the parameter keeps the promise."""
    return notice_on + dt.timedelta(days=notice_days)


def maintenance_end(closed_on: dt.date, months: int) -> dt.date:
    """Rights are maintained `months` after the conditions stop (law 65-00 art. 34)."""
    return add_months(closed_on, months)


def mask_id(number: str) -> str:
    """A document number on a published list: the first two and the last two characters."""
    if len(number) <= 4:
        return "*" * len(number)
    return number[:2] + "*" * (len(number) - 4) + number[-2:]


def follow_contribution(status: str, contribution: str) -> str | None:
    """What a rights period becomes when its due is read again: suspended while a due is not
    received, open again once it is. None: nothing to change."""
    paid = contribution in ("paid", "exempt")
    if status == OPEN and not paid:
        return SUSPENDED
    if status == SUSPENDED and paid:
        return OPEN
    return None


# ----------------------------------------------------------------------------------------------
# Where each student goes when the regime ends (law 54.23), for the hand-over export.

PARENT, TADAMON, UNDECIDED = "parent_dependant", "amo_tadamon", "to_be_decided"
# The reason of each destination: stable codes, read by the body that takes over.
STATE_PAID = "state_paid_contribution"
NO_AGE_LIMIT = "no_age_limit_traditional_education"
UNDER_AGE_LIMIT = "under_dependant_age_limit"
OVER_AGE_LIMIT = "over_dependant_age_limit"


@dataclass(frozen=True)
class HandoverFacts:
    birth_date: dt.date
    state_paid: bool  # the State paid the contribution (an exempt due)
    age_limit_exempt: bool  # the final cycle of traditional education: no age limit


@dataclass(frozen=True)
class Destination:
    destination: str
    reason: str


def destination_after_regime(facts: HandoverFacts, regime_ends_on: dt.date, dependant_age_limit: int) -> Destination:
    """Law 54.23: a student for whom the State paid goes on, transitionally, under AMO-Tadamon;
    another becomes a dependant of a parent's AMO while not older than the dependants' age limit
    (30 for a student; none for traditional education), measured on the regime's last day; past
    it, where the student goes is left to the body that takes over. Whether a parent is insured
    is not known here: the body that takes over checks it (decision 0014)."""
    if facts.state_paid:
        return Destination(TADAMON, STATE_PAID)
    if facts.age_limit_exempt:
        return Destination(PARENT, NO_AGE_LIMIT)
    if age_on(facts.birth_date, regime_ends_on) <= dependant_age_limit:
        return Destination(PARENT, UNDER_AGE_LIMIT)
    return Destination(UNDECIDED, OVER_AGE_LIMIT)
