import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema

from amo.common.apitypes import QueryText
from amo.common.errors import NotFound
from amo.documents.rules import display_code
from amo.documents.selectors import document_by_code

router = Router(tags=["documents"])


class DocumentOut(Schema):
    code: str
    kind: str
    title: str
    holder: str
    sha256: str
    issued_at: dt.datetime


@router.get(
    "/verify/{code}",
    response=DocumentOut,
    auth=None,
    summary="Check a document's verification code",
)
def verify(request: HttpRequest, code: QueryText) -> dict[str, object]:
    document = document_by_code(code)
    if document is None:
        raise NotFound()
    return {
        "code": display_code(document.code),
        "kind": document.kind,
        "title": document.title,
        "holder": document.holder,
        "sha256": document.sha256,
        "issued_at": document.issued_at,
    }
