"""Read an uploaded list (CSV or XLSX) as a header and rows of text, whatever its encoding,
separator or column order. Streaming: a 200 MB file is never held in memory."""

import codecs
import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

ARABIC = re.compile("[\u0600-\u06ff]")
CHUNK = 1 << 20


class UnreadableFile(ValueError):
    pass


def detect_encoding(handle: IO[bytes]) -> str:
    """UTF-8 (with or without BOM) when every byte decodes; else Windows-1256 when the text has
    Arabic letters; else Latin-1. Reads the file once, in chunks, then rewinds."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    head = handle.read(CHUNK)
    handle.seek(0)
    try:
        while chunk := handle.read(CHUNK):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
        encoding = "utf-8-sig"
    except UnicodeDecodeError:
        encoding = "cp1256" if ARABIC.search(head.decode("cp1256", errors="replace")) else "latin-1"
    handle.seek(0)
    return encoding


def sniff_delimiter(first_line: str) -> str:
    counts = {sep: first_line.count(sep) for sep in (";", ",", "\t")}
    return max(counts, key=lambda sep: counts[sep]) if any(counts.values()) else ";"


def normalise_header(name: str) -> str:
    """A header as compared with the known spellings: accents and Arabic vowel marks dropped,
    lower case, only Latin letters and digits kept ("Date_Naissance" and "date_naissance" alike),
    or the Arabic letters of a header that has none ("رقم البطاقة")."""
    text = "".join(c for c in unicodedata.normalize("NFKD", str(name or "")) if not unicodedata.combining(c))
    # A header in both scripts ("Nom / النسب") is known by its Latin part; an Arabic one by its
    # letters, however many words.
    return re.sub(r"[^a-z0-9]", "", text.lower()) or re.sub(r"[^\u0600-\u06ff]", "", text)


@dataclass
class Table:
    header: list[str]
    rows: Iterator[list[Any]]
    encoding: str = ""
    delimiter: str = ""


def read_table(path: str | Path, filename: str) -> Table:
    """Open a CSV or XLSX file; rows are lists of cell values (text for CSV)."""
    if filename.lower().endswith((".xlsx", ".xlsm")):
        return _read_xlsx(path)
    return _read_csv(path)


def _read_csv(path: str | Path) -> Table:
    binary = open(path, "rb")  # noqa: SIM115 - closed when the rows are exhausted
    encoding = detect_encoding(binary)
    text = io.TextIOWrapper(binary, encoding=encoding, newline="")
    first = text.readline()
    if not first.strip():
        text.close()
        raise UnreadableFile("empty_file")
    delimiter = sniff_delimiter(first)
    header = next(csv.reader([first], delimiter=delimiter))

    def rows() -> Iterator[list[Any]]:
        try:
            yield from csv.reader(text, delimiter=delimiter)
        finally:
            text.close()

    return Table(header=header, rows=rows(), encoding=encoding, delimiter=delimiter)


def _read_xlsx(path: str | Path) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zip, xml or format errors all mean the same to the user
        raise UnreadableFile("unreadable_file") from exc
    sheet = workbook.worksheets[0]
    values = sheet.iter_rows(values_only=True)
    try:
        header = ["" if v is None else str(v) for v in next(values)]
    except StopIteration as exc:
        workbook.close()
        raise UnreadableFile("empty_file") from exc

    def rows() -> Iterator[list[Any]]:
        try:
            for row in values:
                yield ["" if v is None else v for v in row]
        finally:
            workbook.close()

    return Table(header=header, rows=rows(), encoding="xlsx")


EXCEL_EPOCH = dt.date(1899, 12, 30)
_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")


def parse_date(value: Any) -> dt.date | None:
    """ISO, DD/MM/YYYY (or with . or -), an Excel serial number, or an Excel date cell."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return EXCEL_EPOCH + dt.timedelta(days=int(value)) if 1 < value < 80000 else None
    text = str(value).strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        pass
    if match := _DMY.match(text):
        day, month, year = (int(g) for g in match.groups())
        try:
            return dt.date(year, month, day)
        except ValueError:
            return None
    if text.isdigit() and 1 < int(text) < 80000:
        return EXCEL_EPOCH + dt.timedelta(days=int(text))
    return None
