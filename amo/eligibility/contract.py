"""The exchange contract between CNOPS and ANAM: what each side sends, as CSV files (documented
in docs/formats/anam-exchange.md) or as the same fields through the API. Neither side reads the
other's tables: ANAM's real system can replace `registry.py` by answering the same files."""

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from amo.common.csvfiles import csv_stream
from amo.common.readers import parse_date

EXCHANGE_COLUMNS = (
    "batch",
    "entry",
    "id_type",
    "id_number",
    "birth_date",
    "reference_date",
    "age_limit",
    "age_exempt",
    "age_reference_date",
)
VERDICT_COLUMNS = ("batch", "entry", "outcome", "reason", "scheme")
REGISTRY_COLUMNS = ("id_number", "birth_date", "scheme", "role", "starts_on", "ends_on", "action")
REGISTRY_REQUIRED = REGISTRY_COLUMNS[:6]


@dataclass(frozen=True)
class ExchangeRow:
    batch: str
    entry: int
    id_type: str
    id_number: str
    birth_date: dt.date
    reference_date: dt.date
    age_limit: int
    age_exempt: bool
    age_reference_date: dt.date


@dataclass(frozen=True)
class VerdictRow:
    entry: int
    outcome: str
    reason: str
    scheme: str
    line: int = 0  # where it was read (file line, or position in an API call), for the report


def exchange_csv(rows: Iterable[ExchangeRow]) -> Iterator[str]:
    """The file CNOPS sends, line by line (streamed: a batch may hold a million students)."""
    return csv_stream(
        list(EXCHANGE_COLUMNS),
        (
            [
                r.batch,
                r.entry,
                r.id_type,
                r.id_number,
                r.birth_date.isoformat(),
                r.reference_date.isoformat(),
                r.age_limit,
                int(r.age_exempt),
                r.age_reference_date.isoformat(),
            ]
            for r in rows
        ),
    )


def verdict_csv(batch: str, rows: Iterable[VerdictRow]) -> Iterator[str]:
    return csv_stream(list(VERDICT_COLUMNS), ([batch, r.entry, r.outcome, r.reason, r.scheme] for r in rows))


def clean_cell(value: object) -> str:
    return str(value or "").strip()


def date_cell(value: object) -> dt.date | None:
    try:
        return parse_date(clean_cell(value))
    except (ValueError, OverflowError):
        return None
