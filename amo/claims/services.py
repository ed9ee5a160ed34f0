"""Every write of care files: pre-declaration, deposit, transmittal slips, entry of lines,
liquidation and its confirmation. Atomic, one audit row per change, states moved only through
`rules.FILE_TRANSITIONS` / `rules.SLIP_TRANSITIONS` (decision 0013)."""

import datetime as dt
import re
import uuid
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from amo.accounts.actors import ActingUser
from amo.claims import rules
from amo.claims.errors import ClaimError
from amo.claims.models import (
    CareFile,
    CareFileStatus,
    CareLine,
    EntryOutcome,
    LineKind,
    SlipEntry,
    SlipStatus,
    TransmittalSlip,
)
from amo.common import clock
from amo.common.errors import DomainError
from amo.common.services import audit_record
from amo.common.transitions import allowed
from amo.coverage.selectors import rights_of_student_on
from amo.enrollment.models import Student
from amo.organisations.models import DepositPoint
from amo.referentials import selectors as referentials

INPE = re.compile(r"^\d{5,20}$")


def _move(care_file: CareFile, target: str, *, actor: ActingUser, reason: str = "", **fields: Any) -> None:
    if not allowed(rules.FILE_TRANSITIONS, care_file.status, target):
        raise DomainError("invalid_transition")
    before = care_file.status
    care_file.status = target
    for name, value in fields.items():
        setattr(care_file, name, value)
    care_file.save(update_fields=["status", *fields])
    audit_record(
        actor=actor,
        action=f"care_file_{target}",
        obj=care_file,
        before={"status": before},
        after={"status": target, **fields},
        reason=reason,
    )


def _check_declaration(first_act_on: dt.date, amount: Decimal) -> None:
    problem = rules.declaration_problem(first_act_on=first_act_on, today=clock.today(), amount=amount)
    if problem:
        field = "first_act_on" if problem == ClaimError.FIRST_ACT_IN_FUTURE else "declared_amount"
        raise DomainError(problem, fields={field: [problem]})


def _number(care_file: CareFile) -> str:
    return f"DOS-{clock.today().year}-{care_file.pk:07d}"


def _create(
    *, student: Student, kind: str, first_act_on: dt.date, amount: Decimal, status: str, **fields: Any
) -> CareFile:
    care_file = CareFile.objects.create(
        number=uuid.uuid4().hex[:20],
        student=student,
        kind=kind,
        first_act_on=first_act_on,
        declared_amount=amount,
        status=status,
        **fields,
    )
    care_file.number = _number(care_file)
    care_file.save(update_fields=["number"])
    return care_file


@transaction.atomic
def care_file_predeclare(
    *, actor: ActingUser, student: Student, kind: str, first_act_on: dt.date, declared_amount: Decimal
) -> CareFile:
    """The student declares a file online before leaving it at the deposit point: a number to
    write on the cover sheet. Rights are checked at the deposit."""
    _check_declaration(first_act_on, declared_amount)
    care_file = _create(
        student=student,
        kind=kind,
        first_act_on=first_act_on,
        amount=declared_amount,
        status=CareFileStatus.PRE_DECLARED,
        pre_declared_at=clock.now(),
    )
    audit_record(
        actor=actor,
        action="care_file_pre_declared",
        obj=care_file,
        after={"number": care_file.number, "kind": kind, "first_act_on": first_act_on, "amount": declared_amount},
    )
    return care_file


def _check_deposit(student_id: int, first_act_on: dt.date, deposit_point: DepositPoint) -> None:
    rights = rights_of_student_on(student_id, first_act_on)
    if not rights.covered:
        raise DomainError(ClaimError.NOT_INSURED, fields={"first_act_on": [ClaimError.NOT_INSURED]})
    if rights.deposit_channel and rights.deposit_channel != deposit_point.deposit_channel:
        raise DomainError(ClaimError.WRONG_DEPOSIT_POINT)


