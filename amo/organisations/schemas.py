import datetime as dt
from typing import Annotated

from ninja import Field, Schema

from amo.common.apitypes import DbId
from amo.common.textrules import COMMENT
from amo.common.validators import ApiEmail, ApiText
from amo.organisations.forms import ADDRESS
from amo.organisations.models import AffiliationRejectReason, AffiliationRequest


class ChannelOut(Schema):
    code: str
    name_fr: str
    name_ar: str
    aggregator: str = Field(..., alias="aggregator.code")
    deposit_channel: str
    portal_url: str


class CategoryOut(Schema):
    code: str
    name_fr: str
    name_ar: str
    channel: str = Field(..., alias="channel.code")
    sector: str
    contribution_regime: str
    age_limit_exempt: bool


class InstitutionOut(Schema):
    id: int
    code: str
    name_fr: str
    name_ar: str
    city: str
    category: str = Field(..., alias="category.code")
    channel: str = Field(..., alias="category.channel.code")
    legal_entity_id: int
    on_eligible_list: bool
    affiliated_on: dt.date | None


class LegalEntityOut(Schema):
    id: int
    name_fr: str
    name_ar: str
    law: str
    ice: str
    city: str
    email: str
    phone: str


class LegalEntityContactIn(Schema):
    email: ApiEmail = ""
    phone: str = Field("", max_length=30)
    address: Annotated[str, ApiText(ADDRESS)] = ""
    ice: str = ""


class AffiliationIn(Schema):
    legal_entity_id: DbId
    institution_ids: list[DbId]


class AffiliationRejectIn(Schema):
    reason: AffiliationRejectReason
    comment: Annotated[str, ApiText(COMMENT)] = ""


class AffiliationOut(Schema):
    id: int
    number: str
    legal_entity_id: int
    status: str
    institution_ids: list[int]
    submitted_at: dt.datetime
    decided_at: dt.datetime | None
    reject_reason: str
    comment: str
    certificate_code: str | None

    @staticmethod
    def resolve_institution_ids(obj: AffiliationRequest) -> list[int]:
        return [i.pk for i in obj.institutions.all()]

    @staticmethod
    def resolve_certificate_code(obj: AffiliationRequest) -> str | None:
        document = obj.certificate if obj.certificate_id else None
        return document.code if document is not None else None


class ProviderOut(Schema):
    id: int
    name: str
    kind: str
    inpe: str
    city: str
    region: str = Field(..., alias="region.code")


class DepositPointOut(Schema):
    id: int
    code: str
    name_fr: str
    deposit_channel: str
    city: str
