import datetime as dt
from decimal import Decimal

from ninja import Field, Schema

from amo.claims.models import CareFileKind, LineKind
from amo.referentials.models import CareCategory, CareSector


class StepOut(Schema):
    status: str
    label: str
    reached: bool


class LineOut(Schema):
    id: int
    kind: str
    act_on: dt.date
    practitioner_inpe: str
    sector: str
    category: str
    letter: str
    coefficient: Decimal | None
    drug_code: str
    quantity: int | None
    amount_paid: Decimal
    base: Decimal | None
    rate: Decimal | None
    reimbursed: Decimal | None
    reason: str


class FileOut(Schema):
    id: int
    number: str
    kind: str
    status: str
    first_act_on: dt.date
    declared_amount: Decimal
    deposited_on: dt.date | None
    received_on: dt.date | None
    total_paid: Decimal
    total_reimbursed: Decimal
    needs_confirmation: bool
    student_id_number: str
    deposit_point: str | None


class FileDetailOut(FileOut):
    timeline: list[StepOut]
    lines: list[LineOut]


class PreDeclareIn(Schema):
    kind: CareFileKind
    first_act_on: dt.date
    declared_amount: Decimal = Field(..., max_digits=12, decimal_places=2)


class DepositIn(Schema):
    """A pre-declared file (its number) or, for a file not pre-declared, the student's CIN and the file's facts."""

    number: str = Field("", max_length=20)
    id_number: str = Field("", max_length=20)
    kind: CareFileKind = CareFileKind.ORDINARY
    first_act_on: dt.date | None = None
    declared_amount: Decimal | None = Field(None, max_digits=12, decimal_places=2)


class SlipIn(Schema):
    files: list[str] = Field(..., max_length=5000, description="file numbers")


class SlipOut(Schema):
    id: int
    number: str
    status: str
    file_count: int
    total_declared: Decimal
    received_count: int
    missing_count: int
    extra_count: int
    files: list[dict[str, str]]


class ReceiveIn(Schema):
    missing: list[str] = Field(default_factory=list, max_length=5000)
    extra: list[str] = Field(default_factory=list, max_length=5000)


class LineIn(Schema):
    kind: LineKind
    act_on: dt.date
    practitioner_inpe: str = Field(..., max_length=20)
    amount_paid: Decimal = Field(..., max_digits=12, decimal_places=2)
    sector: CareSector = CareSector.PRIVATE
    category: CareCategory | None = None
    letter: str = Field("", max_length=8)
    coefficient: Decimal | None = Field(None, max_digits=8, decimal_places=2)
    drug_code: str = Field("", max_length=32)
    quantity: int | None = Field(None, ge=-1000, le=1000)
    care_form_present: bool = True
    prescription_present: bool = True


class RunOut(Schema):
    id: int
    status: str
    files_total: int
    files_done: int
    lines_done: int
