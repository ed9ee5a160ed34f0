"""Read an uploaded list (CSV or XLSX) as a header and rows of text, whatever its encoding,
separator or column order. Streaming: a 200 MB file is never held in memory."""

import codecs
import csv
import datetime as dt
import io
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

ARABIC = re.compile("[\u0600-\u06ff]")
CHUNK = 1 << 20
# The names of the files read_table reads: CSV or text (any separator, any of the encodings
# below) and Excel workbooks.
TABLE_KINDS = (".csv", ".txt", ".xlsx", ".xlsm")
# A referential published as data (the drug guide) may come as a JSON array of objects too.
DATA_KINDS = (*TABLE_KINDS, ".json")
CSV_KINDS = (".csv", ".txt")


class UnreadableFile(ValueError):
    pass


# Beginnings of files that are no text table: a zip (an XLSX, an ODS or a DOCX named .csv), a PDF,
# an old Excel or Word file (OLE), images.
_BINARY_STARTS = (b"PK\x03\x04", b"%PDF", b"\xd0\xcf\x11\xe0", b"\x89PNG", b"GIF8", b"\xff\xd8\xff")
_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\r\x0c")


def _utf16(head: bytes) -> str | None:
    """UTF-16, as Excel's "Unicode text" writes it (a BOM, then tab-separated lines), or without
    a BOM when one byte of each pair is NUL on most of the text."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and not head.startswith(codecs.BOM_UTF32_LE):
        return "utf-16"
    even, odd = head[0:4096:2], head[1:4096:2]
    if len(odd) >= 8:
        if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
            return "utf-16-le"
        if even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
            return "utf-16-be"
    return None


def detect_encoding(handle: IO[bytes]) -> str:
    """UTF-16 when it starts with its BOM (or looks like it); else UTF-8 (with or without BOM)
    when every byte decodes; else Windows-1256 when the text has Arabic letters; else Latin-1.
    Reads the file once, in chunks, then rewinds. A file that is no text (a binary file, an
    XLSX named .csv) is refused as unreadable rather than read as Latin-1 gibberish."""
    head = handle.read(CHUNK)
    handle.seek(0)
    if encoding := _utf16(head):
        return encoding
    # More than 1 % of control bytes is no text either; a NUL here and there is read (the rows
    # that hold one are refused, each with its reason).
    if head.startswith(_BINARY_STARTS) or len(head.translate(None, _CONTROL_BYTES)) < 0.99 * len(head):
        raise UnreadableFile("unreadable_file")
    decoder = codecs.getincrementaldecoder("utf-8")()
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
    if filename.lower().endswith(".json"):
        return _read_json(path)
    return _read_csv(path)


def _read_json(path: str | Path) -> Table:
    """A JSON array of flat objects (or an object holding one such array): the header is the keys
    of all the objects in the order first seen; nested values (objects, lists) are left out.
    Held in memory: JSON lists read here are referentials (a few thousand rows)."""
    try:
        with open(path, "rb") as handle:
            data = json.load(handle)
    except (ValueError, UnicodeDecodeError) as exc:
        raise UnreadableFile("unreadable_file") from exc
    if isinstance(data, dict):
        data = next((v for v in data.values() if isinstance(v, list)), None)
    if not isinstance(data, list) or not data:
        raise UnreadableFile("empty_file")
    header: list[str] = []
    for item in data:
        for key, value in item.items() if isinstance(item, dict) else ():
            if key not in header and not isinstance(value, dict | list):
                header.append(str(key))

    def rows() -> Iterator[list[Any]]:
        for item in data:
            values = item if isinstance(item, dict) else {}
            yield ["" if values.get(key) is None else values.get(key) for key in header]

    return Table(header=header, rows=rows(), encoding="json")


def _read_csv(path: str | Path) -> Table:
    binary = open(path, "rb")  # noqa: SIM115 - closed when the rows are exhausted
    try:
        encoding = detect_encoding(binary)
    except UnreadableFile:
        binary.close()
        raise
    text = io.TextIOWrapper(binary, encoding=encoding, errors="replace", newline="")
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
