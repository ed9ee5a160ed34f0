"""Files people open in a spreadsheet: CSV written as a stream of text chunks (for
StreamingHttpResponse or a file), one row at a time, so that a national list never sits in
memory; and the cell rule every export (CSV, XLSX, PDF) applies."""

import csv
import re
from collections.abc import Iterable, Iterator
from typing import Any

# A spreadsheet runs a cell starting with one of these as a formula ("=HYPERLINK(…)").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Control characters XML 1.0 cannot hold: one of them made a whole XLSX export fail (and a NUL
# stops many CSV readers). Tab and line breaks stay.
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def neutralise(value: Any) -> Any:
    """A cell as every export writes it: a text that a spreadsheet would run as a formula gets a
    leading quote; control characters no file format takes become U+FFFD (so that the reader sees
    something was there). Other values are left as they are."""
    if isinstance(value, str):
        value = _UNWRITABLE.sub("\ufffd", value)
        if value.startswith(FORMULA_STARTS):
            return "'" + value
    return value


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_stream(columns: list[Any], rows: Iterable[list[Any]], *, bom: bool = False) -> Iterator[str]:
    """';'-separated lines, every cell neutralised; `bom` for files people open in a spreadsheet
    (Arabic shows right)."""
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\n")
    if bom:
        yield "\ufeff"
    yield writer.writerow([neutralise(c) for c in columns])
    for row in rows:
        yield writer.writerow([neutralise(v) for v in row])
