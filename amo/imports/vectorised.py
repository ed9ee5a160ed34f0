"""The rules of `rules.clean_row`, applied to a whole batch of CSV rows at once with Polars.

Only the common forms are cleaned here: a CIN, an ISO or DD/MM/YYYY date, a plain e-mail, a
phone as 06…/+212…, a known institution of the perimeter, an age within the limit. A row with
any other form (or any error) is handed back and goes through `rules.clean_row`, which cleans
it or says what is wrong. For every row this module accepts, its values are the ones
`clean_row` gives (a test compares both on random rows), so it is only a faster road to the
same result: about 1 µs a row instead of 14.
"""

import csv
import io
import queue
import threading
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import Any

import polars as pl

from amo.common.readers import sniff_delimiter
from amo.common.textrules import ARABIC_LETTERS, EMAIL_MAX_LENGTH, EMAIL_PATTERN, FORBIDDEN_ONE_LINE, LATIN_LETTERS
from amo.enrollment.rules import STUDENT_TEXTS
from amo.enrollment.services import STUDENT_FIELDS
from amo.imports import rules

# Columns of the cleaned frame, in the staging table's order: a student's, then the request's.
CLEAN = (
    "line",
    "id_type",
    "id_number",
    *STUDENT_FIELDS,
    "institution_id",
    "aggregator_id",
    "track",
    "fee_paying",
    "registered_on",
)
SCHEMA: dict[str, Any] = {
    "line": pl.Int64,
    **{name: pl.String for name in CLEAN[1:]},
    "birth_date": pl.Date,
    "institution_id": pl.Int64,
    "aggregator_id": pl.Int64,
    "fee_paying": pl.Boolean,
    "registered_on": pl.Date,
}
BATCH_BYTES = 16 << 20  # about 100,000 rows
_TEN12 = 10**12 % 97


def _raw(i: int) -> str:
    return f"c{i}"


_SPARE = 8  # columns read beyond the header's: a longer first row is no error (longer still: read by Python)


def csv_batches(path: str | Path, *, delimiter: str, width: int) -> Iterator[pl.DataFrame]:
    """The rows after the header, as text columns c0…c{width-1} plus their line number, in
    batches of about BATCH_BYTES of the file (memory stays flat whatever the file's size). A
    batch ends on a line break outside quotes, so a quoted cell spanning lines is never cut. A
    blank line is an all-null row, so line numbers are the row-by-row reader's. A batch Polars
    cannot read (a stray quote, say) is read by Python's csv module, as before this reader."""
    schema = {_raw(i): pl.String for i in range(width)} | {f"_extra{i}": pl.String for i in range(_SPARE)}
    line = 2
    with open(path, "rb") as handle:
        handle.readline()  # the header
        rest = b""
        while True:
            data = handle.read(BATCH_BYTES)
            block = rest + data
            cut = len(block) if not data else _last_break(block)
            if cut < 0 and len(block) < 4 * BATCH_BYTES:
                rest = block  # one cell spans the whole block: read on
                continue
            if cut < 0:  # quotes that never close: cut anyway, the rows will be reported
                cut = block.rfind(b"\n") + 1 or len(block)
            piece, rest = block[:cut], block[cut:]
            if not piece.strip(b"\r\n"):
                line += piece.count(b"\n")  # blank lines only: numbered all the same
            else:
                try:
                    frame = pl.read_csv(
                        piece,
                        has_header=False,
                        separator=delimiter,
                        schema=schema,
                        truncate_ragged_lines=True,
                        missing_columns="insert",
                    ).select(list(schema)[:width])
                except pl.exceptions.PolarsError:
                    frame = _python_read(piece, delimiter=delimiter, width=width)
                yield frame.with_row_index("line", offset=line).with_columns(pl.col("line").cast(pl.Int64))
                line += frame.height
            if not data:
                return


