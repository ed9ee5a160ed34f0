"""The payment files: the credit transfer (pain.001.001.03) validates against the official XSD,
its count and control sum are its items', bad items are refused before anything is written; the
bank's status report (pain.002) is read line by line, unknown ids reported; the postal-order list.

Facts: CNOPS's RIB and IBAN, DOMAIN.md §9; payment to the student's RIB, otherwise by postal
order, DOMAIN.md §7; the message's structure, the ISO 20022 schemas in amo/common/payments/schemas.
"""

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from defusedxml import ElementTree as ET
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from amo.common.errors import DomainError
from amo.common.identifiers import iban_from_rib, rib_key
from amo.common.payments import pain001, pain002, postal
from amo.common.payments.pain001 import Charset, Debtor, Transfer, TransferRefused, schema_problems, write_pain001
from amo.common.payments.reasons import reason_label, rib_to_correct

NS = {"p": pain001.NAMESPACE}
CNOPS_RIB = "310810100013070176970116"  # DOMAIN.md §9
CNOPS = Debtor(name="CNOPS", account=CNOPS_RIB)
SAMPLE_RETURN = Path(__file__).parent / "data" / "pain002_sample.xml"


def a_rib(n: int) -> str:
    first = f"190780{n:016d}"
    return first + rib_key(first)


def transfer(n: int, amount: str = "240.00", **kw: str) -> Transfer:
    values = {"creditor_name": "Amina El Idrissi", "creditor_account": a_rib(n), "remittance": f"CF-{n:08d}"}
    values.update(kw)
    return Transfer(end_to_end_id=f"CF-{n:08d}", amount=Decimal(amount), **values)


def write(transfers, **kw) -> tuple[bytes, pain001.FileSummary]:
    out = io.BytesIO()
    summary = write_pain001(
        out,
        message_id="PAY-2026-000001",
        created_at=dt.datetime(2026, 12, 1, 10, 0),
        execution_date=dt.date(2026, 12, 2),
        debtor=kw.pop("debtor", CNOPS),
        transfers=transfers,
        **kw,
    )
    return out.getvalue(), summary


def test_the_file_validates_against_the_official_schema_with_a_moroccan_debtor_in_dirhams() -> None:
    data, summary = write([transfer(1), transfer(2, "80.50"), transfer(3, "1234.56")])
    assert schema_problems(io.BytesIO(data)) == []
    root = ET.fromstring(data)
    # DOMAIN.md §9: CNOPS's RIB becomes its IBAN MA64 3108 1010 0013 0701 7697 0116.
    assert root.findtext(".//p:DbtrAcct/p:Id/p:IBAN", namespaces=NS) == "MA64310810100013070176970116"
    assert {a.get("Ccy") for a in root.iterfind(".//p:InstdAmt", NS)} == {"MAD"}
    assert [e.text for e in root.iterfind(".//p:EndToEndId", NS)] == ["CF-00000001", "CF-00000002", "CF-00000003"]
    assert root.findtext(".//p:CdtrAcct/p:Id/p:IBAN", namespaces=NS) == iban_from_rib(a_rib(1))
    assert summary.count == 3 and summary.total == Decimal("1555.06")


def test_a_second_validator_agrees_that_the_file_is_valid() -> None:
    """xmlschema (pure Python, too slow for a national file: decision 0015) checks the same
    schema independently of libxml2, so a leniency of one would show."""
    xmlschema = pytest.importorskip("xmlschema")
    data, _summary = write([transfer(1), transfer(2, "80.50", creditor_name="محمد العلوي")])
    schema = xmlschema.XMLSchema(pain001.SCHEMAS / "pain.001.001.03.xsd")
    assert list(schema.iter_errors(data.decode())) == []


def test_the_schema_check_finds_a_broken_file() -> None:
    data, _summary = write([transfer(1)])
    broken = data.replace(b"<PmtMtd>TRF</PmtMtd>", b"<PmtMtd>XXX</PmtMtd>")
    assert "PmtMtd" in schema_problems(io.BytesIO(broken))[0]
    assert schema_problems(io.BytesIO(b"<Document>")) != []