@transaction.atomic
def care_file_deposit(*, actor: ActingUser, care_file: CareFile, deposit_point: DepositPoint) -> CareFile:
    """A pre-declared file handed in at the deposit point: rights checked on the first act date,
    the student's channel must deposit here; the deposit date counts for the deadline."""
    care_file = CareFile.objects.select_for_update().get(pk=care_file.pk)
    if care_file.status != CareFileStatus.PRE_DECLARED:
        raise DomainError("invalid_transition")
    _check_deposit(care_file.student_id, care_file.first_act_on, deposit_point)
    _move(
        care_file,
        CareFileStatus.DEPOSITED,
        actor=actor,
        deposit_point=deposit_point,
        deposited_on=clock.today(),
    )
    return care_file


@transaction.atomic
def care_file_create_at_deposit(
    *,
    actor: ActingUser,
    deposit_point: DepositPoint,
    student: Student,
    kind: str,
    first_act_on: dt.date,
    declared_amount: Decimal,
) -> CareFile:
    """A file the student did not pre-declare, created by the deposit point agent."""
    _check_declaration(first_act_on, declared_amount)
    _check_deposit(student.pk, first_act_on, deposit_point)
    care_file = _create(
        student=student,
        kind=kind,
        first_act_on=first_act_on,
        amount=declared_amount,
        status=CareFileStatus.DEPOSITED,
        deposit_point=deposit_point,
        deposited_on=clock.today(),
    )
    audit_record(
        actor=actor,
        action="care_file_deposited",
        obj=care_file,
        after={"number": care_file.number, "status": care_file.status, "deposit_point": deposit_point},
    )
    return care_file


# --- transmittal slips ------------------------------------------------------------------------


@transaction.atomic
def slip_prepare(*, actor: ActingUser, deposit_point: DepositPoint, files: QuerySet[CareFile]) -> TransmittalSlip:
    """Put deposited files of this deposit point on a new slip; a file is on one slip only."""
    chosen = list(files.select_for_update().filter(deposit_point=deposit_point).order_by("pk"))
    if not chosen:
        raise DomainError(ClaimError.EMPTY_SLIP, fields={"files": [ClaimError.EMPTY_SLIP]})
    for care_file in chosen:
        if care_file.status == CareFileStatus.ON_SLIP or care_file.slip_entries.exists():
            raise DomainError(ClaimError.ALREADY_ON_SLIP, message=None, fields={"files": [care_file.number]})
        if care_file.status != CareFileStatus.DEPOSITED:
            raise DomainError(ClaimError.NOT_DEPOSITED, fields={"files": [care_file.number]})
    slip = TransmittalSlip.objects.create(
        number=uuid.uuid4().hex[:20],
        deposit_point=deposit_point,
        file_count=len(chosen),
        total_declared=sum((f.declared_amount for f in chosen), Decimal("0")),
    )
    slip.number = f"BOR-{clock.today().year}-{slip.pk:06d}"
    slip.save(update_fields=["number"])
    SlipEntry.objects.bulk_create(SlipEntry(slip=slip, care_file=f) for f in chosen)
    for care_file in chosen:
        _move(care_file, CareFileStatus.ON_SLIP, actor=actor, reason=slip.number)
    audit_record(
        actor=actor,
        action="slip_prepared",
        obj=slip,
        after={"number": slip.number, "files": slip.file_count, "total": slip.total_declared},
    )
    return slip


def _slip_move(slip: TransmittalSlip, target: str, *, actor: ActingUser, **fields: Any) -> None:
    if not allowed(rules.SLIP_TRANSITIONS, slip.status, target):
        raise DomainError("invalid_transition")
    before = slip.status
    slip.status = target
    for name, value in fields.items():
        setattr(slip, name, value)
    slip.save(update_fields=["status", *fields])
    audit_record(actor=actor, action=f"slip_{target}", obj=slip, before={"status": before}, after={"status": target})


@transaction.atomic
def slip_send(*, actor: ActingUser, slip: TransmittalSlip) -> TransmittalSlip:
    slip = TransmittalSlip.objects.select_for_update().get(pk=slip.pk)
    _slip_move(slip, SlipStatus.SENT, actor=actor, sent_at=clock.now())
    return slip


