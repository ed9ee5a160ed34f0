"""The list of postal orders for payees with no RIB (DOMAIN.md §7: "otherwise postal order"),
as CSV (';', UTF-8 with BOM: Arabic opens right in a spreadsheet) or XLSX, written as a stream.

One row per order: reference, name, identity document, address (the address fields known),
amount; every cell neutralised like every export. The count and the total are those of the rows
written; an order with no positive amount or no name is refused before anything is written.
"""

import csv
import io
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from django.utils.translation import gettext as _

from amo.common.csvfiles import neutralise
from amo.common.errors import DomainError
from amo.common.payments.errors import PaymentFileError as E
from amo.common.payments.pain001 import FileSummary, TransferRefused, amount_problem

CSV, XLSX = "csv", "xlsx"


@dataclass(frozen=True)
class PostalOrder:
    reference: str
    name: str
    id_number: str  # the CIN (or a foreign student's document)
    amount: Decimal
    address: str = ""
    city: str = ""
    postal_code: str = ""


def header() -> list[str]:
    return [
        _("Reference"),
        _("Name"),
        _("Document number"),
        _("Address"),
        _("Postal code"),
        _("City"),
        _("Amount (MAD)"),
    ]


def _row(order: PostalOrder) -> list[Any]:
    return [
        neutralise(v)
        for v in (
            order.reference,
            order.name,
            order.id_number,
            order.address,
            order.postal_code,
            order.city,
            f"{order.amount:.2f}",
        )
    ]


def write_postal_orders(
    target: IO[bytes], *, orders: Iterable[PostalOrder], fmt: str = CSV, message_id: str = ""
) -> FileSummary:
    """Write the list to `target` (a binary file); nothing is written when an order is refused."""
    count, total = 0, Decimal("0.00")
    with tempfile.TemporaryFile() as body:
        text = io.TextIOWrapper(body, encoding="utf-8", newline="")
        writer = csv.writer(text, delimiter=";", lineterminator="\n")
        workbook: Any = None
        if fmt == XLSX:
            from openpyxl import Workbook  # as the other exports: loaded when asked

            workbook = Workbook(write_only=True)
            sheet = workbook.create_sheet("orders")
            sheet.append(header())
        else:
            text.write("\ufeff")
            writer.writerow(header())
        for order in orders:
            count += 1
            if problem := amount_problem(order.amount):
                raise TransferRefused(problem, position=count, end_to_end_id=order.reference)
            if not order.name.strip():
                raise TransferRefused(E.CREDITOR_NAME, position=count, end_to_end_id=order.reference)
            total += order.amount
            if workbook is not None:
                row = _row(order)
                row[-1] = order.amount  # a number in a spreadsheet
                sheet.append(row)
            else:
                writer.writerow(_row(order))
        if count == 0:
            raise DomainError(E.EMPTY)
        if workbook is not None:
            text.detach()
            workbook.save(body)
        else:
            text.flush()
            text.detach()
        body.seek(0)
        shutil.copyfileobj(body, target, 1 << 20)
    return FileSummary(message_id=message_id, count=count, total=total)