@settings(max_examples=40, deadline=None)
@given(st.lists(st.decimals(min_value="0.01", max_value="99999.99", places=2), min_size=1, max_size=40))
def test_count_and_control_sum_are_always_those_of_the_items(amounts: list[Decimal]) -> None:
    data, summary = write(transfer(n, str(a)) for n, a in enumerate(amounts))
    root = ET.fromstring(data)
    items = [Decimal(e.text or "") for e in root.iterfind(".//p:InstdAmt", NS)]
    assert items == amounts
    for where in ("p:CstmrCdtTrfInitn/p:GrpHdr", "p:CstmrCdtTrfInitn/p:PmtInf"):
        assert int(root.findtext(f"{where}/p:NbOfTxs", namespaces=NS) or 0) == len(amounts)
        assert Decimal(root.findtext(f"{where}/p:CtrlSum", namespaces=NS) or "") == sum(amounts)
    assert (summary.count, summary.total) == (len(amounts), sum(amounts))


def test_arabic_and_accented_names_are_kept_as_the_schema_allows() -> None:
    data, _summary = write(
        [transfer(1, creditor_name="محمد العلوي"), transfer(2, creditor_name="Éloïse Benaïssa & Co")]
    )
    assert schema_problems(io.BytesIO(data)) == []
    names = [e.text for e in ET.fromstring(data).iterfind(".//p:Cdtr/p:Nm", NS)]
    assert names == ["محمد العلوي", "Éloïse Benaïssa & Co"]


def test_latin_mode_folds_accents_and_refuses_a_name_with_no_latin_form() -> None:
    data, _summary = write([transfer(1, creditor_name="Éloïse  Benaïssa & Co")], charset=Charset.LATIN)
    assert ET.fromstring(data).findtext(".//p:Cdtr/p:Nm", namespaces=NS) == "Eloise Benaissa Co"
    with pytest.raises(TransferRefused) as refused:
        write([transfer(1, creditor_name="محمد العلوي")], charset=Charset.LATIN)
    assert refused.value.code == "payment_creditor_name_charset"


def test_an_invalid_rib_is_refused_before_anything_is_written() -> None:
    bad = a_rib(2)[:-1] + ("0" if a_rib(2)[-1] != "0" else "1")  # DOMAIN.md §9: last digit changed
    out = io.BytesIO()
    with pytest.raises(TransferRefused) as refused:
        write_pain001(
            out,
            message_id="PAY-1",
            created_at=dt.datetime(2026, 12, 1),
            execution_date=dt.date(2026, 12, 2),
            debtor=CNOPS,
            transfers=[transfer(1), transfer(2, creditor_account=bad), transfer(3)],
        )
    assert (refused.value.code, refused.value.position, refused.value.end_to_end_id) == ("rib_key", 2, "CF-00000002")
    assert out.getvalue() == b""


@pytest.mark.parametrize(
    ("item", "code"),
    [
        (transfer(1, "0.00"), "payment_amount_not_positive"),
        (transfer(1, "-5.00"), "payment_amount_not_positive"),
        (transfer(1, "10.005"), "payment_amount_cents"),
        (transfer(1, creditor_name="  "), "payment_creditor_name"),
        (transfer(1, creditor_account="MA00310810100013070176970116"), "iban_check"),
        (Transfer("bad id with spaces", Decimal("1.00"), "A", CNOPS_RIB), "payment_end_to_end_id"),
    ],
)
def test_bad_transfers_get_their_code(item: Transfer, code: str) -> None:
    with pytest.raises(TransferRefused) as refused:
        write([item])
    assert refused.value.code == code


def test_a_repeated_end_to_end_id_and_an_empty_file_are_refused() -> None:
    with pytest.raises(TransferRefused) as refused:
        write([transfer(1), transfer(2), transfer(1)])
    assert (refused.value.code, refused.value.position, refused.value.end_to_end_id) == (
        "payment_end_to_end_repeated",
        3,
        "CF-00000001",
    )
    with pytest.raises(DomainError) as empty:
        write([])
    assert empty.value.code == "payment_file_empty"


def test_ids_the_filter_confuses_are_compared_themselves(monkeypatch: pytest.MonkeyPatch) -> None:
    """Repeated ids are found by a fixed-size filter first (bounded memory), which may take two
    ids for one: that must not refuse a good file."""
    monkeypatch.setattr(pain001, "_bloom_indices", lambda _value: [7, 8, 9, 10])
    _data, summary = write([transfer(1), transfer(2), transfer(3)])
    assert summary.count == 3
    with pytest.raises(TransferRefused) as refused:
        write([transfer(1), transfer(2), transfer(2)])
    assert refused.value.position == 3


def test_a_foreign_iban_is_taken_with_its_own_check() -> None:
    data, _summary = write([transfer(1, creditor_account="FR76 3000 6000 0112 3456 7890 189")])
    assert ET.fromstring(data).findtext(".//p:CdtrAcct/p:Id/p:IBAN", namespaces=NS) == "FR7630006000011234567890189"
    assert schema_problems(io.BytesIO(data)) == []


