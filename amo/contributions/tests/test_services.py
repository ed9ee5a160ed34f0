"""Reconciliation on each case of the issue, both statement layouts, and the bad inputs."""

import datetime as dt
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from amo.common.errors import DomainError
from amo.common.models import AuditEvent
from amo.contributions import services
from amo.contributions.models import Credit, Due, Receipt, Statement, Transfer
from amo.contributions.selectors import contribution_of
from amo.contributions.tests.factories import csv_statement
from amo.enrollment.services import registration_decide, registration_submit
from amo.enrollment.tests.factories import open_year, registration_input
from amo.organisations.selectors import contribution_regimes_on
from amo.organisations.tests.factories import category

pytestmark = pytest.mark.django_db
SAMPLE = Path(__file__).parent / "data" / "camt053_sample.xml"


def declare(
    world: Any, entity: Any, dues: list[Due], bank_reference: str = "VIR-001", amount: str = "800.00"
) -> Transfer:
    return services.transfer_declare(
        actor=world.users["admin"],
        legal_entity=entity,
        academic_year=open_year(),
        bank_reference=bank_reference,
        amount=Decimal(amount),
        transferred_on=dt.date(2026, 10, 1),
        due_ids=[d.pk for d in dues],
    )


def test_dues_follow_the_rules(private: Any) -> None:
    _entity, dues = private
    assert [d.amount for d in dues] == [Decimal("400.00")] * 2
    assert all(d.kind == "due" and d.due_on == dt.date(2026, 10, 5) for d in dues)


def test_a_public_student_is_exempt(world: Any) -> None:
    world.mine.institution.affiliated_on = open_year().starts_on
    world.mine.institution.save(update_fields=["affiliated_on"])
    request = registration_submit(
        actor=world.users["student"], entry_channel="", data=registration_input(world.mine.institution)
    )
    registration_decide(actor=world.users["institution"], request=request, target="validated")
    due = Due.objects.get(request=request)
    assert due.kind == "exempt" and contribution_of(request) == "exempt"


def _public_due(world: Any) -> Due:
    world.mine.institution.affiliated_on = open_year().starts_on
    world.mine.institution.save(update_fields=["affiliated_on"])
    request = registration_submit(
        actor=world.users["student"], entry_channel="", data=registration_input(world.mine.institution)
    )
    registration_decide(actor=world.users["institution"], request=request, target="validated")
    return Due.objects.get(request=request)


def _end_exemption(last_day: dt.date) -> None:
    """The State stops paying for the university category after `last_day` (DOMAIN.md §5: it "may ask
    them to contribute", so the exemption is a dated rule); its students pay from the next day."""
    univ = category("univ")
    univ.regimes.filter(valid_to__isnull=True).update(valid_to=last_day)
    univ.regimes.create(regime="collected", valid_from=last_day + dt.timedelta(days=1), source="test: exemption ended")


def test_a_dated_end_of_the_exemption_makes_the_next_years_students_pay(world: Any) -> None:
    """DOMAIN.md §5 (brochure "تحصيل الاشتراكات"; issue 13, rule 6): the exemption ended the day before
    the year's first day, so this year's public student owes 400 MAD; a year that started before the
    end still read the exemption."""
    starts_on = open_year().starts_on
    _end_exemption(starts_on - dt.timedelta(days=1))
    due = _public_due(world)
    assert (due.kind, due.amount) == ("due", Decimal("400.00"))
    univ = category("univ")
    assert univ.contribution_regime_on(starts_on - dt.timedelta(days=365)) == "state_funded"
    assert contribution_regimes_on(starts_on - dt.timedelta(days=365))[univ.pk] == "state_funded"
    assert contribution_regimes_on(starts_on)[univ.pk] == "collected"


def test_an_exemption_ending_during_the_year_still_holds_for_that_year(world: Any) -> None:
    """DOMAIN.md §5: the regime is read on the academic year's first day; an exemption that ends a day
    after it leaves this year's students exempt (their dues come with the next year)."""
    _end_exemption(open_year().starts_on + dt.timedelta(days=1))
    due = _public_due(world)
    assert (due.kind, due.amount) == ("exempt", Decimal("0.00"))


