"""A 500,000-payment credit-transfer file (ISO 20022 pain.001.001.03) written from a generator of
transfers, then checked against the official XSD, in a process of its own so that its peak
memory is its own; the same run at a tenth of the size shows whether memory grows with the file.
Next to it, the floor of the machine: the same rows written as plain CSV by Python's csv module.

Prints: payment_file (written and checked, end to end), payment_file_write, payment_file_check,
payment_peak_rss and payment_peak_rss_tenth (the process's peak, and its growth over what it held
before writing), payment_csv_floor. BENCH_PAYMENTS sets the number of transfers. The transfers
are made in memory, not read from a database: this measures the file format, not a query."""

import csv
import datetime as dt
import multiprocessing
import os
import resource
import tempfile
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

PAYMENTS = int(os.environ.get("BENCH_PAYMENTS", "500000"))
RIBS = 1000  # distinct accounts the transfers cycle through (each one's IBAN is still computed per transfer)
NAMES = ["Amina El Idrissi", "Youssef Benali", "محمد العلوي", "Éloïse Benaïssa", "Fatima-Zahra Ouazzani"]


def _ribs() -> list[str]:
    from amo.common.identifiers import rib_key

    ribs = []
    for n in range(RIBS):
        first = f"{(190 + n % 50):03d}780{n:016d}"
        ribs.append(first + rib_key(first))
    return ribs


def _transfers(count: int) -> Iterator[object]:
    from amo.common.payments.pain001 import Transfer

    ribs = _ribs()
    for n in range(count):
        yield Transfer(
            end_to_end_id=f"CF-{n:010d}",
            amount=Decimal(80 + n % 2000) + Decimal(n % 100) / 100,
            creditor_name=NAMES[n % len(NAMES)],
            creditor_account=ribs[n % RIBS],
            remittance=f"Remboursement CF-{n:010d}",
        )


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child(count: int, queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    from amo.common.payments.pain001 import Debtor, schema_problems, write_pain001

    before = _rss_mb()
    with tempfile.TemporaryDirectory(prefix="amo-bench-pay-") as folder:
        path = Path(folder) / "pain001.xml"
        started = time.perf_counter()
        with path.open("wb") as target:
            summary = write_pain001(
                target,
                message_id="PAY-BENCH-000001",
                created_at=dt.datetime(2026, 12, 1, 10, 0),
                execution_date=dt.date(2026, 12, 2),
                debtor=Debtor(name="CNOPS", account="310810100013070176970116"),
                transfers=_transfers(count),  # type: ignore[arg-type]
            )
        written = time.perf_counter() - started
        started = time.perf_counter()
        problems = schema_problems(path)
        checked = time.perf_counter() - started
        size = path.stat().st_size
    queue.put((written, checked, summary.count, str(summary.total), problems, size, before, _rss_mb()))


def _in_child(count: int) -> tuple[float, float, int, str, list[str], int, float, float]:
    queue: multiprocessing.Queue = multiprocessing.Queue()  # type: ignore[type-arg]
    child = multiprocessing.get_context("fork").Process(target=_child, args=(count, queue))
    child.start()
    result = queue.get()
    child.join()
    return result  # type: ignore[no-any-return]


def csv_floor(count: int) -> float:
    """The same rows (id, amount, name, RIB, remittance) written as CSV: no IBAN, no check, no XML."""
    ribs = _ribs()
    with tempfile.TemporaryDirectory(prefix="amo-bench-pay-") as folder:
        started = time.perf_counter()
        with (Path(folder) / "rows.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, delimiter=";")
            for n in range(count):
                amount = Decimal(80 + n % 2000) + Decimal(n % 100) / 100
                writer.writerow(
                    [
                        f"CF-{n:010d}",
                        f"{amount:.2f}",
                        NAMES[n % len(NAMES)],
                        ribs[n % RIBS],
                        f"Remboursement CF-{n:010d}",
                    ]
                )
        return time.perf_counter() - started


def run() -> None:
    tenth = _in_child(max(PAYMENTS // 10, 1))
    written, checked, count, total, problems, size, before, peak = _in_child(PAYMENTS)
    print(
        f"# pain.001 of {count} transfers, {size / 1e6:.0f} MB, total {total} MAD, schema problems: {problems or 'none'}",
        flush=True,
    )
    print(f"payment_file: {count / (written + checked):.0f} payments/s ({written + checked:.1f} s)")
    print(f"payment_file_write: {count / written:.0f} payments/s")
    print(f"payment_file_check: {count / checked:.0f} payments/s")
    print(f"payment_peak_rss: {peak:.0f} MB (+{peak - before:.0f} MB over the process before writing)")
    print(
        f"payment_peak_rss_tenth: {tenth[7]:.0f} MB (+{tenth[7] - tenth[6]:.0f} MB) for {tenth[2]} transfers "
        f"({tenth[2] / (tenth[0] + tenth[1]):.0f} payments/s)"
    )
    print(f"payment_csv_floor: {PAYMENTS / csv_floor(PAYMENTS):.0f} rows/s")