def test_the_status_report_gives_each_line_with_its_reason_in_both_languages() -> None:
    sent = {f"CF-0000010{n}" for n in range(1, 6)}
    report = pain002.read_pain002(SAMPLE_RETURN, known=sent)
    assert (report.original_message_id, report.group_status) == ("PAY-2026-000001", "PART")
    by_id = {line.end_to_end_id: line for line in report.lines}
    assert [(line.end_to_end_id, line.reason_code) for line in report.rejected] == [
        ("CF-00000101", "AC01"),
        ("CF-00000102", "AC04"),
        ("CF-00000104", "X17"),
    ]
    assert by_id["CF-00000103"].status == "ACSC" and not by_id["CF-00000103"].rejected
    assert by_id["CF-00000101"].detail == "COMPTE INEXISTANT"
    assert "compte" in by_id["CF-00000101"].reason_fr.lower()
    assert by_id["CF-00000101"].reason_ar and by_id["CF-00000101"].reason_ar != by_id["CF-00000101"].reason_fr
    assert "X17" in by_id["CF-00000104"].reason_fr  # a bank's own code is named, not dropped


def test_a_line_for_an_unknown_end_to_end_id_is_reported_not_crashed_on() -> None:
    report = pain002.read_pain002(SAMPLE_RETURN, known=lambda e2e: e2e.startswith("CF-000001"))
    assert [(line.end_to_end_id, line.reason_code) for line in report.unknown] == [("CF-99999999", "AM05")]
    assert "CF-99999999" not in {line.end_to_end_id for line in report.rejected}


def test_the_sample_return_is_a_valid_status_report() -> None:
    from lxml import etree

    schema = etree.XMLSchema(etree.parse(str(pain001.SCHEMAS / "pain.002.001.03.xsd")))
    assert schema.validate(etree.parse(str(SAMPLE_RETURN))), schema.error_log


@pytest.mark.parametrize(
    "content",
    [b"not xml at all", b"<html><body>proxy error</body></html>", b"<Document><Other/></Document>", b""],
)
def test_a_file_that_is_not_a_status_report_is_refused_whole(content: bytes) -> None:
    with pytest.raises(DomainError) as refused:
        pain002.read_pain002(io.BytesIO(content), known=set())
    assert refused.value.code == "payment_return_unreadable"


def test_reasons_that_the_student_can_correct_with_another_rib() -> None:
    assert rib_to_correct("AC01") and rib_to_correct("AC04") and not rib_to_correct("AM04")
    with translation.override("ar"):
        assert reason_label("AC04") != reason_label("AC04", "fr")


def orders() -> list[postal.PostalOrder]:
    return [
        postal.PostalOrder(
            "CF-00000201", "Youssef Alaoui", "AB123456", Decimal("120.00"), "12 rue Fès", "Rabat", "10000"
        ),
        postal.PostalOrder("CF-00000202", "=HYPERLINK(1)", "CD654321", Decimal("80.45"), "حي السلام", "Oujda"),
    ]


def test_the_postal_order_list_as_csv() -> None:
    out = io.BytesIO()
    summary = postal.write_postal_orders(out, orders=orders())
    with translation.override("fr"):
        lines = out.getvalue().decode("utf-8-sig").splitlines()
    assert len(lines) == 3
    assert lines[1] == "CF-00000201;Youssef Alaoui;AB123456;12 rue Fès;10000;Rabat;120.00"
    assert lines[2].split(";")[1] == "'=HYPERLINK(1)" and "حي السلام" in lines[2]
    assert (summary.count, summary.total) == (2, Decimal("200.45"))


def test_the_postal_order_list_as_xlsx_and_a_bad_order_writes_nothing() -> None:
    out = io.BytesIO()
    postal.write_postal_orders(out, orders=orders(), fmt=postal.XLSX)
    rows = list(load_workbook(io.BytesIO(out.getvalue())).active.iter_rows(values_only=True))
    assert rows[1][:3] == ("CF-00000201", "Youssef Alaoui", "AB123456") and rows[2][-1] == pytest.approx(80.45)
    empty = io.BytesIO()
    bad = [*orders(), postal.PostalOrder("CF-3", "X", "AB1", Decimal("0"))]
    with pytest.raises(TransferRefused) as refused:
        postal.write_postal_orders(empty, orders=bad)
    assert (refused.value.code, refused.value.position, empty.getvalue()) == ("payment_amount_not_positive", 3, b"")