def test_exact_payment_is_received_with_a_receipt_and_the_student_sees_paid(world: Any, private: Any) -> None:
    entity, dues = private
    transfer = declare(world, entity, dues)
    assert contribution_of(dues[0].request) == "declared"
    reference = transfer.payment_reference.reference
    statement = services.statement_import(
        actor=world.users["cnops"],
        content=csv_statement(("06/10/2026", f"VIR {reference} VIR-001", "800,00")),
        filename="releve.csv",
    )
    transfer.refresh_from_db()
    assert (statement.matched, statement.to_review, transfer.status) == (1, 0, "received")
    receipt = Receipt.objects.get(transfer=transfer)
    assert receipt.number.startswith("REC-") and receipt.amount == Decimal("800.00")
    assert contribution_of(dues[0].request) == "paid"
    assert AuditEvent.objects.filter(action="transfer_reconciled", object_id=str(transfer.pk)).exists()
    services.receipts_render_now(transfer_ids=[transfer.pk])
    receipt.refresh_from_db()
    assert receipt.document is not None and receipt.document.code == receipt.code
    if shutil.which("pdftotext"):
        # Issue 13, item 13: the receipt lists the students it pays for; its verification line is bilingual.
        text = subprocess.run(
            ["pdftotext", receipt.document.file.path, "-"], capture_output=True, text=True, check=True
        ).stdout
        for due in dues:
            student = due.request.student
            assert student.id_number in text and student.last_name in text
        assert "Vérifiez ce document sur" in text
        with translation.override("ar"):
            assert translation.gettext("Check this document at") in text


@pytest.mark.parametrize(
    ("amount", "outcome", "status"),
    [("400,00", "underpaid", "underpaid"), ("1 000,00", "overpaid", "overpaid")],
)
def test_under_and_over_payments(world: Any, private: Any, amount: str, outcome: str, status: str) -> None:
    entity, dues = private
    transfer = declare(world, entity, dues)
    services.statement_import(
        actor=world.users["cnops"],
        content=csv_statement(("2026-10-06", transfer.payment_reference.reference, amount)),
        filename="r.csv",
    )
    transfer.refresh_from_db()
    assert transfer.status == status and Credit.objects.get().outcome == outcome
    assert Receipt.objects.filter(transfer=transfer).exists() == (outcome == "overpaid")


def test_unknown_reference_and_wrong_check_digit_wait_for_a_person(world: Any, private: Any) -> None:
    entity, dues = private
    transfer = declare(world, entity, dues)
    reference = transfer.payment_reference.reference
    wrong = reference[:-1] + str((int(reference[-1]) + 1) % 10)
    statement = services.statement_import(
        actor=world.users["cnops"],
        content=csv_statement(("2026-10-06", f"VIR {wrong}", "800,00"), ("2026-10-06", "VIREMENT SANS REF", "50,00")),
        filename="r.csv",
    )
    assert statement.to_review == 2 and set(Credit.objects.values_list("outcome", flat=True)) == {"unknown_reference"}
    credit = Credit.objects.get(label__contains=wrong)
    services.credit_match(actor=world.users["cnops"], credit=credit, transfer=transfer)
    transfer.refresh_from_db()
    assert transfer.status == "received" and Receipt.objects.filter(transfer=transfer).exists()
    assert AuditEvent.objects.filter(action="credit_match").exists()


def test_the_same_credit_twice_is_counted_once_and_the_same_statement_changes_nothing(world: Any, private: Any) -> None:
    entity, dues = private
    transfer = declare(world, entity, dues)
    row = ("2026-10-06", transfer.payment_reference.reference, "800,00")
    content = csv_statement(row, row)
    statement = services.statement_import(actor=world.users["cnops"], content=content, filename="r.csv")
    assert (statement.matched, statement.duplicates) == (1, 1)
    with pytest.raises(DomainError) as err:
        services.statement_import(actor=world.users["cnops"], content=content, filename="r.csv")
    assert err.value.code == "statement_already_imported"
    again = services.statement_import(actor=world.users["cnops"], content=csv_statement(row) + b"\n", filename="r2.csv")
    assert (again.matched, again.duplicates) == (0, 1)
    assert Receipt.objects.count() == 1


def test_camt053_is_parsed_and_foreign_currency_and_debits_are_refused(world: Any, private: Any) -> None:
    entity, dues = private
    transfer = declare(world, entity, dues, bank_reference="E2E-42")
    xml = SAMPLE.read_text().format(
        amount="800.00", bank_reference="E2E-42", reference=transfer.payment_reference.reference
    )
    statement = services.statement_import(actor=world.users["cnops"], content=xml.encode(), filename="camt053.xml")
    transfer.refresh_from_db()
    assert (statement.layout, statement.account, statement.credits, statement.matched) == (
        "camt.053",
        "MA64310810100013070176970116",
        1,
        1,
    )
    assert transfer.status == "received"
    refused = AuditEvent.objects.get(action="statement_import").after["refused"]
    assert sorted(item.split(":")[1] for item in refused) == ["statement_currency", "statement_not_a_credit"]