@transaction.atomic
def slip_receive(
    *, actor: ActingUser, slip: TransmittalSlip, missing: list[str] | None = None, extra: list[str] | None = None
) -> TransmittalSlip:
    """CNOPS records the slip's files as received, or missing (listed, not in the parcel), and
    extra files found in the parcel though not listed. Receiving a slip twice changes nothing."""
    slip = TransmittalSlip.objects.select_for_update().get(pk=slip.pk)
    if slip.status == SlipStatus.RECEIVED:
        return slip
    if slip.status != SlipStatus.SENT:
        raise DomainError(ClaimError.SLIP_NOT_SENT)
    missing_set = {n.strip().upper() for n in missing or [] if n.strip()}
    extra_set = {n.strip().upper() for n in extra or [] if n.strip()}
    extra_files = list(
        CareFile.objects.select_for_update().filter(number__in=extra_set, deposit_point=slip.deposit_point)
    )
    if len(extra_files) != len(extra_set):
        unknown = sorted(extra_set - {f.number for f in extra_files})
        raise DomainError(ClaimError.FILE_NOT_FOUND, fields={"extra": unknown})
    today = clock.today()
    received = missing_count = 0
    for entry in slip.entries.select_related("care_file").select_for_update(of=("self",)):
        if entry.care_file.number in missing_set:
            entry.outcome = EntryOutcome.MISSING
            missing_count += 1
        else:
            entry.outcome = EntryOutcome.RECEIVED
            received += 1
            _move(entry.care_file, CareFileStatus.RECEIVED, actor=actor, reason=slip.number, received_on=today)
        entry.save(update_fields=["outcome"])
    for care_file in extra_files:
        if care_file.slip_entries.filter(slip=slip).exists():
            continue
        SlipEntry.objects.create(slip=slip, care_file=care_file, outcome=EntryOutcome.EXTRA)
        if allowed(rules.FILE_TRANSITIONS, care_file.status, CareFileStatus.RECEIVED):
            _move(care_file, CareFileStatus.RECEIVED, actor=actor, reason=slip.number, received_on=today)
    _slip_move(
        slip,
        SlipStatus.RECEIVED,
        actor=actor,
        received_at=clock.now(),
        received_count=received,
        missing_count=missing_count,
        extra_count=len(extra_files),
    )
    return slip


# --- lines and liquidation --------------------------------------------------------------------


