"""Read a bank statement of CNOPS's account: a CSV export or an ISO 20022 camt.053 file.
Returns the credit lines and the lines refused with a reason; a file in an unknown layout is
refused whole."""

import csv
import datetime as dt
import hashlib
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from defusedxml import ElementTree

from amo.imports.readers import UnreadableFile, detect_encoding, normalise_header, parse_date, sniff_delimiter

# The files parse() reads: the bank's CSV (or text) export, or a camt.053 XML file.
STATEMENT_KINDS = (".csv", ".txt", ".xml")


class StatementRefused(ValueError):
    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(code)


@dataclass(frozen=True)
class CreditLine:
    line: int
    booked_on: dt.date
    amount: Decimal
    currency: str
    bank_reference: str
    label: str
    key: str = ""

    def __post_init__(self) -> None:
        """The key identifies a credit across statements: the same credit imported twice is one."""
        raw = f"{self.booked_on.isoformat()}|{self.amount}|{self.bank_reference}|{self.label}"
        object.__setattr__(self, "key", hashlib.sha256(raw.encode()).hexdigest())


@dataclass
class ParsedStatement:
    layout: str
    account: str = ""
    credits: list[CreditLine] = field(default_factory=list)
    refused: list[tuple[int, str]] = field(default_factory=list)  # (line, reason code)


CSV_COLUMNS = {
    "date": ("date", "dateoperation", "datecomptable", "bookingdate", "dateval", "datevaleur"),
    "amount": ("amount", "montant", "credit", "montantcredit"),
    "currency": ("currency", "devise", "ccy"),
    "label": ("label", "libelle", "description", "motif", "remittance"),
    "reference": ("reference", "ref", "referencebanque", "bankreference", "numero"),
}


def parse(content: bytes, filename: str) -> ParsedStatement:
    head = content[:2000].lstrip()
    if head.startswith(b"<") or filename.lower().endswith(".xml"):
        return _camt053(content)
    return _csv(content)


def _amount(text: str) -> Decimal | None:
    clean = text.replace("\u00a0", "").replace(" ", "")
    if "," in clean and "." in clean:
        clean = (
            clean.replace(".", "").replace(",", ".") if clean.rfind(",") > clean.rfind(".") else clean.replace(",", "")
        )
    else:
        clean = clean.replace(",", ".")
    try:
        value = Decimal(clean)
    except InvalidOperation:
        return None
    return value.quantize(Decimal("0.01")) if value.is_finite() else None


def _accept(
    parsed: ParsedStatement,
    line: int,
    booked: dt.date | None,
    amount: Decimal | None,
    currency: str,
    reference: str,
    label: str,
) -> None:
    if booked is None:
        parsed.refused.append((line, "statement_date"))
    elif amount is None:
        parsed.refused.append((line, "statement_amount"))
    elif amount <= 0:
        parsed.refused.append((line, "statement_not_a_credit"))
    elif currency.upper() not in ("MAD", ""):
        parsed.refused.append((line, "statement_currency"))
    else:
        parsed.credits.append(
            CreditLine(line, booked, amount, "MAD", reference.strip()[:60], " ".join(label.split())[:250])
        )


def _csv(content: bytes) -> ParsedStatement:
    handle = io.BytesIO(content)
    try:
        encoding = detect_encoding(handle)
    except UnreadableFile as exc:  # a binary file, a spreadsheet named .csv
        raise StatementRefused("statement_layout") from exc
    text = content.decode(encoding, errors="replace")
    lines = text.splitlines()
    if not lines:
        raise StatementRefused("statement_layout")
    reader = csv.reader(lines, delimiter=sniff_delimiter(lines[0]))
    header = [normalise_header(h) for h in next(reader)]
    positions = {}
    for name, aliases in CSV_COLUMNS.items():
        for index, column in enumerate(header):
            if column in aliases:
                positions[name] = index
                break
    if not {"date", "amount", "label"} <= positions.keys():
        raise StatementRefused("statement_layout")
    parsed = ParsedStatement(layout="csv")
    for number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue

        def cell(name: str, row: list[str] = row) -> str:
            index = positions.get(name)
            return row[index].strip() if index is not None and index < len(row) else ""

        _accept(
            parsed,
            number,
            parse_date(cell("date")),
            _amount(cell("amount")),
            cell("currency") or "MAD",
            cell("reference"),
            cell("label"),
        )
    return parsed


def _camt053(content: bytes) -> ParsedStatement:
    try:
        root = ElementTree.fromstring(content)
    except Exception as exc:  # malformed XML, entity bombs: the same answer
        raise StatementRefused("statement_layout") from exc
    if not root.tag.endswith("Document") or "camt.053" not in root.tag:
        raise StatementRefused("statement_layout")
    ns = root.tag[1:].split("}")[0]

    def q(path: str) -> str:
        return "/".join(f"{{{ns}}}{p}" for p in path.split("/"))

    parsed = ParsedStatement(layout="camt.053")
    statements = root.findall(q("BkToCstmrStmt/Stmt"))
    if not statements:
        raise StatementRefused("statement_layout")
    number = 0
    for statement in statements:
        iban = statement.findtext(q("Acct/Id/IBAN")) or ""
        parsed.account = parsed.account or iban
        for entry in statement.findall(q("Ntry")):
            number += 1
            if (entry.findtext(q("CdtDbtInd")) or "").strip() != "CRDT":
                parsed.refused.append((number, "statement_not_a_credit"))
                continue
            amount_el = entry.find(q("Amt"))
            amount = _amount(amount_el.text or "") if amount_el is not None else None
            currency = amount_el.get("Ccy", "") if amount_el is not None else ""
            booked = parse_date(entry.findtext(q("BookgDt/Dt")) or (entry.findtext(q("BookgDt/DtTm")) or "")[:10])
            reference = entry.findtext(q("AcctSvcrRef")) or entry.findtext(q("NtryRef")) or ""
            labels = [el.text or "" for el in entry.iter(f"{{{ns}}}Ustrd")]
            end_to_end = entry.findtext(q("NtryDtls/TxDtls/Refs/EndToEndId")) or ""
            label = " ".join([*labels, end_to_end if end_to_end != "NOTPROVIDED" else ""])
            _accept(parsed, number, booked, amount, currency, reference, label)
    return parsed