def _python_read(piece: bytes, *, delimiter: str, width: int) -> pl.DataFrame:
    records = csv.reader(io.StringIO(piece.decode("utf-8", errors="replace"), newline=""), delimiter=delimiter)
    rows = [(record + [None] * width)[:width] if record else [None] * width for record in records]
    return pl.DataFrame(rows, schema={_raw(i): pl.String for i in range(width)}, orient="row")


def _last_break(block: bytes) -> int:
    """The position after the block's last line break outside quotes (an even number of
    quote characters before it), or -1. Each byte is counted once."""
    quotes = block.count(b'"')
    after = 0  # quotes after the line break being looked at
    end = len(block)
    while (position := block.rfind(b"\n", 0, end)) >= 0:
        after += block.count(b'"', position, end)
        if (quotes - after) % 2 == 0:
            return position + 1
        end = position
    return -1


def header_of(path: str | Path) -> tuple[list[str], str]:
    """The header (read as the row-by-row reader reads it) and the separator."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        first = handle.readline()
    delimiter = sniff_delimiter(first)
    return next(csv.reader([first], delimiter=delimiter)), delimiter


def _age(born: pl.Expr, on: pl.Expr) -> pl.Expr:
    later = (on.dt.month().cast(pl.Int32) * 100 + on.dt.day().cast(pl.Int32)) < (
        born.dt.month().cast(pl.Int32) * 100 + born.dt.day().cast(pl.Int32)
    )
    return on.dt.year().cast(pl.Int32) - born.dt.year().cast(pl.Int32) - later.cast(pl.Int32)


def age_reference_expr(ctx: rules.RowContext, registered: pl.Expr) -> pl.Expr:
    """`referentials.rules.age_reference_date` in Polars (a test compares the two)."""
    if ctx.age_reference == "registration_date":
        return pl.coalesce(registered, pl.lit(ctx.year_start))
    return pl.lit(ctx.year_end if ctx.age_reference == "academic_year_end" else ctx.year_start)


def over_age_limit_expr(born: pl.Expr, on: pl.Expr, *, limit: int, exempt: pl.Expr) -> pl.Expr:
    """`referentials.rules.over_age_limit` in Polars (a test compares the two around birthdays
    and 29 February)."""
    return ~exempt & (_age(born, on) > limit)


def _date(text: pl.Expr) -> pl.Expr:
    iso = text.str.contains(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
    dmy = text.str.contains(r"^[0-9]{2}/[0-9]{2}/[0-9]{4}$")
    parsed = (
        pl.when(iso)
        .then(text.str.strptime(pl.Date, "%Y-%m-%d", strict=False))
        .when(dmy)
        .then(text.str.strptime(pl.Date, "%d/%m/%Y", strict=False))
        .otherwise(None)
    )
    # Years Python's date takes and this reader reads the same way.
    return pl.when(parsed.dt.year().is_between(1900, 2100)).then(parsed).otherwise(None)


def _institution(code: pl.Expr, ctx: rules.RowContext) -> dict[str, pl.Expr]:
    """The institution's id, aggregator and age exemption, and whether a row naming it may take
    the fast road (known, of the perimeter, affiliated and on the eligible list)."""
    facts = list(ctx.institutions.items())
    ids = {c: f.id for c, f in facts}
    if not facts:
        none = pl.lit(None, pl.Int64)
        return {"ok": pl.lit(False), "id": none, "aggregator": none, "exempt": pl.lit(False)}
    if ctx.fixed is not None:
        fixed = ctx.fixed
        same = code.replace_strict(ids, default=None, return_dtype=pl.Int64) == fixed.id
        return {
            "ok": pl.lit(fixed.on_list and fixed.affiliated) & ((code == "") | same.fill_null(False)),
            "id": pl.lit(fixed.id, pl.Int64),
            "aggregator": pl.lit(fixed.aggregator_id, pl.Int64),
            "exempt": pl.lit(fixed.age_exempt),
        }
    good = {c: f.on_list and f.affiliated and (ctx.allowed is None or f.id in ctx.allowed) for c, f in facts}
    return {
        "ok": code.replace_strict(good, default=False, return_dtype=pl.Boolean),
        "id": code.replace_strict(ids, default=None, return_dtype=pl.Int64),
        "aggregator": code.replace_strict({c: f.aggregator_id for c, f in facts}, default=None, return_dtype=pl.Int64),
        "exempt": code.replace_strict({c: f.age_exempt for c, f in facts}, default=False, return_dtype=pl.Boolean),
    }


def check(batch: pl.DataFrame, positions: dict[str, int], ctx: rules.RowContext) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(cleaned rows in CLEAN order, rows left to clean_row as line + raw columns). Blank rows
    are in neither. Each value is computed once: cells, then clean values, then the verdict."""
    raw_columns = [c for c in batch.columns if c != "line"]
    stripped = [pl.col(c).fill_null("").str.strip_chars() for c in raw_columns]
    blank = pl.all_horizontal([c == "" for c in stripped]) if stripped else pl.lit(True)
    # 1. the cells, by canonical name ("" for a column the file does not have)
    cells = batch.with_columns(
        _blank=blank,
        **{f"v_{name}": stripped[i] for name, i in positions.items()},
        **{f"v_{name}": pl.lit("") for name in rules.COLUMNS if name not in positions},
    )

    def v(name: str) -> pl.Expr:
        return pl.col(f"v_{name}")

    lower = {name: v(name).str.to_lowercase() for name in ("id_type", "sex", "fee_paying", "no_other_coverage")}
    phone_digits = v("phone").str.extract(r"^(?:\+212|00212|0)([5-7][0-9]{8})$", 1)
    rib_digits = v("rib").str.replace_all(r"[\s\-.]", "")
    institution = _institution(v("institution_code"), ctx)
    nationality = v("nationality")
    # 2. the clean values
    values = cells.with_columns(
        id_type=lower["id_type"].replace_strict(rules.ID_TYPES, default=None, return_dtype=pl.String),
        massar=v("massar"),
        last_name=v("last_name"),
        first_name=v("first_name"),
        last_name_ar=v("last_name_ar"),
        first_name_ar=v("first_name_ar"),
        birth_date=_date(v("birth_date")),
        birth_place=v("birth_place"),
        sex=lower["sex"].replace_strict(rules.SEX, default=None, return_dtype=pl.String),
        nationality=pl.when(nationality == "").then(pl.lit("Marocaine")).otherwise(nationality),
        address=v("address"),
        email=v("email").str.to_lowercase(),
        phone=pl.when(v("phone") == "").then(pl.lit("")).otherwise(pl.lit("+212") + phone_digits),
        rib=rib_digits,
        institution_id=institution["id"],
        aggregator_id=institution["aggregator"],
        track=v("track"),
        fee_paying=lower["fee_paying"].is_in(list(rules.TRUE)),
        registered_on=_date(v("registered_on")),
        _fee_answer=lower["fee_paying"].is_in(list(rules.TRUE | rules.FALSE)),
        _covered_no=lower["no_other_coverage"].is_in(list(rules.TRUE)),
        _institution_ok=institution["ok"],
        _exempt=institution["exempt"],
    )
    born, registered = pl.col("birth_date"), pl.col("registered_on")
    reference = age_reference_expr(ctx, registered)
    rib_key = (
        rib_digits.str.slice(0, 12).cast(pl.UInt64, strict=False) % 97 * _TEN12
        + rib_digits.str.slice(12, 12).cast(pl.UInt64, strict=False) % 97
    ) % 97
    email = v("email")
    # 3. the verdict: True only where clean_row would give these very values
    fast = (
        (pl.col("id_type") == "cin")
        & v("id_number").str.contains(r"^[A-Z]{1,2}[0-9]{1,6}$")
        & ((v("massar") == "") | v("massar").str.contains(r"^[A-Z][0-9]{9}$"))
        & ((v("phone") == "") | phone_digits.is_not_null())
        # Divisible by 97 with a key of 01..97 is the key the formula gives (00, 98, 99 never are).
        & ((v("rib") == "") | (pl.col("rib").str.contains(r"^[0-9]{22}(0[1-9]|[1-8][0-9]|9[0-7])$") & (rib_key == 0)))
        & ((email == "") | (email.str.contains(EMAIL_PATTERN) & (email.str.len_chars() <= EMAIL_MAX_LENGTH)))
        & (v("last_name") != "")
        & (v("first_name") != "")
        & pl.all_horizontal([v(name).str.len_chars() <= rule.max_length for name, rule in STUDENT_TEXTS.items()])
        & ~v("last_name").str.contains(ARABIC_LETTERS)
        & ~v("first_name").str.contains(ARABIC_LETTERS)
        & ~v("last_name_ar").str.contains(LATIN_LETTERS)
        & ~v("first_name_ar").str.contains(LATIN_LETTERS)
        & pl.col("sex").is_not_null()
        & pl.col("_fee_answer")
        & pl.col("_covered_no")
        & born.is_not_null()
        & registered.is_between(pl.lit(ctx.year_start), pl.lit(ctx.year_end))
        & pl.col("_institution_ok")
        & (born < pl.lit(ctx.today))
        & (_age(born, pl.lit(ctx.today)) >= ctx.minimum_age)
        & ~over_age_limit_expr(born, reference, limit=ctx.age_limit, exempt=pl.col("_exempt"))
        # Control and invisible characters (some of which Python strips and Polars does not):
        # such rows are left to clean_row, which says which text has them.
        & ~pl.concat_str([v(name) for name in positions]).str.contains(FORBIDDEN_ONE_LINE)
    ).fill_null(False)
    judged = values.with_columns(_fast=fast)
    cleaned = judged.filter(pl.col("_fast") & ~pl.col("_blank")).select(
        "line", pl.lit("cin").alias("id_type"), pl.col("v_id_number").alias("id_number"), *CLEAN[3:]
    )
    others = judged.filter(~pl.col("_fast") & ~pl.col("_blank")).select("line", *raw_columns)
    return cleaned, others