@pytest.mark.parametrize(
    "content", [b"", b"foo;bar\n1;2", b"<Document><x/></Document>", b"<!DOCTYPE x [<!ENTITY a 'b'>]><Document/>"]
)
def test_an_unknown_layout_is_refused_whole(world: Any, content: bytes) -> None:
    with pytest.raises(DomainError) as err:
        services.statement_import(
            actor=world.users["cnops"],
            content=content + b" ",
            filename="x.csv" if not content.startswith(b"<") else "x.xml",
        )
    assert err.value.code == "statement_layout"
    assert not Statement.objects.exists()


def test_zero_and_negative_amounts_are_refused_lines(world: Any, private: Any) -> None:
    statement = services.statement_import(
        actor=world.users["cnops"],
        content=csv_statement(("2026-10-06", "X", "0"), ("2026-10-06", "Y", "-10,00")),
        filename="r.csv",
    )
    assert statement.credits == 0 and not Credit.objects.exists()


def test_a_transfer_declared_twice_and_a_student_in_two_transfers_are_refused(world: Any, private: Any) -> None:
    entity, dues = private
    declare(world, entity, dues[:1], bank_reference="VIR-1", amount="400.00")
    with pytest.raises(DomainError) as err:
        declare(world, entity, dues[1:], bank_reference="vir-1", amount="400.00")
    assert err.value.code == "transfer_declared_twice"
    with pytest.raises(DomainError) as err:
        declare(world, entity, dues, bank_reference="VIR-2", amount="800.00")
    assert err.value.code == "due_in_another_transfer"
    with pytest.raises(DomainError) as err:
        declare(world, entity, dues[1:], bank_reference="VIR-3", amount="399.00")
    assert err.value.code == "amount_mismatch"
    assert Transfer.objects.count() == 1


def test_dues_can_be_picked_from_an_uploaded_list(world: Any, private: Any) -> None:
    entity, dues = private
    ids = services.dues_by_document_numbers(
        legal_entity=entity, academic_year=open_year(), numbers=["ab111111", " AB222222 "]
    )
    assert sorted(ids) == sorted(d.pk for d in dues)
    with pytest.raises(DomainError) as err:
        services.dues_by_document_numbers(legal_entity=entity, academic_year=open_year(), numbers=["ZZ999999"])
    assert "ZZ999999" in err.value.message


def test_reminders_go_once_before_and_once_after(
    world: Any, private: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django.core import mail

    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send(today=dt.date(2026, 10, 1)) == 1
        assert services.reminders_send(today=dt.date(2026, 10, 2)) == 0
        assert services.reminders_send(today=dt.date(2026, 10, 6)) == 1
    assert len(mail.outbox) == 2


def test_a_statement_of_another_account_is_refused_whole_with_the_accounts_named(world: Any, private: Any) -> None:
    # Issue 13, rule 3: only CNOPS's contributions account (the cnops_rib parameter; brochure and
    # SOURCES.md §4: RIB 310810100013070176970116) is reconciled against the declared transfers.
    entity, dues = private
    transfer = declare(world, entity, dues, bank_reference="E2E-43")
    xml = SAMPLE.read_text().format(
        amount="800.00", bank_reference="E2E-43", reference=transfer.payment_reference.reference
    )
    other = xml.replace("MA64310810100013070176970116", "MA64310010100112470413600140")  # a TGR faculty's account
    with pytest.raises(DomainError) as err:
        services.statement_import(actor=world.users["cnops"], content=other.encode(), filename="camt053.xml")
    assert err.value.code == "statement_other_account"
    assert "310010100112470413600140" in err.value.message or "MA64310010100112470413600140" in err.value.message
    assert "310810100013070176970116" in err.value.message
    assert not Statement.objects.exists()
    transfer.refresh_from_db()
    assert transfer.status != "received"
    # CNOPS's own account, given by its IBAN (camt.053) or its RIB (a CSV column), is taken.
    assert (
        services.statement_import(actor=world.users["cnops"], content=xml.encode(), filename="camt053.xml").matched == 1
    )


def test_a_csv_statement_says_its_account_in_a_column_and_one_of_another_account_is_refused(world: Any) -> None:
    header = "Date;Compte;Libellé;Montant\n"
    ours = header + "2026-10-06;310810100013070176970116;VIR AMO-X;800,00\n"
    theirs = header + "2026-10-06;310010100112470413600140;VIR AMO-X;800,00\n"
    mixed = ours + "2026-10-07;310010100112470413600140;VIR AMO-Y;400,00\n"
    assert services.statement_import(actor=world.users["cnops"], content=ours.encode(), filename="a.csv").account
    for content, code in ((theirs, "statement_other_account"), (mixed, "statement_several_accounts")):
        with pytest.raises(DomainError) as err:
            services.statement_import(actor=world.users["cnops"], content=content.encode(), filename="b.csv")
        assert err.value.code == code
    assert Statement.objects.count() == 1