@transaction.atomic
def care_line_add(
    *,
    actor: ActingUser,
    care_file: CareFile,
    kind: str,
    act_on: dt.date,
    practitioner_inpe: str,
    amount_paid: Decimal,
    sector: str = "private",
    category: str = "",
    letter: str = "",
    coefficient: Decimal | None = None,
    drug_code: str = "",
    quantity: int | None = None,
    care_form_present: bool = True,
    prescription_present: bool = True,
) -> CareLine:
    """A CNOPS agent enters one line of a received file. A typing error (a date in the future,
    an absurd amount or coefficient, an unknown key or drug code, the same line twice) is refused
    here; what the rules refuse (time-barred, no rights…) is the liquidation's reason."""
    care_file = CareFile.objects.select_for_update().get(pk=care_file.pk)
    if care_file.status not in (CareFileStatus.RECEIVED, CareFileStatus.LIQUIDATED, CareFileStatus.CONFIRMED):
        raise DomainError(ClaimError.NOT_RECEIVED)
    letter, drug_code, inpe = letter.strip().upper(), drug_code.strip(), practitioner_inpe.strip()
    problem = rules.entry_problem(
        kind=kind,
        act_on=act_on,
        first_act_on=care_file.first_act_on,
        today=clock.today(),
        paid=amount_paid,
        coefficient=coefficient,
        quantity=quantity,
        letter=letter,
        drug_code=drug_code,
    )
    if problem:
        raise DomainError(problem, fields={_FIELD_OF.get(problem, "amount_paid"): [problem]})
    if not INPE.match(inpe):
        raise DomainError(ClaimError.INPE_FORMAT, fields={"practitioner_inpe": [ClaimError.INPE_FORMAT]})
    if kind == LineKind.DRUG and referentials.drug_on(drug_code, act_on) is None:
        raise DomainError(ClaimError.UNKNOWN_DRUG_CODE, fields={"drug_code": [ClaimError.UNKNOWN_DRUG_CODE]})
    if kind == LineKind.ACT and referentials.ngap_key_on(letter, sector, act_on) is None:
        raise DomainError(ClaimError.UNKNOWN_LETTER, fields={"letter": [ClaimError.UNKNOWN_LETTER]})
    same = care_file.lines.filter(
        kind=kind, act_on=act_on, practitioner_inpe=inpe, letter=letter, drug_code=drug_code
    ).exists()
    if same:
        raise DomainError(ClaimError.LINE_REPEATED)
    line = CareLine.objects.create(
        care_file=care_file,
        student_id_ref=care_file.student_id,
        kind=kind,
        act_on=act_on,
        practitioner_inpe=inpe,
        sector=sector,
        category=category,
        letter=letter if kind == LineKind.ACT else "",
        coefficient=coefficient if kind == LineKind.ACT else None,
        drug_code=drug_code if kind == LineKind.DRUG else "",
        quantity=quantity if kind == LineKind.DRUG else None,
        amount_paid=amount_paid,
        care_form_present=care_form_present,
        prescription_present=prescription_present,
    )
    audit_record(
        actor=actor,
        action="care_line_added",
        obj=line,
        after={"file": care_file.number, "kind": kind, "act_on": act_on, "paid": amount_paid},
    )
    return line


_FIELD_OF = {
    "act_in_future": "act_on",
    "act_before_first_act": "act_on",
    "letter_required": "letter",
    "coefficient_invalid": "coefficient",
    "drug_code_required": "drug_code",
    "quantity_invalid": "quantity",
}


def line_facts(line: CareLine, care_file: CareFile, deadline_days: int) -> tuple[rules.LineFacts, dict[str, Any]]:
    """The facts of one line as in force on its act date, and the referential values used."""
    on = line.act_on
    rights = rights_of_student_on(care_file.student_id, on)
    duplicate = (
        CareLine.objects.filter(
            student_id_ref=line.student_id_ref,
            act_on=on,
            practitioner_inpe=line.practitioner_inpe,
            kind=line.kind,
            letter=line.letter,
            drug_code=line.drug_code,
            pk__lt=line.pk,
        )
        .exclude(care_file_id=care_file.pk, pk=line.pk)
        .exists()
    )
    agreement_needed = care_file.kind in rules.AGREEMENT_KINDS
    common: dict[str, Any] = {
        "kind": line.kind,
        "act_on": on,
        "paid": line.amount_paid,
        "first_act_on": care_file.first_act_on,
        "deposited_on": care_file.deposited_on or care_file.first_act_on,
        "deadline_days": deadline_days,
        "covered": rights.covered,
        "duplicate": duplicate,
        "care_form_present": line.care_form_present,
        "prescription_present": line.prescription_present,
    }
    used: dict[str, Any] = {"used_deadline_days": deadline_days, "used_key_value": None, "used_pbr": None}
    if line.kind == LineKind.DRUG:
        drug = referentials.drug_on(line.drug_code, on)
        category = line.category or "drugs"
        agreement_needed = agreement_needed or bool(drug and drug.needs_agreement)
        used["used_pbr"] = drug.pbr if drug else None
        specific: dict[str, Any] = {
            "drug_known": drug is not None,
            "drug_reimbursable": bool(drug and drug.reimbursable),
            "pbr": drug.pbr if drug else None,
            "quantity": line.quantity,
        }
    else:
        key = referentials.ngap_key_on(line.letter, line.sector, on)
        category = line.category or (key.category if key else "consultation")
        agreement_needed = agreement_needed or bool(key and key.needs_agreement)
        used["used_key_value"] = key.value if key else None
        specific = {
            "key_value": key.value if key else None,
            "coefficient": line.coefficient,
            "coefficient_min": key.coefficient_min if key else None,
            "coefficient_max": key.coefficient_max if key else None,
        }
    if care_file.kind in rules.EXEMPTION_KINDS:
        category = rules.ALD_CATEGORY
    rate = referentials.rate_on(category, line.sector, on)
    facts = rules.LineFacts(
        **common,
        **specific,
        category=category,
        rate=rate.rate if rate else None,
        agreement_needed=agreement_needed,
    )
    return facts, used


