"""Care files from the student's declaration to the confirmed liquidation (DOMAIN.md §7: deposit
by channel, transmittal slips, 60 days after the first act, TNR and PBR bases, the rates)."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail

from amo.claims import services
from amo.claims.models import CareFile, CareLine, EntryOutcome, SlipStatus
from amo.claims.tests.conftest import RIGHTS_OPEN, Claims
from amo.common.errors import DomainError
from amo.common.models import AuditEvent
from amo.referentials.models import NgapKey
from amo.referentials.services import parameter_set

pytestmark = [pytest.mark.django_db, pytest.mark.today(RIGHTS_OPEN)]
D = dt.date


def _act(claims: Claims, care_file: CareFile, **values: Any) -> CareLine:
    fields: dict[str, Any] = {
        "kind": "act",
        "act_on": care_file.first_act_on,
        "practitioner_inpe": "123456789",
        "amount_paid": Decimal("200"),
        "letter": "CS",
        "coefficient": Decimal("1"),
        **values,
    }
    return services.care_line_add(actor=claims.world.users["cnops"], care_file=care_file, **fields)


def test_the_student_pre_declares_and_the_deposit_point_takes_the_file(claims: Claims) -> None:
    claims.today("2026-11-10")
    users = claims.world.users
    care_file = services.care_file_predeclare(
        actor=claims.student.user,
        student=claims.student,
        kind="ordinary",
        first_act_on=D(2026, 11, 2),
        declared_amount=Decimal("350.00"),
    )
    assert care_file.status == "pre_declared" and care_file.number.startswith("DOS-2026-")
    services.care_file_deposit(
        actor=users["deposit_point"], care_file=care_file, deposit_point=claims.world.mine.deposit_point
    )
    care_file.refresh_from_db()
    assert (care_file.status, care_file.deposited_on) == ("deposited", D(2026, 11, 10))
    actions = list(
        AuditEvent.objects.filter(object_id=str(care_file.pk), object_type="claims.carefile")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["care_file_pre_declared", "care_file_deposited"]


def test_a_first_act_in_the_future_or_a_zero_amount_is_refused(claims: Claims) -> None:
    claims.today("2026-11-10")
    for first, amount, code in [
        (D(2026, 11, 11), "10", "first_act_in_future"),
        (D(2026, 11, 2), "0", "amount_out_of_bounds"),
        (D(2026, 11, 2), "-5", "amount_out_of_bounds"),
        (D(2026, 11, 2), "9999999", "amount_out_of_bounds"),
    ]:
        with pytest.raises(DomainError) as refused:
            services.care_file_predeclare(
                actor=None, student=claims.student, kind="ordinary", first_act_on=first, declared_amount=Decimal(amount)
            )
        assert refused.value.code == code
    assert not CareFile.objects.exists()


def test_a_student_not_insured_on_the_first_act_date_is_refused_at_the_deposit(claims: Claims) -> None:
    claims.today("2026-11-10")
    with pytest.raises(DomainError) as refused:
        services.care_file_create_at_deposit(
            actor=None,
            deposit_point=claims.world.mine.deposit_point,
            student=claims.student,
            kind="ordinary",
            first_act_on=D(2026, 9, 20),
            declared_amount=Decimal("100"),
        )
    assert refused.value.code == "not_insured_on_first_act"
    assert not CareFile.objects.exists()


def test_another_channels_deposit_point_cannot_take_the_file(claims: Claims) -> None:
    # DOMAIN.md §3: higher education deposits at ONOUSC offices, not at OFPPT's.
    claims.today("2026-11-10")
    with pytest.raises(DomainError) as refused:
        services.care_file_create_at_deposit(
            actor=None,
            deposit_point=claims.world.other.deposit_point,
            student=claims.student,
            kind="ordinary",
            first_act_on=D(2026, 11, 2),
            declared_amount=Decimal("100"),
        )
    assert refused.value.code == "wrong_deposit_point"


def test_a_file_goes_on_one_slip_only_and_a_slip_received_twice_changes_nothing(claims: Claims) -> None:
    claims.today("2026-11-10")
    users, point = claims.world.users, claims.world.mine.deposit_point
    files = [
        services.care_file_create_at_deposit(
            actor=None,
            deposit_point=point,
            student=claims.student,
            kind="ordinary",
            first_act_on=D(2026, 11, 2),
            declared_amount=Decimal(a),
        )
        for a in ("100.50", "200.25", "50.00")
    ]
    slip = services.slip_prepare(
        actor=users["deposit_point"],
        deposit_point=point,
        files=CareFile.objects.filter(pk__in=[f.pk for f in files[:2]]),
    )
    assert (slip.file_count, slip.total_declared) == (2, Decimal("300.75")) and slip.number.startswith("BOR-2026-")
    with pytest.raises(DomainError) as refused:
        services.slip_prepare(actor=None, deposit_point=point, files=CareFile.objects.filter(pk=files[0].pk))
    assert refused.value.code == "file_already_on_slip"
    with pytest.raises(DomainError):
        services.slip_receive(actor=users["cnops"], slip=slip)  # not sent yet
    services.slip_send(actor=users["deposit_point"], slip=slip)
    services.slip_receive(actor=users["cnops"], slip=slip, missing=[files[1].number], extra=[files[2].number])
    slip.refresh_from_db()
    assert (slip.status, slip.received_count, slip.missing_count, slip.extra_count) == (SlipStatus.RECEIVED, 1, 1, 1)
    outcomes = dict(slip.entries.values_list("care_file__number", "outcome"))
    assert outcomes == {
        files[0].number: EntryOutcome.RECEIVED,
        files[1].number: EntryOutcome.MISSING,
        files[2].number: EntryOutcome.EXTRA,
    }
    statuses = [CareFile.objects.get(pk=f.pk).status for f in files]
    assert statuses == ["received", "on_slip", "received"]
    audit_rows = AuditEvent.objects.count()
    services.slip_receive(actor=users["cnops"], slip=slip, missing=[], extra=[])
    assert AuditEvent.objects.count() == audit_rows
    assert dict(slip.entries.values_list("care_file__number", "outcome")) == outcomes


def test_lines_are_liquidated_on_the_tariff_and_the_statement_is_emailed(
    claims: Claims, django_capture_on_commit_callbacks: Any
) -> None:
    claims.today("2026-11-20")
    care_file = claims.received_file(D(2026, 11, 2))
    _act(claims, care_file)  # CS 150 × 80 % = 120
    services.care_line_add(
        actor=None,
        care_file=care_file,
        kind="drug",
        act_on=D(2026, 11, 3),
        practitioner_inpe="987654321",
        amount_paid=Decimal("60"),
        drug_code="M001",
        quantity=3,
    )  # 55.05 × 70 % = 38.54
    services.care_line_add(
        actor=None,
        care_file=care_file,
        kind="drug",
        act_on=D(2026, 11, 3),
        practitioner_inpe="987654321",
        amount_paid=Decimal("30"),
        drug_code="M002",
        quantity=1,
    )  # not reimbursable
    with django_capture_on_commit_callbacks(execute=True):
        services.care_file_liquidate(actor=claims.world.users["cnops"], care_file=care_file)
    care_file.refresh_from_db()
    assert (care_file.status, care_file.total_paid, care_file.total_reimbursed) == (
        "confirmed",
        Decimal("290.00"),
        Decimal("158.54"),
    )
    lines = list(
        care_file.lines.order_by("pk").values_list(
            "reimbursed", "reason", "used_key_value", "used_pbr", "used_deadline_days"
        )
    )
    assert lines == [
        (Decimal("120.00"), "", Decimal("150.00"), None, 60),
        (Decimal("38.54"), "", None, Decimal("18.35"), 60),
        (Decimal("0.00"), "drug_not_reimbursable", None, Decimal("30.00"), 60),
    ]
    assert care_file.statement is not None and care_file.statement.kind == "care_statement"
    [message] = [m for m in mail.outbox if care_file.number in m.subject]
    assert message.to == [claims.student.email] and message.attachments[0][2] == "application/pdf"


def test_a_file_deposited_on_day_61_is_time_barred(claims: Claims) -> None:
    claims.today("2027-01-02")  # 61 days after 2 November 2026
    care_file = claims.received_file(D(2026, 11, 2))
    _act(claims, care_file)
    services.care_file_liquidate(actor=None, care_file=care_file)
    assert care_file.lines.get().reason == "time_barred"


def test_a_line_repeated_in_another_file_is_a_duplicate(claims: Claims) -> None:
    claims.today("2026-11-20")
    first, second = claims.received_file(D(2026, 11, 2)), claims.received_file(D(2026, 11, 2))
    _act(claims, first)
    with pytest.raises(DomainError) as refused:
        _act(claims, first)
    assert refused.value.code == "line_repeated"
    _act(claims, second)
    services.care_file_liquidate(actor=None, care_file=second)
    assert second.lines.get().reason == "duplicate_line"


def test_bad_lines_are_refused_at_entry(claims: Claims) -> None:
    claims.today("2026-11-20")
    care_file = claims.received_file(D(2026, 11, 2))
    cases: list[tuple[dict[str, Any], str]] = [
        ({"act_on": D(2026, 11, 21)}, "act_in_future"),
        ({"amount_paid": Decimal("0")}, "amount_out_of_bounds"),
        ({"coefficient": Decimal("-1")}, "coefficient_invalid"),
        ({"letter": "QQ"}, "letter_unknown"),
        ({"practitioner_inpe": "12"}, "inpe_format"),
        ({"kind": "drug", "drug_code": "NOPE", "quantity": 1, "letter": ""}, "drug_code_unknown"),
    ]
    for values, code in cases:
        with pytest.raises(DomainError) as refused:
            _act(claims, care_file, **values)
        assert refused.value.code == code
    assert not care_file.lines.exists()


def test_a_costly_drug_needs_an_agreement_until_approvals_decides(claims: Claims) -> None:
    claims.today("2026-11-20")
    care_file = claims.received_file(D(2026, 11, 2))
    services.care_line_add(
        actor=None,
        care_file=care_file,
        kind="drug",
        act_on=D(2026, 11, 3),
        practitioner_inpe="987654321",
        amount_paid=Decimal("9000"),
        drug_code="M003",
        quantity=1,
    )
    services.care_file_liquidate(actor=None, care_file=care_file)
    assert care_file.lines.get().reason == "agreement_required"


def test_above_the_threshold_a_second_agent_confirms(claims: Claims, django_capture_on_commit_callbacks: Any) -> None:
    claims.today("2026-11-20")
    parameter_set(actor=None, key="claim_confirmation_threshold", value="100.00", valid_from=D(2026, 11, 1))
    care_file = claims.received_file(D(2026, 11, 2))
    _act(claims, care_file)  # 120 > 100
    cnops, admin = claims.world.users["cnops"], claims.world.users["admin"]
    services.care_file_liquidate(actor=cnops, care_file=care_file)
    care_file.refresh_from_db()
    assert (care_file.status, care_file.needs_confirmation) == ("liquidated", True)
    with pytest.raises(DomainError) as refused:
        services.care_file_confirm(actor=cnops, care_file=care_file)
    assert refused.value.code == "confirm_same_agent"
    with django_capture_on_commit_callbacks(execute=True):
        services.care_file_confirm(actor=admin, care_file=care_file)
    care_file.refresh_from_db()
    assert (care_file.status, care_file.confirmed_by) == ("confirmed", admin)


def test_a_new_tariff_never_rewrites_a_past_liquidation_and_a_rerun_reads_the_act_date(claims: Claims) -> None:
    claims.today("2026-11-20")
    care_file = claims.received_file(D(2026, 11, 2))
    _act(claims, care_file)
    services.care_file_liquidate(actor=None, care_file=care_file)
    old = NgapKey.objects.get(letter="CS", sector="private")
    old.valid_to = D(2026, 11, 14)
    old.save(update_fields=["valid_to"])
    NgapKey.objects.create(
        letter="CS",
        label="x",
        sector="private",
        value=Decimal("250"),
        coefficient_min=1,
        coefficient_max=2,
        category="consultation",
        valid_from=D(2026, 11, 15),
    )
    line = care_file.lines.get()
    assert (line.reimbursed, line.used_key_value) == (Decimal("120.00"), Decimal("150.00"))  # stored, not re-read
    services.care_file_liquidate(actor=None, care_file=care_file)  # the act of 2 November keeps CS = 150
    assert care_file.lines.get().reimbursed == Decimal("120.00")


def test_paid_is_final(claims: Claims) -> None:
    claims.today("2026-11-20")
    care_file = claims.received_file(D(2026, 11, 2))
    _act(claims, care_file)
    services.care_file_liquidate(actor=None, care_file=care_file)
    CareFile.objects.filter(pk=care_file.pk).update(status="paid")
    with pytest.raises(DomainError) as refused:
        services.care_file_liquidate(actor=None, care_file=care_file)
    assert refused.value.code == "file_already_paid"