def checked_batches(
    path: str | Path,
    *,
    delimiter: str,
    width: int,
    positions: dict[str, int],
    ctx: rules.RowContext,
    encode: Callable[[pl.DataFrame], Any],
) -> Generator[tuple[Any, int, pl.DataFrame], None, None]:
    """For each batch of the file: its cleaned rows as `encode` writes them for the staging
    table, how many they are, and the rows left to clean_row. Read, checked and encoded one
    batch ahead in a thread (Polars works without the interpreter lock), so that this work
    overlaps the database's ingestion of the previous batch. At most two batches wait."""
    done = object()
    ready: queue.Queue[Any] = queue.Queue(maxsize=2)
    stop = threading.Event()

    def produce() -> None:
        try:
            for batch in csv_batches(path, delimiter=delimiter, width=width):
                if stop.is_set():
                    return
                cleaned, others = check(batch, positions, ctx)
                ready.put((encode(cleaned), cleaned.height, others))
            ready.put(done)
        except BaseException as exc:  # handed to the consumer, raised there
            ready.put(exc)

    worker = threading.Thread(target=produce, name="import-reader", daemon=True)
    worker.start()
    try:
        while (item := ready.get()) is not done:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        while worker.is_alive():  # let a producer blocked on a full queue finish
            try:
                ready.get_nowait()
            except queue.Empty:
                worker.join(0.05)


def frame_of(rows: list[tuple[Any, ...]]) -> pl.DataFrame:
    """Rows cleaned one by one (tuples in CLEAN order) as a frame like check()'s."""
    return pl.DataFrame(rows, schema=SCHEMA, orient="row")
