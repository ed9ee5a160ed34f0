import datetime as dt
from typing import Annotated

from ninja import Field, Schema

from amo.common.apitypes import DbId
from amo.common.textrules import COMMENT
from amo.common.validators import ApiEmail, ApiText
from amo.enrollment import extensions
from amo.enrollment.models import IdType, RegistrationRequest, RejectReason, Sex
from amo.enrollment.rules import STUDENT_TEXTS


class RegistrationIn(Schema):
    """The form's fields, under the same rules (amo.enrollment.rules.STUDENT_TEXTS)."""

    id_type: IdType = IdType.CIN
    # Identifiers are normalised, then checked, by the service; a length here only keeps a
    # megabyte of text from getting that far.
    id_number: str = Field(..., max_length=40)
    massar: str = Field("", max_length=40)
    last_name: Annotated[str, ApiText(STUDENT_TEXTS["last_name"])]
    first_name: Annotated[str, ApiText(STUDENT_TEXTS["first_name"])]
    last_name_ar: Annotated[str, ApiText(STUDENT_TEXTS["last_name_ar"])] = ""
    first_name_ar: Annotated[str, ApiText(STUDENT_TEXTS["first_name_ar"])] = ""
    birth_date: dt.date
    # Required as on the page (amo.enrollment.rules.STUDENT_REQUIRED; the service refuses them blank).
    birth_place: Annotated[str, ApiText(STUDENT_TEXTS["birth_place"])]
    sex: Sex
    nationality: Annotated[str, ApiText(STUDENT_TEXTS["nationality"])] = "Marocaine"
    address: Annotated[str, ApiText(STUDENT_TEXTS["address"])]
    email: ApiEmail
    phone: str = Field(..., max_length=40)
    rib: str = Field("", max_length=40)
    institution_id: int
    academic_year: str = Field(..., description="e.g. 2026-2027")
    track: Annotated[str, ApiText(STUDENT_TEXTS["track"])] = ""
    fee_paying: bool = False
    registered_on: dt.date
    no_other_coverage: bool
    consent: bool
    acknowledged: bool


class EventOut(Schema):
    status: str
    at: dt.datetime
    reason: str
    comment: str


class RequestOut(Schema):
    id: int
    reference: str
    status: str
    academic_year: str = Field(..., alias="academic_year.code")
    institution_id: int
    institution_code: str = Field(..., alias="institution.code")
    id_type: str = Field(..., alias="student.id_type")
    id_number: str = Field(..., alias="student.id_number")
    last_name: str = Field(..., alias="student.last_name")
    first_name: str = Field(..., alias="student.first_name")
    track: str
    fee_paying: bool
    registered_on: dt.date
    source: str
    submitted_at: dt.datetime
    reject_reason: str
    comment: str
    aggregation_list_id: int | None

    @staticmethod
    def resolve_reference(obj: RegistrationRequest) -> str:
        return f"REG-{obj.pk:08d}"


class RequestDetailOut(RequestOut):
    events: list[EventOut]
    contribution: str
    # The signed form: "ready" (signed_form_url gives it), "being_prepared" (the worker renders it
    # after the submit: ask again in a few seconds) or "none" (a request an institution uploaded).
    signed_form: str
    signed_form_url: str | None

    @staticmethod
    def resolve_signed_form(obj: RegistrationRequest) -> str:
        from amo.enrollment.services import signed_form_state

        return signed_form_state(obj)

    @staticmethod
    def resolve_signed_form_url(obj: RegistrationRequest) -> str | None:
        return f"/api/registration/requests/{obj.pk}/form.pdf" if obj.signed_form_id is not None else None

    @staticmethod
    def resolve_contribution(obj: RegistrationRequest) -> str:
        return str(extensions.step_read(extensions.CONTRIBUTION, obj)[0])

    @staticmethod
    def resolve_events(obj: RegistrationRequest) -> list[object]:
        return obj.timeline()


class DecisionIn(Schema):
    action: str = Field(..., pattern="^(validated|rejected|to_correct)$")
    reason: RejectReason | None = None
    comment: Annotated[str, ApiText(COMMENT)] = ""


class BulkDecisionIn(DecisionIn):
    ids: list[DbId] = Field(..., min_length=1, max_length=1000)


class BulkDecisionOut(Schema):
    done: int
    refused: list[dict[str, str]]


class ListCloseIn(Schema):
    academic_year: str


class ListOut(Schema):
    id: int
    number: str
    aggregator: str = Field(..., alias="aggregator.code")
    academic_year: str = Field(..., alias="academic_year.code")
    status: str
    closed_at: dt.datetime
    sent_at: dt.datetime | None
    row_count: int
    content_hash: str


class CertificationIn(Schema):
    academic_year: str
    payment_references: Annotated[str, ApiText(COMMENT)] = ""


class CertificationOut(Schema):
    id: int
    academic_year: str = Field(..., alias="academic_year.code")
    certified_at: dt.datetime
    certified_by: str = Field(..., alias="certified_by.email")
    row_count: int
    content_hash: str
    payment_references: str


class TotalsOut(Schema):
    by_status: list[dict[str, object]]
    by_channel: list[dict[str, object]]
    by_institution: list[dict[str, object]]


class ClaimIn(Schema):
    """The record to link to the caller's account: a link goes to the address the institution declared."""

    id_type: IdType = IdType.CIN
    id_number: str = Field(..., max_length=30)


class ClaimConfirmIn(Schema):
    token: str = Field(..., max_length=500, description="The token of the link e-mailed to the declared address")


class ClaimLinkIn(ClaimIn):
    """The institution links one of its students' records to the account the student names."""

    email: ApiEmail = Field(..., description="The e-mail address of the student's account")


class ClaimOut(Schema):
    id_type: str
    id_number: str
    linked: bool
    message: str


class RibIn(Schema):
    rib: str = Field(..., max_length=40, description="The new RIB (24 digits) or its IBAN (MA + 26 digits)")


class RibConfirmIn(Schema):
    token: str = Field(..., max_length=500, description="The token of the link e-mailed to the account's address")


class RibOut(Schema):
    """The student's RIB, masked (bank code and last four digits), and the change waiting for its link."""

    rib: str
    pending_rib: str
    pending_sent_to: str
    message: str
