"""CSV written as a stream of text chunks (for StreamingHttpResponse or a file), one row at a
time: a national list never sits in memory."""

import csv
from collections.abc import Iterable, Iterator
from typing import Any


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_stream(columns: list[Any], rows: Iterable[list[Any]], *, bom: bool = False) -> Iterator[str]:
    """';'-separated lines; `bom` for files people open in a spreadsheet (Arabic shows right)."""
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\n")
    if bom:
        yield "\ufeff"
    yield writer.writerow(columns)
    for row in rows:
        yield writer.writerow(row)