@transaction.atomic
def care_file_liquidate(*, actor: ActingUser, care_file: CareFile) -> CareFile:
    """Liquidate every line of a received file on the referentials in force on each act's date;
    store each line's base, rate, amount and reason with the values used, and the file's totals.
    Below the threshold the liquidation is confirmed at once; above it, a second agent confirms.
    A re-run is allowed until the file is paid."""
    care_file = CareFile.objects.select_for_update().get(pk=care_file.pk)
    if care_file.status == CareFileStatus.PAID:
        raise DomainError(ClaimError.ALREADY_PAID)
    if not allowed(rules.FILE_TRANSITIONS, care_file.status, CareFileStatus.LIQUIDATED):
        raise DomainError(ClaimError.NOT_RECEIVED)
    lines = list(care_file.lines.select_for_update().order_by("pk"))
    if not lines:
        raise DomainError(ClaimError.NO_LINES)
    deadline = referentials.parameter_int("student_claim_deadline_days", care_file.first_act_on)
    now = clock.now()
    for line in lines:
        facts, used = line_facts(line, care_file, deadline)
        decision = rules.liquidate_line(facts)
        line.base, line.rate, line.reimbursed, line.reason = (
            decision.base,
            decision.rate,
            decision.reimbursed,
            decision.reason,
        )
        line.category = facts.category
        line.liquidated_at = now
        for name, value in used.items():
            setattr(line, name, value)
    CareLine.objects.bulk_update(
        lines,
        [
            "base",
            "rate",
            "reimbursed",
            "reason",
            "category",
            "liquidated_at",
            "used_key_value",
            "used_pbr",
            "used_deadline_days",
        ],
    )
    total_paid = sum((line.amount_paid for line in lines), Decimal("0"))
    total = sum((line.reimbursed or Decimal("0") for line in lines), Decimal("0"))
    threshold = referentials.parameter_decimal("claim_confirmation_threshold", clock.today())
    needs = rules.needs_confirmation(total, threshold)
    _move(
        care_file,
        CareFileStatus.LIQUIDATED,
        actor=actor,
        liquidated_at=now,
        liquidated_by=actor,
        total_paid=total_paid,
        total_reimbursed=total,
        needs_confirmation=needs,
        confirmed_at=None,
        confirmed_by=None,
    )
    if not needs:
        _confirm(care_file, actor=actor, by=None)
    return care_file


def _confirm(care_file: CareFile, *, actor: ActingUser, by: ActingUser) -> None:
    _move(care_file, CareFileStatus.CONFIRMED, actor=actor, confirmed_at=clock.now(), confirmed_by=by)
    from amo.claims import statements  # a cycle of the app's own modules (statements uses services' models)

    statements.statement_schedule(care_file)


@transaction.atomic
def care_file_confirm(*, actor: ActingUser, care_file: CareFile) -> CareFile:
    """A second agent confirms a liquidation above the threshold (not the one who liquidated)."""
    care_file = CareFile.objects.select_for_update().get(pk=care_file.pk)
    if care_file.status != CareFileStatus.LIQUIDATED:
        raise DomainError(ClaimError.NOT_LIQUIDATED)
    if actor is not None and care_file.liquidated_by_id == actor.pk:
        raise DomainError(ClaimError.SAME_AGENT)
    _confirm(care_file, actor=actor, by=actor)
    return care_file
